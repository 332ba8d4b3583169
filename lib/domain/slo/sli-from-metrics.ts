import type { MetricPoint } from "@/lib/domain/metrics/lambda-metrics";
import type { SliBucket } from "@/lib/domain/slo/sli-bucket";
import { MINUTE_MS } from "@/lib/domain/shared/time";

/**
 * SLI buckets from a function's CloudWatch series (minute or hour points).
 *
 * Availability: Lambda counts a throttled request in Throttles but not in Invocations, and a
 * failed one in both Invocations and Errors, so good = Invocations − Errors and total =
 * Invocations + Throttles.
 */
export function availabilityFromMetrics(
  points: { invocations: readonly MetricPoint[]; errors: readonly MetricPoint[]; throttles: readonly MetricPoint[] },
  bucketMs: number,
): SliBucket[] {
  const byStart = new Map<number, { invocations: number; errors: number; throttles: number }>();
  const at = (startMs: number) => {
    let counts = byStart.get(startMs);
    if (!counts) byStart.set(startMs, (counts = { invocations: 0, errors: 0, throttles: 0 }));
    return counts;
  };
  for (const p of points.invocations) at(p.timestampMs).invocations += p.value;
  for (const p of points.errors) at(p.timestampMs).errors += p.value;
  for (const p of points.throttles) at(p.timestampMs).throttles += p.value;
  return [...byStart.entries()]
    .sort(([a], [b]) => a - b)
    .map(([startMs, c]) => {
      // Errors can never exceed invocations; CloudWatch's own rounding must not make good negative.
      const errors = Math.min(c.errors, c.invocations);
      return { startMs, durationMs: bucketMs, good: c.invocations - errors, total: c.invocations + c.throttles };
    })
    .filter((b) => b.total > 0);
}

/**
 * Period-based latency: every minute with traffic is one event, good when its Duration
 * percentile meets the threshold. From hourly points (history older than the minute data)
 * an hour is 60 one-minute slices judged by the hour's percentile: coarser, and said so.
 */
export function periodLatencyFromMetrics(
  points: { percentile: readonly MetricPoint[]; invocations: readonly MetricPoint[] },
  thresholdMs: number,
  bucketMs: number,
): SliBucket[] {
  const busy = new Set(points.invocations.filter((p) => p.value > 0).map((p) => p.timestampMs));
  const slices = Math.max(1, Math.round(bucketMs / MINUTE_MS));
  return points.percentile
    .filter((p) => busy.has(p.timestampMs) && Number.isFinite(p.value))
    .sort((a, b) => a.timestampMs - b.timestampMs)
    .map((p) => ({ startMs: p.timestampMs, durationMs: bucketMs, good: p.value <= thresholdMs ? slices : 0, total: slices }));
}

/** Adds series bucket by bucket (the functions of a service target); buckets of equal start merge. */
export function addSliSeries(series: readonly (readonly { startMs: number; durationMs: number; good: number; total: number }[])[]): SliBucket[] {
  const byStart = new Map<number, SliBucket>();
  for (const buckets of series) {
    for (const b of buckets) {
      const known = byStart.get(b.startMs);
      if (known) {
        known.good += b.good;
        known.total += b.total;
        known.durationMs = Math.max(known.durationMs, b.durationMs);
      } else byStart.set(b.startMs, { ...b });
    }
  }
  return [...byStart.values()].sort((a, b) => a.startMs - b.startMs);
}
