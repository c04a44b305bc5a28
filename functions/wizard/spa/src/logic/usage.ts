// The usage and cost pages: the range a user picks, checked as the API checks it (which stays
// the judge), and the API's showback report shaped into chart series and a table.

import { FieldErrors } from "./validate";

/** A report's usage as the wizard API sends it: hours, GiB-hours, GB-hours and bytes. */
export interface UsageTotals {
  runningHours: number;
  vcpuHoursAllocated: number;
  vcpuHoursUsed: number;
  memoryGibHoursAllocated: number;
  memoryGibHoursUsed: number;
  diskGbHoursAllocated: number;
  /** null: never measured (a QEMU VM without guest-agent access), not 0 */
  diskGbHoursUsed: number | null;
  networkInBytes: number;
  networkOutBytes: number;
  diskReadBytes: number;
  diskWriteBytes: number;
}

/** Money as decimal strings (rounded to the currency's minor unit in totals; a row's is unrounded). */
export interface Cost {
  cpu: string;
  memory: string;
  disk: string;
  network: string;
  total?: string;
}

/** The wizard API's report: hourly rows for a CI, daily rows for compartment, tenant and tag. */
export interface ShowbackReport {
  subject: string;
  from: string;
  to: string;
  usage: UsageTotals;
  cost: Record<string, Cost>;
  rows: { start: string; connectionId: string; usage: UsageTotals; cost: Cost | null }[];
  unpricedConnections: string[];
}

export const RETENTION_DAYS = 400;
const HOUR = 3600_000;

export interface Range {
  from: string; // the datetime-local input's value, read as UTC
  to: string;
}

function parseUtc(v: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v)) return null;
  const t = Date.parse(v + "Z");
  return Number.isNaN(t) ? null : t;
}

/**
 * The API refuses a `from` in the future, a `to` past the current hour, an empty or reversed range
 * and one older or longer than the retention; say so beside the inputs before asking it.
 */
export function validateRange(r: Range, now: number, retentionDays = RETENTION_DAYS): FieldErrors {
  const errors: FieldErrors = {};
  const from = parseUtc(r.from);
  const to = parseUtc(r.to);
  if (from === null) errors.from = "is not a date and time (YYYY-MM-DDTHH:MM, UTC)";
  if (to === null) errors.to = "is not a date and time (YYYY-MM-DDTHH:MM, UTC)";
  if (from === null || to === null) return errors;
  const currentHourEnd = Math.floor(now / HOUR) * HOUR + HOUR;
  if (from > now) errors.from = "is in the future";
  else if (from < now - retentionDays * 24 * HOUR) errors.from = `is older than the retention (${retentionDays} days)`;
  if (to > currentHourEnd) errors.to = "is past the current hour";
  else if (to <= from) errors.to = "must be after the start";
  return errors;
}

/** ISO-8601 instants for the query, from the inputs read as UTC. */
export function rangeQuery(r: Range): { from: string; to: string } {
  return { from: new Date(parseUtc(r.from)!).toISOString(), to: new Date(parseUtc(r.to)!).toISOString() };
}

/** A preset range ending at the current hour's end, as datetime-local values (UTC). */
export function lastHours(hours: number, now: number): Range {
  const end = Math.floor(now / HOUR) * HOUR + HOUR;
  const fmt = (t: number) => new Date(t).toISOString().slice(0, 16);
  return { from: fmt(end - hours * HOUR), to: fmt(end) };
}

export type Metric = "vcpu" | "memory" | "disk" | "network";

export const METRICS: { id: Metric; label: string; unit: string }[] = [
  { id: "vcpu", label: "vCPU", unit: "vCPU-hours" },
  { id: "memory", label: "Memory", unit: "GiB-hours" },
  { id: "disk", label: "Disk", unit: "GB-hours" },
  { id: "network", label: "Network", unit: "GB" },
];

const GB = 1e9;

