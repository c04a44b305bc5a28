// The drift view: the runner's drift records (functions/pulumi-runner README, "Drift") grouped by
// stack, alarms first, each class explained; and a CI's own drift beside its history.

import { show } from "./cis";

export type DriftClass = "MANAGED_FIELD_CHANGE" | "MOVE" | "UNMANAGED_FIELD_CHANGE" | "GONE" | "UNMANAGED" | "PROVIDER_NOISE";

export interface DriftProperty {
  path: string;
  previous: unknown;
  current: unknown;
  /** the runner's records carry these; the API's list may leave them out */
  managed?: boolean;
  source?: string;
}

export interface Drift {
  stack: string;
  nativeKey: string;
  urn: string | null;
  resourceType: string | null;
  semanticType: string | null;
  driftClass: DriftClass;
  properties: DriftProperty[];
  author: string | null;
  taskId: string | null;
  recommendation: string | null;
  status: "OPEN" | "RESOLVED";
  detectedAt: string;
  resolvedAt: string | null;
}

export const CLASSES: Record<DriftClass, { label: string; alarm: boolean; rank: number }> = {
  GONE: { label: "Gone: in state, deleted in Proxmox", alarm: true, rank: 0 },
  MANAGED_FIELD_CHANGE: { label: "Managed field changed outside Pulumi", alarm: true, rank: 1 },
  MOVE: { label: "Moved to another node (not drift)", alarm: false, rank: 2 },
  UNMANAGED_FIELD_CHANGE: { label: "Field Pulumi does not manage changed (informational)", alarm: false, rank: 3 },
  UNMANAGED: { label: "Not managed by any stack", alarm: false, rank: 4 },
  PROVIDER_NOISE: { label: "Provider noise (ignored)", alarm: false, rank: 5 },
};

/** The runner keeps unmanaged CIs under the stack "-". */
export const UNMANAGED_STACK = "-";

export interface StackGroup {
  stack: string;
  title: string;
  alarms: number;
  drifts: Drift[];
}

/**
 * Open drift by stack: stacks with alarms first, unmanaged CIs last; inside a stack by class
 * (gone, managed change, move, informational) then native key. Resolved records are left out
 * unless asked for.
 */
export function groupByStack(drifts: Drift[], includeResolved = false): StackGroup[] {
  const groups = new Map<string, Drift[]>();
  for (const d of drifts) {
    if (!includeResolved && d.status !== "OPEN") continue;
    groups.set(d.stack, [...(groups.get(d.stack) ?? []), d]);
  }
  return [...groups.entries()]
    .map(([stack, ds]) => ({
      stack,
      title: stack === UNMANAGED_STACK ? "Not managed by any stack" : stack,
      alarms: ds.filter((d) => d.status === "OPEN" && CLASSES[d.driftClass]?.alarm).length,
      drifts: [...ds].sort((a, b) => (CLASSES[a.driftClass]?.rank ?? 9) - (CLASSES[b.driftClass]?.rank ?? 9) || a.nativeKey.localeCompare(b.nativeKey, undefined, { numeric: true })),
    }))
    .sort((a, b) => Number(a.stack === UNMANAGED_STACK) - Number(b.stack === UNMANAGED_STACK) || b.alarms - a.alarms || a.stack.localeCompare(b.stack));
}

/** One sentence per drift: "alice@pve changed memory 4096 → 8192". */
export function headline(d: Drift): string {
  const who = d.author ?? "someone outside Pulumi";
  const props = d.properties.map((p) => `${p.path} ${show(p.previous)} → ${show(p.current)}`).join(", ");
  switch (d.driftClass) {
    case "MOVE":
      return `${who} moved ${d.nativeKey}${props ? `: ${props}` : ""}`;
    case "GONE":
      return `${who} deleted ${d.nativeKey}`;
    case "UNMANAGED":
      return `${d.nativeKey} is not managed by any stack`;
    default:
      return `${who} changed ${props || d.nativeKey}`;
  }
}

/** The drift of one CI (for the CI browser's history view). */
export function driftOfCi(drifts: Drift[], nativeKey: string): Drift[] {
  return drifts.filter((d) => d.nativeKey === nativeKey && d.status === "OPEN");
}
