import { estimateColdStartLatencyImpact, type ColdStartLatencyImpact, type DurationPercentilesPoint } from "@/lib/domain/cold-start/cold-start-latency";
import { estimateInitCost, type ColdStartAccounting, type InitCostEstimate } from "@/lib/domain/cold-start/init-billing";
import { compareColdStartImpact } from "@/lib/domain/cold-start/rank-cold-starts";
import type { ReportStats } from "@/lib/domain/cold-start/report-stats";
import { reportCoverage, type ReportCollection } from "@/lib/domain/logs/report-hours";
import { coldStartDurationParts, summarizeColdStarts, summarizeColdStartTotals, type ColdStartSummary } from "@/lib/domain/cold-start/summarize-cold-starts";
import type { CollectorName } from "@/lib/domain/collection/collector-run";
import type { Architecture, FunctionConfig } from "@/lib/domain/inventory/function-config";
import type { MetricKey, MetricPoint } from "@/lib/domain/metrics/lambda-metrics";
import { mapWithConcurrency } from "@/lib/domain/shared/concurrency";
import { functionRefKey, type FunctionRef } from "@/lib/domain/shared/ids";
import { floorToHourMs, type TimeWindow } from "@/lib/domain/shared/time";
import type { ReportStatsStore } from "@/lib/ports/report-stats";
import type { FunctionStore, MetricSeriesStore, Watermark, WatermarkStore } from "@/lib/ports/stores";
import { summarizeCollectionStatus, type CollectionStatus } from "@/lib/queries/collection-status";
import { readMetricSeries } from "@/lib/queries/metric-series-reader";

/**
 * The cold-start read model: the fleet ranked by cold-start impact (the Cold starts page,
 * `/api/v1/cold-starts`, `sightline coldstarts`) and one function in depth (the same page's
 * details, the function page, `?function=`). Figures come from the REPORT-line stats the
 * logs-insights collector stores, CloudWatch Duration percentiles and the function's
 * configuration, through the pure functions of lib/domain/cold-start.
 */

export interface ColdStartsViewDeps {
  functions: FunctionStore;
  series: MetricSeriesStore;
  reportStats: ReportStatsStore;
  watermarks: WatermarkStore;
}

/** The collector whose watermark says up to when REPORT stats are stored. */
const REPORT_COLLECTOR: CollectorName = "logs-insights";

/** What the views say about a function's configuration. */
export interface ColdStartFunctionInfo extends FunctionRef {
  runtime: string | null;
  architecture: Architecture;
  memoryMb: number;
  packageType: "Zip" | "Image";
  /** SnapStart on published versions. */
  snapStart: boolean;
  /** Provisioned concurrency requested across aliases and versions (0 = none). */
  provisionedConcurrency: number;
}

/** One row of the fleet ranking. */
export interface ColdStartRankingRow extends ColdStartFunctionInfo {
  /** `<account>#<region>#<name>`, stable across requests. */
  key: string;
  /** 1-based position in the ranking. */
  rank: number;
  invocations: number;
  coldStarts: number;
  coldStartRatio: number | null;
  heavy: boolean;
  /** Init (or, under SnapStart, Restore) Duration percentiles merged over the window; null without cold starts. */
  coldStartP50Ms: number | null;
  coldStartP99Ms: number | null;
  /** Cold-start time callers waited per day: the ranking key. */
  coldStartWaitMsPerDay: number;
  initCostUsdPerDay: number;
  initAccounting: ColdStartAccounting;
}

export interface ColdStartsView {
  window: TimeWindow;
  /** Most impact first (see compareColdStartImpact). */
  rows: ColdStartRankingRow[];
  collection: CollectionStatus;
  /** REPORT stats are stored up to here (the earliest of the accounts/regions collected so far); null when none is. */
  reportsCollectedThroughMs: number | null;
}

/** One function's cold starts in depth: what FunctionColdStarts renders. */
export interface FunctionColdStartsView {
  function: ColdStartFunctionInfo;
  window: TimeWindow;
  /** The whole hours of REPORT data the figures cover; null when none is collected yet for the account/region. */
  coverage: TimeWindow | null;
  summary: ColdStartSummary;
  initCost: InitCostEstimate;
  p99Impact: ColdStartLatencyImpact;
  collection: CollectionStatus;
}

function toFunctionInfo(fn: FunctionConfig): ColdStartFunctionInfo {
  return {
    accountId: fn.accountId,
    region: fn.region,
    functionName: fn.functionName,
    runtime: fn.runtime,
    architecture: fn.architecture,
    memoryMb: fn.memoryMb,
    packageType: fn.packageType,
    snapStart: fn.snapStart === "PublishedVersions",
    provisionedConcurrency: fn.provisionedConcurrency.reduce((sum, pc) => sum + pc.requested, 0),
  };
}

/** The logs collector's watermark of an account/region: how far its REPORT stats reach. */
function reportCollectionOf(watermarks: readonly Watermark[], scope: { accountId: string; region: string }): ReportCollection {
  const watermark = watermarks.find((w) => w.collector === REPORT_COLLECTOR && w.accountId === scope.accountId && w.region === scope.region);
  return { sinceMs: watermark?.sinceMs ?? null, throughMs: watermark?.throughMs ?? null };
}

/** An empty window at the start of `window`: a coverage of nothing, for summaries of no data. */
function emptyCoverage(window: TimeWindow): TimeWindow {
  const fromMs = floorToHourMs(window.fromMs);
  return { fromMs, toMs: fromMs };
}

