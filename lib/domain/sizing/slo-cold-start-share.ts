import { normalCdf } from "@/lib/domain/cold-start/normal-distribution";
import type { ReportStats } from "@/lib/domain/cold-start/report-stats";
import type { PeriodSample } from "@/lib/domain/sizing/tuning-types";

/**
 * How much of a latency SLO's bad events cold starts cause (issue 7 reads it for provisioned
 * concurrency; issue 6 made the SLO). Per hour:
 * - warm latency is log-normal through CloudWatch's Duration p50 and p99 (Duration excludes INIT);
 * - a cold request waits INIT (log-normal through the hour's Init p50/p99) plus a warm duration;
 * - bad = warm requests over the threshold + cold requests over it; what cold starts *cause* is
 *   the cold requests that are bad beyond what the same requests would have been warm.
 * The share is Σ caused / Σ bad over the hours. Period-based SLOs (a minute is bad when its
 * percentile misses) are approximated by the same per-request share: cold starts are what push
 * a sparse minute's percentile over, so the order of magnitude holds; the assumption is shown.
 */

const Z99 = 2.3263478740408408;

/** P(X > x) for a log-normal through its median and p99. */
export function logNormalExceedance(median: number, p99: number, x: number): number {
  if (x <= 0) return 1;
  if (median <= 0) return 0;
  const sigma = Math.max(1e-6, Math.log(Math.max(p99, median) / median) / Z99);
  return 1 - normalCdf((Math.log(x) - Math.log(median)) / sigma);
}

export interface ColdStartBadShare {
  /** Σ cold-caused bad / Σ bad, 0..1; null without bad events or cold-start data. */
  share: number | null;
  badEvents: number;
  coldCausedBadEvents: number;
  invocations: number;
  coldStarts: number;
}

/** The share of a latency threshold's bad events that cold starts cause, over the hours given. */
export function coldStartBadShare(thresholdMs: number, hours: readonly PeriodSample[], reportStats: readonly ReportStats[]): ColdStartBadShare {
  const statsByHour = new Map<number, ReportStats[]>();
  for (const s of reportStats) statsByHour.set(s.hourStartMs, [...(statsByHour.get(s.hourStartMs) ?? []), s]);
  let bad = 0;
  let caused = 0;
  let invocations = 0;
  let coldStarts = 0;
  for (const hour of hours) {
    if (hour.invocations <= 0 || hour.durationP50Ms === null || hour.durationP99Ms === null) continue;
    const stats = statsByHour.get(hour.startMs) ?? [];
    const cold = stats.reduce((sum, s) => sum + s.coldStarts, 0);
    const warmBadP = logNormalExceedance(hour.durationP50Ms, hour.durationP99Ms, thresholdMs);
    const init = weightedInit(stats);
    // A cold request is bad when INIT alone leaves less than a warm median's time.
    const coldBadP = init === null ? warmBadP : Math.max(warmBadP, logNormalExceedance(init.p50, init.p99, thresholdMs - hour.durationP50Ms));
    const coldCount = Math.min(cold, hour.invocations);
    invocations += hour.invocations;
    coldStarts += coldCount;
    bad += (hour.invocations - coldCount) * warmBadP + coldCount * coldBadP;
    caused += coldCount * (coldBadP - warmBadP);
  }
  return { share: bad > 0 && coldStarts > 0 ? Math.min(1, caused / bad) : null, badEvents: bad, coldCausedBadEvents: caused, invocations, coldStarts };
}

/** Cold-start-weighted Init Duration p50/p99 of an hour's stats; null when none had INIT. */
function weightedInit(stats: readonly ReportStats[]): { p50: number; p99: number } | null {
  let weight = 0;
  let p50 = 0;
  let p99 = 0;
  for (const s of stats) {
    const init = s.initDurationMs ?? s.restoreDurationMs;
    if (init === null || s.coldStarts === 0) continue;
    weight += s.coldStarts;
    p50 += init.p50 * s.coldStarts;
    p99 += init.p99 * s.coldStarts;
  }
  return weight === 0 ? null : { p50: p50 / weight, p99: p99 / weight };
}
