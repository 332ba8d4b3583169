import type { MetricPoint, MetricResolution } from "@/lib/domain/metrics/lambda-metrics";
import { HOUR_MS, MINUTE_MS, type TimeWindow } from "@/lib/domain/shared/time";

/**
 * One function's CloudWatch series over a range as the detail page shows them: totals for
 * the range and chart points on a regular grid.
 */

/** The most points a chart gets; finer data is rolled up into wider steps. */
export const MAX_CHART_POINTS = 400;
const CHART_STEPS_MS = [MINUTE_MS, 5 * MINUTE_MS, 15 * MINUTE_MS, HOUR_MS, 3 * HOUR_MS, 6 * HOUR_MS, 24 * HOUR_MS] as const;

/**
 * The chart step for a window: the finest step, no finer than the data, that keeps the chart
 * at most MAX_CHART_POINTS points (24 h of minute data → 5-minute points).
 */
export function chooseChartStepMs(window: TimeWindow, resolution: MetricResolution): number {
  const finest = resolution === "minute" ? MINUTE_MS : HOUR_MS;
  const span = Math.max(0, window.toMs - window.fromMs);
  for (const step of CHART_STEPS_MS) {
    if (step >= finest && Math.ceil(span / step) <= MAX_CHART_POINTS) return step;
  }
  return CHART_STEPS_MS[CHART_STEPS_MS.length - 1]!;
}

export interface FunctionDetailSeries {
  invocations: readonly MetricPoint[];
  errors: readonly MetricPoint[];
  throttles: readonly MetricPoint[];
  averageDurationMs: readonly MetricPoint[];
  p50DurationMs: readonly MetricPoint[];
  p90DurationMs: readonly MetricPoint[];
  p99DurationMs: readonly MetricPoint[];
  /** ConcurrentExecutions, Maximum. */
  concurrentExecutions: readonly MetricPoint[];
}

export interface DetailMetricTotals {
  invocations: number;
  errors: number;
  /** errors / invocations, 0..1; null without invocations. */
  errorRatio: number | null;
  throttles: number;
  /**
   * throttles / (invocations + throttles), 0..1: CloudWatch does not count a throttled request
   * as an invocation. null when neither happened.
   */
  throttleRatio: number | null;
  /** Invocation-weighted mean of the per-period averages: the range's exact mean duration. */
  averageDurationMs: number | null;
  /**
   * Invocation-weighted means of the per-period percentiles. CloudWatch percentiles do not add
   * up across periods, so these estimate the range's percentiles; null without traffic.
   */
  p50DurationMs: number | null;
  p90DurationMs: number | null;
  p99DurationMs: number | null;
  /** Highest per-period Maximum of ConcurrentExecutions; null without datapoints. */
  peakConcurrentExecutions: number | null;
}

/** One chart point: the step starting at `timestampMs`. Counts are null where nothing was collected yet. */
export interface DetailMetricPoint {
  timestampMs: number;
  invocations: number | null;
  errors: number | null;
  throttles: number | null;
  p50DurationMs: number | null;
  p90DurationMs: number | null;
  p99DurationMs: number | null;
  maxConcurrentExecutions: number | null;
}

function inWindow(p: MetricPoint, window: TimeWindow): boolean {
  return p.timestampMs >= window.fromMs && p.timestampMs < window.toMs;
}

/** Running sums per step start. */
class StepAccumulator {
  readonly sums = new Map<number, number>();
  add(step: number, value: number): void {
    this.sums.set(step, (this.sums.get(step) ?? 0) + value);
  }
}

/**
 * The range's totals and its chart points every `stepMs` (aligned to the window start, last
 * step possibly partial). Counts add up within a step; duration percentiles are weighted by
 * each period's invocations; concurrency takes the step's maximum. A step at or after
 * `collectedThroughMs` (the metrics collector's watermark) has null counts instead of zeros,
 * so a collection lag does not look like traffic stopping.
 */
