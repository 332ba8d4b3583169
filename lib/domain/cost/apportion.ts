import type { MicroUsd } from "@/lib/domain/cost/micro-usd";

/**
 * Splitting an amount of money exactly (DESIGN.md §4.7). Every allocation in Sightline —
 * a service's bill over tag values, a shared pool over teams, a bucket's Lambda cost over its
 * functions — goes through `apportion`, so the parts always add up to the whole, to the
 * micro-dollar, and the remainder rule below is the only one.
 *
 * THE REMAINDER RULE (largest remainder, Hamilton's method):
 *
 *   An integer amount of micro-USD is split over keys in proportion to their weights. Each key
 *   first gets the whole micro-dollars of its exact share (amount × weight / Σ weights, rounded
 *   down). The micro-dollars left over — fewer than the number of keys — go one each to the
 *   keys with the largest fractional parts; equal fractional parts are broken by key in
 *   ascending string order (JavaScript's code-unit order). A credit (negative amount) is split
 *   as its absolute value and negated, so a refund mirrors the charge it refunds. A key with
 *   weight 0 gets 0 (it is in the result, with 0). When every weight is 0, the amount is split
 *   evenly over all the keys, by the same rule. Fixed percentages are weights.
 *
 * Consequences worth knowing: every part is within one micro-dollar of its exact share; a key
 * with a larger weight never gets less than one with a smaller weight; the result does not
 * depend on the order the keys are given in; the same input always gives the same split.
 *
 * Exactness: weights are floats, but every finite float is a dyadic rational m × 2^e, so the
 * shares are computed with BigInt over a common power-of-two denominator, with no float
 * rounding at all — totals up to 2^53 − 1 µUSD and any finite non-negative weights.
 */

/** How far from 100 a set of fixed percentages may add up (float sums of decimal percents). */
export const PERCENT_SUM_TOLERANCE = 1e-9;

/** One key and its weight (a non-negative finite number: cost, requests, GB-s, a percent). */
export interface ApportionWeight {
  key: string;
  weight: number;
}

/** A finite float as an exact integer × power of two: value = mantissa × 2^exponent. */
export interface Dyadic {
  mantissa: bigint;
  exponent: number;
}

/** The exact value of a finite float as mantissa × 2^exponent (IEEE 754 binary64 read bit by bit). */
export function dyadicOf(value: number): Dyadic {
  if (!Number.isFinite(value)) throw new RangeError(`cannot take the exact value of ${value}`);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(value));
  const high = view.getUint32(0);
  const low = view.getUint32(4);
  const exponentBits = (high >>> 20) & 0x7ff;
  let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  let exponent: number;
  if (exponentBits === 0) {
    exponent = -1074; // subnormal (or zero)
  } else {
    mantissa |= 1n << 52n;
    exponent = exponentBits - 1075;
  }
  return { mantissa: value < 0 ? -mantissa : mantissa, exponent };
}

function assertTotal(total: number): void {
  if (!Number.isSafeInteger(total)) throw new RangeError(`the amount to apportion must be a whole number of µUSD within ±(2^53 − 1), got ${total}`);
}

function assertUniqueKeys(keys: readonly string[]): void {
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key)) throw new RangeError(`key "${key}" appears twice; each key may be apportioned once`);
    seen.add(key);
  }
}

/** Ascending string (code-unit) order, the tie-break of the remainder rule. */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Negates without producing -0. */
function negate(amount: number): number {
  return amount === 0 ? 0 : -amount;
}

/**
 * Splits an integer amount of µUSD over keys in proportion to non-negative finite weights,
 * exactly: Σ result === total, by the remainder rule of this module. Every key is in the
 * result (0 for weight 0); all weights 0 → an even split. Throws a RangeError for a negative
 * or non-finite weight (naming the key), a duplicate key, a total that is not a safe integer,
 * or a non-zero total with no keys to give it to.
 */
