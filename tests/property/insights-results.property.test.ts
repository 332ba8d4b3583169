import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LogsInsightsReportSource } from "@/lib/adapters/aws/logs-insights-source";
import type { ReportStats } from "@/lib/domain/cold-start/report-stats";
import { InsightsQueryError } from "@/lib/domain/logs/insights-errors";
import { readReportStatsRows, toReportStats, type InsightsRow } from "@/lib/domain/logs/report-stats-row";
import { REPORT_STATS_COLUMNS as C } from "@/lib/domain/logs/report-stats-query";

/**
 * Logs Insights results, from the GetQueryResults output (aws-wire.md: `results` is a list of
 * rows, each a list of `{field, value}` cells, every value a string) to ReportStats.
 */

/** Inputs tried per property (fast-check numRuns). */
const RUNS = { output: 200, rows: 300, roundTrip: 200 } as const;

const SCOPE = { accountId: "123456789012", region: "us-east-1" };
const WINDOW = { fromMs: Date.UTC(2026, 10, 1), toMs: Date.UTC(2026, 10, 2) };
const REQUEST = { queryString: "stats count(*)", logGroupNames: ["/aws/lambda/orders-api"], window: WINDOW, limit: 10_000 };

/** A client that starts a query and answers GetQueryResults with `output`, as the SDK would hand it over. */
function clientAnswering(output: unknown): CloudWatchLogsClient {
  return {
    send: async (command: { constructor: { name: string } }) => {
      if (command.constructor.name === "StartQueryCommand") return { queryId: "q-1" };
      if (command.constructor.name === "GetQueryResultsCommand") return output;
      return {};
    },
  } as unknown as CloudWatchLogsClient;
}

const cell = fc.oneof(
  fc.record({ field: fc.oneof(fc.constantFrom(...Object.values(C), "@ptr", "__proto__", "constructor"), fc.string({ maxLength: 10 })), value: fc.string({ maxLength: 20 }) }),
  fc.jsonValue({ maxDepth: 2 }),
);
const results = fc.oneof(fc.array(fc.oneof(fc.array(cell, { maxLength: 8 }), fc.jsonValue({ maxDepth: 1 })), { maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }));
const output = fc.record(
  {
    status: fc.oneof(fc.constant("Complete"), fc.constantFrom("Failed", "Cancelled", "Timeout", "Unknown"), fc.jsonValue({ maxDepth: 1 })),
    results,
    statistics: fc.oneof(fc.record({ bytesScanned: fc.oneof(fc.nat(), fc.jsonValue({ maxDepth: 0 })) }, { requiredKeys: [] }), fc.jsonValue({ maxDepth: 1 })),
  },
  { requiredKeys: [] },
);

describe("LogsInsightsReportSource.runQuery", () => {
  it("turns any GetQueryResults output into string rows or an InsightsQueryError, nothing else", async () => {
    await fc.assert(
      fc.asyncProperty(output, async (raw) => {
        const source = new LogsInsightsReportSource(clientAnswering(raw), { sleep: async () => undefined });
        try {
          const result = await source.runQuery(REQUEST);
          expect(Number.isFinite(result.bytesScanned)).toBe(true);
          for (const row of result.rows) {
            expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
            for (const [field, value] of Object.entries(row)) {
              expect(field).not.toBe("@ptr");
              expect(typeof value).toBe("string");
            }
          }
          // …and whatever rows came back, the row reader accounts for each of them.
          const reading = readReportStatsRows(result.rows, SCOPE, WINDOW);
          expect(reading.stats.length + [...reading.skipped.values()].reduce((a, b) => a + b, 0) + reading.outsideWindow).toBe(result.rows.length);
        } catch (error) {
          expect(error).toBeInstanceOf(InsightsQueryError);
          expect((error as Error).message).toMatch(/q-1/);
        }
      }),
      { numRuns: RUNS.output },
    );
  });
});

