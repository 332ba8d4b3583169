import { z } from "zod";
import type { Percentiles, ReportStats } from "@/lib/domain/cold-start/report-stats";
import { parseLambdaLogField } from "@/lib/domain/logs/lambda-log-group";
import { detectBytesPerReportedMb, reportedBytesToMb } from "@/lib/domain/logs/report-memory-unit";
import { REPORT_STATS_COLUMNS as C } from "@/lib/domain/logs/report-stats-query";
import { HOUR_MS, type TimeWindow } from "@/lib/domain/shared/time";

/**
 * One result row of the ReportStats query (report-stats-query.ts) → ReportStats. Insights
 * returns every value as a string and leaves a field out when it has no value (pct() of no
 * cold starts), so the schema says which fields are required and turns strings into numbers.
 */

/** A result row: field name → value, as GetQueryResults returns it (@ptr left out). */
export type InsightsRow = Readonly<Record<string, string>>;

const NUMBER_PATTERN = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const NumberText = z.string().regex(NUMBER_PATTERN, "not a number").transform(Number);
const CountText = NumberText.pipe(z.number().int("not a whole count").nonnegative());
/** `2026-11-27 10:00:00.000`: Insights' timestamp format (UTC). */
const HourText = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2} \d{2}:00:00(\.0{1,3})?$/, "not the start of an hour")
  .transform((text) => Date.parse(`${text.replace(" ", "T")}Z`))
  .pipe(z.number({ error: "not a date" }));

const ReportStatsRowSchema = z.object({
  [C.hour]: HourText,
  [C.logGroup]: z.string().min(1),
  [C.memorySize]: NumberText,
  [C.version]: z.string().min(1).optional(),
  [C.invocations]: CountText.pipe(z.number().positive("no invocations")),
  [C.initCount]: CountText,
  [C.initP50]: NumberText.optional(),
  [C.initP90]: NumberText.optional(),
  [C.initP99]: NumberText.optional(),
  [C.initMax]: NumberText.optional(),
  [C.initSum]: NumberText.optional(),
  [C.restoreCount]: CountText.optional(),
  [C.restoreP50]: NumberText.optional(),
  [C.restoreP90]: NumberText.optional(),
  [C.restoreP99]: NumberText.optional(),
  [C.restoreMax]: NumberText.optional(),
  [C.restoreSum]: NumberText.optional(),
  [C.billedRestoreSum]: NumberText.optional(),
  [C.billedDurationSum]: NumberText,
  [C.durationSum]: NumberText,
  [C.memoryUsedP50]: NumberText,
  [C.memoryUsedP90]: NumberText,
  [C.memoryUsedP99]: NumberText,
  [C.memoryUsedMax]: NumberText,
  [C.timeouts]: CountText,
  [C.outOfMemory]: CountText,
});

type ReportStatsRow = z.output<typeof ReportStatsRowSchema>;

export type ReportStatsRowResult = { kind: "stats"; stats: ReportStats } | { kind: "skipped"; reason: string };

/** Whom the rows are about: the account and region queried. */
export interface ReportRowScope {
  accountId: string;
  region: string;
}

/** Parses one row; a row that does not have the query's shape is skipped with a reason. */
export function toReportStats(row: InsightsRow, scope: ReportRowScope): ReportStatsRowResult {
  const parsed = ReportStatsRowSchema.safeParse(row);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { kind: "skipped", reason: `${issue?.path.join(".") || "row"}: ${issue?.message ?? "invalid"}` };
  }
  const r: ReportStatsRow = parsed.data;
  const log = parseLambdaLogField(r.logGroup);
  if (log === undefined) return { kind: "skipped", reason: `${C.logGroup}: not a Lambda log group` };
  if (log.accountId !== scope.accountId) return { kind: "skipped", reason: `${C.logGroup}: another account's log group` };
  const bytesPerMb = detectBytesPerReportedMb(r.memorySize);
  if (bytesPerMb === undefined) return { kind: "skipped", reason: `${C.memorySize}: not a Lambda memory size in bytes` };
  const toMb = (bytes: number) => reportedBytesToMb(bytes, bytesPerMb);
  const restoreCount = r.restoreCount ?? 0;
  return {
    kind: "stats",
    stats: {
      accountId: scope.accountId,
      region: scope.region,
      functionName: log.functionName,
      hourStartMs: r.hour,
      version: r.version ?? null,
      memorySizeMb: toMb(r.memorySize),
      invocations: r.invocations,
      coldStarts: r.initCount + restoreCount,
      snapStartRestores: restoreCount,
      initDurationMs: r.initCount > 0 ? percentilesMsOf(r.initP50, r.initP90, r.initP99, r.initMax) : null,
      initDurationMsSum: roundMs(r.initSum ?? 0),
      restoreDurationMs: restoreCount > 0 ? percentilesMsOf(r.restoreP50, r.restoreP90, r.restoreP99, r.restoreMax) : null,
      restoreDurationMsSum: roundMs(r.restoreSum ?? 0),
      billedRestoreDurationMsSum: roundMs(r.billedRestoreSum ?? 0),
      billedDurationMsSum: roundMs(r.billedDurationSum),
      durationMsSum: roundMs(r.durationSum),
      maxMemoryUsedMb: { p50: toMb(r.memoryUsedP50), p90: toMb(r.memoryUsedP90), p99: toMb(r.memoryUsedP99), max: toMb(r.memoryUsedMax) },
      timeouts: r.timeouts,
      outOfMemory: r.outOfMemory,
    },
  };
}

/** What a query's rows came to: the stats of the window, and what was left out. */
export interface ReportRowsReading {
  stats: ReportStats[];
  /** Rows that could not be read, by reason. */
  skipped: Map<string, number>;
  /** Rows for an hour outside the window (the bin at its inclusive end): dropped, not an error. */
  outsideWindow: number;
}

/**
 * Reads every row of one query over `window`: rows of hours outside it are dropped (another
 * window collects those hours whole), malformed rows counted by reason.
 */
export function readReportStatsRows(rows: readonly InsightsRow[], scope: ReportRowScope, window: TimeWindow): ReportRowsReading {
  const reading: ReportRowsReading = { stats: [], skipped: new Map(), outsideWindow: 0 };
  for (const row of rows) {
    const result = toReportStats(row, scope);
    if (result.kind === "skipped") {
      reading.skipped.set(result.reason, (reading.skipped.get(result.reason) ?? 0) + 1);
    } else if (result.stats.hourStartMs < window.fromMs || result.stats.hourStartMs + HOUR_MS > window.toMs) {
      reading.outsideWindow++;
    } else {
      reading.stats.push(result.stats);
    }
  }
  return reading;
}

/** Durations keep the REPORT line's 0.01 ms (sums lose float noise, so reruns store the same bytes). */
function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** All four present (ms, rounded), or null: Insights leaves percentiles out when it has no values. */
function percentilesMsOf(p50: number | undefined, p90: number | undefined, p99: number | undefined, max: number | undefined): Percentiles | null {
  if (p50 === undefined || p90 === undefined || p99 === undefined || max === undefined) return null;
  return { p50: roundMs(p50), p90: roundMs(p90), p99: roundMs(p99), max: roundMs(max) };
}
