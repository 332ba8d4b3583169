import {
  mixtureCdf,
  mixtureQuantile,
  sketchFromCorePercentiles,
  sketchFromPercentiles,
  tabulateMixture,
  type CountedPercentiles,
} from "@/lib/domain/cold-start/quantile-sketch";

/** Fewer invocations than this and a p99 is one or two calls: too little to say what drives it. */
export const MIN_INVOCATIONS_FOR_P99 = 100;
/** Cold starts cause at least this share of the p99 a caller sees: they dominate it. */
export const COLD_STARTS_DOMINATE_SHARE = 0.5;
/** Below this share, removing cold starts would hardly move the p99. */
export const COLD_STARTS_VISIBLE_SHARE = 0.1;

/** One period's CloudWatch Duration percentiles (ms; no INIT in them) and its invocations. */
export interface DurationPercentilesPoint {
  p50: number;
  p90: number;
  p99: number;
  invocations: number;
}

export type ColdStartLatencyImpact =
  | {
      kind: "estimated";
      /** Cold starts / invocations over the window, 0..1. */
      coldStartRatio: number;
      /** p99 of the latency callers see (warm duration, plus the cold-start time for the cold share), ms. */
      callerP99Ms: number;
      /** p99 were every invocation warm, ms: what provisioned concurrency gives the traffic it covers. */
      warmP99Ms: number;
      /** callerP99Ms − warmP99Ms. */
      coldStartAddedP99Ms: number;
      /** coldStartAddedP99Ms / callerP99Ms, 0..1: the share of the p99 that cold starts cause. */
      coldStartShareOfP99Ratio: number;
      /**
       * dominate (≥ COLD_STARTS_DOMINATE_SHARE): provisioned concurrency (or SnapStart) would cut
       * the p99 the most; visible (≥ COLD_STARTS_VISIBLE_SHARE): it would help; negligible: the
       * p99 is the handler's own, look elsewhere.
       */
      verdict: "cold-starts-dominate" | "cold-starts-visible" | "negligible";
    }
  | { kind: "insufficient-data"; reason: string };

/** Quantile midpoints per marginal in the convolution of warm duration and cold-start time. */
const CONVOLUTION_POINTS = 200;
const CALLER_QUANTILE = 0.99;

/**
 * How much of the p99 latency a caller sees is caused by cold starts.
 *
 * Model: an invocation's latency is its Duration D, plus — with probability r, the cold-start
 * ratio — the cold-start time I (Init Duration, or Restore Duration under SnapStart; FACTS §3:
 * cold latency = Restore Duration + Duration). D and I are taken as independent. D's
 * distribution is the invocation-weighted mixture of CloudWatch's per-period Duration
 * p50/p90/p99 (which hold no INIT), I's the cold-start-weighted mixture of the per-hour
 * Init/Restore percentiles (quantile-sketch.ts). The caller's latency distribution is then
 * F(x) = (1 − r)·P(D ≤ x) + r·P(D + I ≤ x), with D + I convolved numerically from quantile
 * midpoints; its p99 is compared with the p99 of D alone — the p99 were every call warm.
 *
 * Consequences worth knowing: with r well under 1 % the cold calls sit beyond the 99th
 * percentile and the share is small however slow INIT is (they show at p99.9); with r of a few
 * per cent and INIT ≫ D, the p99 is essentially a cold start.
 *
 * `insufficient-data` when there are fewer than MIN_INVOCATIONS_FOR_P99 invocations, no
 * Duration percentiles, or cold starts without any init/restore percentiles.
 */
export function estimateColdStartLatencyImpact(input: {
  invocations: number;
  coldStarts: number;
  warmDurations: readonly DurationPercentilesPoint[];
  coldStartDurations: readonly CountedPercentiles[];
}): ColdStartLatencyImpact {
  const { invocations, coldStarts } = input;
  if (invocations < MIN_INVOCATIONS_FOR_P99) {
    return { kind: "insufficient-data", reason: `${invocations} invocations in this range; a p99 needs at least ${MIN_INVOCATIONS_FOR_P99}` };
  }
  const warm = tabulateMixture(
    input.warmDurations
      .filter((p) => p.invocations > 0 && [p.p50, p.p90, p.p99].every((v) => Number.isFinite(v) && v >= 0))
      .map((p) => ({ sketch: sketchFromCorePercentiles(p), weight: p.invocations })),
  );
  if (warm === null) return { kind: "insufficient-data", reason: "no CloudWatch Duration percentiles stored for this range" };
  const warmP99Ms = mixtureQuantile(warm, CALLER_QUANTILE);
  const coldStartRatio = Math.min(1, coldStarts / invocations);
  if (coldStarts <= 0) return estimated(coldStartRatio, warmP99Ms, warmP99Ms);

  const cold = tabulateMixture(input.coldStartDurations.filter((p) => p.count > 0).map((p) => ({ sketch: sketchFromPercentiles(p.percentiles, p.count), weight: p.count })));
  if (cold === null) return { kind: "insufficient-data", reason: `${coldStarts} cold starts but no Init or Restore Duration percentiles for them` };

  // D + I at quantile midpoints of each: M² equally likely sums, sorted for counting.
  const m = CONVOLUTION_POINTS;
  const warmPoints = Array.from({ length: m }, (_, i) => mixtureQuantile(warm, (i + 0.5) / m));
  const coldPoints = Array.from({ length: m }, (_, i) => mixtureQuantile(cold, (i + 0.5) / m));
  const sums = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) sums[i * m + j] = warmPoints[i]! + coldPoints[j]!;
  sums.sort();
  const coldCdf = (x: number) => countAtOrBelow(sums, x) / sums.length;
  const callerCdf = (x: number) => (1 - coldStartRatio) * mixtureCdf(warm, x) + coldStartRatio * coldCdf(x);

  // Bisection in ln(x) for the smallest latency whose caller CDF reaches 0.99.
  let lo = Math.log(Math.max(1e-3, Math.min(warmPoints[0]!, sums[0]!)) / 2);
  let hi = Math.log(Math.max(sums[sums.length - 1]!, Math.exp(warm.logGrid[warm.logGrid.length - 1]!)) * 2);
  for (let k = 0; k < 60; k++) {
    const mid = (lo + hi) / 2;
    if (callerCdf(Math.exp(mid)) >= CALLER_QUANTILE) hi = mid;
    else lo = mid;
  }
  return estimated(coldStartRatio, warmP99Ms, Math.max(warmP99Ms, Math.exp(hi)));
}

function estimated(coldStartRatio: number, warmP99Ms: number, callerP99Ms: number): ColdStartLatencyImpact {
  const coldStartAddedP99Ms = Math.max(0, callerP99Ms - warmP99Ms);
  const coldStartShareOfP99Ratio = callerP99Ms > 0 ? coldStartAddedP99Ms / callerP99Ms : 0;
  return {
    kind: "estimated",
    coldStartRatio,
    callerP99Ms,
    warmP99Ms,
    coldStartAddedP99Ms,
    coldStartShareOfP99Ratio,
    verdict:
      coldStartShareOfP99Ratio >= COLD_STARTS_DOMINATE_SHARE
        ? "cold-starts-dominate"
        : coldStartShareOfP99Ratio >= COLD_STARTS_VISIBLE_SHARE
          ? "cold-starts-visible"
          : "negligible",
  };
}

/** How many of the sorted values are ≤ x. */
function countAtOrBelow(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
