/**
 * The per-function AWS/Lambda metrics the product collects, each with the statistic it
 * needs (FACTS.md §4). A MetricKey names one series: a metric under one statistic.
 */
export const LAMBDA_METRIC_KEYS = [
  { metric: "Invocations", stat: "Sum" },
  { metric: "Errors", stat: "Sum" },
  { metric: "Throttles", stat: "Sum" },
  { metric: "Duration", stat: "p50" },
  { metric: "Duration", stat: "p90" },
  { metric: "Duration", stat: "p99" },
  { metric: "ConcurrentExecutions", stat: "Maximum" },
] as const satisfies readonly MetricKey[];

export type LambdaMetricName = "Invocations" | "Errors" | "Throttles" | "Duration" | "ConcurrentExecutions";
export type MetricStat = "Sum" | "Maximum" | "Average" | `p${number}`;

export interface MetricKey {
  metric: LambdaMetricName;
  stat: MetricStat;
}

/** The string id of a metric key, e.g. "Duration:p99"; used in storage keys. */
export function metricKeyId(key: MetricKey): string {
  return `${key.metric}:${key.stat}`;
}

/** One datapoint: the period starting at timestampMs had this value. */
export interface MetricPoint {
  timestampMs: number;
  value: number;
}
