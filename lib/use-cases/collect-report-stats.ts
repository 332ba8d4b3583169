import { setMaxListeners } from "node:events";
import type { ReportStats } from "@/lib/domain/cold-start/report-stats";
import { InsightsRowLimitError, LogGroupNotFoundError } from "@/lib/domain/logs/insights-errors";
import { LAMBDA_LOG_GROUP_PREFIX, lambdaLogGroupName } from "@/lib/domain/logs/lambda-log-group";
import {
  describeReportQuery,
  planReportQueries,
  planReportWindow,
  splitReportQuery,
  type ReportQuerySpec,
} from "@/lib/domain/logs/report-query-plan";
import { buildReportStatsQuery, MAX_INSIGHTS_ROWS } from "@/lib/domain/logs/report-stats-query";
import { readReportStatsRows } from "@/lib/domain/logs/report-stats-row";
import { mapWithConcurrency } from "@/lib/domain/shared/concurrency";
import type { TimeWindow } from "@/lib/domain/shared/time";
import type { ReportStatsSource, ReportStatsStore } from "@/lib/ports/report-stats";
import type { FunctionStore, WatermarkStore } from "@/lib/ports/stores";
import type { CollectorContext, CollectorResult } from "@/lib/use-cases/collector-context";

export interface CollectReportStatsDeps {
  source: ReportStatsSource;
  store: ReportStatsStore;
  functions: Pick<FunctionStore, "listFunctions">;
  watermarks: Pick<WatermarkStore, "get" | "advance">;
}

export interface CollectReportStatsOptions {
  /** Minutes after an hour ends before it is collected (SETTLE_MINUTES). */
  settleMinutes: number;
  /** Insights queries in flight at once (LOGS_MAX_CONCURRENT_QUERIES; AWS allows about 30 per account). */
  maxConcurrentQueries: number;
  /** Also split by version, read from the log stream name (see report-stats-query.ts). */
  byVersion: boolean;
}

/**
 * Expected (version, memory size) combinations per function-hour when planning query sizes:
 * usually one; a deploy or a memory change in the hour makes two.
 */
const COMBOS_PER_GROUP_HOUR = 2;
const COMBOS_PER_GROUP_HOUR_BY_VERSION = 4;
/** Names listed in a warning before the rest are counted. */
const NAMES_IN_WARNING = 5;

/**
 * Collects ReportStats for one account/region from Logs Insights: every complete hour since
 * the watermark, for the log groups of the functions in inventory, ≤ 50 groups per query and
 * queries sized to stay well under the 10,000-row limit, at most `maxConcurrentQueries` in
 * flight. A result that still reaches the limit is split in halves and re-run, never stored
 * truncated. Each query's function-hours are stored whole before the watermark moves past
 * them, and it moves only over windows whose every query is stored, so a run stopped at any
 * point and run again leaves the same items.
 */
