// The deployments page: each program's inputs (infra/ programs' class comments), parsed from the
// form and checked for shape before the API (which checks them against the cluster and stays the
// judge); a run record's steps shaped into a per-resource diff; progress; destroy confirmation.

import { FieldErrors } from "./validate";

export type Kind = "text" | "int" | "bool" | "list";

export interface InputSpec {
  name: string;
  label: string;
  kind: Kind;
  required: boolean;
  hint?: string;
}

const t = (name: string, label: string, required = false, hint?: string): InputSpec => ({ name, label, kind: "text", required, hint });
const n = (name: string, label: string, required = false, hint?: string): InputSpec => ({ name, label, kind: "int", required, hint });
const b = (name: string, label: string, hint?: string): InputSpec => ({ name, label, kind: "bool", required: false, hint });
const l = (name: string, label: string, required = false, hint?: string): InputSpec => ({ name, label, kind: "list", required, hint });

export const PROGRAMS: { id: string; title: string; inputs: InputSpec[] }[] = [
  { id: "vm", title: "VM cloned from a template (cloud-init)", inputs: [
    t("node", "Node", true), n("vmid", "VM id", true, "100 to 999999999, not taken"), t("name", "Name", true),
    n("template", "Template VM id", true), t("user", "Cloud-init user", true),
    l("sshKeys", "SSH public keys", true, "one per line"), l("ipConfig", "IP configuration", true, "one per NIC, e.g. ip=10.20.0.30/24,gw=10.20.0.1 or ip=dhcp"),
    n("cores", "Cores", false, "2"), n("memoryMiB", "Memory (MiB)", false, "2048"), t("bridge", "Bridge", false, "vmbr0"),
    n("vlanTag", "VLAN tag"), t("datastore", "Datastore (full clone)"), t("pool", "Pool"), t("description", "Description"), b("started", "Start after creation"),
  ] },
  { id: "container", title: "LXC container", inputs: [
    t("node", "Node", true), n("vmid", "Container id", true, "100 to 999999999, not taken"), t("hostname", "Hostname", true),
    t("osTemplate", "OS template", true, "storage:vztmpl/file"), t("rootfsStorage", "Root disk storage", true),
    l("sshKeys", "SSH public keys", true, "one per line"), t("ipConfig", "IP configuration", true, "ip=10.20.0.40/24,gw=10.20.0.1"),
    n("rootfsSizeGiB", "Root disk (GiB)", false, "8"), n("cores", "Cores", false, "1"), n("memoryMiB", "Memory (MiB)", false, "512"),
    t("bridge", "Bridge", false, "vmbr0"), t("pool", "Pool"), b("unprivileged", "Unprivileged"), b("started", "Start after creation"),
  ] },
  { id: "pool", title: "Resource pool", inputs: [t("poolId", "Pool id", true, "parent/child for a nested pool (PVE 8.1+)"), t("comment", "Comment")] },
  { id: "security-group", title: "Security group attached to a guest", inputs: [
    t("group", "Group name", true), n("guest", "Guest VM id", true),
    l("rules", "Rules", true, "one per line: direction action [proto] [dport], e.g. in ACCEPT tcp 443"),
    t("inputPolicy", "Input policy", false, "DROP"), t("outputPolicy", "Output policy", false, "ACCEPT"), t("comment", "Comment"),
  ] },
  { id: "sdn-vnet", title: "SDN vnet", inputs: [
    t("vnet", "Vnet id", true, "a letter, then up to 7 letters or digits"), t("zone", "Zone", true), t("alias", "Alias"), n("tag", "VLAN or VXLAN tag"), b("vlanAware", "VLAN aware"),
  ] },
];

export type FormValues = Record<string, string | boolean>;

function rule(line: string, i: number, errors: FieldErrors): Record<string, string> | null {
  const [direction, action, proto, dport, ...rest] = line.trim().split(/\s+/);
  if (!/^(in|out)$/.test(direction ?? "") || !/^(ACCEPT|DROP|REJECT)$/.test(action ?? "") || rest.length > 0) {
    errors[`rules[${i}]`] = "write: in|out ACCEPT|DROP|REJECT [proto] [dport]";
    return null;
  }
  return { direction, action, ...(proto ? { proto } : {}), ...(dport ? { dport } : {}) };
}

/**
 * The form's strings as the runner's `inputs`: numbers as integers, lists one per line, empty
 * optional fields left out (the runner fills its defaults), every error at once under the
 * runner's field names (`inputs.vmid`, `inputs.ipConfig[0]`, ...).
 */