describe("toReportStats", () => {
  const numberish = fc.oneof(fc.double().map(String), fc.integer().map(String), fc.constantFrom("", "1e400", "-0", ".5", "5.", "0x10", " 1", "NaN", "Infinity", "1,5"));
  const row: fc.Arbitrary<InsightsRow> = fc.dictionary(
    fc.oneof(fc.constantFrom(...Object.values(C)), fc.string({ maxLength: 8 })),
    fc.oneof(numberish, fc.string({ maxLength: 30 }), fc.constantFrom("2026-11-01 10:00:00.000", "123456789012:/aws/lambda/orders-api", "999999999999:/aws/lambda/x", "128000000", "134217728")),
  );

  it("skips a malformed row with a reason naming the column, never throws", () => {
    fc.assert(
      fc.property(row, (r) => {
        const result = toReportStats(r, SCOPE);
        if (result.kind === "skipped") expect(result.reason).toMatch(/^[\w.@]+: /);
        else for (const n of [result.stats.invocations, result.stats.coldStarts, result.stats.memorySizeMb]) expect(Number.isFinite(n)).toBe(true);
      }),
      { numRuns: RUNS.rows },
    );
  });

  const percentiles = fc
    .array(fc.integer({ min: 0, max: 2_000_000 }), { minLength: 4, maxLength: 4 })
    .map((values) => values.sort((a, b) => a - b).map((c) => c / 100))
    .map(([p50, p90, p99, max]) => ({ p50: p50!, p90: p90!, p99: p99!, max: max! }));
  const stats = fc
    .record({
      functionName: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
      hour: fc.integer({ min: 0, max: 23 }),
      version: fc.option(fc.oneof(fc.constant("$LATEST"), fc.integer({ min: 1, max: 999 }).map(String)), { nil: null }),
      memorySizeMb: fc.integer({ min: 128, max: 10_240 }),
      invocations: fc.integer({ min: 1, max: 1_000_000 }),
      initCount: fc.nat({ max: 1000 }),
      restoreCount: fc.nat({ max: 1000 }),
      init: percentiles,
      restore: percentiles,
      sums: fc.array(fc.integer({ min: 0, max: 1e11 }).map((c) => c / 100), { minLength: 5, maxLength: 5 }),
      memoryUsedMb: fc.array(fc.integer({ min: 1, max: 10_240 }), { minLength: 4, maxLength: 4 }).map((v) => v.sort((a, b) => a - b)),
      timeouts: fc.nat({ max: 1000 }),
      outOfMemory: fc.nat({ max: 1000 }),
    })
    .filter((s) => s.initCount === 0 || s.restoreCount === 0);

  it("reads a row as Insights returns it (strings; memory in bytes, 10^6 per MB) back into the stats it came from", () => {
    fc.assert(
      fc.property(stats, (s) => {
        const hourStartMs = WINDOW.fromMs + s.hour * 3_600_000;
        const [initSum, restoreSum, billedRestoreSum, billedDurationSum, durationSum] = s.sums as [number, number, number, number, number];
        const [used50, used90, used99, usedMax] = s.memoryUsedMb as [number, number, number, number];
        const bytes = (mb: number) => String(mb * 1_000_000);
        const row: Record<string, string> = {
          [C.hour]: `${new Date(hourStartMs).toISOString().slice(0, 19).replace("T", " ")}.000`,
          [C.logGroup]: `${SCOPE.accountId}:/aws/lambda/${s.functionName}`,
          [C.memorySize]: bytes(s.memorySizeMb),
          [C.invocations]: String(s.invocations),
          [C.initCount]: String(s.initCount),
          [C.initSum]: String(initSum),
          [C.restoreCount]: String(s.restoreCount),
          [C.restoreSum]: String(restoreSum),
          [C.billedRestoreSum]: String(billedRestoreSum),
          [C.billedDurationSum]: String(billedDurationSum),
          [C.durationSum]: String(durationSum),
          [C.memoryUsedP50]: bytes(used50),
          [C.memoryUsedP90]: bytes(used90),
          [C.memoryUsedP99]: bytes(used99),
          [C.memoryUsedMax]: bytes(usedMax),
          [C.timeouts]: String(s.timeouts),
          [C.outOfMemory]: String(s.outOfMemory),
        };
        if (s.version !== null) row[C.version] = s.version;
        // Insights leaves percentiles out when there are no values to take them of.
        if (s.initCount > 0) Object.assign(row, { [C.initP50]: String(s.init.p50), [C.initP90]: String(s.init.p90), [C.initP99]: String(s.init.p99), [C.initMax]: String(s.init.max) });
        if (s.restoreCount > 0) Object.assign(row, { [C.restoreP50]: String(s.restore.p50), [C.restoreP90]: String(s.restore.p90), [C.restoreP99]: String(s.restore.p99), [C.restoreMax]: String(s.restore.max) });
        const expected: ReportStats = {
          ...SCOPE,
          functionName: s.functionName,
          hourStartMs,
          version: s.version,
          memorySizeMb: s.memorySizeMb,
          invocations: s.invocations,
          coldStarts: s.initCount + s.restoreCount,
          snapStartRestores: s.restoreCount,
          initDurationMs: s.initCount > 0 ? s.init : null,
          initDurationMsSum: initSum,
          restoreDurationMs: s.restoreCount > 0 ? s.restore : null,
          restoreDurationMsSum: restoreSum,
          billedRestoreDurationMsSum: billedRestoreSum,
          billedDurationMsSum: billedDurationSum,
          durationMsSum: durationSum,
          maxMemoryUsedMb: { p50: used50, p90: used90, p99: used99, max: usedMax },
          timeouts: s.timeouts,
          outOfMemory: s.outOfMemory,
        };
        expect(toReportStats(row, SCOPE)).toEqual({ kind: "stats", stats: expected });
      }),
      { numRuns: RUNS.roundTrip },
    );
  });
});