export async function collectReportStats(
  deps: CollectReportStatsDeps,
  ctx: CollectorContext,
  options: CollectReportStatsOptions,
): Promise<CollectorResult> {
  const { accountId, region } = ctx;
  const watermark = await deps.watermarks.get(ctx.collector, accountId, region);
  const window = planReportWindow({
    watermarkMs: watermark?.throughMs ?? null,
    nowMs: ctx.nowMs,
    backfillFromMs: ctx.backfillFromMs,
    settleMinutes: options.settleMinutes,
  });
  if (window === null) return { outcome: "up-to-date", window: null, itemsWritten: 0 };

  const functions = (await deps.functions.listFunctions()).filter((f) => f.accountId === accountId && f.region === region);
  if (functions.length === 0) return { outcome: "skipped", window: null, itemsWritten: 0, note: "no functions in inventory" };

  const listGroups = () => deps.source.listLogGroupNames(LAMBDA_LOG_GROUP_PREFIX);
  const existing = await listGroups();
  const wanted = functions.map((f) => lambdaLogGroupName(f.functionName)).sort();
  const missing = wanted.filter((name) => !existing.has(name));
  if (missing.length > 0) ctx.warn(`no log group for ${missing.length} function(s), skipped: ${listNames(missing)}`);
  const groups = wanted.filter((name) => existing.has(name));

  const queryString = buildReportStatsQuery({ byVersion: options.byVersion });
  const specs = planReportQueries(window, groups, options.byVersion ? COMBOS_PER_GROUP_HOUR_BY_VERSION : COMBOS_PER_GROUP_HOUR);
  const progress = { done: 0, total: specs.length };
  let bytesScanned = 0;
  const report = () => ctx.progress({ ...progress, unit: "queries" });
  report();

  // A log group deleted after the listing: list again (once per run) and drop it from the query.
  let relisted: Promise<Set<string>> | undefined;
  const runQuery = async (spec: ReportQuerySpec, signal: AbortSignal) => {
    try {
      return await deps.source.runQuery({ queryString, logGroupNames: spec.logGroupNames, window: spec.window, limit: MAX_INSIGHTS_ROWS }, signal);
    } catch (error) {
      if (!(error instanceof LogGroupNotFoundError)) throw error;
      const now = await (relisted ??= listGroups());
      const remaining = spec.logGroupNames.filter((name) => now.has(name));
      if (remaining.length === spec.logGroupNames.length) throw error;
      ctx.warn(`log group(s) deleted during the run, skipped: ${listNames(spec.logGroupNames.filter((name) => !now.has(name)))}`);
      if (remaining.length === 0) return { rows: [], bytesScanned: 0 };
      return deps.source.runQuery({ queryString, logGroupNames: remaining, window: spec.window, limit: MAX_INSIGHTS_ROWS }, signal);
    }
  };

  /** Runs a query, splitting it in halves (recursively) while its result reaches the row limit. */
  const collectSpec = async (spec: ReportQuerySpec, signal: AbortSignal): Promise<ReportStats[]> => {
    const result = await runQuery(spec, signal);
    progress.done++;
    bytesScanned += result.bytesScanned;
    if (result.rows.length >= MAX_INSIGHTS_ROWS) {
      const halves = splitReportQuery(spec);
      if (halves === null) {
        throw new InsightsRowLimitError(`Logs Insights returned its ${MAX_INSIGHTS_ROWS}-row limit for ${describeReportQuery(spec)}; nothing stored for it`);
      }
      ctx.warn(`Logs Insights returned its ${MAX_INSIGHTS_ROWS}-row limit for ${describeReportQuery(spec)}: split in two and re-run`);
      progress.total += 2;
      report();
      const first = await collectSpec(halves[0], signal);
      return [...first, ...(await collectSpec(halves[1], signal))];
    }
    report();
    const reading = readReportStatsRows(result.rows, { accountId, region }, spec.window);
    for (const [reason, count] of reading.skipped) {
      ctx.warn(`skipped ${count} unreadable Logs Insights row(s) for ${describeReportQuery(spec)} (${reason})`);
    }
    return reading.stats;
  };

  const watermarkMover = new WatermarkMover(specs, (throughMs) => deps.watermarks.advance(ctx.collector, accountId, region, throughMs, ctx.backfillFromMs));
  const controller = new AbortController();
  // Every query in flight listens on the one signal (its SDK calls and its backoff sleeps).
  setMaxListeners(4 * Math.max(1, options.maxConcurrentQueries) + 10, controller.signal);
  let failure: { error: unknown } | undefined;
  let itemsWritten = 0;
  await mapWithConcurrency(specs, Math.max(1, options.maxConcurrentQueries), async (spec) => {
    if (failure !== undefined) return;
    try {
      const stats = await collectSpec(spec, controller.signal);
      const written = await deps.store.writeHours(stats);
      itemsWritten += written;
      await watermarkMover.completed(spec);
    } catch (error) {
      // The first failure stops every query still running; the run fails with it.
      if (failure === undefined) {
        failure = { error };
        controller.abort(error);
      }
    }
  });
  if (failure !== undefined) throw failure.error;
  if (specs.length === 0) await deps.watermarks.advance(ctx.collector, accountId, region, window.toMs, ctx.backfillFromMs);
  const gb = (bytesScanned / 1e9).toFixed(1);
  return { outcome: "collected", window, itemsWritten, note: `${groups.length} log groups, ${progress.done} queries, ${gb} GB scanned` };
}

/**
 * Moves the watermark over windows whose every query is stored, oldest first, one advance at
 * a time (concurrent queries finish in any order; the watermark never skips a gap or goes back).
 */
class WatermarkMover {
  private readonly windows: { window: TimeWindow; pending: number }[] = [];
  private next = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    specs: readonly ReportQuerySpec[],
    private readonly advance: (throughMs: number) => Promise<void>,
  ) {
    for (const spec of specs) {
      const last = this.windows.at(-1);
      if (last !== undefined && last.window.fromMs === spec.window.fromMs) last.pending++;
      else this.windows.push({ window: spec.window, pending: 1 });
    }
  }

  completed(spec: ReportQuerySpec): Promise<void> {
    const entry = this.windows.find((w) => w.window.fromMs === spec.window.fromMs);
    if (entry !== undefined) entry.pending--;
    let throughMs: number | undefined;
    while (this.next < this.windows.length && this.windows[this.next]!.pending === 0) {
      throughMs = this.windows[this.next]!.window.toMs;
      this.next++;
    }
    if (throughMs === undefined) return this.chain;
    const target = throughMs;
    this.chain = this.chain.then(() => this.advance(target));
    return this.chain;
  }
}

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, NAMES_IN_WARNING).join(", ");
  return names.length > NAMES_IN_WARNING ? `${shown} and ${names.length - NAMES_IN_WARNING} more` : shown;
}
