import { describe, expect, it } from "vitest";
import { validateWebhook, webhookBody } from "./webhooks";

describe("webhook", () => {
  it("accepts a slug id and an https URL", () => {
    expect(validateWebhook({ id: "ops-chat", url: "https://hooks.example.com/nimbus?x=1", semanticTypes: [] })).toEqual({});
  });

  it("names each bad field", () => {
    expect(Object.keys(validateWebhook({ id: "Ops_Chat", url: "http://hooks.example.com/", semanticTypes: [] })).sort()).toEqual(["id", "url"]);
    expect(validateWebhook({ id: "ops", url: "not a url", semanticTypes: [] }).url).toBe("is not a URL");
    expect(validateWebhook({ id: "ops", url: "https://user:pw@hooks.example.com/", semanticTypes: [] }).url).toContain("credentials");
  });

  it("sends trimmed values and the chosen types", () => {
    expect(webhookBody({ id: " ops ", url: " https://h.example/ ", semanticTypes: ["COMPUTE"] })).toEqual({
      id: "ops",
      url: "https://h.example/",
      semanticTypes: ["COMPUTE"],
    });
  });
});
