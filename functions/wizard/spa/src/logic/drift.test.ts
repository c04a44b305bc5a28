import { describe, expect, it } from "vitest";
import { Drift, driftOfCi, groupByStack, headline } from "./drift";

const d = (over: Partial<Drift>): Drift => ({
  stack: "nimbus-vm/acme.lab", nativeKey: "qemu/130", urn: null, resourceType: null, semanticType: "COMPUTE",
  driftClass: "MANAGED_FIELD_CHANGE", properties: [], author: null, taskId: null, recommendation: null,
  status: "OPEN", detectedAt: "2026-11-30T10:00:00Z", resolvedAt: null, ...over,
});

describe("drift grouping", () => {
  it("puts stacks with alarms first, unmanaged last, and gone before changes before moves", () => {
    const groups = groupByStack([
      d({ stack: "-", driftClass: "UNMANAGED", nativeKey: "qemu/200" }),
      d({ stack: "nimbus-pool/acme.lab", driftClass: "MOVE", nativeKey: "pool/x" }),
      d({ driftClass: "MOVE", nativeKey: "qemu/131" }),
      d({ driftClass: "GONE", nativeKey: "qemu/140" }),
      d({ driftClass: "MANAGED_FIELD_CHANGE", nativeKey: "qemu/130" }),
      d({ driftClass: "GONE", nativeKey: "qemu/99", status: "RESOLVED" }),
    ]);
    expect(groups.map((g) => [g.stack, g.alarms])).toEqual([["nimbus-vm/acme.lab", 2], ["nimbus-pool/acme.lab", 0], ["-", 0]]);
    expect(groups[0].drifts.map((x) => x.nativeKey)).toEqual(["qemu/140", "qemu/130", "qemu/131"]);
    expect(groups[2].title).toBe("Not managed by any stack");
  });

  it("shows resolved records only when asked", () => {
    const all = [d({ status: "RESOLVED" })];
    expect(groupByStack(all)).toEqual([]);
    expect(groupByStack(all, true)[0].alarms).toBe(0);
  });

  it("orders vmids as numbers", () => {
    const g = groupByStack([d({ nativeKey: "qemu/1000" }), d({ nativeKey: "qemu/200" })]);
    expect(g[0].drifts.map((x) => x.nativeKey)).toEqual(["qemu/200", "qemu/1000"]);
  });
});

describe("drift headline", () => {
  it("names the author and the values", () => {
    expect(headline(d({ author: "alice@pve", properties: [{ path: "memory", previous: 4096, current: 8192, managed: true, source: "engine" }] })))
      .toBe("alice@pve changed memory 4096 → 8192");
    expect(headline(d({ driftClass: "MOVE", author: "root@pam", properties: [{ path: "nodeName", previous: "pve1", current: "pve2", managed: true, source: "engine" }] })))
      .toBe("root@pam moved qemu/130: nodeName pve1 → pve2");
    expect(headline(d({ driftClass: "GONE" }))).toBe("someone outside Pulumi deleted qemu/130");
  });

  it("finds the open drift of one CI", () => {
    expect(driftOfCi([d({}), d({ nativeKey: "qemu/131" }), d({ status: "RESOLVED" })], "qemu/130")).toHaveLength(1);
  });
});
