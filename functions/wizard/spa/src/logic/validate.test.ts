import { describe, expect, it } from "vitest";
import { isHost, validateEndpoint, validateLogin, validateSchedule, validateToken } from "./validate";

const endpoint = {
  connectionId: "lab",
  name: "Lab",
  host: "pve.example.com",
  port: "8006",
  pathPrefix: "",
  proxyType: "" as const,
  proxyHost: "",
  proxyPort: "",
};

describe("endpoint", () => {
  it("accepts names and addresses as the API does", () => {
    expect(isHost("pve1.lan")).toBe(true);
    expect(isHost("10.0.0.5")).toBe(true);
    expect(isHost("10.0.0.256")).toBe(false);
    expect(isHost("pve..lan")).toBe(false);
    expect(validateEndpoint(endpoint)).toEqual({});
  });

  it("names every wrong field at once", () => {
    const errors = validateEndpoint({ ...endpoint, connectionId: "Lab", host: "https://pve", port: "70000", pathPrefix: "pve/" });
    expect(Object.keys(errors).sort()).toEqual(["connectionId", "endpoint.host", "endpoint.pathPrefix", "endpoint.port"]);
    expect(errors["endpoint.host"]).toContain("without scheme");
  });

  it("checks the proxy only when one is chosen", () => {
    expect(validateEndpoint({ ...endpoint, proxyType: "SOCKS5", proxyHost: "", proxyPort: "0" })).toHaveProperty("proxy.port");
  });
});

describe("credentials", () => {
  it("wants user@realm!name and a UUID secret, and never echoes the secret", () => {
    expect(validateToken("nimbus@pve!discovery", "0ee71afc-31c6-4326-9102-9cf00520c2b4")).toEqual({});
    const errors = validateToken("nimbus@pve", "hunter2-secret");
    expect(Object.keys(errors).sort()).toEqual(["credentials.tokenId", "credentials.tokenSecret"]);
    expect(JSON.stringify(errors)).not.toContain("hunter2");
    expect(validateLogin("root@pam", "pw", "12")).toHaveProperty("login.otp");
    expect(validateLogin("root", "", "")).toEqual({ "login.username": "user@realm, for example root@pam", "login.password": "is required" });
  });
});

describe("schedule", () => {
  it("follows EventBridge's rate rules and the 5-minute minimum", () => {
    expect(validateSchedule("rate(15 minutes)")).toBeNull();
    expect(validateSchedule("rate(1 hour)")).toBeNull();
    expect(validateSchedule("rate(1 hours)")).toContain("singular");
    expect(validateSchedule("rate(2 minutes)")).toContain("5 minutes");
    expect(validateSchedule("every day")).not.toBeNull();
  });
});
