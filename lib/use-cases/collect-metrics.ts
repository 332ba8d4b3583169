import type { FunctionRef } from "@/lib/domain/shared/ids";
import { LAMBDA_METRIC_KEYS } from "@/lib/domain/metrics/lambda-metrics";
import { buildLambdaMetricQueryBatches } from "@/lib/domain/metrics/metric-data-queries";
import { planMetricsWindow, type MetricsWindowPlan } from "@/lib/domain/metrics/collection-window";
import type { MetricsSource } from "@/lib/ports/metrics-source";
import type { FunctionStore, MetricSeriesStore, WatermarkStore } from "@/lib/ports/stores";
import { describeError } from "@/lib/use-cases/describe-error";

export const METRICS_COLLECTOR = "metrics";

export interface CollectMetricsDeps {
  source: MetricsSource;
  functions: FunctionStore;
  series: MetricSeriesStore;
  watermarks: WatermarkStore;
}

export interface CollectMetricsOptions {
  accountId: string;
  region: string;
  nowMs: number;
  backfillHours: number;
  settleMinutes: number;
  sliceHours: number;
  /** Called after each slice is stored: how much of the window is done. */
  onProgress?: (progress: { plan: MetricsWindowPlan; slicesDone: number; pointsWritten: number }) => void;
}

export interface CollectMetricsResult {
  /** "no-functions" when inventory has not stored any function yet: nothing collected, watermark unchanged. */
  outcome: "collected" | "no-functions";
  plan: MetricsWindowPlan;
  functionCount: number;
  apiCalls: number;
  pointsWritten: number;
}

/**
 * Collects the per-function Lambda metrics of one account/region at 1-minute resolution
 * from the watermark (less the settling window) to the last complete minute. Each slice is
 * stored before the watermark moves past it, so a crash loses nothing and a rerun rewrites
 * the same items.
 */
export async function collectMetrics(deps: CollectMetricsDeps, options: CollectMetricsOptions): Promise<CollectMetricsResult> {
  const { accountId, region, nowMs } = options;
  const previous = await deps.watermarks.get(METRICS_COLLECTOR, accountId, region);
  const plan = planMetricsWindow({
    watermarkMs: previous?.throughMs ?? null,
    nowMs,
    backfillHours: options.backfillHours,
    settleMinutes: options.settleMinutes,
    sliceHours: options.sliceHours,
  });
  const functions: FunctionRef[] = (await deps.functions.listFunctions()).filter(
    (f) => f.accountId === accountId && f.region === region,
  );
  if (functions.length === 0) return { outcome: "no-functions", plan, functionCount: 0, apiCalls: 0, pointsWritten: 0 };
  let throughMs = previous?.throughMs ?? null;
  let apiCalls = 0;
  let pointsWritten = 0;
  /** Records progress: success moves lastSuccessMs to this run, an error keeps the previous one. */
  const record = (outcome: { succeeded: boolean; error: string | null }) =>
    deps.watermarks.put({
      collector: METRICS_COLLECTOR,
      accountId,
      region,
      throughMs,
      lastAttemptMs: nowMs,
      lastSuccessMs: outcome.succeeded ? nowMs : (previous?.lastSuccessMs ?? null),
      lastError: outcome.error,
    });
  try {
    const batches = buildLambdaMetricQueryBatches(functions, LAMBDA_METRIC_KEYS, 60);
    for (const [i, slice] of plan.slices.entries()) {
      for (const batch of batches) {
        const results = await deps.source.getMetricData(batch, slice);
        apiCalls += 1;
        for (const result of results) {
          pointsWritten += await deps.series.writePoints(result.query.target.ref, result.query.target.key, result.points);
        }
      }
      throughMs = Math.max(throughMs ?? 0, slice.toMs);
      await record({ succeeded: i === plan.slices.length - 1, error: null });
      options.onProgress?.({ plan, slicesDone: i + 1, pointsWritten });
    }
    if (plan.slices.length === 0) await record({ succeeded: true, error: null });
    return { outcome: "collected", plan, functionCount: functions.length, apiCalls, pointsWritten };
  } catch (error) {
    await record({ succeeded: false, error: describeError(error) });
    throw error;
  }
}
