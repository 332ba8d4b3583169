import { binLowerEdgeMs, binUpperEdgeMs, histogramTotal, type LatencyHistogram } from "@/lib/domain/service-map/latency-histogram";
import type { TrafficStats } from "@/lib/domain/service-map/traffic-stats";

/**
 * Requests of a histogram answered within `thresholdMs`: whole bins below it, and of the bin
 * the threshold falls in the share below it, geometrically (the bins are log-spaced, as
 * percentileMs interpolates). Exact when the threshold is a bin edge: the powers of ten (1,
 * 10, 100 ms …) and every tenth of a decade between them (≈ 125.9, 158.5, 199.5, 251.2 ms …);
 * a round threshold such as 200 ms takes a sliver of the next bin.
 */
export function countWithinMs(histogram: LatencyHistogram, thresholdMs: number): number {
  let within = 0;
  histogram.counts.forEach((count, i) => {
    const bin = histogram.firstBin + i;
    const lower = binLowerEdgeMs(bin);
    const upper = binUpperEdgeMs(bin);
    if (upper <= thresholdMs) within += count;
    else if (lower < thresholdMs) within += count * (Math.log(thresholdMs / lower) / Math.log(upper / lower));
  });
  return within;
}

/**
 * Good and total requests of a function node's X-Ray statistics for one hour.
 * Availability: ok vs everything (errors, throttles and faults are all bad). Request-based
 * latency: requests within the threshold vs all with a response time.
 */
export function sliFromTrafficStats(
  stats: TrafficStats,
  indicator: { kind: "availability" } | { kind: "latency"; thresholdMs: number },
): { good: number; total: number } {
  if (indicator.kind === "availability") return { good: stats.okCount, total: stats.totalCount };
  return { good: countWithinMs(stats.histogram, indicator.thresholdMs), total: histogramTotal(stats.histogram) };
}
