import { FUNCTION_METRIC_KEYS, ALIAS_METRIC_KEYS, REGION_METRIC_KEYS, type MetricKey, type MetricResolution, type MetricTarget } from "@/lib/domain/metrics/lambda-metrics";
import { buildMetricQueryBatches, type MetricDataQuery } from "@/lib/domain/metrics/metric-data-queries";
import { planMetricsWindow } from "@/lib/domain/metrics/collection-window";
import { toMetricBuckets } from "@/lib/domain/metrics/metric-buckets";
import type { FunctionConfig } from "@/lib/domain/inventory/function-config";
import type { TimeWindow } from "@/lib/domain/shared/time";
import type { MetricsSource } from "@/lib/ports/metrics-source";
import type { FunctionStore, MetricSeriesStore, WatermarkStore } from "@/lib/ports/stores";
import type { CollectorContext, CollectorResult } from "@/lib/use-cases/collector-context";

export const METRICS_COLLECTOR = "metrics";

export interface CollectMetricsDeps {
  source: MetricsSource;
  functions: FunctionStore;
  series: MetricSeriesStore;
  watermarks: WatermarkStore;
}

export interface CollectMetricsOptions {
  settleMinutes: number;
  /** How far back minute data reaches (hourly data goes back to the backfill start). */
  minuteHistoryMs: number;
}

/**
 * Every metric target of one account/region: each function, each alias or version with
 * provisioned concurrency, and the region itself (account-level concurrency).
 */
export function metricTargetsOf(functions: readonly FunctionConfig[]): { target: MetricTarget; keys: readonly MetricKey[] }[] {
  const targets: { target: MetricTarget; keys: readonly MetricKey[] }[] = [];
  for (const fn of [...functions].sort((a, b) => a.functionName.localeCompare(b.functionName))) {
    targets.push({ target: { kind: "function", functionName: fn.functionName }, keys: FUNCTION_METRIC_KEYS });
    for (const pc of fn.provisionedConcurrency) {
      targets.push({ target: { kind: "alias", functionName: fn.functionName, qualifier: pc.qualifier }, keys: ALIAS_METRIC_KEYS });
    }
  }
  targets.push({ target: { kind: "region" }, keys: REGION_METRIC_KEYS });
  return targets;
}

/**
 * Collects the Lambda metrics of one account/region: hourly data for every settled hour since
 * the last run (the backfill window on the first), then 1-minute data from the watermark (less
 * the settling window) to the last complete minute. Each slice's items are stored before the
 * watermark moves past them, so a crash loses nothing and a rerun rewrites the same items.
 * Queries are packed 500 to a call and slices sized to stay under 100,800 datapoints, so the
 * call count is at the floor.
 */
export async function collectMetrics(deps: CollectMetricsDeps, ctx: CollectorContext, options: CollectMetricsOptions): Promise<CollectorResult> {
  const { accountId, region, nowMs } = ctx;
  const previous = await deps.watermarks.get(METRICS_COLLECTOR, accountId, region);
  const functions = (await deps.functions.listFunctions()).filter((f) => f.accountId === accountId && f.region === region);
  if (functions.length === 0) return { outcome: "skipped", window: null, itemsWritten: 0, note: "no functions stored yet (inventory runs first)" };
  const targets = metricTargetsOf(functions);
  const batches: Record<MetricResolution, MetricDataQuery[][]> = {
    minute: buildMetricQueryBatches(targets, 60),
    hour: buildMetricQueryBatches(targets, 3600),
  };
  const plan = planMetricsWindow({
    watermarkMs: previous?.throughMs ?? null,
    nowMs,
    backfillFromMs: ctx.backfillFromMs,
    minuteHistoryMs: options.minuteHistoryMs,
    settleMinutes: options.settleMinutes,
    largestBatch: batches.minute[0]?.length ?? 1,
  });
  if (plan.kind === "up-to-date") return { outcome: "up-to-date", window: null, itemsWritten: 0 };

  const steps: { resolution: MetricResolution; slice: TimeWindow }[] = [
    ...(plan.hour?.slices ?? []).map((slice) => ({ resolution: "hour" as const, slice })),
    ...plan.minute.slices.map((slice) => ({ resolution: "minute" as const, slice })),
  ];
  let itemsWritten = 0;
  let misaligned = 0;
  for (const [i, { resolution, slice }] of steps.entries()) {
    const results = [];
    for (const batch of batches[resolution]) results.push(...(await deps.source.getMetricData(batch, slice)));
    const built = toMetricBuckets(results, { accountId, region }, resolution, slice);
    misaligned += built.misaligned;
    itemsWritten += await deps.series.writeBuckets(built.buckets);
    if (resolution === "minute") await deps.watermarks.advance(METRICS_COLLECTOR, accountId, region, slice.toMs, ctx.backfillFromMs);
    ctx.progress({ done: i + 1, total: steps.length, unit: "slices" });
  }
  if (misaligned > 0) ctx.warn(`skipped ${misaligned} datapoints outside their period grid or window`);
  const fromMs = Math.min(plan.hour?.window.fromMs ?? Infinity, plan.minute.window.fromMs);
  const hourNote = plan.hour ? `, hourly from ${new Date(plan.hour.window.fromMs).toISOString().slice(0, 10)}` : "";
  return {
    outcome: "collected",
    window: { fromMs, toMs: plan.minute.window.toMs },
    itemsWritten,
    note: `${functions.length} functions, ${targets.length} targets, ${plan.kind}${hourNote}`,
  };
}
