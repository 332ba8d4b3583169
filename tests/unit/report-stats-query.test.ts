import { describe, expect, it } from "vitest";
import { compileQuery } from "@/infra/local/sim/logs/insights/compile-query";
import { runInsightsQuery } from "@/infra/local/sim/logs/insights/run-insights-query";
import { FieldsRecord } from "@/infra/local/sim/logs/insights/values";
import { discoverReportFields } from "@/infra/local/sim/logs/lambda-report";
import { buildReportStatsQuery } from "@/lib/domain/logs/report-stats-query";
import { readReportStatsRows } from "@/lib/domain/logs/report-stats-row";

const STATS =
  "stats count(*) as invocations, count(@initDuration) as initCount, pct(@initDuration, 50) as initP50, pct(@initDuration, 90) as initP90, " +
  "pct(@initDuration, 99) as initP99, max(@initDuration) as initMax, sum(@initDuration) as initSum, count(restoreDurationMs) as restoreCount, " +
  "pct(restoreDurationMs, 50) as restoreP50, pct(restoreDurationMs, 90) as restoreP90, pct(restoreDurationMs, 99) as restoreP99, " +
  "max(restoreDurationMs) as restoreMax, sum(restoreDurationMs) as restoreSum, sum(billedRestoreDurationMs) as billedRestoreSum, " +
  "sum(@billedDuration) as billedDurationSum, sum(@duration) as durationSum, pct(@maxMemoryUsed, 50) as memoryUsedP50, " +
  "pct(@maxMemoryUsed, 90) as memoryUsedP90, pct(@maxMemoryUsed, 99) as memoryUsedP99, max(@maxMemoryUsed) as memoryUsedMax, " +
  'sum(strcontains(@message, "Status: timeout")) as timeouts, sum(strcontains(@message, "Error Type: Runtime.OutOfMemory")) as outOfMemory';
const RESTORE_PARSE =
  "parse @message /Restore Duration: (?<restoreDurationMs>[0-9.]+) ms\\s+Billed Restore Duration: (?<billedRestoreDurationMs>[0-9]+) ms/";

describe("buildReportStatsQuery", () => {
  it("aggregates REPORT lines per hour, log group and memory size", () => {
    expect(buildReportStatsQuery({ byVersion: false })).toBe(
      `filter @type = "REPORT"\n| ${RESTORE_PARSE}\n| ${STATS} by bin(1h) as hour, @log as logGroup, @memorySize as memorySize`,
    );
  });

  it("adds the version from the log stream name when asked", () => {
    expect(buildReportStatsQuery({ byVersion: true })).toBe(
      `filter @type = "REPORT"\n| ${RESTORE_PARSE}\n| parse @logStream /\\[(?<version>[^\\]]+)\\]/\n` +
        `| ${STATS} by bin(1h) as hour, @log as logGroup, @memorySize as memorySize, version`,
    );
  });

  it("stays a pure aggregate (answerable from pre-aggregated records), split by version or not", () => {
    // The simulator's rule for its fast path: nothing per-line (@requestId, the environment id
    // of @logStream, ...) is read; the [version] of the stream name is the same on every line
    // of a function-minute.
    expect(compileQuery(buildReportStatsQuery({ byVersion: false })).weightedAllowed).toBe(true);
    expect(compileQuery(buildReportStatsQuery({ byVersion: true })).weightedAllowed).toBe(true);
  });
});

const HOUR = Date.UTC(2026, 10, 27, 10);
const LOG = "123456789012:/aws/lambda/checkout";

/** A REPORT line as Insights sees it: its discovered fields plus @message, @log, @logStream and @timestamp. */
function reportLine(message: string, offsetMs: number, stream = "2026/11/27/[$LATEST]0123456789abcdef0123456789abcdef") {
  const fields = discoverReportFields(message);
  if (fields === undefined) throw new Error(`not a REPORT line: ${message}`);
  return new FieldsRecord({ ...fields, "@message": message, "@log": LOG, "@logStream": stream, "@timestamp": HOUR + offsetMs });
}

