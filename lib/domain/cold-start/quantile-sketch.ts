import type { Percentiles } from "@/lib/domain/cold-start/report-stats";
import { normalCdf, normalQuantile } from "@/lib/domain/cold-start/normal-distribution";

/**
 * Distributions known only by a few percentiles, and mixtures of them.
 *
 * Logs Insights gives each function-hour's init durations as p50/p90/p99/max, and CloudWatch
 * gives each period's Duration as p50/p90/p99. Percentiles of different periods cannot be
 * merged exactly (the p99 of a day is not any average of hourly p99s), so each period's
 * distribution is rebuilt from its percentiles and the periods are mixed, weighted by how
 * many values each holds. The merged percentiles are read off the mixture's CDF by bisection;
 * where many quantiles of one mixture are needed (the p99 model) it is tabulated once instead.
 *
 * Rebuilding one period: between the known percentiles, ln(value) is linear in the normal
 * score z = Φ⁻¹(q) — exact for a log-normal distribution, the usual model of init and
 * invocation durations (the simulator uses it too). Below the median, where nothing is
 * known, the distribution is taken as log-symmetric (the 10th percentile is p50²/p90, as it
 * is for a log-normal). `max` is placed at q = n/(n+1), the expected position of the largest
 * of n values (at least 0.995), and nothing lies beyond it. The measured error of the merge
 * on known distributions is in tests/unit/cold-start-quantile-sketch.test.ts.
 */

/** A rebuilt distribution: ln(value) at ascending normal scores; no mass outside the ends. */
export interface QuantileSketch {
  /** Normal scores, ascending. */
  readonly z: readonly number[];
  /** ln(value) at each score, non-decreasing. */
  readonly logValue: readonly number[];
}

const Z90 = normalQuantile(0.9);
const Z99 = normalQuantile(0.99);
/** REPORT lines resolve 0.01 ms; a floor keeps ln finite for a zero percentile. */
const MIN_VALUE = 0.01;
/** `max` sits at least this high even with few values (then p99 and max are nearly the same value). */
const MIN_TOP_Q = 0.995;
/** Without a max (CloudWatch), the tail is extended to this score (q = 1 − 10⁻⁶) along the p90→p99 slope. */
const TAIL_EXTENT_Z = normalQuantile(1 - 1e-6);

/** Mirrors the upper knots below the median (log-symmetric) and joins both halves. */
function symmetricSketch(medianValue: number, upper: readonly [z: number, value: number][]): QuantileSketch {
  const logMedian = Math.log(medianValue);
  const z: number[] = [];
  const logValue: number[] = [];
  for (let i = upper.length - 1; i >= 0; i--) {
    z.push(-upper[i]![0]);
    logValue.push(2 * logMedian - Math.log(upper[i]![1]));
  }
  z.push(0);
  logValue.push(logMedian);
  for (const [score, value] of upper) {
    z.push(score);
    logValue.push(Math.log(value));
  }
  return { z, logValue };
}

/**
 * The distribution of `count` values summarised by p50/p90/p99/max (one function-hour's
 * Init Duration from Logs Insights). Out-of-order percentiles (an approximate pct()) are
 * lifted so the sketch stays monotone.
 */
export function sketchFromPercentiles(percentiles: Percentiles, count: number): QuantileSketch {
  const v50 = Math.max(percentiles.p50, MIN_VALUE);
  const v90 = Math.max(percentiles.p90, v50);
  const v99 = Math.max(percentiles.p99, v90);
  const vMax = Math.max(percentiles.max, v99);
  const zTop = normalQuantile(Math.max(MIN_TOP_Q, count / (count + 1)));
  return symmetricSketch(v50, [
    [Z90, v90],
    [Z99, v99],
    [zTop, vMax],
  ]);
}

/**
 * The distribution behind p50/p90/p99 alone (a CloudWatch Duration datapoint): beyond p99
 * the tail continues log-normally with the slope between p90 and p99.
 */