async function readCoveredStats(deps: Pick<ColdStartsViewDeps, "reportStats">, ref: FunctionRef, coverage: TimeWindow | null): Promise<ReportStats[]> {
  return coverage === null ? [] : deps.reportStats.readStats(ref, coverage);
}

/**
 * The fleet ranked by cold-start impact over `window` (compareColdStartImpact: cold-start
 * heavy functions first, then the cold-start time callers waited per day, i.e. ratio ×
 * cold-start time × traffic) with counts, merged init percentiles, the shared heavy flag and
 * the INIT cost per day. Every function in inventory is listed.
 */
export async function getColdStartsView(deps: ColdStartsViewDeps, input: { window: TimeWindow; nowMs: number }): Promise<ColdStartsView> {
  const [functions, watermarks] = await Promise.all([deps.functions.listFunctions(), deps.watermarks.list()]);
  const unranked = await mapWithConcurrency(functions, 8, async (fn): Promise<Omit<ColdStartRankingRow, "rank">> => {
    const coverage = reportCoverage(input.window, reportCollectionOf(watermarks, fn));
    const stats = await readCoveredStats(deps, fn, coverage);
    const summary = summarizeColdStartTotals(stats, coverage ?? emptyCoverage(input.window));
    const initCost = estimateInitCost({ config: fn, stats, coverage: coverage ?? emptyCoverage(input.window) });
    return {
      key: functionRefKey(fn),
      ...toFunctionInfo(fn),
      invocations: summary.invocations,
      coldStarts: summary.coldStarts,
      coldStartRatio: summary.coldStartRatio,
      heavy: summary.heavy,
      coldStartP50Ms: summary.coldStartDurationMs?.p50 ?? null,
      coldStartP99Ms: summary.coldStartDurationMs?.p99 ?? null,
      coldStartWaitMsPerDay: summary.coldStartWaitMsPerDay,
      initCostUsdPerDay: initCost.initCostUsdPerDay,
      initAccounting: initCost.initAccounting,
    };
  });
  const scopes = new Map(functions.map((fn) => [`${fn.accountId}#${fn.region}`, fn]));
  const collected = [...scopes.values()].flatMap((scope) => reportCollectionOf(watermarks, scope).throughMs ?? []);
  return {
    window: input.window,
    rows: unranked.sort(compareColdStartImpact).map((row, i) => ({ ...row, rank: i + 1 })),
    collection: summarizeCollectionStatus(watermarks, input.nowMs),
    reportsCollectedThroughMs: collected.length === 0 ? null : Math.min(...collected),
  };
}

const DURATION_KEYS = [
  { metric: "Invocations", stat: "Sum" },
  { metric: "Duration", stat: "p50" },
  { metric: "Duration", stat: "p90" },
  { metric: "Duration", stat: "p99" },
] as const satisfies readonly MetricKey[];

/** CloudWatch Duration percentiles per period with that period's invocations (periods missing a value are left out). */
function toDurationPoints(invocations: MetricPoint[], p50: MetricPoint[], p90: MetricPoint[], p99: MetricPoint[]): DurationPercentilesPoint[] {
  const byTime = (points: MetricPoint[]) => new Map(points.map((p) => [p.timestampMs, p.value]));
  const [calls, q50, q90, q99] = [byTime(invocations), byTime(p50), byTime(p90), byTime(p99)];
  const points: DurationPercentilesPoint[] = [];
  for (const [timestampMs, count] of calls) {
    const a = q50.get(timestampMs);
    const b = q90.get(timestampMs);
    const c = q99.get(timestampMs);
    if (count > 0 && a !== undefined && b !== undefined && c !== undefined) points.push({ p50: a, p90: b, p99: c, invocations: count });
  }
  return points;
}

/**
 * One function's cold starts over `window`: counts and ratio by hour, version and memory size,
 * init/restore percentiles, INIT cost per day (counted once, with the billing finding) and the
 * share of the p99 cold starts cause. Null when the function is not in inventory.
 */
export async function getFunctionColdStarts(
  deps: ColdStartsViewDeps,
  input: { ref: FunctionRef; window: TimeWindow; nowMs: number },
): Promise<FunctionColdStartsView | null> {
  const [functions, watermarks] = await Promise.all([deps.functions.listFunctions(), deps.watermarks.list()]);
  const key = functionRefKey(input.ref);
  const fn = functions.find((f) => functionRefKey(f) === key);
  if (fn === undefined) return null;
  const coverage = reportCoverage(input.window, reportCollectionOf(watermarks, fn));
  const [stats, [invocations, p50, p90, p99]] = await Promise.all([
    readCoveredStats(deps, fn, coverage),
    readMetricSeries(deps.series, fn, { kind: "function", functionName: fn.functionName }, DURATION_KEYS, input.window),
  ]);
  const covered = coverage ?? emptyCoverage(input.window);
  const summary = summarizeColdStarts(stats, covered);
  const p99Impact: ColdStartLatencyImpact =
    coverage === null
      ? { kind: "insufficient-data", reason: "no REPORT lines collected yet for this account and region" }
      : estimateColdStartLatencyImpact({
          invocations: summary.invocations,
          coldStarts: summary.coldStarts,
          warmDurations: toDurationPoints(invocations ?? [], p50 ?? [], p90 ?? [], p99 ?? []),
          coldStartDurations: coldStartDurationParts(stats),
        });
  return {
    function: toFunctionInfo(fn),
    window: input.window,
    coverage,
    summary,
    initCost: estimateInitCost({ config: fn, stats, coverage: covered }),
    p99Impact,
    collection: summarizeCollectionStatus(watermarks, input.nowMs),
  };
}

