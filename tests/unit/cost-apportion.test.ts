import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { apportion, apportionByPercent, apportionEvenly, dyadicOf, type ApportionWeight } from "@/lib/domain/cost/apportion";

const sum = (map: Map<string, number>) => [...map.values()].reduce((total, v) => total + v, 0);
const sorted = (map: Map<string, number>) => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Distinct keys, each with a weight from `weight`. */
const weightsOf = (weight: fc.Arbitrary<number>, maxLength = 30) =>
  fc.uniqueArray(fc.record({ key: fc.string({ maxLength: 6 }), weight }), { minLength: 1, maxLength, selector: (w) => w.key });

/** Any finite non-negative float: zeros, subnormals, tiny, huge. */
const anyWeight = fc.oneof(
  fc.constant(0),
  fc.double({ min: 0, max: 1e300, noNaN: true, noDefaultInfinity: true }),
  fc.double({ min: 0, max: 1e-300, noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: 0, max: 1_000_000 }),
);
const anyTotal = fc.oneof(fc.constant(0), fc.integer({ min: -1e12, max: 1e12 }), fc.maxSafeInteger()); // maxSafeInteger: ±(2^53 − 1)

/**
 * An independent, literal Hamilton apportionment over integer weights with BigInt rationals:
 * floors, then the leftover to the largest remainders, ties by key ascending.
 */
function referenceHamilton(total: number, weights: readonly { key: string; weight: number }[]): Map<string, number> {
  const magnitude = BigInt(Math.abs(total));
  const weightSum = weights.reduce((s, w) => s + BigInt(w.weight), 0n);
  const parts = weights.map((w) => ({ key: w.key, floor: (magnitude * BigInt(w.weight)) / weightSum, remainder: (magnitude * BigInt(w.weight)) % weightSum }));
  let leftover = magnitude - parts.reduce((s, p) => s + p.floor, 0n);
  const byRemainder = [...parts].sort((a, b) => (a.remainder === b.remainder ? (a.key < b.key ? -1 : 1) : a.remainder > b.remainder ? -1 : 1));
  for (const p of byRemainder) {
    if (leftover === 0n) break;
    p.floor += 1n;
    leftover -= 1n;
  }
  return new Map(parts.map((p) => [p.key, total < 0 ? -Number(p.floor) || 0 : Number(p.floor)]));
}