export function sketchFromCorePercentiles(percentiles: Pick<Percentiles, "p50" | "p90" | "p99">): QuantileSketch {
  const v50 = Math.max(percentiles.p50, MIN_VALUE);
  const v90 = Math.max(percentiles.p90, v50);
  const v99 = Math.max(percentiles.p99, v90);
  const slope = (Math.log(v99) - Math.log(v90)) / (Z99 - Z90);
  return symmetricSketch(v50, [
    [Z90, v90],
    [Z99, v99],
    [TAIL_EXTENT_Z, v99 * Math.exp(slope * (TAIL_EXTENT_Z - Z99))],
  ]);
}

/** P(value ≤ e^logX) under the sketch. */
function cdfAtLog(sketch: QuantileSketch, logX: number): number {
  const { z, logValue } = sketch;
  const last = z.length - 1;
  if (logX < logValue[0]!) return 0;
  if (logX >= logValue[last]!) return 1;
  // The largest knot at or below logX; the next one is above it (so no division by zero).
  for (let i = last - 1; i >= 0; i--) {
    const lower = logValue[i]!;
    if (lower <= logX) {
      const upper = logValue[i + 1]!;
      return normalCdf(z[i]! + ((z[i + 1]! - z[i]!) * (logX - lower)) / (upper - lower));
    }
  }
  return 0;
}

/** P(value ≤ x) under a sketch. */
export function cdfOf(sketch: QuantileSketch, x: number): number {
  return x <= 0 ? 0 : cdfAtLog(sketch, Math.log(x));
}

/** The q-quantile (0..1) of a sketch. */
export function quantileOf(sketch: QuantileSketch, q: number): number {
  const { z, logValue } = sketch;
  const last = z.length - 1;
  const score = normalQuantile(q);
  if (score <= z[0]!) return Math.exp(logValue[0]!);
  if (score >= z[last]!) return Math.exp(logValue[last]!);
  let i = 0;
  while (z[i + 1]! < score) i++;
  const t = (score - z[i]!) / (z[i + 1]! - z[i]!);
  return Math.exp(logValue[i]! + t * (logValue[i + 1]! - logValue[i]!));
}

/** One component of a mixture and its weight (values it holds: cold starts, invocations). */
export interface WeightedSketch {
  sketch: QuantileSketch;
  weight: number;
}

/**
 * A mixture's CDF tabulated on a grid even in ln(value), from the smallest to the largest
 * value any component can take; values between grid points are interpolated.
 */
export interface Mixture {
  logGrid: Float64Array;
  cdf: Float64Array;
}

/**
 * Grid points of a tabulated mixture. With 1,024 points a component spanning a 10× range gets
 * a cell every 0.5 % of value; linear interpolation within a cell is far finer than that.
 */
export const MIXTURE_GRID_POINTS = 1024;

/** Tabulates the weighted mixture of sketches; null when no component has weight. */
export function tabulateMixture(parts: readonly WeightedSketch[], gridPoints = MIXTURE_GRID_POINTS): Mixture | null {
  const weighted = parts.filter((p) => p.weight > 0);
  const totalWeight = weighted.reduce((sum, p) => sum + p.weight, 0);
  if (weighted.length === 0 || !(totalWeight > 0)) return null;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const { sketch } of weighted) {
    lo = Math.min(lo, sketch.logValue[0]!);
    hi = Math.max(hi, sketch.logValue[sketch.logValue.length - 1]!);
  }
  // Every component a single value: a point mass.
  if (hi - lo < 1e-12) return { logGrid: Float64Array.of(hi), cdf: Float64Array.of(1) };
  const points = Math.max(2, gridPoints);
  const logGrid = new Float64Array(points);
  const cdf = new Float64Array(points);
  for (let g = 0; g < points; g++) {
    const logX = g === points - 1 ? hi : lo + ((hi - lo) * g) / (points - 1);
    logGrid[g] = logX;
    let sum = 0;
    for (const { sketch, weight } of weighted) sum += weight * cdfAtLog(sketch, logX);
    cdf[g] = Math.min(1, sum / totalWeight);
  }
  return { logGrid, cdf };
}

