import { normalCdf, normalInverseCdf } from "../model/distributions";

/**
 * Quantile arithmetic for log values: drawing from truncated distributions (exact records) and
 * the mean of a distribution over a quantile interval (weighted strata), so a stratum standing
 * for w lines carries the value that makes w·value the expected sum of those lines.
 */

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
/** Quantiles are kept inside (0, 1) so the inverse CDF stays finite. */
const EPSILON = 1e-12;

function clampQuantile(q: number): number {
  return Math.min(1 - EPSILON, Math.max(EPSILON, q));
}

/** q-quantile of lognormal(μ, σ). */
export function lognormalQuantile(logMedian: number, sigma: number, q: number): number {
  return Math.exp(logMedian + sigma * normalInverseCdf(clampQuantile(q)));
}

/** CDF of lognormal(μ, σ) at x > 0. */
export function lognormalCdf(logMedian: number, sigma: number, x: number): number {
  if (x <= 0) return 0;
  return normalCdf((Math.log(x) - logMedian) / sigma);
}

/** q-quantile of normal(mean, sd). */
export function normalQuantile(mean: number, sd: number, q: number): number {
  return mean + sd * normalInverseCdf(clampQuantile(q));
}

/** Φ⁻¹(q) with the open ends at ±∞. */
function zOf(q: number): number {
  if (q <= 0) return -Infinity;
  if (q >= 1) return Infinity;
  return normalInverseCdf(clampQuantile(q));
}

/**
 * Mean of lognormal(μ, σ) restricted to the quantile interval [a, b]:
 * e^(μ+σ²/2) · (Φ(z_b − σ) − Φ(z_a − σ)) / (b − a), kept within the interval's quantiles
 * (the CDF approximation is only good to ~1e-7, which matters in thin tail slices).
 */
export function lognormalMeanBetween(logMedian: number, sigma: number, a: number, b: number): number {
  if (b - a < 1e-6) return lognormalQuantile(logMedian, sigma, (a + b) / 2);
  const za = zOf(a);
  const zb = zOf(b);
  const low = za === -Infinity ? 0 : Math.exp(logMedian + sigma * za);
  const high = zb === Infinity ? Infinity : Math.exp(logMedian + sigma * zb);
  const mass = (zb === Infinity ? 1 : normalCdf(zb - sigma)) - (za === -Infinity ? 0 : normalCdf(za - sigma));
  const mean = (Math.exp(logMedian + (sigma * sigma) / 2) * mass) / (b - a);
  return Number.isFinite(mean) ? Math.min(high, Math.max(low, mean)) : lognormalQuantile(logMedian, sigma, (a + b) / 2);
}

/**
 * `lognormalMeanBetween` over the consecutive intervals [q[s], q[s+1]] of `quantiles` (s <
 * `out.length`), written to `out`: the same values, with each boundary's inverse CDF and CDF
 * computed once instead of once per interval it bounds. `z` is scratch of quantiles.length.
 */
export function lognormalMeansBetween(logMedian: number, sigma: number, quantiles: Float64Array, z: Float64Array, out: Float64Array): void {
  for (let i = 0; i <= out.length; i++) z[i] = zOf(quantiles[i]!);
  const scale = Math.exp(logMedian + (sigma * sigma) / 2);
  // The boundary values of the interval below, carried to the next interval as its lower ones.
  let lowAt = Number.NaN;
  let massBelow = Number.NaN;
  for (let s = 0; s < out.length; s++) {
    const a = quantiles[s]!;
    const b = quantiles[s + 1]!;
    const za = z[s]!;
    const zb = z[s + 1]!;
    const low = za === -Infinity ? 0 : Number.isNaN(lowAt) ? Math.exp(logMedian + sigma * za) : lowAt;
    const below = za === -Infinity ? 0 : Number.isNaN(massBelow) ? normalCdf(za - sigma) : massBelow;
    const highAt = zb === Infinity ? Infinity : Math.exp(logMedian + sigma * zb);
    const massAt = zb === Infinity ? 1 : normalCdf(zb - sigma);
    // The upper boundary's values serve as the next interval's lower ones only when finite there.
    lowAt = Number.isFinite(zb) ? highAt : Number.NaN;
    massBelow = Number.isFinite(zb) ? massAt : Number.NaN;
    if (b - a < 1e-6) {
      out[s] = lognormalQuantile(logMedian, sigma, (a + b) / 2);
      continue;
    }
    const mean = (scale * (massAt - below)) / (b - a);
    out[s] = Number.isFinite(mean) ? Math.min(highAt, Math.max(low, mean)) : lognormalQuantile(logMedian, sigma, (a + b) / 2);
  }
}

/** Mean of normal(mean, sd) restricted to the quantile interval [a, b]. */
export function normalMeanBetween(mean: number, sd: number, a: number, b: number): number {
  if (sd <= 0) return mean;
  if (b - a < 1e-6) return normalQuantile(mean, sd, (a + b) / 2);
  const za = zOf(a);
  const zb = zOf(b);
  const density = (z: number) => (Number.isFinite(z) ? INV_SQRT_2PI * Math.exp(-0.5 * z * z) : 0);
  const value = mean + (sd * (density(za) - density(zb))) / (b - a);
  return Math.min(mean + sd * zb, Math.max(mean + sd * za, value));
}

/**
 * The mean over [a, b] shifted by `shift` around the unit circle. Shifting every stratum by
 * the same amount still tiles [0, 1], so a second quantity (memory, init) keeps its exact
 * distribution across strata without being perfectly correlated with the first (duration).
 */
export function rotatedMeanBetween(meanBetween: (a: number, b: number) => number, a: number, b: number, shift: number): number {
  const start = (a + shift) % 1;
  const end = start + (b - a);
  if (end <= 1 + 1e-12) return meanBetween(start, Math.min(1, end));
  const first = 1 - start;
  const second = end - 1;
  return (meanBetween(start, 1) * first + meanBetween(0, second) * second) / (first + second);
}

/**
 * Splits an integer `total` over the intervals between `breakpoints` (0 … 1) in proportion to
 * their widths, by largest remainder: integers that sum exactly to `total`.
 */
export function splitByLargestRemainder(total: number, breakpoints: readonly number[]): number[] {
  const intervals = breakpoints.length - 1;
  const counts = new Array<number>(intervals);
  const remainders = new Array<number>(intervals);
  let left = total;
  for (let i = 0; i < intervals; i++) {
    const share = total * (breakpoints[i + 1]! - breakpoints[i]!);
    const whole = Math.floor(share);
    counts[i] = whole;
    remainders[i] = share - whole;
    left -= whole;
  }
  // Fewer than `intervals` units remain: hand them out largest remainder first (ties: earlier slice).
  for (; left > 0; left--) {
    let best = 0;
    for (let i = 1; i < intervals; i++) if (remainders[i]! > remainders[best]!) best = i;
    counts[best]!++;
    remainders[best] = -1;
  }
  return counts;
}
