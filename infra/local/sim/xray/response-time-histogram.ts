import { normalCdf } from "../model/distributions";

/**
 * Response-time histograms of the service graph, built from distributions rather than from
 * enumerated invocations: each minute adds `count × P(bin)` to every bin its distribution
 * covers, and the accumulated weights are rounded once (largest remainder) so the entries sum
 * to the exact number of requests. Bins are log-spaced, ten per decade from 0.1 ms to 1,000 s.
 */

/** A response time in ms: `shiftMs` plus a lognormal (optionally truncated), or a fixed value. */
export type TimeDistribution =
  | {
    kind: "lognormal";
    /** ln(median ms) of the lognormal part. */
    logMedianMs: number;
    sigma: number;
    /** The lognormal part is conditioned on being below this (ms); undefined = not truncated. */
    truncateBelowMs: number | undefined;
    shiftMs: number;
  }
  | { kind: "point"; valueMs: number };

const BINS_PER_DECADE = 10;
const FIRST_EDGE_LOG10_MS = -1;
const LAST_EDGE_LOG10_MS = 6;
export const BIN_COUNT = (LAST_EDGE_LOG10_MS - FIRST_EDGE_LOG10_MS) * BINS_PER_DECADE;
/** Bin i covers [EDGES_MS[i], EDGES_MS[i + 1]); the first and last bins also take what falls outside. */
const EDGES_MS = Array.from({ length: BIN_COUNT + 1 }, (_, i) => 10 ** (FIRST_EDGE_LOG10_MS + i / BINS_PER_DECADE));
/** Bin values in seconds (geometric centre, three significant digits), as X-Ray reports them. */
const BIN_VALUES_SEC = Array.from({ length: BIN_COUNT }, (_, i) => Number((Math.sqrt(EDGES_MS[i]! * EDGES_MS[i + 1]!) / 1000).toPrecision(3)));
/** The lognormal's mass beyond ±6σ is below 1e-9: bins outside are not evaluated. */
const TAIL_Z = 6;

/** Index of the bin holding `valueMs`. */
export function binOf(valueMs: number): number {
  if (!(valueMs > EDGES_MS[0]!)) return 0;
  const index = Math.floor((Math.log10(valueMs) - FIRST_EDGE_LOG10_MS) * BINS_PER_DECADE);
  return Math.min(BIN_COUNT - 1, Math.max(0, index));
}

/** The value (seconds) X-Ray shows for bin `index`. */
export function binValueSec(index: number): number {
  return BIN_VALUES_SEC[index] ?? 0;
}

/** Probability mass of the lognormal part below its truncation (1 when not truncated). */
function keptMass(dist: Extract<TimeDistribution, { kind: "lognormal" }>): number {
  return dist.truncateBelowMs === undefined ? 1 : normalCdf((Math.log(dist.truncateBelowMs) - dist.logMedianMs) / dist.sigma);
}

function lognormalCdf(dist: Extract<TimeDistribution, { kind: "lognormal" }>, mass: number, xMs: number): number {
  const y = xMs - dist.shiftMs;
  if (y <= 0) return 0;
  if (dist.truncateBelowMs !== undefined && y >= dist.truncateBelowMs) return 1;
  const cdf = normalCdf((Math.log(y) - dist.logMedianMs) / dist.sigma);
  return mass > 0 ? Math.min(1, cdf / mass) : 1;
}

/** P(X ≤ xMs) for the distribution. */
export function cdfAt(dist: TimeDistribution, xMs: number): number {
  if (dist.kind === "point") return xMs >= dist.valueMs ? 1 : 0;
  return lognormalCdf(dist, keptMass(dist), xMs);
}

