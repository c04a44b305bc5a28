// The deployments page: each program's inputs (as `GET /api/programs` lists them), parsed from the
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
  /** a list of JSON objects (firewall rules), entered one per line */
  objects?: boolean;
}

/** `GET /api/programs` item: the runner's programs and their inputs (infra/ is the source). */
export interface ProgramInfo {
  name: string;
  description: string;
  /** in the program's order; type is string, integer, boolean, list or objects */
  inputs: { name: string; type: string; required: boolean; description: string }[];
  permissions: { path: string; privileges: string[] }[];
}

/** "memoryMiB" -> "Memory MiB", "sshKeys" -> "Ssh Keys": a readable label from the input's name. */
export function labelOf(name: string): string {
  const words = name.replace(/(?<=[a-z0-9][a-z0-9])(?=[A-Z])/g, " ").replace(/-/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The form's hint for a list of objects: the SPA enters firewall rules one per line, like this. */
export const RULE_LINE = "in|out ACCEPT|DROP|REJECT [proto] [dport], e.g. in ACCEPT tcp 443";

/**
 * The API's input descriptions as form fields: its type names read loosely (integer, boolean,
 * list...); `objects` (a security group's rules) are entered as one rule per line.
 */
export function specsOf(p: ProgramInfo): InputSpec[] {
  return p.inputs.map((i) => {
    const ty = i.type.toLowerCase();
    const objects = /object/.test(ty);
    const kind: Kind = /int|number|long/.test(ty) ? "int" : /bool/.test(ty) ? "bool" : objects || /list|array|\[\]/.test(ty) ? "list" : "text";
    const hint = objects ? RULE_LINE : i.description || undefined;
    return { name: i.name, label: labelOf(i.name), kind, required: i.required, hint, ...(objects ? { objects: true } : {}) };
  });
}

export type FormValues = Record<string, string | boolean>;

function rule(name: string, line: string, i: number, errors: FieldErrors): Record<string, string> | null {
  const [direction, action, proto, dport, ...rest] = line.trim().split(/\s+/);
  if (!/^(in|out)$/.test(direction ?? "") || !/^(ACCEPT|DROP|REJECT)$/.test(action ?? "") || rest.length > 0) {
    errors[`${name}[${i}]`] = "write: in|out ACCEPT|DROP|REJECT [proto] [dport]";
    return null;
  }
  return { direction, action, ...(proto ? { proto } : {}), ...(dport ? { dport } : {}) };
}

/**
 * The form's strings as the runner's `inputs`: numbers as integers, lists one per line, empty
 * optional fields left out (the runner fills its defaults), every error at once under the
 * runner's field names (`inputs.vmid`, `inputs.ipConfig[0]`, ...).
 */
export function parseInputs(specs: InputSpec[], values: FormValues): { inputs: Record<string, unknown>; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const inputs: Record<string, unknown> = {};
  const sub: FieldErrors = {};
  for (const s of specs) {
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
      if (s.objects) {
        const rules = lines.map((line, i) => rule(s.name, line, i, sub));
        if (rules.every((r) => r !== null)) inputs[s.name] = rules;
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

/**
 * Polling after a 202: the run to follow is the newest one that is not the run that was newest
 * before the request (`after`); null while the runner has not written it yet.
 */
export function newRun(items: Run[], after: string | null): Run | null {
  const newest = items[0];
  return newest && newest.runId !== after ? newest : null;
}

/** A destroy names its stack (`<tenant>.<connection>`) typed in full, as the runner requires. */
export function destroyConfirmed(typed: string, stack: string): boolean {
  return stack !== "" && typed.trim() === stack;
}

/** A list input's error: the whole list's, or its first bad line's (`inputs.rules[1]`, `inputs.ipConfig[0].gw`). */
export function listError(errors: FieldErrors, name: string): string | undefined {
  if (errors[`inputs.${name}`]) return errors[`inputs.${name}`];
  for (const [k, m] of Object.entries(errors)) {
    const hit = new RegExp(`^inputs\\.${name}\\[(\\d+)\\](.*)$`).exec(k);
    if (hit) return `line ${Number(hit[1]) + 1}${hit[2] ? ` (${hit[2].replace(/^\./, "")})` : ""}: ${m}`;
  }
  return undefined;
}
