import { ANALYSIS_LOOKBACK_DAYS, assessDataSufficiency } from "@/lib/domain/analysis/data-sufficiency";
import type { AccountConcurrency, FunctionConfig } from "@/lib/domain/inventory/function-config";
import { ALIAS_METRIC_KEYS, FUNCTION_METRIC_KEYS } from "@/lib/domain/metrics/lambda-metrics";
import { mapWithConcurrency } from "@/lib/domain/shared/concurrency";
import { DAY_MS, HOUR_MS, MINUTE_MS, floorToHourMs, type TimeWindow } from "@/lib/domain/shared/time";
import type { SloDefinition } from "@/lib/domain/slo/slo-definition";
import type { SloStatus } from "@/lib/domain/slo/slo-status";
import { analyzeFunctionTuning } from "@/lib/domain/sizing/analyze-function";
import { toPcPeriodSamples, toPeriodSamples } from "@/lib/domain/sizing/period-samples";
import { coldStartBadShare } from "@/lib/domain/sizing/slo-cold-start-share";
import { DEFAULT_SIZING_SETTINGS, type LatencySloInput, type PeriodSample, type SizingInput, type SizingSettings } from "@/lib/domain/sizing/tuning-types";
import type { AnalysisStore, FunctionAnalysis } from "@/lib/ports/analysis-store";
import type { ReportStatsStore } from "@/lib/ports/report-stats";
import type { SloStore } from "@/lib/ports/slo-store";
import type { FunctionStore, MetricSeriesStore, WatermarkStore } from "@/lib/ports/stores";
import { functionsOfSlo } from "@/lib/use-cases/read-sli";
import type { CollectorContext, CollectorResult } from "@/lib/use-cases/collector-context";

export const ANALYZE_COLLECTOR = "analyze";

export interface AnalyzeFleetDeps {
  functions: FunctionStore;
  series: MetricSeriesStore;
  reportStats: ReportStatsStore;
  slos: Pick<SloStore, "list" | "listStatuses">;
  analyses: AnalysisStore;
  watermarks: WatermarkStore;
  settings?: SizingSettings;
}

/** Series reads in flight at once. */
const READ_CONCURRENCY = 8;
/** Minutes of per-minute series the concurrency analyses read (the newest day). */
const MINUTE_LOOKBACK_MS = DAY_MS;

/**
 * Materialises per-function analysis of one account/region from stored data: whether each
 * function has enough history (14 days), and its tuning recommendations — memory,
 * architecture, provisioned and reserved concurrency (lib/domain/sizing). Reads only the
 * table, so it costs no AWS calls, and it is a pure function of the stored data and nowMs — a
 * rerun writes the same items.
 */
export async function analyzeFleet(deps: AnalyzeFleetDeps, ctx: CollectorContext): Promise<CollectorResult> {
  const { accountId, region, nowMs } = ctx;
  const all = await deps.functions.listFunctions();
  const functions = all.filter((f) => f.accountId === accountId && f.region === region);
  const lookback = { fromMs: floorToHourMs(nowMs) - ANALYSIS_LOOKBACK_DAYS * DAY_MS, toMs: floorToHourMs(nowMs) };
  const [accounts, slos, statuses, metrics] = await Promise.all([
    deps.functions.listAccountConcurrency(),
    deps.slos.list(),
    deps.slos.listStatuses(),
    deps.watermarks.get("metrics", accountId, region),
  ]);
  // Per-day rates divide by the hours actually collected: a 4-day-old install is not 14 quiet days.
  const collectedFromMs = metrics?.sinceMs == null ? lookback.fromMs : floorToHourMs(metrics.sinceMs);
  const window = { fromMs: Math.min(lookback.toMs, Math.max(lookback.fromMs, collectedFromMs)), toMs: lookback.toMs };
  const account = accounts.find((a) => a.accountId === accountId && a.region === region) ?? null;
  const settings = deps.settings ?? DEFAULT_SIZING_SETTINGS;
  const index = indexFleet({ functions, slos, statuses });
  let done = 0;
  const analyses = await mapWithConcurrency(functions, READ_CONCURRENCY, async (fn): Promise<FunctionAnalysis> => {
    const input = await readSizingInput(deps, fn, { window, account, functions, slos, statuses, settings, index });
    const sufficiency = assessDataSufficiency(input.hours.filter((h) => h.invocations > 0).map((h) => ({ timestampMs: h.startMs, value: h.invocations })));
    ctx.progress({ done: ++done, total: functions.length, unit: "functions" });
    return {
      accountId,
      region,
      functionName: fn.functionName,
      asOfMs: window.toMs,
      lookbackDays: ANALYSIS_LOOKBACK_DAYS,
      sufficiency,
      tuning: analyzeFunctionTuning(input, sufficiency, window.toMs),
    };
  });
  const itemsWritten = await deps.analyses.replaceAll(accountId, region, analyses);
  await deps.watermarks.advance(ANALYZE_COLLECTOR, accountId, region, window.toMs, ctx.backfillFromMs);
  const recommendations = analyses.reduce((sum, a) => sum + (a.tuning?.status === "analysed" ? a.tuning.recommendations.length : 0), 0);
  const enough = analyses.filter((a) => a.sufficiency.kind === "enough").length;
  return {
    outcome: functions.length === 0 ? "skipped" : "collected",
    window,
    itemsWritten,
    note: `${enough} of ${functions.length} functions have enough data; ${recommendations} tuning recommendation${recommendations === 1 ? "" : "s"}`,
  };
}

