import { describe, expect, it } from "vitest";
import { approvable, destroyConfirmed, diffByResource, labelOf, listError, newRun, parseInputs, ProgramInfo, progress, RULE_LINE, Run, specsOf, Step } from "./deploy";

// As `GET /api/programs` answers them (infra's ProgramInput: string, integer, boolean, list, objects).
const input = (name: string, type: string, required = false, description = "") => ({ name, type, required, description });
const VM: ProgramInfo = {
  name: "vm", description: "VM", permissions: [],
  inputs: [
    input("node", "string", true), input("vmid", "integer", true, "guest id, 100 to 999999999, not taken by another guest"), input("name", "string", true),
    input("template", "integer", true), input("user", "string", true), input("sshKeys", "list", true), input("ipConfig", "list", true),
    input("cores", "integer", false, "CPU cores per socket, 1 to 128 (default 2)"), input("memoryMiB", "integer"), input("started", "boolean"),
  ],
};
const SG: ProgramInfo = {
  name: "security-group", description: "", permissions: [],
  inputs: [input("group", "string", true), input("rules", "objects", true, "at least one rule: {direction: in|out, action: ...}"), input("guest", "integer", true)],
};

describe("program specs", () => {
  it("builds the form from the API's inputs, in their order, labelled from their names", () => {
    expect(specsOf(VM).map((s) => s.kind)).toEqual(["text", "int", "text", "int", "text", "list", "list", "int", "int", "bool"]);
    expect(specsOf(VM).filter((s) => s.required).map((s) => s.name)).toEqual(["node", "vmid", "name", "template", "user", "sshKeys", "ipConfig"]);
    expect(specsOf(VM).find((s) => s.name === "cores")?.hint).toBe("CPU cores per socket, 1 to 128 (default 2)");
    expect(specsOf(VM).find((s) => s.name === "node")?.hint).toBeUndefined();
    expect(labelOf("memoryMiB")).toBe("Memory MiB");
    expect(labelOf("sshKeys")).toBe("Ssh Keys");
  });

  it("enters a list of objects (firewall rules) one per line, with the line's syntax as hint", () => {
    const rules = specsOf(SG)[1];
    expect(rules).toMatchObject({ name: "rules", kind: "list", required: true, objects: true, hint: RULE_LINE });
    expect(specsOf(SG)[0].objects).toBeUndefined();
  });

  it("has no form for a program the API lists without inputs", () => {
    expect(specsOf({ name: "other", description: "", permissions: [], inputs: [] })).toEqual([]);
  });
});

describe("inputs", () => {
  it("turns the form into the runner's inputs, optional blanks left out", () => {
    const { inputs, errors } = parseInputs(specsOf(VM), {
      node: "pve1", vmid: "130", name: "app-01", template: "9000", user: "deploy",
      sshKeys: "ssh-ed25519 AAAA alice\n\n ssh-ed25519 BBBB bob ", ipConfig: "ip=10.20.0.30/24,gw=10.20.0.1",
      cores: "", memoryMiB: "4096", started: true,
    });
    expect(errors).toEqual({});
    expect(inputs).toEqual({
      node: "pve1", vmid: 130, name: "app-01", template: 9000, user: "deploy",
      sshKeys: ["ssh-ed25519 AAAA alice", "ssh-ed25519 BBBB bob"], ipConfig: ["ip=10.20.0.30/24,gw=10.20.0.1"], memoryMiB: 4096, started: true,
    });
  });

  it("names every bad field at once under the runner's names", () => {
    const { errors } = parseInputs(specsOf(VM), { node: "pve1", vmid: "99", name: "", template: "x", user: "u", sshKeys: "k", ipConfig: "ip=dhcp" });
    expect(errors).toEqual({
      "inputs.vmid": "must be between 100 and 999999999",
      "inputs.name": "is required",
      "inputs.template": "must be a whole number",
    });
  });

  it("parses firewall rules and points at the bad line", () => {
    const ok = parseInputs(specsOf(SG), { group: "web", guest: "101", rules: "in ACCEPT tcp 443\nout DROP" });
    expect(ok.inputs.rules).toEqual([{ direction: "in", action: "ACCEPT", proto: "tcp", dport: "443" }, { direction: "out", action: "DROP" }]);
    expect(parseInputs(specsOf(SG), { group: "web", guest: "101", rules: "in ACCEPT\nsideways ALLOW" }).errors).toEqual({
      "inputs.rules[1]": "write: in|out ACCEPT|DROP|REJECT [proto] [dport]",
    });
  });
});

