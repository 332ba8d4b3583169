import { describe, expect, it } from "vitest";
import { affinePermutation, countBelow, countBetween, floorSum, permute } from "@/infra/local/sim/model/affine-permutation";

/** The invocation shuffle X-Ray uses to deal out a minute's errors, cold starts and calls. */
describe("floorSum", () => {
  it("equals the sum it stands for", () => {
    for (const [n, m, a, b] of [[0, 5, 3, 1], [1, 7, 3, 9], [10, 7, 3, 4], [37, 13, 29, 100], [1000, 997, 123, 5]] as const) {
      let expected = 0;
      for (let i = 0; i < n; i++) expected += Math.floor((a * i + b) / m);
      expect(floorSum(n, m, a, b)).toBe(expected);
    }
  });
});

describe("affine permutation", () => {
  it("is a permutation of [0, size) for any draw", () => {
    for (const size of [1, 2, 6, 97, 360, 1000]) {
      for (const [uA, uB] of [[0.01, 0.5], [0.5, 0.99], [0.99, 0.01]] as const) {
        const p = affinePermutation(size, uA, uB);
        const positions = new Set(Array.from({ length: size }, (_, k) => permute(p, k)));
        expect(positions.size).toBe(size);
        expect(Math.min(...positions)).toBe(0);
        expect(Math.max(...positions)).toBe(size - 1);
      }
    }
  });

  it("counts positions below a threshold among a prefix exactly, without walking it", () => {
    const p = affinePermutation(1000, 0.37, 0.61);
    for (const [prefix, threshold] of [[0, 10], [1, 500], [50, 3], [333, 10], [999, 999], [1000, 7], [400, 0], [400, 1000]] as const) {
      let expected = 0;
      for (let k = 0; k < prefix; k++) if (permute(p, k) < threshold) expected++;
      expect(countBelow(p, prefix, threshold)).toBe(expected);
    }
    let between = 0;
    for (let k = 0; k < 250; k++) if (permute(p, k) >= 100 && permute(p, k) < 180) between++;
    expect(countBetween(p, 250, 100, 180)).toBe(between);
  });

  it("spreads a category evenly: a prefix gets its share", () => {
    // 1 % of 100,000 invocations fail; the first 5,000 (a 5 % sample) hold about 1 % failures.
    const p = affinePermutation(100_000, 0.731, 0.219);
    const failedInSample = countBelow(p, 5_000, 1_000);
    expect(failedInSample).toBeGreaterThan(30);
    expect(failedInSample).toBeLessThan(70);
  });

  it("stays exact at large minutes (millions of invocations)", () => {
    const p = affinePermutation(3_000_017, 0.42, 0.17);
    // A full prefix holds exactly the threshold; the complement adds up.
    expect(countBelow(p, p.size, 12_345)).toBe(12_345);
    const prefix = 1_234_567;
    expect(countBelow(p, prefix, 1_000_000) + countBetween(p, prefix, 1_000_000, p.size)).toBe(prefix);
  });
});
