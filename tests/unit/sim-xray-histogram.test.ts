import { describe, expect, it } from "vitest";
import { Z_P99, normalCdf, normalInverseCdf } from "@/infra/local/sim/model/distributions";
import {
  BIN_COUNT,
  addToHistogram,
  binOf,
  binValueSec,
  meanMs,
  roundHistogram,
  sumOfLognormals,
  type TimeDistribution,
} from "@/infra/local/sim/xray/response-time-histogram";

/** X-Ray response-time histograms built from the model's distributions (no invocations enumerated). */
const lognormal = (medianMs: number, p99ToMedian: number, extra: Partial<TimeDistribution> = {}): TimeDistribution => ({
  kind: "lognormal",
  logMedianMs: Math.log(medianMs),
  sigma: Math.log(p99ToMedian) / Z_P99,
  truncateBelowMs: undefined,
  shiftMs: 0,
  ...extra,
} as TimeDistribution);

const countBelowSec = (entries: { Value: number; Count: number }[], sec: number) =>
  entries.filter((e) => e.Value < sec).reduce((sum, e) => sum + e.Count, 0);

describe("histogram weights", () => {
  it("sum to the exact request count and put half below the median, 99 % below p99", () => {
    const weights = new Float64Array(BIN_COUNT);
    addToHistogram(weights, lognormal(100, 5), 10_000);
    const entries = roundHistogram(weights, 10_000);
    expect(entries.reduce((sum, e) => sum + e.Count, 0)).toBe(10_000);
    // 100 ms and 501 ms (10^2.7) are bin edges: the lognormal puts 50 % and ~99 % below them.
    expect(countBelowSec(entries, 0.1)).toBeGreaterThanOrEqual(4_995);
    expect(countBelowSec(entries, 0.1)).toBeLessThanOrEqual(5_005);
    expect(countBelowSec(entries, 0.5)).toBeGreaterThanOrEqual(9_895);
    expect(countBelowSec(entries, 0.5)).toBeLessThanOrEqual(9_915);
    // Values ascend and are X-Ray-style seconds.
    expect(entries.map((e) => e.Value)).toEqual([...entries.map((e) => e.Value)].sort((a, b) => a - b));
  });

  it("adds minutes together: one accumulator over many minutes stays exact", () => {
    const weights = new Float64Array(BIN_COUNT);
    let total = 0;
    for (let minute = 0; minute < 300; minute++) {
      const count = (minute * 7) % 13; // 0..12 requests a minute, many minutes with one or none
      addToHistogram(weights, lognormal(40 + (minute % 10), 6), count);
      total += count;
    }
    expect(roundHistogram(weights, total).reduce((sum, e) => sum + e.Count, 0)).toBe(total);
  });

  it("keeps a truncated lognormal below its cap and a point mass in one bin", () => {
    const weights = new Float64Array(BIN_COUNT);
    addToHistogram(weights, lognormal(800, 10, { truncateBelowMs: 1_000 }), 1_000);
    addToHistogram(weights, { kind: "point", valueMs: 29_000 }, 7);
    const entries = roundHistogram(weights, 1_007);
    expect(entries.filter((e) => e.Value > 1.0 && e.Value < 28).length).toBe(0);
    expect(entries.find((e) => e.Value === binValueSec(binOf(29_000)))?.Count).toBe(7);
  });

  it("shifts by a fixed overhead", () => {
    const weights = new Float64Array(BIN_COUNT);
    // 10 ms ± 1 % shifted by 1,490 ms: all within the bin [1,259, 1,585) ms, shown as its centre 1.41 s.
    addToHistogram(weights, { ...lognormal(10, 1.02), shiftMs: 1_490 } as TimeDistribution, 100);
    expect(roundHistogram(weights, 100)).toEqual([{ Value: binValueSec(binOf(1_500)), Count: 100 }]);
    expect(binValueSec(binOf(1_500))).toBe(1.41);
  });
});

describe("rounding", () => {
  it("gives the remainder to the largest fractions (largest-remainder method)", () => {
    const weights = new Float64Array(BIN_COUNT);
    weights[10] = 1.5;
    weights[11] = 1.3;
    weights[12] = 0.2;
    expect(roundHistogram(weights, 3).map((e) => e.Count)).toEqual([2, 1]);
  });
});

describe("means", () => {
  it("of a lognormal is e^(μ + σ²/2), of a truncated one the conditional mean", () => {
    const dist = lognormal(100, 5);
    const sigma = Math.log(5) / Z_P99;
    expect(meanMs(dist)).toBeCloseTo(100 * Math.exp((sigma * sigma) / 2), 6);
    // E[X | X < 150] by midpoint integration over the quantiles below the cap.
    const truncated = lognormal(100, 5, { truncateBelowMs: 150 });
    const below = normalCdf(Math.log(1.5) / sigma);
    const steps = 20_000;
    let sum = 0;
    for (let i = 0; i < steps; i++) sum += 100 * Math.exp(sigma * normalInverseCdf(((i + 0.5) / steps) * below));
    expect(meanMs(truncated)).toBeCloseTo(sum / steps, 1);
  });

  it("Fenton–Wilkinson keeps the mean of a sum of lognormals", () => {
    const [mu1, s1, mu2, s2] = [Math.log(80), 0.7, Math.log(400), 0.4];
    const sum = sumOfLognormals(mu1, s1, mu2, s2);
    const expectedMean = Math.exp(mu1 + (s1 * s1) / 2) + Math.exp(mu2 + (s2 * s2) / 2);
    expect(Math.exp(sum.logMedianMs + (sum.sigma * sum.sigma) / 2)).toBeCloseTo(expectedMean, 6);
  });
});