describe("list errors", () => {
  it("points at the line the API or the form named", () => {
    expect(listError({ "inputs.ipConfig": "is required" }, "ipConfig")).toBe("is required");
    expect(listError({ "inputs.ipConfig[1]": "gw is not an address" }, "ipConfig")).toBe("line 2: gw is not an address");
    expect(listError({ "inputs.rules[0].dport": "not a port" }, "rules")).toBe("line 1 (dport): not a port");
    expect(listError({ "inputs.rulesX[0]": "x" }, "rules")).toBeUndefined();
  });
});

const step = (op: string, name: string, extra: Partial<Step> = {}): Step => ({
  op, urn: `urn:pulumi:acme.lab::nimbus-vm::proxmoxve:index/vmLegacy:VmLegacy::${name}`, type: "proxmoxve:index/vmLegacy:VmLegacy",
  diffs: [], detailedDiff: {}, done: false, failed: false, ...extra,
});

describe("preview diff", () => {
  it("lists replacements first, each with its properties, and hides providers and the stack", () => {
    const d = diffByResource([
      step("same", "b"),
      step("update", "c", { diffs: ["memory"], detailedDiff: { "memory.dedicated": "UPDATE" } }),
      step("create-replacement", "a", { diffs: ["nodeName"], detailedDiff: { nodeName: "UPDATE_REPLACE" } }),
      step("replace", "a", { diffs: ["nodeName"] }),
      { ...step("create", "default"), type: "pulumi:providers:proxmoxve", urn: "urn:pulumi:s::p::pulumi:providers:proxmoxve::default" },
      { ...step("create", "stack"), type: "pulumi:pulumi:Stack" },
    ]);
    expect(d.map((r) => [r.name, r.op, r.replaces])).toEqual([["a", "replace", true], ["c", "update", false], ["b", "same", false]]);
    expect(d[0].properties).toEqual([{ path: "nodeName", change: "update-replace" }]);
    expect(d[1].properties).toEqual([{ path: "memory.dedicated", change: "update" }]);
  });

  it("falls back to the top-level diffs", () => {
    expect(diffByResource([step("update", "x", { diffs: ["cpu", "tags"] })])[0].properties).toEqual([
      { path: "cpu", change: "update" }, { path: "tags", change: "update" },
    ]);
  });
});

const run = (over: Partial<Run>): Run => ({
  runId: "r1", program: "vm", stack: "acme.lab", operation: "PREVIEW", status: "SUCCEEDED", startedAt: "", finishedAt: null, steps: [], summary: {}, errors: [], ...over,
});

describe("run", () => {
  it("counts finished resource steps", () => {
    const r = run({ status: "RUNNING", steps: [step("create", "a", { done: true }), step("create", "b"), { ...step("create", "p"), type: "pulumi:providers:proxmoxve", done: true }] });
    expect(progress(r)).toEqual({ done: 1, total: 2, failed: 0, finished: false });
  });

  it("approves only a succeeded preview of the same inputs", () => {
    const inputs = { vmid: 130 };
    expect(approvable(run({}), "vm", inputs, { vmid: 130 })).toBe(true);
    expect(approvable(run({}), "vm", inputs, { vmid: 131 })).toBe(false);
    expect(approvable(run({ status: "FAILED" }), "vm", inputs, inputs)).toBe(false);
    expect(approvable(run({ operation: "UP" }), "vm", inputs, inputs)).toBe(false);
    expect(approvable(null, "vm", inputs, inputs)).toBe(false);
  });

  it("follows the run written after the request", () => {
    expect(newRun([run({ runId: "r1" })], "r1")).toBeNull();
    expect(newRun([], null)).toBeNull();
    expect(newRun([run({ runId: "r2" }), run({ runId: "r1" })], "r1")?.runId).toBe("r2");
    expect(newRun([run({ runId: "r1" })], null)?.runId).toBe("r1");
  });

  it("destroys only when the stack name is typed in full", () => {
    expect(destroyConfirmed("acme.lab", "acme.lab")).toBe(true);
    expect(destroyConfirmed("acme", "acme.lab")).toBe(false);
    expect(destroyConfirmed("", "")).toBe(false);
  });
});