export function summarizeDetailMetrics(
  series: FunctionDetailSeries,
  window: TimeWindow,
  stepMs: number,
  collectedThroughMs: number | null,
): { totals: DetailMetricTotals; points: DetailMetricPoint[] } {
  if (stepMs <= 0) throw new RangeError(`stepMs must be positive, got ${stepMs}`);
  const stepOf = (t: number) => window.fromMs + Math.floor((t - window.fromMs) / stepMs) * stepMs;

  const invocationsByPeriod = new Map<number, number>();
  const counts = { invocations: new StepAccumulator(), errors: new StepAccumulator(), throttles: new StepAccumulator() };
  const totals = { invocations: 0, errors: 0, throttles: 0 };
  for (const key of ["invocations", "errors", "throttles"] as const) {
    for (const p of series[key]) {
      if (!inWindow(p, window)) continue;
      counts[key].add(stepOf(p.timestampMs), p.value);
      totals[key] += p.value;
      if (key === "invocations") invocationsByPeriod.set(p.timestampMs, p.value);
    }
  }

  const weightedKeys = ["averageDurationMs", "p50DurationMs", "p90DurationMs", "p99DurationMs"] as const;
  const weighted = Object.fromEntries(weightedKeys.map((k) => [k, { step: new StepAccumulator(), weight: new StepAccumulator(), total: 0, totalWeight: 0 }])) as Record<
    (typeof weightedKeys)[number],
    { step: StepAccumulator; weight: StepAccumulator; total: number; totalWeight: number }
  >;
  for (const key of weightedKeys) {
    const acc = weighted[key];
    for (const p of series[key]) {
      if (!inWindow(p, window)) continue;
      const calls = invocationsByPeriod.get(p.timestampMs) ?? 0;
      if (calls <= 0) continue;
      acc.step.add(stepOf(p.timestampMs), p.value * calls);
      acc.weight.add(stepOf(p.timestampMs), calls);
      acc.total += p.value * calls;
      acc.totalWeight += calls;
    }
  }

  const concurrencyByStep = new Map<number, number>();
  let peakConcurrentExecutions: number | null = null;
  for (const p of series.concurrentExecutions) {
    if (!inWindow(p, window)) continue;
    const step = stepOf(p.timestampMs);
    concurrencyByStep.set(step, Math.max(concurrencyByStep.get(step) ?? 0, p.value));
    peakConcurrentExecutions = Math.max(peakConcurrentExecutions ?? 0, p.value);
  }

  const meanOf = (key: (typeof weightedKeys)[number], step: number): number | null => {
    const w = weighted[key].weight.sums.get(step) ?? 0;
    return w > 0 ? (weighted[key].step.sums.get(step) ?? 0) / w : null;
  };
  const points: DetailMetricPoint[] = [];
  for (let step = window.fromMs; step < window.toMs; step += stepMs) {
    const collected = collectedThroughMs === null || step < collectedThroughMs;
    const count = (key: keyof typeof counts) => (collected ? (counts[key].sums.get(step) ?? 0) : null);
    points.push({
      timestampMs: step,
      invocations: count("invocations"),
      errors: count("errors"),
      throttles: count("throttles"),
      p50DurationMs: meanOf("p50DurationMs", step),
      p90DurationMs: meanOf("p90DurationMs", step),
      p99DurationMs: meanOf("p99DurationMs", step),
      maxConcurrentExecutions: concurrencyByStep.get(step) ?? null,
    });
  }

  const rangeMean = (key: (typeof weightedKeys)[number]) => (weighted[key].totalWeight > 0 ? weighted[key].total / weighted[key].totalWeight : null);
  return {
    totals: {
      invocations: totals.invocations,
      errors: totals.errors,
      errorRatio: totals.invocations > 0 ? totals.errors / totals.invocations : null,
      throttles: totals.throttles,
      throttleRatio: totals.invocations + totals.throttles > 0 ? totals.throttles / (totals.invocations + totals.throttles) : null,
      averageDurationMs: rangeMean("averageDurationMs"),
      p50DurationMs: rangeMean("p50DurationMs"),
      p90DurationMs: rangeMean("p90DurationMs"),
      p99DurationMs: rangeMean("p99DurationMs"),
      peakConcurrentExecutions,
    },
    points,
  };
}

/** How a grid step combines the periods inside it. */
export type StepAggregate = "sum" | "max";

/**
 * Several series on one grid (every `stepMs` from the window start, as summarizeDetailMetrics
 * uses): each step holds the sum or the maximum of the series' periods inside it, null where
 * the step has no datapoint.
 */
export function bucketOnGrid<K extends string>(
  window: TimeWindow,
  stepMs: number,
  series: Record<K, { points: readonly MetricPoint[]; aggregate: StepAggregate }>,
): ({ timestampMs: number } & Record<K, number | null>)[] {
  if (stepMs <= 0) throw new RangeError(`stepMs must be positive, got ${stepMs}`);
  const names = Object.keys(series) as K[];
  const byName = new Map<K, Map<number, number>>();
  for (const name of names) {
    const { points, aggregate } = series[name];
    const byStep = new Map<number, number>();
    for (const p of points) {
      if (!inWindow(p, window)) continue;
      const step = window.fromMs + Math.floor((p.timestampMs - window.fromMs) / stepMs) * stepMs;
      const seen = byStep.get(step);
      byStep.set(step, seen === undefined ? p.value : aggregate === "sum" ? seen + p.value : Math.max(seen, p.value));
    }
    byName.set(name, byStep);
  }
  const rows: ({ timestampMs: number } & Record<K, number | null>)[] = [];
  for (let step = window.fromMs; step < window.toMs; step += stepMs) {
    const row = { timestampMs: step } as { timestampMs: number } & Record<K, number | null>;
    for (const name of names) (row as Record<K, number | null>)[name] = byName.get(name)!.get(step) ?? null;
    rows.push(row);
  }
  return rows;
}