/** P(value ≤ x) under a tabulated mixture. */
export function mixtureCdf(mixture: Mixture, x: number): number {
  const { logGrid, cdf } = mixture;
  const last = logGrid.length - 1;
  if (x <= 0) return 0;
  const logX = Math.log(x);
  if (logX < logGrid[0]!) return 0;
  if (logX >= logGrid[last]!) return 1;
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (logGrid[mid]! <= logX) lo = mid;
    else hi = mid;
  }
  const t = (logX - logGrid[lo]!) / (logGrid[hi]! - logGrid[lo]!);
  return cdf[lo]! + t * (cdf[hi]! - cdf[lo]!);
}

/** The q-quantile (0..1) of a tabulated mixture. */
export function mixtureQuantile(mixture: Mixture, q: number): number {
  const { logGrid, cdf } = mixture;
  if (q <= cdf[0]!) return Math.exp(logGrid[0]!);
  // The first grid point whose CDF reaches q (there is one: the last is 1).
  let lo = 0;
  let hi = cdf.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid]! >= q) hi = mid;
    else lo = mid;
  }
  const span = cdf[hi]! - cdf[lo]!;
  const t = span > 0 ? (q - cdf[lo]!) / span : 1;
  return Math.exp(logGrid[lo]! + t * (logGrid[hi]! - logGrid[lo]!));
}

/** A period's percentiles and how many values they summarise. */
export interface CountedPercentiles {
  percentiles: Percentiles;
  count: number;
}

/**
 * Merges per-period percentiles into the percentiles of all their values together, as the
 * count-weighted mixture of each period's rebuilt distribution (see the module comment). One
 * period is returned as it is; `max` is exact (the largest max). Null when nothing is counted.
 */
export function mergePercentiles(parts: readonly CountedPercentiles[]): Percentiles | null {
  const counted = parts.filter((p) => p.count > 0);
  if (counted.length === 0) return null;
  if (counted.length === 1) return { ...counted[0]!.percentiles };
  const max = Math.max(...counted.map((p) => p.percentiles.max));
  const sketches = counted.map((p) => ({ sketch: sketchFromPercentiles(p.percentiles, p.count), weight: p.count }));
  const at = (q: number) => Math.min(max, roundHundredths(bisectMixtureQuantile(sketches, q)));
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max };
}

/** Bisection steps in ln(value): a range of e¹⁰ narrows to a factor of 1 + 10⁻⁹. */
const BISECTION_STEPS = 34;

/**
 * The q-quantile of a weighted mixture, by bisection on its CDF — for a few quantiles this is
 * far cheaper than tabulating (34 CDF evaluations per component and quantile instead of 1,024).
 */
export function bisectMixtureQuantile(parts: readonly WeightedSketch[], q: number): number {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  let totalWeight = 0;
  for (const { sketch, weight } of parts) {
    if (!(weight > 0)) continue;
    lo = Math.min(lo, sketch.logValue[0]!);
    hi = Math.max(hi, sketch.logValue[sketch.logValue.length - 1]!);
    totalWeight += weight;
  }
  if (!(totalWeight > 0)) return Number.NaN;
  const cdfAt = (logX: number) => {
    let sum = 0;
    for (const { sketch, weight } of parts) if (weight > 0) sum += weight * cdfAtLog(sketch, logX);
    return sum / totalWeight;
  };
  // The smallest value whose CDF reaches q lies in [lo, hi]: at hi every component is at 1.
  if (cdfAt(lo) >= q) return Math.exp(lo);
  for (let step = 0; step < BISECTION_STEPS; step++) {
    const mid = (lo + hi) / 2;
    if (cdfAt(mid) >= q) hi = mid;
    else lo = mid;
  }
  return Math.exp(hi);
}

/** Values keep the REPORT line's 0.01 resolution (no float noise in views and JSON). */
function roundHundredths(value: number): number {
  return Math.round(value * 100) / 100;
}
