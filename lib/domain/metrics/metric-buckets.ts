import { metricKeyId, metricKeysFor, metricTargetId, type MetricBucket, type MetricPoint, type MetricResolution, type MetricTarget } from "@/lib/domain/metrics/lambda-metrics";
import type { MetricDataQuery } from "@/lib/domain/metrics/metric-data-queries";
import { DAY_MS, HOUR_MS, MINUTE_MS, type TimeWindow } from "@/lib/domain/shared/time";

/** Period and bucket length of each resolution: 60 minutes per hour item, 24 hours per day item. */
export const RESOLUTIONS: Record<MetricResolution, { periodMs: number; bucketMs: number; slots: number }> = {
  minute: { periodMs: MINUTE_MS, bucketMs: HOUR_MS, slots: 60 },
  hour: { periodMs: HOUR_MS, bucketMs: DAY_MS, slots: 24 },
};

/**
 * Turns one slice's answers into whole buckets: for every target, every bucket the slice
 * covers, every key of the target, one value per period (null where CloudWatch had none).
 * A bucket without a single datapoint (an idle function) is left out. Points outside the slice
 * or off the period grid are counted in `misaligned`, not stored.
 */
export function toMetricBuckets(
  results: readonly { query: MetricDataQuery; points: readonly MetricPoint[] }[],
  scope: { accountId: string; region: string },
  resolution: MetricResolution,
  slice: TimeWindow,
): { buckets: MetricBucket[]; misaligned: number } {
  const { periodMs, bucketMs, slots } = RESOLUTIONS[resolution];
  const byTarget = new Map<string, { target: MetricTarget; buckets: Map<number, Record<string, (number | null)[]>> }>();
  let misaligned = 0;
  for (const { query, points } of results) {
    const { target, key } = query.target;
    const id = metricTargetId(target);
    let entry = byTarget.get(id);
    if (!entry) byTarget.set(id, (entry = { target, buckets: new Map() }));
    for (const point of points) {
      const { timestampMs, value } = point;
      if (timestampMs < slice.fromMs || timestampMs >= slice.toMs || timestampMs % periodMs !== 0 || !Number.isFinite(value)) {
        misaligned += 1;
        continue;
      }
      const startMs = Math.floor(timestampMs / bucketMs) * bucketMs;
      let values = entry.buckets.get(startMs);
      if (!values) {
        values = Object.fromEntries(metricKeysFor(target).map((k) => [metricKeyId(k), new Array<number | null>(slots).fill(null)]));
        entry.buckets.set(startMs, values);
      }
      const series = values[metricKeyId(key)];
      if (series) series[(timestampMs - startMs) / periodMs] = value;
    }
  }
  const buckets: MetricBucket[] = [];
  for (const { target, buckets: byStart } of byTarget.values()) {
    for (const [startMs, values] of [...byStart.entries()].sort((a, b) => a[0] - b[0])) {
      buckets.push({ ...scope, target, resolution, startMs, values });
    }
  }
  return { buckets, misaligned };
}

/** The points of one key of a bucket that fall inside a window, oldest first. */
export function pointsOfBucket(bucket: Pick<MetricBucket, "resolution" | "startMs" | "values">, keyId: string, window: TimeWindow): MetricPoint[] {
  const { periodMs } = RESOLUTIONS[bucket.resolution];
  const values = bucket.values[keyId] ?? [];
  const points: MetricPoint[] = [];
  values.forEach((value, slot) => {
    const timestampMs = bucket.startMs + slot * periodMs;
    if (value !== null && timestampMs >= window.fromMs && timestampMs < window.toMs) points.push({ timestampMs, value });
  });
  return points;
}
