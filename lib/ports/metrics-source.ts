import type { MetricPoint } from "@/lib/domain/metrics/lambda-metrics";
import type { MetricDataQuery } from "@/lib/domain/metrics/metric-data-queries";
import type { TimeWindow } from "@/lib/domain/shared/time";

export interface MetricQueryResult {
  query: MetricDataQuery;
  points: MetricPoint[];
}

/** Runs one batch of metric queries (≤ 500) over a window (CloudWatch GetMetricData). */
export interface MetricsSource {
  getMetricData(batch: MetricDataQuery[], window: TimeWindow): Promise<MetricQueryResult[]>;
}
