import { collectMetrics, type CollectMetricsOptions, type CollectMetricsResult } from "@/lib/use-cases/collect-metrics";
import { createCollectorRuntime, newMetricsSource, type CollectorRuntime } from "@/collectors/_runtime/collector-runtime";
import { resolveRunTime } from "@/collectors/_runtime/scheduled-event";
import { powertoolsLog } from "@/collectors/_runtime/log";

/** Slices of a backfill: 6 h of 1-minute data per step keeps each step under a few seconds. */
const SLICE_HOURS = 6;

export type MetricsRunResult = CollectMetricsResult | { outcome: "no-account"; apiCalls: 0; pointsWritten: 0 };

/** One metrics run: from the watermark to the last complete minute. */
export async function runMetrics(
  runtime: CollectorRuntime,
  rawEvent: unknown,
  onProgress?: CollectMetricsOptions["onProgress"],
): Promise<MetricsRunResult> {
  const nowMs = resolveRunTime(rawEvent, Date.now());
  const accountId = await runtime.accountId();
  if (accountId === null) return { outcome: "no-account", apiCalls: 0, pointsWritten: 0 };
  const source = newMetricsSource(runtime);
  const result = await collectMetrics(
    { source, functions: runtime.functions, series: runtime.series, watermarks: runtime.watermarks },
    {
      accountId,
      region: runtime.config.AWS_REGION,
      nowMs,
      backfillHours: runtime.config.BACKFILL_HOURS,
      settleMinutes: runtime.config.SETTLE_MINUTES,
      sliceHours: SLICE_HOURS,
      ...(onProgress ? { onProgress } : {}),
    },
  );
  runtime.log.info("metrics collected", {
    accountId,
    outcome: result.outcome,
    kind: result.plan.kind,
    from: new Date(result.plan.window.fromMs).toISOString(),
    to: new Date(result.plan.window.toMs).toISOString(),
    functions: result.functionCount,
    getMetricDataCalls: result.apiCalls,
    getMetricDataPages: source.pagesRequested,
    points: result.pointsWritten,
  });
  return result;
}

const log = powertoolsLog("metrics");
let runtime: CollectorRuntime | undefined;

/** Lambda entry point (EventBridge Scheduler, every minute). */
export const handler = async (event: unknown, context?: Parameters<typeof log.logger.addContext>[0]): Promise<MetricsRunResult> => {
  if (context) log.logger.addContext(context);
  runtime ??= createCollectorRuntime({ log });
  return runMetrics(runtime, event);
};
