/**
 * The AWS/Lambda metrics the product collects (FACTS.md §4), each with the statistic it
 * needs. A MetricKey names one series: a metric under one statistic. A MetricTarget is what
 * the series is about: a function, a provisioned-concurrency alias or version, or the
 * account's whole region.
 */
export type LambdaMetricName =
  | "Invocations"
  | "Errors"
  | "Throttles"
  | "Duration"
  | "ConcurrentExecutions"
  | "UnreservedConcurrentExecutions"
  | "ClaimedAccountConcurrency"
  | "ProvisionedConcurrentExecutions"
  | "ProvisionedConcurrencyUtilization"
  | "ProvisionedConcurrencyInvocations"
  | "ProvisionedConcurrencySpilloverInvocations";
export type MetricStat = "Sum" | "Maximum" | "Average" | `p${number}`;

export interface MetricKey {
  metric: LambdaMetricName;
  stat: MetricStat;
}

/** Per function: traffic, failures, latency percentiles and concurrency (Maximum, as AWS advises). */
export const FUNCTION_METRIC_KEYS = [
  { metric: "Invocations", stat: "Sum" },
  { metric: "Errors", stat: "Sum" },
  { metric: "Throttles", stat: "Sum" },
  { metric: "Duration", stat: "Average" },
  { metric: "Duration", stat: "p50" },
  { metric: "Duration", stat: "p90" },
  { metric: "Duration", stat: "p99" },
  { metric: "ConcurrentExecutions", stat: "Maximum" },
] as const satisfies readonly MetricKey[];

/** Per alias or version with provisioned concurrency: how much is allocated, used and spilled. */
export const ALIAS_METRIC_KEYS = [
  { metric: "ProvisionedConcurrentExecutions", stat: "Maximum" },
  { metric: "ProvisionedConcurrencyUtilization", stat: "Maximum" },
  { metric: "ProvisionedConcurrencyInvocations", stat: "Sum" },
  { metric: "ProvisionedConcurrencySpilloverInvocations", stat: "Sum" },
] as const satisfies readonly MetricKey[];

/** Per account and region (no dimensions): the concurrency pool and what throttles against it. */
export const REGION_METRIC_KEYS = [
  { metric: "ConcurrentExecutions", stat: "Maximum" },
  { metric: "UnreservedConcurrentExecutions", stat: "Maximum" },
  { metric: "ClaimedAccountConcurrency", stat: "Maximum" },
  { metric: "Invocations", stat: "Sum" },
  { metric: "Throttles", stat: "Sum" },
] as const satisfies readonly MetricKey[];


export type MetricTarget =
  | { kind: "function"; functionName: string }
  | { kind: "alias"; functionName: string; qualifier: string }
  | { kind: "region" };

/** The keys collected for a kind of target. */
export function metricKeysFor(target: MetricTarget): readonly MetricKey[] {
  if (target.kind === "function") return FUNCTION_METRIC_KEYS;
  if (target.kind === "alias") return ALIAS_METRIC_KEYS;
  return REGION_METRIC_KEYS;
}

/** A stable id of a target, used in storage keys: `fn:orders-api`, `alias:orders-api:live`, `region`. */
export function metricTargetId(target: MetricTarget): string {
  if (target.kind === "function") return `fn:${target.functionName}`;
  if (target.kind === "alias") return `alias:${target.functionName}:${target.qualifier}`;
  return "region";
}

/** The CloudWatch dimensions that select a target's datapoints. */
export function metricDimensions(target: MetricTarget): { name: string; value: string }[] {
  if (target.kind === "function") return [{ name: "FunctionName", value: target.functionName }];
  if (target.kind === "alias") {
    return [
      { name: "FunctionName", value: target.functionName },
      { name: "Resource", value: `${target.functionName}:${target.qualifier}` },
    ];
  }
  return [];
}

/** The string id of a metric key, e.g. "Duration:p99"; used as the attribute name in storage. */
export function metricKeyId(key: MetricKey): string {
  return `${key.metric}:${key.stat}`;
}

/** One datapoint: the period starting at timestampMs had this value. */
export interface MetricPoint {
  timestampMs: number;
  value: number;
}

/** Minute data for recent history, hourly data for all of it. */
export type MetricResolution = "minute" | "hour";

/**
 * The stored unit of metric data: every key of one target over one hour (60 minute values)
 * or one UTC day (24 hour values). null marks a period without a datapoint.
 */
export interface MetricBucket {
  accountId: string;
  region: string;
  target: MetricTarget;
  resolution: MetricResolution;
  /** The hour (minute resolution) or day (hour resolution) the bucket covers, epoch ms. */
  startMs: number;
  values: Record<string, (number | null)[]>;
}
