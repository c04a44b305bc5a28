import { describe, expect, it } from "vitest";
import { normalizeFingerprint, pinsFromNodes, sameFingerprint, shortFingerprint } from "./fingerprints";

const FP = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, "0").slice(-2).toUpperCase()).join(":");

describe("fingerprints", () => {
  it("accepts pasted lower case or without colons and refuses other lengths", () => {
    expect(normalizeFingerprint(FP.toLowerCase().replace(/:/g, ""))).toBe(FP);
    expect(normalizeFingerprint("AB:CD")).toBeNull();
    expect(sameFingerprint(FP, FP.toLowerCase())).toBe(true);
    expect(sameFingerprint(FP, null)).toBe(false);
  });

  it("shortens for narrow screens and pins every node the check reported", () => {
    expect(shortFingerprint(FP)).toMatch(/^..:..:..….*$/);
    expect(pinsFromNodes([{ node: "pve1", sslFingerprint: FP.toLowerCase() }, { node: "pve2", sslFingerprint: null }], FP)).toEqual({ pve1: FP });
    expect(pinsFromNodes([], FP)).toEqual({ entry: FP });
  });
});
