/**
 * Counter-based pseudo-randomness: every random number is a pure hash of (seed, function,
 * minute, stream), so any minute can be computed on its own, in any order, and gives the same
 * value every time. No generator state to carry between calls.
 */

/** FNV-1a 32-bit hash of a string (stable across runs and platforms). */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** murmur3 finaliser: spreads every input bit over the 32-bit output. */
function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Hashes a sequence of integers (each reduced to 32 bits; values up to 2^53 keep their high
 * bits) into one 32-bit value.
 */
export function hashInts(...values: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const value of values) {
    const low = value >>> 0;
    const high = Math.floor(value / 0x1_0000_0000) >>> 0;
    h = mix32(h ^ mix32(low + 0x7f4a7c15));
    h = mix32(h ^ mix32(high + 0x165667b1));
  }
  return h;
}

/** `hashInts(a, b, c)` without the rest-array allocation, for the per-minute hot loop. */
export function hashInts3(a: number, b: number, c: number): number {
  let h = 0x9e3779b9;
  h = mix32(h ^ mix32((a >>> 0) + 0x7f4a7c15));
  h = mix32(h ^ mix32((Math.floor(a / 0x1_0000_0000) >>> 0) + 0x165667b1));
  h = mix32(h ^ mix32((b >>> 0) + 0x7f4a7c15));
  h = mix32(h ^ mix32((Math.floor(b / 0x1_0000_0000) >>> 0) + 0x165667b1));
  h = mix32(h ^ mix32((c >>> 0) + 0x7f4a7c15));
  h = mix32(h ^ mix32((Math.floor(c / 0x1_0000_0000) >>> 0) + 0x165667b1));
  return h;
}

/** A uniform number in the open interval (0, 1), determined by the keys. */
export function uniformAt(...keys: readonly number[]): number {
  return (hashInts(...keys) + 0.5) / 0x1_0000_0000;
}

/**
 * Uniform number of one stream under a precomputed key (`hashInts(seed, function, minute)`):
 * hashing the key once per minute and deriving each stream from it is several times cheaper
 * than hashing the full tuple per stream.
 */
export function uniformFromKey(key: number, stream: number): number {
  return (mix32(key ^ Math.imul(stream, 0x27d4eb2d)) + 0.5) / 0x1_0000_0000;
}

/**
 * Independent random streams per minute. Each quantity drawn for a (function, minute) uses its
 * own stream id so adding a new quantity later does not shift the existing ones.
 */
export const RandomStream = {
  arrivals: 1,
  errors: 2,
  durationJitter: 3,
  followRounding: 4,
  eventOccurrence: 5,
  eventStart: 6,
  durationMinimum: 7,
  durationMaximum: 8,
  spillover: 9,
  recycling: 10,
  outOfMemory: 11,
  timeouts: 12,
} as const;