describe("apportion: properties", () => {
  it("parts add up to the total exactly, for any total (credits, 0, up to 2^53 − 1) and any weights", () => {
    fc.assert(
      fc.property(anyTotal, weightsOf(anyWeight), (total, weights) => {
        const result = apportion(total, weights);
        expect(sum(result)).toBe(total);
        expect(result.size).toBe(weights.length);
        for (const v of result.values()) expect(Number.isSafeInteger(v)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("with many keys (up to 2,000) the sum is still exact", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), weightsOf(anyWeight, 2000), (total, weights) => {
        expect(sum(apportion(total, weights))).toBe(total);
      }),
      { numRuns: 30 },
    );
  });

  it("equals a literal BigInt Hamilton apportionment over integer weights (exact shares, remainders, key tie-break)", () => {
    fc.assert(
      fc.property(
        anyTotal,
        weightsOf(fc.integer({ min: 0, max: 2 ** 40 })).filter((ws) => ws.some((w) => w.weight > 0)),
        (total, weights) => {
          expect(sorted(apportion(total, weights))).toEqual(sorted(referenceHamilton(total, weights)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("every part is within one micro-dollar of its exact share (integer weights: checked exactly)", () => {
    fc.assert(
      fc.property(
        anyTotal,
        weightsOf(fc.integer({ min: 0, max: 2 ** 40 })).filter((ws) => ws.some((w) => w.weight > 0)),
        (total, weights) => {
          const result = apportion(total, weights);
          const weightSum = weights.reduce((s, w) => s + BigInt(w.weight), 0n);
          for (const { key, weight } of weights) {
            // |part − total × w / W| < 1  ⇔  |part × W − total × w| < W
            const error = BigInt(result.get(key)!) * weightSum - BigInt(total) * BigInt(weight);
            expect(error < 0n ? -error : error).toBeLessThan(weightSum);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("every part is within one micro-dollar of its share for float weights (float reference, tiny tolerance)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        weightsOf(fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true })).filter((ws) => ws.some((w) => w.weight > 0)),
        (total, weights) => {
          const result = apportion(total, weights);
          const weightSum = weights.reduce((s, w) => s + w.weight, 0);
          for (const { key, weight } of weights) {
            const share = (total * weight) / weightSum;
            expect(Math.abs(result.get(key)! - share)).toBeLessThan(1 + 1e-3);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("does not depend on the order of the keys", () => {
    fc.assert(
      fc.property(
        anyTotal,
        weightsOf(anyWeight).chain((ws) => fc.tuple(fc.constant(ws), fc.shuffledSubarray(ws, { minLength: ws.length, maxLength: ws.length }))),
        (total, [weights, shuffled]) => {
          expect(sorted(apportion(total, shuffled))).toEqual(sorted(apportion(total, weights)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("is monotone: a strictly larger weight never gets less (nor more of a credit)", () => {
    fc.assert(
      fc.property(anyTotal, weightsOf(anyWeight), (total, weights) => {
        const result = apportion(total, weights);
        for (const a of weights) {
          for (const b of weights) {
            if (a.weight > b.weight) {
              if (total >= 0) expect(result.get(a.key)!).toBeGreaterThanOrEqual(result.get(b.key)!);
              else expect(result.get(a.key)!).toBeLessThanOrEqual(result.get(b.key)!);
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it("a credit is the mirror image of the charge", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), weightsOf(anyWeight), (total, weights) => {
        const charge = apportion(total, weights);
        const credit = apportion(-total, weights);
        for (const [key, amount] of charge) expect(credit.get(key)).toBe(amount === 0 ? 0 : -amount);
      }),
      { numRuns: 200 },
    );
  });

  it("a key with weight 0 gets 0 while some weight is positive", () => {
    fc.assert(
      fc.property(anyTotal, weightsOf(anyWeight).filter((ws) => ws.some((w) => w.weight > 0)), (total, weights) => {
        const result = apportion(total, weights);
        for (const w of weights) if (w.weight === 0) expect(result.get(w.key)).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});

describe("apportion: the remainder rule on concrete cases", () => {
  it("60/40 of 1,000,001 µUSD: 600,001 / 400,000 (the leftover µUSD goes to the larger fraction, .6 > .4)", () => {
    expect(sorted(apportion(1_000_001, [{ key: "payments", weight: 60 }, { key: "commerce", weight: 40 }]))).toEqual([
      ["commerce", 400_000],
      ["payments", 600_001],
    ]);
  });

  it("equal fractions are broken by key ascending: 1 µUSD over two equal weights goes to \"a\"", () => {
    expect(sorted(apportion(1, [{ key: "b", weight: 1 }, { key: "a", weight: 1 }]))).toEqual([
      ["a", 1],
      ["b", 0],
    ]);
    // 5 over three equal weights: 1 each, the 2 left over to "a" and "b".
    expect(sorted(apportion(5, [{ key: "c", weight: 7 }, { key: "b", weight: 7 }, { key: "a", weight: 7 }]))).toEqual([
      ["a", 2],
      ["b", 2],
      ["c", 1],
    ]);
  });

  it("a credit mirrors: −1,000,001 by 60/40 → −600,001 / −400,000", () => {
    expect(sorted(apportion(-1_000_001, [{ key: "payments", weight: 60 }, { key: "commerce", weight: 40 }]))).toEqual([
      ["commerce", -400_000],
      ["payments", -600_001],
    ]);
  });

  it("exact at 2^53 − 1: a float (total × w / W) cannot say this, BigInt can", () => {
    const total = Number.MAX_SAFE_INTEGER; // 9,007,199,254,740,991 = 3 × 3,002,399,751,580,330 + 1
    const result = apportion(total, [{ key: "one", weight: 1 }, { key: "two", weight: 2 }]);
    expect(result.get("one")).toBe(3_002_399_751_580_330); // 3,002,399,751,580,330.33…
    expect(result.get("two")).toBe(6_004_799_503_160_661); // 6,004,799,503,160,660.66… → the leftover
  });

  it("weights spanning 600 orders of magnitude are compared exactly", () => {
    const result = apportion(1_000_000, [{ key: "huge", weight: 1e300 }, { key: "tiny", weight: 5e-324 }, { key: "zero", weight: 0 }]);
    expect(sorted(result)).toEqual([
      ["huge", 1_000_000],
      ["tiny", 0],
      ["zero", 0],
    ]);
  });

  it("every key is in the result, zero weights with 0", () => {
    expect(sorted(apportion(10, [{ key: "x", weight: 1 }, { key: "y", weight: 0 }]))).toEqual([
      ["x", 10],
      ["y", 0],
    ]);
  });

  it("all weights 0 → an even split over all keys", () => {
    expect(sorted(apportion(10, [{ key: "c", weight: 0 }, { key: "a", weight: 0 }, { key: "b", weight: 0 }]))).toEqual([
      ["a", 4],
      ["b", 3],
      ["c", 3],
    ]);
  });

  it("no keys: 0 → empty; anything else cannot be split", () => {
    expect(apportion(0, []).size).toBe(0);
    expect(() => apportion(1, [])).toThrow(RangeError);
  });

  it.each<[string, number, ApportionWeight[], RegExp]>([
    ["a negative weight, naming the key", 10, [{ key: "payments", weight: -1 }], /payments/],
    ["a NaN weight", 10, [{ key: "commerce", weight: Number.NaN }], /commerce/],
    ["an infinite weight", 10, [{ key: "catalog", weight: Number.POSITIVE_INFINITY }], /catalog/],
    ["a duplicate key", 10, [{ key: "a", weight: 1 }, { key: "a", weight: 2 }], /"a" appears twice/],
    ["a fractional total", 1.5, [{ key: "a", weight: 1 }], /whole number/],
    ["a total beyond 2^53 − 1", 2 ** 53, [{ key: "a", weight: 1 }], /whole number/],
  ])("throws a RangeError for %s", (_, total, weights, message) => {
    expect(() => apportion(total, weights)).toThrow(RangeError);
    expect(() => apportion(total, weights)).toThrow(message);
  });
});

describe("apportionEvenly", () => {
  it("10 over three keys: 4 / 3 / 3, the extra µUSD to the first key in ascending order", () => {
    expect(sorted(apportionEvenly(10, ["payments", "catalog", "commerce"]))).toEqual([
      ["catalog", 4],
      ["commerce", 3],
      ["payments", 3],
    ]);
  });

  it("a credit mirrors; 0 gives zeros (never −0)", () => {
    expect(sorted(apportionEvenly(-10, ["b", "a", "c"]))).toEqual([
      ["a", -4],
      ["b", -3],
      ["c", -3],
    ]);
    for (const v of apportionEvenly(0, ["a", "b"]).values()) expect(Object.is(v, 0)).toBe(true);
  });

  it("equals apportion with equal weights, and adds up exactly", () => {
    fc.assert(
      fc.property(anyTotal, fc.uniqueArray(fc.string({ maxLength: 4 }), { minLength: 1, maxLength: 40 }), fc.double({ min: 1e-9, max: 1e9, noNaN: true }), (total, keys, weight) => {
        const even = apportionEvenly(total, keys);
        expect(sum(even)).toBe(total);
        expect(sorted(even)).toEqual(sorted(apportion(total, keys.map((key) => ({ key, weight })))));
      }),
      { numRuns: 200 },
    );
  });

  it("rejects duplicate keys and a non-zero total over no keys", () => {
    expect(() => apportionEvenly(3, ["a", "a"])).toThrow(RangeError);
    expect(() => apportionEvenly(3, [])).toThrow(RangeError);
    expect(apportionEvenly(0, []).size).toBe(0);
  });
});

describe("apportionByPercent", () => {
  it("60/40 of 1,000,001 → 600,001 / 400,000", () => {
    expect(sorted(apportionByPercent(1_000_001, { payments: 60, commerce: 40 }))).toEqual([
      ["commerce", 400_000],
      ["payments", 600_001],
    ]);
  });

  it("decimal percents whose float sum is not exactly 100 are accepted (33.3 + 33.3 + 33.4) and add up exactly", () => {
    const result = apportionByPercent(1_000_000, { a: 33.3, b: 33.3, c: 33.4 });
    expect(sum(result)).toBe(1_000_000);
    expect(sorted(result)).toEqual([
      ["a", 333_000],
      ["b", 333_000],
      ["c", 334_000],
    ]);
  });

  it.each<[string, Record<string, number>]>([
    ["no entries", {}],
    ["a sum of 90", { a: 50, b: 40 }],
    ["a sum of 110", { a: 60, b: 50 }],
    ["a negative percent", { a: 110, b: -10 }],
    ["a NaN percent", { a: Number.NaN, b: 100 }],
  ])("rejects %s", (_, percentages) => {
    expect(() => apportionByPercent(100, percentages)).toThrow(RangeError);
  });
});

describe("dyadicOf", () => {
  it.each([0.1, 0.25, 1, 3, 1e300, 5e-324, 2.5e-310, 123456.789, -0.75])("%s is exactly mantissa × 2^exponent", (value) => {
    const { mantissa, exponent } = dyadicOf(value);
    // Reconstruct in two steps so neither overflows nor underflows before the end.
    const half = Math.trunc(exponent / 2);
    expect(Number(mantissa) * 2 ** half * 2 ** (exponent - half)).toBe(value);
  });

  it("reads 5e-324 as 1 × 2^−1074 and rejects non-finite values", () => {
    expect(dyadicOf(5e-324)).toEqual({ mantissa: 1n, exponent: -1074 });
    expect(() => dyadicOf(Number.NaN)).toThrow(RangeError);
  });
});
