/**
 * A cheap, exactly countable shuffle of a minute's invocations.
 *
 * Which invocations of a minute failed, started cold or made an extra downstream call must be
 * decided per invocation (a trace shows one invocation) and counted for any prefix of the
 * minute (the X-Ray-sampled invocations are the first `sampled` ones) without walking them.
 * An affine permutation `k ↦ (a·k + b) mod n` does both: invocation k belongs to a category
 * when its position falls in the category's interval of [0, n), and the number of k < s whose
 * position is below t is a lattice-point count, computed exactly in O(log n) by `floorSum`.
 * Every count stays below 2^53 for n up to ~10^7 invocations a minute.
 */
export interface AffinePermutation {
  /** Size of the permuted range [0, size). */
  size: number;
  /** Multiplier, coprime with `size`. */
  a: number;
  /** Offset in [0, size). */
  b: number;
}

function gcd(x: number, y: number): number {
  let p = x;
  let q = y;
  while (q !== 0) [p, q] = [q, p % q];
  return p;
}

/**
 * A permutation of [0, size) chosen by two uniforms in (0, 1): the multiplier is the first
 * number coprime with `size` at or after a uniformly drawn start.
 */
export function affinePermutation(size: number, uA: number, uB: number): AffinePermutation {
  if (size <= 1) return { size: Math.max(0, size), a: 1, b: 0 };
  let a = 1 + Math.floor(uA * (size - 1));
  while (gcd(a, size) !== 1) a = a + 1 >= size ? 1 : a + 1;
  return { size, a, b: Math.floor(uB * size) % size };
}

/** Position of element `k` (0 ≤ k < size) under the permutation. */
export function permute(p: AffinePermutation, k: number): number {
  if (p.size <= 1) return 0;
  // a·k < size² stays exact in doubles for size < 9.4e7.
  return (p.a * k + p.b) % p.size;
}

/**
 * Σ_{i=0}^{n-1} ⌊(a·i + b) / m⌋ for non-negative integers (the classic floor-sum reduction,
 * O(log m) steps).
 */
export function floorSum(n: number, m: number, a: number, b: number): number {
  let total = 0;
  let count = n;
  let modulus = m;
  let slope = a;
  let offset = b;
  for (;;) {
    if (slope >= modulus) {
      total += ((count * (count - 1)) / 2) * Math.floor(slope / modulus);
      slope %= modulus;
    }
    if (offset >= modulus) {
      total += count * Math.floor(offset / modulus);
      offset %= modulus;
    }
    const yMax = slope * count + offset;
    if (yMax < modulus) return total;
    count = Math.floor(yMax / modulus);
    offset = yMax % modulus;
    [modulus, slope] = [slope, modulus];
  }
}

/** How many of the elements 0..prefix-1 land at a position below `threshold` (0 ≤ threshold ≤ size). */
export function countBelow(p: AffinePermutation, prefix: number, threshold: number): number {
  const s = Math.min(prefix, p.size);
  if (s <= 0 || threshold <= 0) return 0;
  if (threshold >= p.size) return s;
  if (s === p.size) return threshold;
  // [x mod n < t] = ⌊x/n⌋ − ⌊(x + n − t)/n⌋ + 1, summed over x = a·k + b.
  return floorSum(s, p.size, p.a, p.b) - floorSum(s, p.size, p.a, p.b + p.size - threshold) + s;
}

/** How many of the elements 0..prefix-1 land at a position in [from, to). */
export function countBetween(p: AffinePermutation, prefix: number, from: number, to: number): number {
  if (to <= from) return 0;
  return countBelow(p, prefix, to) - countBelow(p, prefix, from);
}