/** Adds `count` requests distributed as `dist` to histogram weights (length BIN_COUNT). */
export function addToHistogram(weights: Float64Array, dist: TimeDistribution, count: number): void {
  if (count <= 0) return;
  if (dist.kind === "point") {
    weights[binOf(dist.valueMs)]! += count;
    return;
  }
  let highMs = dist.shiftMs + Math.exp(dist.logMedianMs + TAIL_Z * dist.sigma);
  if (dist.truncateBelowMs !== undefined) highMs = Math.min(highMs, dist.shiftMs + dist.truncateBelowMs);
  const first = binOf(dist.shiftMs + Math.exp(dist.logMedianMs - TAIL_Z * dist.sigma));
  const last = binOf(highMs);
  const mass = keptMass(dist);
  let previous = 0;
  for (let bin = first; bin < last; bin++) {
    const cdf = lognormalCdf(dist, mass, EDGES_MS[bin + 1]!);
    weights[bin]! += count * (cdf - previous);
    previous = cdf;
  }
  weights[last]! += count * (1 - previous);
}

/** Mean of the distribution in ms. */
export function meanMs(dist: TimeDistribution): number {
  if (dist.kind === "point") return dist.valueMs;
  const { logMedianMs: mu, sigma } = dist;
  const untruncated = Math.exp(mu + (sigma * sigma) / 2);
  if (dist.truncateBelowMs === undefined) return dist.shiftMs + untruncated;
  // E[X | X < T] for X ~ lognormal(μ, σ): e^(μ+σ²/2) Φ((ln T − μ − σ²)/σ) / Φ((ln T − μ)/σ).
  const logT = Math.log(dist.truncateBelowMs);
  const mass = normalCdf((logT - mu) / sigma);
  if (mass <= 0) return dist.shiftMs + dist.truncateBelowMs;
  return dist.shiftMs + Math.min(dist.truncateBelowMs, (untruncated * normalCdf((logT - mu - sigma * sigma) / sigma)) / mass);
}

/**
 * Lognormal approximation of the sum of two independent lognormals (Fenton–Wilkinson: same
 * mean and variance), used for cold invocations (init + duration).
 */
export function sumOfLognormals(mu1: number, sigma1: number, mu2: number, sigma2: number): { logMedianMs: number; sigma: number } {
  const mean = Math.exp(mu1 + (sigma1 * sigma1) / 2) + Math.exp(mu2 + (sigma2 * sigma2) / 2);
  const variance = (Math.exp(sigma1 * sigma1) - 1) * Math.exp(2 * mu1 + sigma1 * sigma1) +
    (Math.exp(sigma2 * sigma2) - 1) * Math.exp(2 * mu2 + sigma2 * sigma2);
  const sigmaSquared = Math.log(1 + variance / (mean * mean));
  return { logMedianMs: Math.log(mean) - sigmaSquared / 2, sigma: Math.sqrt(sigmaSquared) };
}

/** One entry of an X-Ray histogram: a response time in seconds and how many requests had it. */
export interface HistogramEntry {
  Value: number;
  Count: number;
}

/**
 * Rounds accumulated weights to integer counts summing to exactly `total` (largest remainder:
 * floors first, then one more for the bins with the largest fractional parts), as entries
 * sorted by value; empty bins are left out.
 */
export function roundHistogram(weights: Float64Array, total: number): HistogramEntry[] {
  if (total <= 0) return [];
  const counts = new Array<number>(weights.length).fill(0);
  let assigned = 0;
  const fractions: { bin: number; fraction: number }[] = [];
  weights.forEach((weight, bin) => {
    if (weight <= 0) return;
    const floor = Math.floor(weight + 1e-9);
    counts[bin] = floor;
    assigned += floor;
    fractions.push({ bin, fraction: weight - floor });
  });
  fractions.sort((x, y) => y.fraction - x.fraction || x.bin - y.bin);
  let remainder = total - assigned;
  // Floating-point drift can leave the weights a hair off `total`; trim or top up to be exact.
  for (let i = 0; remainder > 0 && fractions.length > 0; i = (i + 1) % fractions.length, remainder--) counts[fractions[i]!.bin]!++;
  for (let bin = counts.length - 1; remainder < 0 && bin >= 0; bin--) {
    while (remainder < 0 && counts[bin]! > 0) {
      counts[bin]!--;
      remainder++;
    }
  }
  const entries: HistogramEntry[] = [];
  counts.forEach((count, bin) => {
    if (count > 0) entries.push({ Value: binValueSec(bin), Count: count });
  });
  return entries;
}
