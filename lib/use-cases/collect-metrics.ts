import { FUNCTION_METRIC_KEYS, ALIAS_METRIC_KEYS, REGION_METRIC_KEYS, type MetricKey, type MetricResolution, type MetricTarget } from "@/lib/domain/metrics/lambda-metrics";
import { batchOf, buildMetricQueries, type MetricDataCall, type MetricQuerySpec } from "@/lib/domain/metrics/metric-data-queries";
import { planMetricsWindow } from "@/lib/domain/metrics/collection-window";
import { RESOLUTIONS, toMetricBuckets } from "@/lib/domain/metrics/metric-buckets";
import type { FunctionConfig } from "@/lib/domain/inventory/function-config";
import type { TimeWindow } from "@/lib/domain/shared/time";
import type { MetricQueryResult, MetricsSource } from "@/lib/ports/metrics-source";
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
 * the settling window) to the last complete minute, in the calls planMetricDataCalls cut for
 * the fewest calls. Those calls do not follow item boundaries, so each tier holds the answers
 * of items not yet complete (at most one call's answer per query, plus the part-read hour or
 * day) and writes an item whole once every query has answered for all of it; the window's
 * last item is written at the end even when it ends mid-hour. The watermark moves only past
 * items stored, so a crash loses nothing and a rerun rewrites the same items.
 */
export async function collectMetrics(deps: CollectMetricsDeps, ctx: CollectorContext, options: CollectMetricsOptions): Promise<CollectorResult> {
  const { accountId, region, nowMs } = ctx;
  const previous = await deps.watermarks.get(METRICS_COLLECTOR, accountId, region);
  const functions = (await deps.functions.listFunctions()).filter((f) => f.accountId === accountId && f.region === region);
  if (functions.length === 0) return { outcome: "skipped", window: null, itemsWritten: 0, note: "no functions stored yet (inventory runs first)" };
  const targets = metricTargetsOf(functions);
  const queries: Record<MetricResolution, MetricQuerySpec[]> = {
    minute: buildMetricQueries(targets, 60),
    hour: buildMetricQueries(targets, 3600),
  };
  const plan = planMetricsWindow({
    watermarkMs: previous?.throughMs ?? null,
    nowMs,
    backfillFromMs: ctx.backfillFromMs,
    minuteHistoryMs: options.minuteHistoryMs,
    settleMinutes: options.settleMinutes,
    queries: queries.minute.length,
  });
  if (plan.kind === "up-to-date") return { outcome: "up-to-date", window: null, itemsWritten: 0 };

  const tiers: { resolution: MetricResolution; window: TimeWindow; calls: MetricDataCall[] }[] = [
    ...(plan.hour ? [{ resolution: "hour" as const, ...plan.hour }] : []),
    { resolution: "minute" as const, ...plan.minute },
  ];
  const total = tiers.reduce((n, t) => n + t.calls.length, 0);
  let done = 0;
  let itemsWritten = 0;
  let misaligned = 0;
  for (const { resolution, window, calls } of tiers) {
    const { periodMs, bucketMs } = RESOLUTIONS[resolution];
    // Answers not yet written: on the period grid, inside their call's window, at or after `pendingFromMs`.
    let pending: MetricQueryResult[] = [];
    let pendingFromMs = window.fromMs;
    for (const [i, call] of calls.entries()) {
      const results = await deps.source.getMetricData(batchOf(queries[resolution], call.queries), call.window);
      for (const result of results) {
        const points = result.points.filter((p) => p.timestampMs >= call.window.fromMs && p.timestampMs < call.window.toMs && p.timestampMs % periodMs === 0 && Number.isFinite(p.value));
        misaligned += result.points.length - points.length;
        if (points.length > 0) pending.push({ query: result.query, points });
      }
      // Every query has answered up to the next call's start (calls come in order of their
      // start): the items that end by then are complete; the window's end completes the rest.
      const last = i === calls.length - 1;
      const completeToMs = last ? window.toMs : Math.floor(calls[i + 1]!.window.fromMs / bucketMs) * bucketMs;
      if (completeToMs > pendingFromMs) {
        const ready = pending.map((r) => ({ query: r.query, points: r.points.filter((p) => p.timestampMs < completeToMs) }));
        pending = pending.map((r) => ({ query: r.query, points: r.points.filter((p) => p.timestampMs >= completeToMs) })).filter((r) => r.points.length > 0);
        itemsWritten += await deps.series.writeBuckets(toMetricBuckets(ready, { accountId, region }, resolution, { fromMs: pendingFromMs, toMs: completeToMs }).buckets);
        pendingFromMs = completeToMs;
        if (resolution === "minute") await deps.watermarks.advance(METRICS_COLLECTOR, accountId, region, completeToMs, ctx.backfillFromMs);
      }
      ctx.progress({ done: ++done, total, unit: "calls" });
    }
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
