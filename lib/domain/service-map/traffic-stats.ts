import { addHistograms, emptyHistogram, percentileMs, type LatencyHistogram } from "@/lib/domain/service-map/latency-histogram";
import { MINUTE_MS } from "@/lib/domain/shared/time";

/**
 * The requests a service-graph node served, or that crossed an edge, in a window, as X-Ray
 * counts them (SummaryStatistics). Everything is additive, so hours and duplicate nodes merge
 * by adding. X-Ray's ErrorStatistics.TotalCount = errorCount + throttleCount: a throttle
 * (429) is an error too, kept apart here so the map can show it on its own.
 */
export interface TrafficStats {
  /** Requests answered without error or fault. */
  okCount: number;
  /** Client errors (4xx) other than throttles. */
  errorCount: number;
  /** Throttled requests (429). */
  throttleCount: number;
  /** Server faults (5xx). */
  faultCount: number;
  totalCount: number;
  /** Sum of the requests' response times (ms), for the mean. */
  responseTimeSumMs: number;
  histogram: LatencyHistogram;
}

export function emptyTrafficStats(): TrafficStats {
  return { okCount: 0, errorCount: 0, throttleCount: 0, faultCount: 0, totalCount: 0, responseTimeSumMs: 0, histogram: emptyHistogram() };
}

/** Rounds a sum of ms to the microsecond, so stored sums have no floating-point tails. */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Adds traffic stats (hours of one node, or duplicate nodes of one hour). */
export function addTrafficStats(...all: readonly TrafficStats[]): TrafficStats {
  const sum = emptyTrafficStats();
  for (const s of all) {
    sum.okCount += s.okCount;
    sum.errorCount += s.errorCount;
    sum.throttleCount += s.throttleCount;
    sum.faultCount += s.faultCount;
    sum.totalCount += s.totalCount;
    sum.responseTimeSumMs += s.responseTimeSumMs;
  }
  sum.responseTimeSumMs = roundMs(sum.responseTimeSumMs);
  sum.histogram = addHistograms(...all.map((s) => s.histogram));
  return sum;
}

/** What the map shows for a node or edge over a window. */
export interface TrafficSummary {
  requestsPerMinute: number;
  /** Shares of totalCount, 0..1; null without requests. */
  errorRatio: number | null;
  throttleRatio: number | null;
  faultRatio: number | null;
  meanResponseTimeMs: number | null;
  /** From the response-time histogram, within the grid's ±13 %. */
  p50ResponseTimeMs: number | null;
  p99ResponseTimeMs: number | null;
}

/**
 * Rates, ratios and percentiles of traffic stats over `coveredMs` of collected time (the
 * sum of the merged windows' lengths, so a partial hour does not dilute the rate).
 */
export function summarizeTraffic(stats: TrafficStats, coveredMs: number): TrafficSummary {
  const total = stats.totalCount;
  const ratio = (count: number) => (total > 0 ? count / total : null);
  return {
    requestsPerMinute: coveredMs > 0 ? total / (coveredMs / MINUTE_MS) : 0,
    errorRatio: ratio(stats.errorCount),
    throttleRatio: ratio(stats.throttleCount),
    faultRatio: ratio(stats.faultCount),
    meanResponseTimeMs: total > 0 ? stats.responseTimeSumMs / total : null,
    p50ResponseTimeMs: percentileMs(stats.histogram, 0.5),
    p99ResponseTimeMs: percentileMs(stats.histogram, 0.99),
  };
}
