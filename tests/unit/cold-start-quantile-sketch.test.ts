import { describe, expect, it } from "vitest";
import { nearestRankPercentiles } from "@/lib/domain/cold-start/aggregate-report-lines";
import { normalCdf, normalQuantile } from "@/lib/domain/cold-start/normal-distribution";
import { cdfOf, mergePercentiles, quantileOf, sketchFromCorePercentiles, sketchFromPercentiles, type CountedPercentiles } from "@/lib/domain/cold-start/quantile-sketch";
import type { Percentiles } from "@/lib/domain/cold-start/report-stats";

describe("normal distribution", () => {
  // Published standard normal table values.
  it.each([
    [0.5, 0],
    [0.9, 1.2815515655446004],
    [0.975, 1.959963984540054],
    [0.99, 2.3263478740408408],
    [0.01, -2.3263478740408408],
    [0.001, -3.090232306167813],
  ])("Φ⁻¹(%s) = %s", (q, z) => {
    expect(normalQuantile(q)).toBeCloseTo(z, 7);
  });

  it.each([
    [0, 0.5],
    [1, 0.8413447460685429],
    [1.96, 0.9750021048517795],
    [-2.3263478740408408, 0.01],
    [3, 0.9986501019683699],
  ])("Φ(%s) = %s", (z, p) => {
    expect(normalCdf(z)).toBeCloseTo(p, 6);
  });
});

/** A seeded generator (LCG), so the samples below are the same on every run. */
function uniforms(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
}

/** The exact percentiles of a log-normal with this median and shape (p = median · e^(σ·z_p)). */
function logNormalPercentiles(medianMs: number, sigma: number): Omit<Percentiles, "max"> {
  return { p50: medianMs, p90: medianMs * Math.exp(sigma * normalQuantile(0.9)), p99: medianMs * Math.exp(sigma * normalQuantile(0.99)) };
}

describe("quantile sketches", () => {
  it("reproduces a log-normal between its known percentiles (the model is exact for it)", () => {
    const sketch = sketchFromCorePercentiles(logNormalPercentiles(300, 0.4));
    for (const q of [0.2, 0.5, 0.75, 0.95, 0.995]) {
      expect(quantileOf(sketch, q) / (300 * Math.exp(0.4 * normalQuantile(q)))).toBeCloseTo(1, 6);
    }
    expect(cdfOf(sketch, 300)).toBeCloseTo(0.5, 6);
  });

  it("places nothing beyond the max of a measured hour", () => {
    const sketch = sketchFromPercentiles({ p50: 100, p90: 150, p99: 190, max: 200 }, 1000);
    expect(cdfOf(sketch, 200)).toBe(1);
    expect(quantileOf(sketch, 0.9999999)).toBeCloseTo(200, 6);
    expect(cdfOf(sketch, 150)).toBeCloseTo(0.9, 6);
  });

  it("keeps a single value (one cold start in the hour) a single value", () => {
    const merged = mergePercentiles([
      { percentiles: { p50: 4815.2, p90: 4815.2, p99: 4815.2, max: 4815.2 }, count: 1 },
      { percentiles: { p50: 4815.2, p90: 4815.2, p99: 4815.2, max: 4815.2 }, count: 1 },
    ]);
    expect(merged).toEqual({ p50: 4815.2, p90: 4815.2, p99: 4815.2, max: 4815.2 });
  });
});

/**
 * The merge's error on known distributions: hours of samples drawn from a distribution, their
 * exact per-hour percentiles merged, compared with the exact percentiles of all samples
 * together. The naive alternative — the count-weighted mean of each hour's percentile — is
 * measured alongside to show what the mixture buys. The allowed errors include each hour's own
 * sampling noise (the p99 of 500 values is its 5th largest; of 3 values, the largest).
 */
describe("mergePercentiles on known distributions", () => {
  const draw = uniforms(20261126);
  const logNormal = (medianMs: number, sigma: number) => () => medianMs * Math.exp(sigma * normalQuantile(draw()));

  function measure(hours: { count: number; sample: () => number }[]) {
    const all: number[] = [];
    const parts: CountedPercentiles[] = [];
    for (const hour of hours) {
      const values = Array.from({ length: hour.count }, hour.sample);
      all.push(...values);
      parts.push({ percentiles: nearestRankPercentiles(values)!, count: hour.count });
    }
    const exact = nearestRankPercentiles(all)!;
    const merged = mergePercentiles(parts)!;
    const weightedMean = (key: "p50" | "p90" | "p99") => parts.reduce((sum, p) => sum + p.percentiles[key] * p.count, 0) / all.length;
    const error = (key: "p50" | "p90" | "p99", value: number) => Math.abs(value / exact[key] - 1);
    return {
      exact,
      merged,
      mixtureError: Math.max(error("p50", merged.p50), error("p90", merged.p90), error("p99", merged.p99)),
      naiveError: Math.max(error("p50", weightedMean("p50")), error("p90", weightedMean("p90")), error("p99", weightedMean("p99"))),
    };
  }

  // [case, hours, largest relative error allowed on p50/p90/p99]
  it.each([
    ["one log-normal, 24 busy hours", () => Array.from({ length: 24 }, () => ({ count: 500, sample: logNormal(300, 0.3) })), 0.02],
    ["a daily cycle: the median drifts 200→660 ms, traffic grows", () => Array.from({ length: 24 }, (_, h) => ({ count: 200 + 50 * h, sample: logNormal(200 + 20 * h, 0.4) })), 0.03],
    ["two modes an order of magnitude apart (a deploy at the half)", () => [{ count: 1000, sample: logNormal(200, 0.2) }, { count: 1000, sample: logNormal(2000, 0.2) }], 0.03],
    ["a sparse java function: 3 cold starts an hour for 3 days", () => Array.from({ length: 72 }, () => ({ count: 3, sample: logNormal(4600, 0.3) })), 0.08],
    ["not log-normal: uniform 100–500 ms", () => Array.from({ length: 24 }, () => ({ count: 400, sample: () => 100 + 400 * draw() })), 0.02],
    ["not log-normal: shifted exponential", () => Array.from({ length: 24 }, () => ({ count: 400, sample: () => 50 - 200 * Math.log(draw()) })), 0.04],
  ])("%s: within the allowed error", (_name, hours, allowed) => {
    const { mixtureError, exact, merged } = measure(hours());
    expect(mixtureError, `exact ${JSON.stringify(exact)}, merged ${JSON.stringify(merged)}`).toBeLessThanOrEqual(allowed);
    expect(merged.max).toBe(exact.max);
  });

  it("beats averaging percentiles where the hours differ", () => {
    const bimodal = measure([{ count: 1000, sample: logNormal(200, 0.2) }, { count: 1000, sample: logNormal(2000, 0.2) }]);
    // Averaging the p99s of a fast and a slow hour halves the slow hour's tail.
    expect(bimodal.naiveError).toBeGreaterThan(0.3);
    expect(bimodal.mixtureError).toBeLessThan(bimodal.naiveError / 10);
  });
});
