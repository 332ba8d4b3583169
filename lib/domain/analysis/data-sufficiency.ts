import type { MetricPoint } from "@/lib/domain/metrics/lambda-metrics";

/** Compute Optimizer's own bar for a Lambda recommendation (FACTS.md §5): ≥ 50 invocations in 14 days. */
export const MIN_INVOCATIONS = 50;
/** Hours with traffic needed before a daily profile means anything. */
export const MIN_HOURS_WITH_TRAFFIC = 24;
/** The lookback analyses use, as Compute Optimizer does. */
export const ANALYSIS_LOOKBACK_DAYS = 14;

/** Whether a function has enough history for the analyses of later issues, and why not. */
export type DataSufficiency =
  | { kind: "enough"; invocations: number; hoursWithTraffic: number }
  | { kind: "insufficient-data"; invocations: number; hoursWithTraffic: number; reason: string };

/**
 * Judges one function's hourly invocation series over the lookback: enough when it has at
 * least MIN_INVOCATIONS invocations spread over at least MIN_HOURS_WITH_TRAFFIC hours.
 */
export function assessDataSufficiency(hourlyInvocations: readonly MetricPoint[]): DataSufficiency {
  const invocations = hourlyInvocations.reduce((sum, p) => sum + p.value, 0);
  const hoursWithTraffic = hourlyInvocations.filter((p) => p.value > 0).length;
  if (invocations < MIN_INVOCATIONS) {
    return { kind: "insufficient-data", invocations, hoursWithTraffic, reason: `${invocations} invocations in ${ANALYSIS_LOOKBACK_DAYS} days (needs ${MIN_INVOCATIONS})` };
  }
  if (hoursWithTraffic < MIN_HOURS_WITH_TRAFFIC) {
    return { kind: "insufficient-data", invocations, hoursWithTraffic, reason: `traffic in ${hoursWithTraffic} hours of ${ANALYSIS_LOOKBACK_DAYS} days (needs ${MIN_HOURS_WITH_TRAFFIC})` };
  }
  return { kind: "enough", invocations, hoursWithTraffic };
}
