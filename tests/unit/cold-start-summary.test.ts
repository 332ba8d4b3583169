import { describe, expect, it } from "vitest";
import { aggregateReportLines, type LoggedReportLine } from "@/lib/domain/cold-start/aggregate-report-lines";
import { compareColdStartImpact } from "@/lib/domain/cold-start/rank-cold-starts";
import { summarizeColdStarts } from "@/lib/domain/cold-start/summarize-cold-starts";
import { parseReportLine } from "@/lib/domain/logs/report-line";

const REF = { accountId: "123456789012", region: "us-east-1", functionName: "shipping-rates-api" };
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 26, 0);

/** A text REPORT line, cold when initMs is given (Billed Duration holding INIT, as since 2025-08-01). */
function line(durationMs: number, memoryMb: number, initMs?: number): string {
  const billed = Math.ceil(durationMs + (initMs ?? 0));
  const init = initMs === undefined ? "" : `Init Duration: ${initMs.toFixed(2)} ms\t`;
  return `REPORT RequestId: 0b5e4a1c-2d3f-4e5a-9b8c-7d6e5f4a3b2c\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${billed} ms\tMemory Size: ${memoryMb} MB\tMax Memory Used: 180 MB\t${init}`;
}

function logged(offsetMs: number, version: string, text: string): LoggedReportLine {
  const result = parseReportLine(text);
  if (result.kind !== "report") throw new Error(result.reason);
  return { timestampMs: T0 + offsetMs, version, line: result.line };
}

describe("summarizeColdStarts (lines → stats → summary)", () => {
  // Hour 0: version 7 at 1024 MB, 4 calls, 2 cold (3000 and 5000 ms INIT).
  // Hour 1: nothing. Hour 2: version 8 at 2048 MB, 6 calls, 1 cold (2000 ms INIT).
  const lines = [
    logged(60_000, "7", line(250, 1024, 3000)),
    logged(120_000, "7", line(240, 1024)),
    logged(900_000, "7", line(260, 1024, 5000)),
    logged(1_800_000, "7", line(230, 1024)),
    ...[0, 1, 2, 3, 4].map((i) => logged(2 * HOUR + i * 60_000, "8", line(120, 2048))),
    logged(2 * HOUR + 600_000, "8", line(130, 2048, 2000)),
  ];
  const coverage = { fromMs: T0, toMs: T0 + 3 * HOUR };
  const summary = summarizeColdStarts(aggregateReportLines(REF, lines), coverage);

  it("counts cold starts and the ratio over the covered hours", () => {
    expect(summary).toMatchObject({ invocations: 10, coldStarts: 3, snapStartRestores: 0, coldStartRatio: 0.3 });
    // 3 cold starts: under the 5 the shared heavy rule needs to call it a pattern.
    expect(summary.heavy).toBe(false);
  });

  it("breaks down by hour (idle hours as zeros), version and memory size", () => {
    expect(summary.byHour.map((h) => [h.hourStartMs - T0, h.invocations, h.coldStarts, h.coldStartRatio])).toEqual([
      [0, 4, 2, 0.5],
      [HOUR, 0, 0, null],
      [2 * HOUR, 6, 1, 1 / 6],
    ]);
    expect(summary.byVersion.map((v) => [v.version, v.invocations, v.coldStarts])).toEqual([
      ["8", 6, 1],
      ["7", 4, 2],
    ]);
    expect(summary.byMemorySize.map((m) => [m.memorySizeMb, m.coldStartRatio])).toEqual([
      [1024, 0.5],
      [2048, 1 / 6],
    ]);
  });

  it("gives init percentiles per hour and merged over the window", () => {
    expect(summary.byHour[0]!.coldStartDurationMs).toEqual({ p50: 3000, p90: 5000, p99: 5000, max: 5000 });
    expect(summary.byHour[2]!.coldStartDurationMs).toEqual({ p50: 2000, p90: 2000, p99: 2000, max: 2000 });
    // Merged: the max is exact; the median of {2000, 3000, 5000} is 3000, approximated by the mixture.
    expect(summary.initDurationMs!.max).toBe(5000);
    expect(summary.initDurationMs!.p50).toBeGreaterThanOrEqual(2000);
    expect(summary.initDurationMs!.p50).toBeLessThanOrEqual(5000);
    expect(summary.restoreDurationMs).toBeNull();
  });

  it("states the cold-start time callers waited per day", () => {
    // 3000 + 5000 + 2000 ms in 3 covered hours → × 8 for a day.
    expect(summary.coldStartWaitMsPerDay).toBeCloseTo(80_000, 6);
  });

  it("flags a heavy function with the shared rule (≥ 5 cold starts and ≥ 5 %)", () => {
    const heavy = summarizeColdStarts(
      aggregateReportLines(REF, Array.from({ length: 20 }, (_, i) => logged(i * 60_000, "7", line(200, 1024, i % 4 === 0 ? 3000 : undefined)))),
      { fromMs: T0, toMs: T0 + HOUR },
    );
    expect(heavy).toMatchObject({ coldStarts: 5, invocations: 20, heavy: true });
  });

  it("says nothing (no ratio, no percentiles) when nothing is covered", () => {
    const empty = summarizeColdStarts([], { fromMs: T0, toMs: T0 });
    expect(empty).toMatchObject({ invocations: 0, coldStarts: 0, coldStartRatio: null, coldStartDurationMs: null, coldStartWaitMsPerDay: 0, byHour: [] });
  });
});

describe("compareColdStartImpact", () => {
  it("ranks heavy functions first, each group by time waited per day, then cold starts, then name", () => {
    const rows = [
      { functionName: "b", heavy: false, coldStartWaitMsPerDay: 0, coldStarts: 0 },
      { functionName: "notifications-worker", heavy: false, coldStartWaitMsPerDay: 889_689, coldStarts: 560 },
      { functionName: "legacy-report-generator", heavy: true, coldStartWaitMsPerDay: 18_683, coldStarts: 61 },
      { functionName: "shipping-rates-api", heavy: true, coldStartWaitMsPerDay: 332_247, coldStarts: 69 },
      { functionName: "users-api", heavy: false, coldStartWaitMsPerDay: 52_415, coldStarts: 114 },
      { functionName: "a", heavy: false, coldStartWaitMsPerDay: 0, coldStarts: 0 },
    ];
    expect([...rows].sort(compareColdStartImpact).map((r) => r.functionName)).toEqual([
      "shipping-rates-api",
      "legacy-report-generator",
      "notifications-worker",
      "users-api",
      "a",
      "b",
    ]);
  });
});