const ID = "c5a1f2b4-1111-4222-8333-444455556666";
/** The REPORT line of FACTS §3 (a cold start), then a warm one, a timeout, an OOM kill and a SnapStart restore (AWS's documented fields). */
const LINES = [
  `REPORT RequestId: ${ID}\tDuration: 128.83 ms\tBilled Duration: 129 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB\tInit Duration: 166.62 ms\t`,
  `REPORT RequestId: ${ID}\tDuration: 20.50 ms\tBilled Duration: 21 ms\tMemory Size: 128 MB\tMax Memory Used: 80 MB\t`,
  `REPORT RequestId: ${ID}\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 90 MB\tStatus: timeout\t`,
  `REPORT RequestId: ${ID}\tDuration: 512.40 ms\tBilled Duration: 513 ms\tMemory Size: 128 MB\tMax Memory Used: 128 MB\tStatus: error\tError Type: Runtime.OutOfMemory\t`,
  `REPORT RequestId: ${ID}\tDuration: 41.07 ms\tBilled Duration: 42 ms\tMemory Size: 512 MB\tMax Memory Used: 160 MB\tRestore Duration: 474.16 ms\tBilled Restore Duration: 337 ms\t`,
];

describe("the query over REPORT lines (the simulator's Insights interpreter)", () => {
  it("counts invocations, cold starts, restores, timeouts and OOM kills per memory size, with durations and memory in MB", () => {
    const records = [
      ...LINES.map((line, i) => reportLine(line, 60_000 * (i + 1))),
      // START/END lines are not REPORT lines.
      new FieldsRecord({ "@type": "START", "@message": `START RequestId: ${ID} Version: $LATEST`, "@log": LOG, "@timestamp": HOUR + 1 }),
    ];
    const { rows } = runInsightsQuery(buildReportStatsQuery({ byVersion: true }), records);
    const reading = readReportStatsRows(
      rows.map((row) => Object.fromEntries(row.map((cell) => [cell.field, cell.value]))),
      { accountId: "123456789012", region: "us-east-1" },
      { fromMs: HOUR, toMs: HOUR + 3_600_000 },
    );
    expect(reading.skipped.size).toBe(0);
    const byMemory = new Map(reading.stats.map((s) => [s.memorySizeMb, s]));
    expect(byMemory.get(128)).toMatchObject({
      functionName: "checkout",
      hourStartMs: HOUR,
      version: "$LATEST",
      invocations: 4,
      coldStarts: 1,
      snapStartRestores: 0,
      initDurationMs: { p50: 166.62, p90: 166.62, p99: 166.62, max: 166.62 },
      initDurationMsSum: 166.62,
      restoreDurationMs: null,
      billedDurationMsSum: 129 + 21 + 3000 + 513,
      durationMsSum: 3661.73,
      timeouts: 1,
      outOfMemory: 1,
    });
    expect(byMemory.get(128)!.maxMemoryUsedMb.max).toBe(128);
    expect(byMemory.get(512)).toMatchObject({
      invocations: 1,
      coldStarts: 1,
      snapStartRestores: 1,
      initDurationMs: null,
      restoreDurationMs: { p50: 474.16, p90: 474.16, p99: 474.16, max: 474.16 },
      restoreDurationMsSum: 474.16,
      billedRestoreDurationMsSum: 337,
      maxMemoryUsedMb: { p50: 160, p90: 160, p99: 160, max: 160 },
    });
  });

  it("reads the version of a published version's log stream", () => {
    const { rows } = runInsightsQuery(buildReportStatsQuery({ byVersion: true }), [
      reportLine(LINES[1]!, 1000, "2026/11/27/[12]0123456789abcdef0123456789abcdef"),
    ]);
    expect(rows[0]).toContainEqual({ field: "version", value: "12" });
  });
});
