import { type TimeWindow } from "@/lib/domain/shared/time";
import { type SliBucket } from "@/lib/domain/slo/sli-bucket";

/** Good and total events of an SLI inside a window, and how much of the window had data. */
export interface SliWindowSum {
  good: number;
  total: number;
  /** Milliseconds of the window covered by buckets (0 … window length); gaps are missing data. */
  coveredMs: number;
}

/**
 * The part of `bucket` inside `window`, as a fraction of the bucket (0 … 1). A bucket covers
 * [startMs, startMs + durationMs). A bucket of no duration has its events at one instant:
 * all of it when that instant is inside the window, none otherwise.
 */
export function bucketShareIn(bucket: SliBucket, window: TimeWindow): { fraction: number; overlapMs: number } {
  if (bucket.durationMs <= 0) {
    const inside = bucket.startMs >= window.fromMs && bucket.startMs < window.toMs;
    return { fraction: inside ? 1 : 0, overlapMs: 0 };
  }
  const overlapMs = Math.max(0, Math.min(bucket.startMs + bucket.durationMs, window.toMs) - Math.max(bucket.startMs, window.fromMs));
  return { fraction: overlapMs / bucket.durationMs, overlapMs };
}

/**
 * Sums the good and total events of `buckets` over `window` ([fromMs, toMs)). A bucket wholly
 * inside counts fully; one that straddles an edge counts pro rata to its overlap (an hourly
 * bucket with 15 minutes inside adds a quarter of its events). That assumes events spread
 * evenly inside a bucket, the best a bucket can tell; the error is at most one bucket's
 * events at each edge, which is why minute buckets are preferred for short windows.
 * The sums may therefore be fractional. Buckets need not be sorted; they must not overlap
 * (SliBucket's contract), or coveredMs counts time twice.
 */
export function sumSliWindow(buckets: readonly SliBucket[], window: TimeWindow): SliWindowSum {
  let good = 0;
  let total = 0;
  let coveredMs = 0;
  if (window.toMs <= window.fromMs) return { good, total, coveredMs };
  for (const bucket of buckets) {
    const { fraction, overlapMs } = bucketShareIn(bucket, window);
    if (fraction === 0) continue;
    good += bucket.good * fraction;
    total += bucket.total * fraction;
    coveredMs += overlapMs;
  }
  return { good, total, coveredMs };
}
