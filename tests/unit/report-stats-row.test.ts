import { describe, expect, it } from "vitest";
import { detectBytesPerReportedMb, reportedBytesToMb } from "@/lib/domain/logs/report-memory-unit";
import { readReportStatsRows, toReportStats, type InsightsRow } from "@/lib/domain/logs/report-stats-row";

const SCOPE = { accountId: "123456789012", region: "us-east-1" };
const HOUR = Date.UTC(2026, 10, 27, 10);

/** A row as GetQueryResults returned it for inventory-queue-worker (simulator, 2026-11-27 10:00). */
const ROW: InsightsRow = {
  hour: "2026-11-27 10:00:00.000",
  logGroup: "123456789012:/aws/lambda/inventory-queue-worker",
  memorySize: "1024000000",
  invocations: "41361",
  initCount: "10",
  initP50: "439.97",
  initP90: "439.97",
  initP99: "439.97",
  initMax: "439.97",
  initSum: "4399.700000000002",
  restoreCount: "0",
  billedDurationSum: "9461538",
  durationSum: "9437072.360000003",
  memoryUsedP50: "95000000",
  memoryUsedP90: "102000000",
  memoryUsedP99: "102000000",
  memoryUsedMax: "125000000",
  timeouts: "0",
  outOfMemory: "0",
};

describe("toReportStats", () => {
  it("turns a row into stats: numbers from strings, bytes to MB, sums without float noise", () => {
    expect(toReportStats(ROW, SCOPE)).toEqual({
      kind: "stats",
      stats: {
        accountId: "123456789012",
        region: "us-east-1",
        functionName: "inventory-queue-worker",
        hourStartMs: HOUR,
        version: null,
        memorySizeMb: 1024,
        invocations: 41361,
        coldStarts: 10,
        snapStartRestores: 0,
        initDurationMs: { p50: 439.97, p90: 439.97, p99: 439.97, max: 439.97 },
        initDurationMsSum: 4399.7,
        restoreDurationMs: null,
        restoreDurationMsSum: 0,
        billedRestoreDurationMsSum: 0,
        billedDurationMsSum: 9461538,
        durationMsSum: 9437072.36,
        maxMemoryUsedMb: { p50: 95, p90: 102, p99: 102, max: 125 },
        timeouts: 0,
        outOfMemory: 0,
      },
    });
  });

  it("has no init percentiles for an hour without cold starts (Insights leaves them out)", () => {
    const { initP50: _a, initP90: _b, initP99: _c, initMax: _d, initSum: _e, restoreCount: _f, ...warm } = ROW;
    const result = toReportStats({ ...warm, initCount: "0" }, SCOPE);
    expect(result.kind === "stats" && result.stats).toMatchObject({ coldStarts: 0, initDurationMs: null, initDurationMsSum: 0, snapStartRestores: 0 });
  });

  it("keeps the version when the query split by it", () => {
    const result = toReportStats({ ...ROW, version: "57" }, SCOPE);
    expect(result.kind === "stats" && result.stats.version).toBe("57");
  });

  it("reads memory reported in MiB as well (the unit is detected from the memory size)", () => {
    const mib = 1_048_576;
    const result = toReportStats(
      { ...ROW, memorySize: String(1024 * mib), memoryUsedP50: String(95 * mib), memoryUsedP90: String(102 * mib), memoryUsedP99: String(102 * mib), memoryUsedMax: String(125 * mib) },
      SCOPE,
    );
    expect(result.kind === "stats" && result.stats).toMatchObject({ memorySizeMb: 1024, maxMemoryUsedMb: { p50: 95, p90: 102, p99: 102, max: 125 } });
  });

  it.each([
    ["a row without a memory size (cut REPORT lines)", { memorySize: undefined }, "memorySize"],
    ["a value that is not a number", { billedDurationSum: "n/a" }, "billedDurationSum: not a number"],
    ["a fractional count", { invocations: "12.5" }, "invocations"],
    ["no invocations", { invocations: "0" }, "invocations"],
    ["a bin that is not an hour", { hour: "2026-11-27 10:05:00.000" }, "hour: not the start of an hour"],
    ["another account's log group", { logGroup: "210987654321:/aws/lambda/inventory-queue-worker" }, "another account"],
    ["a log group that is not Lambda's", { logGroup: "123456789012:/ecs/web" }, "not a Lambda log group"],
    ["a memory size that is no Lambda memory size", { memorySize: "1000" }, "not a Lambda memory size"],
  ])("skips %s with a reason", (_case, change, reason) => {
    const row = Object.fromEntries(Object.entries({ ...ROW, ...change }).filter(([, v]) => v !== undefined)) as InsightsRow;
    const result = toReportStats(row, SCOPE);
    expect(result.kind).toBe("skipped");
    expect(result.kind === "skipped" && result.reason).toContain(reason);
  });
});

describe("readReportStatsRows", () => {
  it("keeps the window's hours, drops the bin at its inclusive end, counts unreadable rows by reason", () => {
    const rows: InsightsRow[] = [
      ROW,
      { ...ROW, hour: "2026-11-27 11:00:00.000" },
      { ...ROW, memorySize: "oops" },
      { ...ROW, memorySize: "oops", logGroup: "123456789012:/aws/lambda/other" },
    ];
    const reading = readReportStatsRows(rows, SCOPE, { fromMs: HOUR, toMs: HOUR + 3_600_000 });
    expect(reading.stats.map((s) => s.hourStartMs)).toEqual([HOUR]);
    expect(reading.outsideWindow).toBe(1);
    expect([...reading.skipped.values()]).toEqual([2]);
  });
});

describe("the MB conversion", () => {
  it.each([
    [128_000_000, 1_000_000],
    [10_240_000_000, 1_000_000],
    [1024 * 1_048_576, 1_048_576],
    [127_000_000, undefined],
    [1_536_500_000, undefined],
  ])("bytes %d → %s bytes per MB", (bytes, unit) => {
    expect(detectBytesPerReportedMb(bytes)).toBe(unit);
  });

  it("rounds to 0.01 MB", () => {
    expect(reportedBytesToMb(95_123_456, 1_000_000)).toBe(95.12);
  });
});