export function parseInputs(program: string, values: FormValues): { inputs: Record<string, unknown>; errors: FieldErrors } {
  const spec = PROGRAMS.find((p) => p.id === program);
  const errors: FieldErrors = {};
  const inputs: Record<string, unknown> = {};
  if (!spec) return { inputs, errors: { program: "unknown program" } };
  const sub: FieldErrors = {};
  for (const s of spec.inputs) {
    const v = values[s.name];
    if (s.kind === "bool") {
      if (typeof v === "boolean") inputs[s.name] = v;
      continue;
    }
    const str = typeof v === "string" ? v.trim() : "";
    if (str === "") {
      if (s.required) sub[s.name] = "is required";
      continue;
    }
    if (s.kind === "int") {
      if (!/^\d+$/.test(str)) sub[s.name] = "must be a whole number";
      else if ((s.name === "vmid" || s.name === "guest" || s.name === "template") && (Number(str) < 100 || Number(str) > 999999999)) sub[s.name] = "must be between 100 and 999999999";
      else inputs[s.name] = Number(str);
    } else if (s.kind === "list") {
      const lines = str.split("\n").map((x) => x.trim()).filter((x) => x !== "");
      if (s.name === "rules") {
        const rules = lines.map((line, i) => rule(line, i, sub));
        if (rules.every((r) => r !== null)) inputs.rules = rules;
      } else inputs[s.name] = lines;
    } else inputs[s.name] = str;
  }
  for (const [k, m] of Object.entries(sub)) errors[`inputs.${k}`] = m;
  return { inputs, errors };
}

export interface Step {
  op: string;
  urn: string;
  type: string;
  diffs: string[];
  detailedDiff: Record<string, string>;
  done: boolean;
  failed: boolean;
}

export interface Run {
  runId: string;
  program: string;
  stack: string;
  operation: string;
  status: "RUNNING" | "SUCCEEDED" | "FAILED" | "REFUSED";
  startedAt: string;
  finishedAt: string | null;
  steps: Step[];
  summary: Record<string, number>;
  errors: string[];
}

export interface ResourceDiff {
  name: string;
  type: string;
  op: string;
  /** property -> what happens to it (update, add, delete, ...-replace) */
  properties: { path: string; change: string }[];
  replaces: boolean;
}

/** URN `urn:pulumi:stack::project::type::name`: the last part names the resource. */
export function resourceName(urn: string): string {
  const i = urn.lastIndexOf("::");
  return i < 0 ? urn : urn.slice(i + 2);
}

const ORDER = ["replace", "create-replacement", "delete-replaced", "delete", "create", "update", "same"];

/**
 * A preview's steps as one entry per resource: replacements and deletions first (what a user must
 * not miss), unchanged resources last; the detailed diff's paths, else the top-level diffs.
 */
export function diffByResource(steps: Step[]): ResourceDiff[] {
  const byUrn = new Map<string, ResourceDiff>();
  for (const s of steps) {
    if (s.type.startsWith("pulumi:providers:") || s.type === "pulumi:pulumi:Stack") continue;
    const detailed = Object.entries(s.detailedDiff ?? {}).map(([path, change]) => ({ path, change: change.toLowerCase().replace("_", "-") }));
    const properties = detailed.length > 0 ? detailed : (s.diffs ?? []).map((path) => ({ path, change: "update" }));
    const prev = byUrn.get(s.urn);
    // A replacement shows as several steps of one URN; the strongest op stands for it.
    const op = prev && ORDER.indexOf(prev.op) <= ORDER.indexOf(s.op) ? prev.op : s.op;
    byUrn.set(s.urn, {
      name: resourceName(s.urn),
      type: s.type,
      op,
      properties: prev ? [...prev.properties, ...properties.filter((p) => !prev.properties.some((q) => q.path === p.path))] : properties,
      replaces: op.includes("replace") || properties.some((p) => p.change.includes("replace")),
    });
  }
  const rank = (d: ResourceDiff) => (ORDER.indexOf(d.op) < 0 ? ORDER.length : ORDER.indexOf(d.op));
  return [...byUrn.values()].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/** How far a run is: finished resource steps of all steps (providers and the stack left out). */
export function progress(run: Run): { done: number; total: number; failed: number; finished: boolean } {
  const steps = run.steps.filter((s) => !s.type.startsWith("pulumi:providers:") && s.type !== "pulumi:pulumi:Stack");
  return {
    done: steps.filter((s) => s.done).length,
    total: steps.length,
    failed: steps.filter((s) => s.failed).length,
    finished: run.status !== "RUNNING",
  };
}

/** The preview an `up` may apply: succeeded, same program, and inputs unchanged since. */
export function approvable(preview: Run | null, program: string, inputsNow: Record<string, unknown>, inputsPreviewed: Record<string, unknown> | null): boolean {
  return preview !== null && preview.operation.toLowerCase() === "preview" && preview.status === "SUCCEEDED" && preview.program === program && JSON.stringify(inputsNow) === JSON.stringify(inputsPreviewed);
}

/** A destroy names its stack (`<tenant>.<connection>`) typed in full, as the runner requires. */
export function destroyConfirmed(typed: string, stack: string): boolean {
  return stack !== "" && typed.trim() === stack;
}
