import { HOUR_MS, MINUTE_MS, floorToHourMs, type TimeWindow } from "@/lib/domain/shared/time";
import type { MetricPoint } from "@/lib/domain/metrics/lambda-metrics";

/** The per-minute series one function summary is computed from. Missing minutes mean 0 calls. */
export interface FunctionMetricSeries {
  invocations: MetricPoint[];
  errors: MetricPoint[];
  throttles: MetricPoint[];
  p99DurationMs: MetricPoint[];
}

export interface FunctionMetricSummary {
  invocations: number;
  errors: number;
  throttles: number;
  /** errors / invocations, 0..1; null when there were no invocations. */
  errorRatio: number | null;
  /**
   * Invocation-weighted mean of the per-minute p99 durations. CloudWatch percentiles do not
   * add up across periods, so this is an estimate of the window's p99, not the exact value;
   * null when no minute had traffic.
   */
  p99DurationMs: number | null;
  /**
   * One entry per clock hour the window touches, oldest first (0 when idle). The first and
   * last hours are usually only partly inside the window: `coveredMinutes` says how much, and
   * `invocationsPerHour` scales the count to a full hour so a partial hour does not look like
   * a drop in traffic.
   */
  hourlyInvocations: { hourStartMs: number; invocations: number; coveredMinutes: number; invocationsPerHour: number }[];
}

function inWindow(point: MetricPoint, window: TimeWindow): boolean {
  return point.timestampMs >= window.fromMs && point.timestampMs < window.toMs;
}

/** Summarises one function's minute series over a window for the fleet table. */
export function summarizeFunctionMetrics(series: FunctionMetricSeries, window: TimeWindow): FunctionMetricSummary {
  const sum = (points: MetricPoint[]) =>
    points.filter((p) => inWindow(p, window)).reduce((total, p) => total + p.value, 0);
  const invocations = sum(series.invocations);
  const errors = sum(series.errors);
  const throttles = sum(series.throttles);

  const invocationsByMinute = new Map<number, number>();
  for (const p of series.invocations) if (inWindow(p, window)) invocationsByMinute.set(p.timestampMs, p.value);
  let weighted = 0;
  let weight = 0;
  for (const p of series.p99DurationMs) {
    if (!inWindow(p, window)) continue;
    const calls = invocationsByMinute.get(p.timestampMs) ?? 0;
    weighted += p.value * calls;
    weight += calls;
  }

  const firstHourMs = floorToHourMs(window.fromMs);
  const hours = Math.max(0, Math.ceil((window.toMs - firstHourMs) / HOUR_MS));
  const hourly = Array.from({ length: hours }, (_, i) => {
    const hourStartMs = firstHourMs + i * HOUR_MS;
    const coveredMs = Math.min(hourStartMs + HOUR_MS, window.toMs) - Math.max(hourStartMs, window.fromMs);
    return { hourStartMs, invocations: 0, coveredMinutes: Math.round(coveredMs / MINUTE_MS), invocationsPerHour: 0 };
  });
  for (const p of series.invocations) {
    if (!inWindow(p, window)) continue;
    const bucket = hourly[Math.floor((p.timestampMs - firstHourMs) / HOUR_MS)];
    if (bucket) bucket.invocations += p.value;
  }
  for (const bucket of hourly) {
    bucket.invocationsPerHour = bucket.coveredMinutes > 0 ? (bucket.invocations * 60) / bucket.coveredMinutes : 0;
  }

  return {
    invocations,
    errors,
    throttles,
    errorRatio: invocations > 0 ? errors / invocations : null,
    p99DurationMs: weight > 0 ? weighted / weight : null,
    hourlyInvocations: hourly,
  };
}