export function apportion(totalMicroUsd: number, weights: readonly ApportionWeight[]): Map<string, MicroUsd> {
  assertTotal(totalMicroUsd);
  assertUniqueKeys(weights.map((w) => w.key));
  for (const { key, weight } of weights) {
    if (!Number.isFinite(weight) || weight < 0) throw new RangeError(`weight of "${key}" must be a finite number ≥ 0, got ${weight}`);
  }
  const positive = weights.filter((w) => w.weight > 0);
  if (positive.length === 0) return apportionEvenly(totalMicroUsd, weights.map((w) => w.key));
  if (totalMicroUsd < 0) {
    const mirrored = apportion(-totalMicroUsd, weights);
    for (const [key, amount] of mirrored) mirrored.set(key, negate(amount));
    return mirrored;
  }

  // Weights as integers over one common denominator 2^minExponent: exact, whatever their magnitudes.
  const dyadics = positive.map((w) => ({ key: w.key, ...dyadicOf(w.weight) }));
  const minExponent = dyadics.reduce((min, d) => Math.min(min, d.exponent), Number.POSITIVE_INFINITY);
  const scaled = dyadics.map((d) => ({ key: d.key, weight: d.mantissa << BigInt(d.exponent - minExponent) }));
  const weightSum = scaled.reduce((sum, d) => sum + d.weight, 0n);
  const total = BigInt(totalMicroUsd);

  const result = new Map<string, MicroUsd>(weights.map((w) => [w.key, 0]));
  let given = 0n;
  const remainders: { key: string; remainder: bigint }[] = [];
  for (const { key, weight } of scaled) {
    const numerator = total * weight;
    const floor = numerator / weightSum; // non-negative operands: BigInt division floors
    given += floor;
    result.set(key, Number(floor));
    remainders.push({ key, remainder: numerator % weightSum });
  }
  // Fractional parts all share the denominator weightSum, so comparing remainders compares them exactly.
  remainders.sort((a, b) => (a.remainder > b.remainder ? -1 : a.remainder < b.remainder ? 1 : compareKeys(a.key, b.key)));
  const leftover = Number(total - given);
  for (let i = 0; i < leftover; i++) {
    const { key } = remainders[i]!;
    result.set(key, result.get(key)! + 1);
  }
  return result;
}

/**
 * Splits an integer amount of µUSD into equal parts over keys: each gets ⌊|total| / n⌋ and
 * the first |total| mod n keys in ascending string order get one more (the same split
 * `apportion` gives for equal weights); a negative total is the mirror of its absolute value.
 * Throws a RangeError for a duplicate key, a total that is not a safe integer, or a non-zero
 * total with no keys.
 */
export function apportionEvenly(totalMicroUsd: number, keys: readonly string[]): Map<string, MicroUsd> {
  assertTotal(totalMicroUsd);
  assertUniqueKeys(keys);
  if (keys.length === 0) {
    if (totalMicroUsd === 0) return new Map();
    throw new RangeError(`cannot apportion ${totalMicroUsd} µUSD over no keys`);
  }
  const magnitude = Math.abs(totalMicroUsd);
  const base = Math.floor(magnitude / keys.length);
  const extra = magnitude - base * keys.length;
  const sign = totalMicroUsd < 0 ? -1 : 1;
  const luckyKeys = new Set([...keys].sort(compareKeys).slice(0, extra));
  const result = new Map<string, MicroUsd>();
  for (const key of keys) {
    const amount = base + (luckyKeys.has(key) ? 1 : 0);
    result.set(key, sign < 0 ? negate(amount) : amount);
  }
  return result;
}

/**
 * Splits an integer amount of µUSD by fixed percentages (value → percent), exactly, via
 * `apportion` (the percentages are the weights). They must be finite, ≥ 0, and add up to 100
 * within PERCENT_SUM_TOLERANCE; otherwise a RangeError says which.
 */
export function apportionByPercent(totalMicroUsd: number, percentages: Readonly<Record<string, number>>): Map<string, MicroUsd> {
  const entries = Object.entries(percentages);
  if (entries.length === 0) throw new RangeError("fixed percentages need at least one entry");
  let sum = 0;
  for (const [key, percent] of entries) {
    if (!Number.isFinite(percent) || percent < 0 || percent > 100) throw new RangeError(`percentage of "${key}" must be a number from 0 to 100, got ${percent}`);
    sum += percent;
  }
  if (Math.abs(sum - 100) > PERCENT_SUM_TOLERANCE) throw new RangeError(`fixed percentages must add up to 100, they add up to ${sum}`);
  return apportion(
    totalMicroUsd,
    entries.map(([key, weight]) => ({ key, weight })),
  );
}
