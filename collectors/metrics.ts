import { CloudWatchMetricsSource } from "@/lib/adapters/aws/cloudwatch-metrics-source";
import { DAY_MS } from "@/lib/domain/shared/time";
import { collectMetrics } from "@/lib/use-cases/collect-metrics";
import type { CollectorDefinition } from "@/collectors/_runtime/collector-definition";
import { collectorHandler } from "@/collectors/_runtime/collector-handler";

/** AWS/Lambda metrics per function, PC alias and region: minute data for recent days, hourly for all. */
export const metricsCollector: CollectorDefinition = {
  name: "metrics",
  scope: "region",
  collect: (runtime, ctx) =>
    collectMetrics(
      {
        source: new CloudWatchMetricsSource(runtime.aws(ctx).cloudwatch),
        functions: runtime.functions,
        series: runtime.series,
        watermarks: runtime.watermarks,
      },
      ctx,
      { settleMinutes: runtime.config.SETTLE_MINUTES, minuteHistoryMs: runtime.config.METRICS_MINUTE_DAYS * DAY_MS },
    ),
};

/** Lambda entry point (EventBridge Scheduler, every METRICS_CADENCE_MINUTES: 1 by default). */
export const handler = collectorHandler(metricsCollector);