export interface Series {
  label: string;
  values: (number | null)[];
}

/**
 * A report's rows as chart series for one metric: allocated and used (or in and out, read and
 * write), one point per row. Disk used that was never measured is null (a gap), never 0.
 */
export function seriesOf(report: ShowbackReport, metric: Metric): { labels: string[]; series: Series[] } {
  const rows = [...report.rows].sort((a, b) => a.start.localeCompare(b.start));
  // "11-30 09:00": short enough for the axis at 360 px; the chart's title says the times are UTC.
  const labels = rows.map((r) => r.start.slice(5, 16).replace("T", " "));
  const col = (f: (u: UsageTotals) => number | null) => rows.map((r) => round(f(r.usage)));
  switch (metric) {
    case "vcpu":
      return { labels, series: [
        { label: "allocated", values: col((u) => u.vcpuHoursAllocated) },
        { label: "used", values: col((u) => u.vcpuHoursUsed) },
      ] };
    case "memory":
      return { labels, series: [
        { label: "allocated", values: col((u) => u.memoryGibHoursAllocated) },
        { label: "used", values: col((u) => u.memoryGibHoursUsed) },
      ] };
    case "disk":
      return { labels, series: [
        { label: "allocated", values: col((u) => u.diskGbHoursAllocated) },
        { label: "used", values: col((u) => u.diskGbHoursUsed ?? null) },
        { label: "read GB", values: col((u) => u.diskReadBytes / GB) },
        { label: "write GB", values: col((u) => u.diskWriteBytes / GB) },
      ] };
    case "network":
      return { labels, series: [
        { label: "in", values: col((u) => u.networkInBytes / GB) },
        { label: "out", values: col((u) => u.networkOutBytes / GB) },
      ] };
  }
}

function round(v: number | null): number | null {
  return v === null ? null : Math.round(v * 1000) / 1000;
}

/** Total cost per currency with its parts, as exact strings added digit by digit (no floats). */
export function costLines(report: ShowbackReport): { currency: string; cpu: string; memory: string; disk: string; network: string; total: string }[] {
  return Object.entries(report.cost)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, c]) => ({ currency, cpu: c.cpu, memory: c.memory, disk: c.disk, network: c.network, total: c.total ?? addDecimals([c.cpu, c.memory, c.disk, c.network]) }));
}

/** Sums decimal strings exactly (the API prices with BigDecimal; a float sum could lose a cent). */
export function addDecimals(values: string[]): string {
  const scale = Math.max(0, ...values.map((v) => (v.split(".")[1] ?? "").length));
  let sum = 0n;
  for (const v of values) {
    const neg = v.startsWith("-");
    const [i, f = ""] = v.replace("-", "").split(".");
    const n = BigInt(i + f.padEnd(scale, "0"));
    sum += neg ? -n : n;
  }
  const neg = sum < 0n;
  const s = (neg ? -sum : sum).toString().padStart(scale + 1, "0");
  const out = scale === 0 ? s : `${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}`;
  return neg ? `-${out}` : out;
}

/** Daily cost rows (compartment, tenant, tag reports) as one bar series per cost part. */
export function costSeries(report: ShowbackReport): { labels: string[]; series: Series[] } {
  const byDay = new Map<string, Cost[]>();
  for (const r of report.rows) {
    if (!r.cost) continue;
    const day = r.start.slice(0, 10);
    byDay.set(day, [...(byDay.get(day) ?? []), r.cost]);
  }
  const labels = [...byDay.keys()].sort();
  const part = (k: "cpu" | "memory" | "disk" | "network") => labels.map((d) => Number(addDecimals(byDay.get(d)!.map((c) => c[k]))));
  return { labels, series: [
    { label: "CPU", values: part("cpu") },
    { label: "memory", values: part("memory") },
    { label: "disk", values: part("disk") },
    { label: "network", values: part("network") },
  ] };
}
