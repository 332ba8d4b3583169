import type { MetricPoint } from "@/lib/domain/metrics/lambda-metrics";
import type { TimeWindow } from "@/lib/domain/shared/time";
import type { PcPeriodSample, PeriodSample } from "@/lib/domain/sizing/tuning-types";

/**
 * Stored CloudWatch series (keyed `<metric>:<stat>`, as MetricSeriesStore returns them) as one
 * sample per period of a window: counts are 0 and statistics null where CloudWatch published
 * nothing — which for Lambda means no invocation in that period.
 */

function byTime(points: readonly MetricPoint[] | undefined): Map<number, number> {
  return new Map((points ?? []).map((p) => [p.timestampMs, p.value]));
}

function periodStarts(window: TimeWindow, periodMs: number): number[] {
  const starts: number[] = [];
  for (let t = Math.ceil(window.fromMs / periodMs) * periodMs; t < window.toMs; t += periodMs) starts.push(t);
  return starts;
}

/** A function's series (FUNCTION_METRIC_KEYS) as PeriodSamples, every period of the window. */
export function toPeriodSamples(series: Record<string, MetricPoint[]>, window: TimeWindow, periodMs: number): PeriodSample[] {
  const invocations = byTime(series["Invocations:Sum"]);
  const errors = byTime(series["Errors:Sum"]);
  const throttles = byTime(series["Throttles:Sum"]);
  const avg = byTime(series["Duration:Average"]);
  const p50 = byTime(series["Duration:p50"]);
  const p99 = byTime(series["Duration:p99"]);
  const concurrency = byTime(series["ConcurrentExecutions:Maximum"]);
  return periodStarts(window, periodMs).map((t) => ({
    startMs: t,
    invocations: invocations.get(t) ?? 0,
    errors: errors.get(t) ?? 0,
    throttles: throttles.get(t) ?? 0,
    durationAvgMs: avg.get(t) ?? null,
    durationP50Ms: p50.get(t) ?? null,
    durationP99Ms: p99.get(t) ?? null,
    concurrencyMax: concurrency.get(t) ?? null,
  }));
}

/** An alias's series (ALIAS_METRIC_KEYS) as PcPeriodSamples, every period of the window. */
export function toPcPeriodSamples(series: Record<string, MetricPoint[]>, window: TimeWindow, periodMs: number): PcPeriodSample[] {
  const busy = byTime(series["ProvisionedConcurrentExecutions:Maximum"]);
  const utilisation = byTime(series["ProvisionedConcurrencyUtilization:Maximum"]);
  const served = byTime(series["ProvisionedConcurrencyInvocations:Sum"]);
  const spilled = byTime(series["ProvisionedConcurrencySpilloverInvocations:Sum"]);
  return periodStarts(window, periodMs).map((t) => ({
    startMs: t,
    provisionedExecutionsMax: busy.get(t) ?? null,
    utilisationMax: utilisation.get(t) ?? null,
    provisionedInvocations: served.get(t) ?? 0,
    spilloverInvocations: spilled.get(t) ?? 0,
  }));
}
