import { describe, expect, it } from "vitest";
import { estimateColdStartLatencyImpact, type DurationPercentilesPoint } from "@/lib/domain/cold-start/cold-start-latency";
import { normalCdf, normalQuantile } from "@/lib/domain/cold-start/normal-distribution";
import type { CountedPercentiles } from "@/lib/domain/cold-start/quantile-sketch";

/**
 * Known distributions: warm Duration log-normal (median 200 ms, σ 0.5), INIT log-normal
 * (median 1500 ms, σ 0.3), as CloudWatch and Logs Insights would report them — 24 hourly
 * periods of exact percentiles.
 */
const WARM_MEDIAN_MS = 200;
const WARM_SIGMA = 0.5;
const INIT_MEDIAN_MS = 1500;
const INIT_SIGMA = 0.3;
const at = (median: number, sigma: number, q: number) => median * Math.exp(sigma * normalQuantile(q));

function warmPeriods(invocationsPerHour: number): DurationPercentilesPoint[] {
  return Array.from({ length: 24 }, () => ({
    p50: WARM_MEDIAN_MS,
    p90: at(WARM_MEDIAN_MS, WARM_SIGMA, 0.9),
    p99: at(WARM_MEDIAN_MS, WARM_SIGMA, 0.99),
    invocations: invocationsPerHour,
  }));
}

function initHours(coldPerHour: number): CountedPercentiles[] {
  return Array.from({ length: 24 }, () => ({
    percentiles: {
      p50: INIT_MEDIAN_MS,
      p90: at(INIT_MEDIAN_MS, INIT_SIGMA, 0.9),
      p99: at(INIT_MEDIAN_MS, INIT_SIGMA, 0.99),
      max: at(INIT_MEDIAN_MS, INIT_SIGMA, coldPerHour / (coldPerHour + 1)),
    },
    count: coldPerHour,
  }));
}

/**
 * The exact p99 a caller sees under the model's assumptions, computed independently: the CDF
 * (1 − r)·Φ((ln x − ln m)/σ) + r·E[Φ((ln(x − I) − ln m)/σ)], the expectation over INIT taken at
 * 20,000 quantile midpoints, solved for 0.99 by bisection.
 */
function exactCallerP99Ms(coldRatio: number): number {
  const k = 20_000;
  const inits = Array.from({ length: k }, (_, i) => at(INIT_MEDIAN_MS, INIT_SIGMA, (i + 0.5) / k));
  const warmCdf = (x: number) => (x <= 0 ? 0 : normalCdf((Math.log(x) - Math.log(WARM_MEDIAN_MS)) / WARM_SIGMA));
  const cdf = (x: number) => (1 - coldRatio) * warmCdf(x) + (coldRatio * inits.reduce((sum, init) => sum + warmCdf(x - init), 0)) / k;
  let lo = 1;
  let hi = 100_000;
  for (let i = 0; i < 60; i++) {
    const mid = Math.sqrt(lo * hi);
    if (cdf(mid) >= 0.99) hi = mid;
    else lo = mid;
  }
  return hi;
}

describe("estimateColdStartLatencyImpact", () => {
  it("without cold starts, the caller's p99 is the warm p99 (200 ms · e^(0.5 · 2.3263) = 639.8 ms)", () => {
    const impact = estimateColdStartLatencyImpact({ invocations: 24_000, coldStarts: 0, warmDurations: warmPeriods(1000), coldStartDurations: [] });
    expect(impact.kind).toBe("estimated");
    if (impact.kind !== "estimated") return;
    expect(impact.warmP99Ms).toBeCloseTo(639.8, 0);
    expect(impact).toMatchObject({ callerP99Ms: impact.warmP99Ms, coldStartShareOfP99Ratio: 0, verdict: "negligible" });
  });

  // [cold starts per 1000 invocations an hour, verdict]
  it.each([
    [2, "negligible"],
    [20, "cold-starts-dominate"],
    [100, "cold-starts-dominate"],
    [330, "cold-starts-dominate"],
  ] as const)("with %i cold starts per 1000 calls, matches the exact p99 within 1 % (%s)", (coldPerHour, verdict) => {
    const coldRatio = coldPerHour / 1000;
    const impact = estimateColdStartLatencyImpact({
      invocations: 24_000,
      coldStarts: 24 * coldPerHour,
      warmDurations: warmPeriods(1000),
      coldStartDurations: initHours(coldPerHour),
    });
    expect(impact.kind).toBe("estimated");
    if (impact.kind !== "estimated") return;
    const exact = exactCallerP99Ms(coldRatio);
    expect(impact.callerP99Ms / exact - 1, `estimated ${impact.callerP99Ms}, exact ${exact}`).toBeGreaterThan(-0.01);
    expect(impact.callerP99Ms / exact - 1, `estimated ${impact.callerP99Ms}, exact ${exact}`).toBeLessThan(0.01);
    expect(impact.coldStartRatio).toBeCloseTo(coldRatio, 12);
    expect(impact.coldStartShareOfP99Ratio).toBeCloseTo((impact.callerP99Ms - impact.warmP99Ms) / impact.callerP99Ms, 12);
    expect(impact.verdict).toBe(verdict);
  });

  it("a cold start 0.2 % of the time stays beyond the p99: a small share however slow INIT is", () => {
    const impact = estimateColdStartLatencyImpact({ invocations: 24_000, coldStarts: 48, warmDurations: warmPeriods(1000), coldStartDurations: initHours(2) });
    expect(impact.kind === "estimated" && impact.coldStartShareOfP99Ratio).toBeLessThan(0.1);
  });

  it.each([
    ["too few invocations", { invocations: 60, coldStarts: 20, warmDurations: warmPeriods(2), coldStartDurations: initHours(1) }, /^60 invocations in this range; a p99 needs at least 100$/],
    ["no CloudWatch percentiles", { invocations: 24_000, coldStarts: 0, warmDurations: [], coldStartDurations: [] }, /no CloudWatch Duration percentiles/],
    ["cold starts without init percentiles", { invocations: 24_000, coldStarts: 40, warmDurations: warmPeriods(1000), coldStartDurations: [] }, /40 cold starts but no Init or Restore Duration percentiles/],
  ])("cannot say with %s", (_name, input, reason) => {
    const impact = estimateColdStartLatencyImpact(input);
    expect(impact.kind).toBe("insufficient-data");
    if (impact.kind === "insufficient-data") expect(impact.reason).toMatch(reason);
  });
});
