import { ANALYSIS_LOOKBACK_DAYS, assessDataSufficiency } from "@/lib/domain/analysis/data-sufficiency";
import { mapWithConcurrency } from "@/lib/domain/shared/concurrency";
import { DAY_MS, floorToHourMs } from "@/lib/domain/shared/time";
import type { AnalysisStore, FunctionAnalysis } from "@/lib/ports/analysis-store";
import type { FunctionStore, MetricSeriesStore, WatermarkStore } from "@/lib/ports/stores";
import type { CollectorContext, CollectorResult } from "@/lib/use-cases/collector-context";

export const ANALYZE_COLLECTOR = "analyze";

export interface AnalyzeFleetDeps {
  functions: FunctionStore;
  series: MetricSeriesStore;
  analyses: AnalysisStore;
  watermarks: WatermarkStore;
}

const INVOCATIONS = { metric: "Invocations", stat: "Sum" } as const;
/** Series reads in flight at once. */
const READ_CONCURRENCY = 8;

/**
 * Materialises per-function analysis of one account/region from stored data: for now which
 * functions have enough history (14 days of hourly invocations) for recommendations; issues
 * 6–8 add SLO state, sizing and cost. Reads only the table, so it costs no AWS calls, and it
 * is a pure function of the stored data and nowMs — a rerun writes the same items.
 */
export async function analyzeFleet(deps: AnalyzeFleetDeps, ctx: CollectorContext): Promise<CollectorResult> {
  const { accountId, region, nowMs } = ctx;
  const functions = (await deps.functions.listFunctions()).filter((f) => f.accountId === accountId && f.region === region);
  const window = { fromMs: floorToHourMs(nowMs) - ANALYSIS_LOOKBACK_DAYS * DAY_MS, toMs: floorToHourMs(nowMs) };
  let done = 0;
  const analyses = await mapWithConcurrency(functions, READ_CONCURRENCY, async (fn): Promise<FunctionAnalysis> => {
    const series = await deps.series.readSeries(fn, { kind: "function", functionName: fn.functionName }, [INVOCATIONS], window, "hour");
    ctx.progress({ done: ++done, total: functions.length, unit: "functions" });
    return {
      accountId,
      region,
      functionName: fn.functionName,
      asOfMs: window.toMs,
      lookbackDays: ANALYSIS_LOOKBACK_DAYS,
      sufficiency: assessDataSufficiency(series["Invocations:Sum"] ?? []),
    };
  });
  const itemsWritten = await deps.analyses.replaceAll(accountId, region, analyses);
  await deps.watermarks.advance(ANALYZE_COLLECTOR, accountId, region, window.toMs, ctx.backfillFromMs);
  const enough = analyses.filter((a) => a.sufficiency.kind === "enough").length;
  return {
    outcome: functions.length === 0 ? "skipped" : "collected",
    window,
    itemsWritten,
    note: `${enough} of ${functions.length} functions have enough data`,
  };
}
