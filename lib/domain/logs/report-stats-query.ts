/**
 * The Logs Insights query behind ReportStats: one row per log group, UTC hour and memory
 * size (and, optionally, version) aggregating that hour's REPORT lines (FACTS §3).
 *
 * Why it looks the way it does:
 * - It reads only discovered REPORT fields, `@log`, `@memorySize` and `strcontains` /
 *   `parse` on `@message`, never a per-line field such as @requestId or @logStream in its
 *   default form: such a query is a pure aggregate, which Insights (and the simulator, over
 *   weighted records) evaluates fastest. Each log line is scanned once per hour collected.
 * - Grouping is by `@log` (`<account>:<log group>`), not by a name parsed out of it, so the
 *   key stays a discovered field.
 * - SnapStart REPORT lines carry `Restore Duration` / `Billed Restore Duration` instead of
 *   `Init Duration`; Insights does not discover them, so they are parsed from @message
 *   (AWS's own SnapStart query does the same).
 * - Timeouts and out-of-memory kills are the REPORT line's `Status: timeout` and
 *   `Error Type: Runtime.OutOfMemory`; strcontains returns 1/0, so sum() counts them.
 * - @memorySize / @maxMemoryUsed stay in bytes here; report-memory-unit.ts converts.
 * - The version comes from the log stream name (`2026/11/27/[12]…`). The parse captures only
 *   the bracketed version — never the environment id after it — so the groups stay few
 *   (one or two per function and hour); `byVersion` switches it off where not wanted.
 */

/** Result columns, shared by the builder and the row parser so they cannot drift apart. */
export const REPORT_STATS_COLUMNS = {
  hour: "hour",
  logGroup: "logGroup",
  memorySize: "memorySize",
  version: "version",
  invocations: "invocations",
  initCount: "initCount",
  initP50: "initP50",
  initP90: "initP90",
  initP99: "initP99",
  initMax: "initMax",
  initSum: "initSum",
  restoreCount: "restoreCount",
  restoreP50: "restoreP50",
  restoreP90: "restoreP90",
  restoreP99: "restoreP99",
  restoreMax: "restoreMax",
  restoreSum: "restoreSum",
  billedRestoreSum: "billedRestoreSum",
  billedDurationSum: "billedDurationSum",
  durationSum: "durationSum",
  memoryUsedP50: "memoryUsedP50",
  memoryUsedP90: "memoryUsedP90",
  memoryUsedP99: "memoryUsedP99",
  memoryUsedMax: "memoryUsedMax",
  timeouts: "timeouts",
  outOfMemory: "outOfMemory",
} as const;

/** The most rows a Logs Insights query returns (FACTS §6); StartQuery asks for all of them. */
export const MAX_INSIGHTS_ROWS = 10_000;

/** Fields the parse commands create (not discovered by Insights). */
const RESTORE_FIELD = "restoreDurationMs";
const BILLED_RESTORE_FIELD = "billedRestoreDurationMs";

export interface ReportStatsQueryOptions {
  /** Also group by the version named in the log stream (see the module comment). */
  byVersion: boolean;
}

/** Builds the ReportStats query text (exact-string tested). */
export function buildReportStatsQuery(options: ReportStatsQueryOptions): string {
  const c = REPORT_STATS_COLUMNS;
  const percentiles = (field: string, prefix: "init" | "restore" | "memoryUsed") => [
    `pct(${field}, 50) as ${prefix}P50`,
    `pct(${field}, 90) as ${prefix}P90`,
    `pct(${field}, 99) as ${prefix}P99`,
    `max(${field}) as ${prefix}Max`,
  ];
  const aggregates = [
    `count(*) as ${c.invocations}`,
    `count(@initDuration) as ${c.initCount}`,
    ...percentiles("@initDuration", "init"),
    `sum(@initDuration) as ${c.initSum}`,
    `count(${RESTORE_FIELD}) as ${c.restoreCount}`,
    ...percentiles(RESTORE_FIELD, "restore"),
    `sum(${RESTORE_FIELD}) as ${c.restoreSum}`,
    `sum(${BILLED_RESTORE_FIELD}) as ${c.billedRestoreSum}`,
    `sum(@billedDuration) as ${c.billedDurationSum}`,
    `sum(@duration) as ${c.durationSum}`,
    ...percentiles("@maxMemoryUsed", "memoryUsed"),
    `sum(strcontains(@message, "Status: timeout")) as ${c.timeouts}`,
    `sum(strcontains(@message, "Error Type: Runtime.OutOfMemory")) as ${c.outOfMemory}`,
  ];
  const groupBy = [`bin(1h) as ${c.hour}`, `@log as ${c.logGroup}`, `@memorySize as ${c.memorySize}`];
  const commands = [
    `filter @type = "REPORT"`,
    `parse @message /Restore Duration: (?<${RESTORE_FIELD}>[0-9.]+) ms\\s+Billed Restore Duration: (?<${BILLED_RESTORE_FIELD}>[0-9]+) ms/`,
  ];
  if (options.byVersion) {
    commands.push(`parse @logStream /\\[(?<${c.version}>[^\\]]+)\\]/`);
    groupBy.push(c.version);
  }
  commands.push(`stats ${aggregates.join(", ")} by ${groupBy.join(", ")}`);
  return commands.join("\n| ");
}
