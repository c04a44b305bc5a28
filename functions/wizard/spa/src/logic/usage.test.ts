import { describe, expect, it } from "vitest";
import { addDecimals, costLines, costSeries, lastHours, rangeQuery, seriesOf, ShowbackReport, UsageTotals, validateRange } from "./usage";

const NOW = Date.parse("2026-11-30T11:20:00Z");

describe("range", () => {
  it("accepts the last day", () => {
    expect(validateRange(lastHours(24, NOW), NOW)).toEqual({});
    expect(lastHours(24, NOW)).toEqual({ from: "2026-11-29T12:00", to: "2026-11-30T12:00" });
  });

  it("refuses a start in the future, an end past the current hour, and a reversed range", () => {
    expect(validateRange({ from: "2026-11-30T12:00", to: "2026-11-30T13:00" }, NOW)).toEqual({
      from: "is in the future",
      to: "is past the current hour",
    });
    expect(validateRange({ from: "2026-11-30T10:00", to: "2026-11-30T09:00" }, NOW).to).toBe("must be after the start");
    expect(validateRange({ from: "2026-11-30T10:00", to: "2026-11-30T10:00" }, NOW).to).toBe("must be after the start");
  });

  it("refuses a start older than the retention and text that is no date", () => {
    expect(validateRange({ from: "2025-10-01T00:00", to: "2026-11-30T00:00" }, NOW).from).toContain("retention (400 days)");
    expect(validateRange({ from: "2025-10-01T00:00", to: "2026-11-30T00:00" }, NOW, 500)).toEqual({});
    expect(Object.keys(validateRange({ from: "yesterday", to: "" }, NOW)).sort()).toEqual(["from", "to"]);
  });

  it("sends UTC instants", () => {
    expect(rangeQuery({ from: "2026-11-30T10:00", to: "2026-11-30T11:00" })).toEqual({
      from: "2026-11-30T10:00:00.000Z",
      to: "2026-11-30T11:00:00.000Z",
    });
  });
});

const zero: UsageTotals = {
  runningHours: 0, vcpuHoursAllocated: 0, vcpuHoursUsed: 0, memoryGibHoursAllocated: 0, memoryGibHoursUsed: 0,
  diskGbHoursAllocated: 0, diskGbHoursUsed: 0, networkInBytes: 0, networkOutBytes: 0, diskReadBytes: 0, diskWriteBytes: 0,
};

function report(rows: ShowbackReport["rows"]): ShowbackReport {
  return { subject: "qemu/101", from: "", to: "", usage: zero, cost: {}, rows, unpricedConnections: [] };
}

describe("usage series", () => {
  const hour = (start: string, u: Partial<UsageTotals>) => ({ start, connectionId: "lab", usage: { ...zero, ...u }, cost: null });

  it("orders the hours, one series per allocated and used, bytes as GB", () => {
    const r = report([
      hour("2026-11-30T10:00:00Z", { vcpuHoursAllocated: 2, vcpuHoursUsed: 0.5, memoryGibHoursAllocated: 4 }),
      hour("2026-11-30T09:00:00Z", { vcpuHoursAllocated: 1, networkInBytes: 2e9, networkOutBytes: 5e8 }),
    ]);
    const cpu = seriesOf(r, "vcpu");
    expect(cpu.labels).toEqual(["11-30 09:00", "11-30 10:00"]);
    expect(cpu.series).toEqual([
      { label: "allocated", values: [1, 2] },
      { label: "used", values: [0, 0.5] },
    ]);
    expect(seriesOf(r, "memory").series[0].values).toEqual([0, 4]);
    expect(seriesOf(r, "network").series).toEqual([
      { label: "in", values: [2, 0] },
      { label: "out", values: [0.5, 0] },
    ]);
  });

  it("leaves disk used that was never measured as a gap, not 0", () => {
    const r = report([
      hour("2026-11-30T09:00:00Z", { diskGbHoursAllocated: 32, diskGbHoursUsed: null }),
      hour("2026-11-30T10:00:00Z", { diskGbHoursAllocated: 32, diskGbHoursUsed: 8 }),
    ]);
    const disk = seriesOf(r, "disk").series;
    expect(disk[0].values).toEqual([32, 32]);
    expect(disk[1].values).toEqual([null, 8]);
  });
});

describe("cost", () => {
  it("adds decimal strings exactly", () => {
    expect(addDecimals(["0.10", "0.20"])).toBe("0.30");
    expect(addDecimals(["1.005", "2", "-0.5"])).toBe("2.505");
    expect(addDecimals(["0.01", "-0.02"])).toBe("-0.01");
    expect(addDecimals(["1234567890123.45", "0.55"])).toBe("1234567890124.00");
  });

  it("totals each currency and sums days for the bars", () => {
    const r: ShowbackReport = {
      ...report([
        { start: "2026-11-29T00:00:00Z", connectionId: "a", usage: zero, cost: { cpu: "1.10", memory: "0.20", disk: "0.30", network: "0.00" } },
        { start: "2026-11-29T00:00:00Z", connectionId: "b", usage: zero, cost: { cpu: "0.90", memory: "0.80", disk: "0.00", network: "0.05" } },
        { start: "2026-11-28T00:00:00Z", connectionId: "a", usage: zero, cost: null },
      ]),
      cost: { EUR: { cpu: "2.00", memory: "1.00", disk: "0.30", network: "0.05" }, CHF: { cpu: "1", memory: "0", disk: "0", network: "0", total: "1.00" } },
    };
    expect(costLines(r)).toEqual([
      { currency: "CHF", cpu: "1", memory: "0", disk: "0", network: "0", total: "1.00" },
      { currency: "EUR", cpu: "2.00", memory: "1.00", disk: "0.30", network: "0.05", total: "3.35" },
    ]);
    expect(costSeries(r)).toEqual({
      labels: ["2026-11-29"],
      series: [
        { label: "CPU", values: [2] },
        { label: "memory", values: [1] },
        { label: "disk", values: [0.3] },
        { label: "network", values: [0.05] },
      ],
    });
  });
});