interface ReadContext {
  window: TimeWindow;
  account: AccountConcurrency | null;
  functions: readonly FunctionConfig[];
  slos: readonly SloDefinition[];
  statuses: readonly SloStatus[];
  settings: SizingSettings;
  /** The lookups over `functions`, `slos` and `statuses`, built once per run (else per call). */
  index?: FleetIndex;
}

/**
 * What every function's analysis looks up in the fleet, indexed once per run: with 1,000
 * functions and an SLO or two per service, scanning the inventory per function and per SLO
 * (functionsOfSlo inside a per-function filter) was O(functions² × SLOs).
 */
export interface FleetIndex {
  /** Σ reserved concurrency per account/region, and per function name within it. */
  reservedTotal: Map<string, number>;
  reservedByName: Map<string, number>;
  /** The latency SLOs counting each function (account/region/name), in SLO order. */
  latencySlos: Map<string, SloDefinition[]>;
  statusById: Map<string, SloStatus>;
}

const scopeKey = (f: { accountId: string; region: string }) => `${f.accountId}#${f.region}`;
const functionKey = (f: { accountId: string; region: string; functionName: string }) => `${scopeKey(f)}#${f.functionName}`;

/** Builds the lookups of {@link FleetIndex} from what readSizingInput reads. */
export function indexFleet(read: Pick<ReadContext, "functions" | "slos" | "statuses">): FleetIndex {
  const reservedTotal = new Map<string, number>();
  const reservedByName = new Map<string, number>();
  for (const f of read.functions) {
    const reserved = f.reservedConcurrency ?? 0;
    reservedTotal.set(scopeKey(f), (reservedTotal.get(scopeKey(f)) ?? 0) + reserved);
    reservedByName.set(functionKey(f), (reservedByName.get(functionKey(f)) ?? 0) + reserved);
  }
  const latencySlos = new Map<string, SloDefinition[]>();
  for (const slo of read.slos) {
    if (slo.indicator.kind !== "latency") continue;
    // A function named twice in the inventory is still one function of the SLO.
    for (const key of new Set(functionsOfSlo(slo, read.functions).map(functionKey))) {
      const list = latencySlos.get(key);
      if (list) list.push(slo);
      else latencySlos.set(key, [slo]);
    }
  }
  const statusById = new Map<string, SloStatus>();
  // The first status of an id wins, as Array.find would pick it.
  for (const status of read.statuses) if (!statusById.has(status.sloId)) statusById.set(status.sloId, status);
  return { reservedTotal, reservedByName, latencySlos, statusById };
}

/** Everything the sizing analyses of one function read, from the table. */
export async function readSizingInput(deps: Pick<AnalyzeFleetDeps, "series" | "reportStats">, fn: FunctionConfig, read: ReadContext): Promise<SizingInput> {
  const { window } = read;
  const minuteWindow = { fromMs: Math.max(window.fromMs, window.toMs - MINUTE_LOOKBACK_MS), toMs: window.toMs };
  const target = { kind: "function" as const, functionName: fn.functionName };
  const [hourly, minutely, reportStats, pc] = await Promise.all([
    deps.series.readSeries(fn, target, FUNCTION_METRIC_KEYS, window, "hour"),
    deps.series.readSeries(fn, target, FUNCTION_METRIC_KEYS, minuteWindow, "minute"),
    deps.reportStats.readStats(fn, window),
    Promise.all(
      fn.provisionedConcurrency.map(async (config) => ({
        qualifier: config.qualifier,
        hours: toPcPeriodSamples(
          await deps.series.readSeries(fn, { kind: "alias", functionName: fn.functionName, qualifier: config.qualifier }, ALIAS_METRIC_KEYS, window, "hour"),
          window,
          HOUR_MS,
        ),
      })),
    ),
  ]);
  const hours = toPeriodSamples(hourly, window, HOUR_MS);
  const index = read.index ?? indexFleet(read);
  // Every other function of the account/region: the scope's total less this name's own.
  const reservedByOthers = (index.reservedTotal.get(scopeKey(fn)) ?? 0) - (index.reservedByName.get(functionKey(fn)) ?? 0);
  return {
    fn,
    account: read.account,
    reservedByOthers,
    window,
    hours,
    minutes: toPeriodSamples(minutely, minuteWindow, MINUTE_MS),
    pc,
    reportStats,
    latencySlos: latencySlosOf(fn, index, hours, reportStats),
    settings: read.settings,
  };
}

/** The latency SLOs on a function, with the share of their bad events cold starts cause. */
function latencySlosOf(fn: FunctionConfig, index: FleetIndex, hours: readonly PeriodSample[], reportStats: SizingInput["reportStats"]): LatencySloInput[] {
  return (index.latencySlos.get(functionKey(fn)) ?? [])
    .map((slo) => {
      const thresholdMs = slo.indicator.kind === "latency" ? slo.indicator.thresholdMs : 0;
      const status = index.statusById.get(slo.id);
      const remaining = status?.budgetRemainingRatio ?? null;
      return {
        sloId: slo.id,
        name: slo.name,
        thresholdMs,
        objective: slo.objective,
        coldStartBadShare: coldStartBadShare(thresholdMs, hours, reportStats).share,
        budgetConsumed: remaining === null ? null : 1 - remaining,
      };
    });
}
