import { describe, expect, it } from "vitest";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "@/lib/domain/shared/time";
import {
  budgetConsumedAtFiring,
  computeBudgetRemaining,
  computeBurnRate,
  computeErrorRatio,
  detectionTimeMs,
  meetsBurnRateThreshold,
  timeToExhaustionMs,
} from "@/lib/domain/slo/burn-rate";

// Reference: Google SRE Workbook, ch. 5 "Alerting on SLOs"
// (https://sre.google/workbook/alerting-on-slos/), summarised in FACTS.md §1.
const PERIOD_30D_MS = 30 * DAY_MS;
const SLO_999 = 0.999;

describe("computeErrorRatio", () => {
  it.each([
    { good: 999, total: 1000, ratio: 0.001 },
    { good: 0, total: 10, ratio: 1 },
    { good: 10, total: 10, ratio: 0 },
    { good: 9, total: 10, ratio: 0.1 },
    // Pro-rata sums are fractional.
    { good: 22.5, total: 25, ratio: 0.1 },
  ])("$good good of $total → $ratio", ({ good, total, ratio }) => {
    expect(computeErrorRatio(good, total)).toBeCloseTo(ratio, 12);
  });

  it("is null without events, not NaN", () => {
    expect(computeErrorRatio(0, 0)).toBeNull();
  });

  it("never goes negative when float noise puts good a hair above total", () => {
    expect(computeErrorRatio(0.1 + 0.2, 0.3)).toBe(0);
  });
});

describe("computeBurnRate and timeToExhaustionMs (Workbook table 5-4: 99.9 %, 30 days)", () => {
  // burn rate, the error ratio that burns that fast at 99.9 %, time to empty a full budget.
  it.each([
    { burnRate: 1, errorRatio: 0.001, exhaustionMs: 30 * DAY_MS },
    { burnRate: 2, errorRatio: 0.002, exhaustionMs: 15 * DAY_MS },
    { burnRate: 10, errorRatio: 0.01, exhaustionMs: 3 * DAY_MS },
    // "burn rate 1000 at 99.9 %/30 d empties the budget in 43 minutes": 43.2 min exactly.
    { burnRate: 1000, errorRatio: 1, exhaustionMs: 43.2 * MINUTE_MS },
  ])("error ratio $errorRatio is burn $burnRate and lasts $exhaustionMs ms", ({ burnRate, errorRatio, exhaustionMs }) => {
    const computed = computeBurnRate(errorRatio, SLO_999);
    expect(computed).toBeCloseTo(burnRate, 9);
    expect(timeToExhaustionMs(1, burnRate, PERIOD_30D_MS)).toBeCloseTo(exhaustionMs, 3);
  });

  it("scales with the budget of other objectives", () => {
    expect(computeBurnRate(0.01, 0.99)).toBeCloseTo(1, 12);
    expect(computeBurnRate(0.05, 0.95)).toBeCloseTo(1, 12);
    expect(computeBurnRate(0.144, 0.99)).toBeCloseTo(14.4, 9);
  });

  it("refuses objectives without a budget", () => {
    expect(() => computeBurnRate(0.1, 1)).toThrow(RangeError);
    expect(() => computeBurnRate(0.1, 0)).toThrow(RangeError);
    expect(() => computeBurnRate(0.1, 99.9)).toThrow(RangeError);
  });
});

describe("meetsBurnRateThreshold", () => {
  it("counts an error ratio of exactly 1.44 % at 99.9 % as burn 14.4 despite float noise", () => {
    const burn = computeBurnRate(0.0144, SLO_999);
    expect(burn).toBeLessThan(14.4); // 14.399999999999986: why the tolerance exists
    expect(meetsBurnRateThreshold(burn, 14.4)).toBe(true);
  });

  it.each([
    { burnRate: 14.39, threshold: 14.4, meets: false },
    { burnRate: 14.41, threshold: 14.4, meets: true },
    { burnRate: 0.999, threshold: 1, meets: false },
    { burnRate: 1, threshold: 1, meets: true },
  ])("$burnRate vs $threshold → $meets", ({ burnRate, threshold, meets }) => {
    expect(meetsBurnRateThreshold(burnRate, threshold)).toBe(meets);
  });
});

describe("budgetConsumedAtFiring (Workbook: the 30-day multiwindow table)", () => {
  it.each([
    { burnRate: 14.4, windowMs: HOUR_MS, consumed: 0.02 },
    { burnRate: 6, windowMs: 6 * HOUR_MS, consumed: 0.05 },
    { burnRate: 3, windowMs: DAY_MS, consumed: 0.1 },
    { burnRate: 1, windowMs: 3 * DAY_MS, consumed: 0.1 },
  ])("burn $burnRate over $windowMs ms spends $consumed of the budget", ({ burnRate, windowMs, consumed }) => {
    expect(budgetConsumedAtFiring(burnRate, windowMs, PERIOD_30D_MS)).toBeCloseTo(consumed, 12);
  });

  it("is larger on a shorter period for the same burn and window", () => {
    // 14.4 × 1 h / 7 d = 8.57 %.
    expect(budgetConsumedAtFiring(14.4, HOUR_MS, 7 * DAY_MS)).toBeCloseTo(14.4 / 168, 12);
  });
});

describe("computeBudgetRemaining", () => {
  it.each([
    { good: 1_000_000, total: 1_000_000, remaining: 1 },
    { good: 999_500, total: 1_000_000, remaining: 0.5 },
    { good: 999_000, total: 1_000_000, remaining: 0 },
    // Overspent: twice the budget gone.
    { good: 998_000, total: 1_000_000, remaining: -1 },
    { good: 0, total: 10, remaining: -999 },
  ])("$good good of $total at 99.9 % → $remaining", ({ good, total, remaining }) => {
    expect(computeBudgetRemaining(good, total, SLO_999)).toBeCloseTo(remaining, 9);
  });

  it("is null without events", () => {
    expect(computeBudgetRemaining(0, 0, SLO_999)).toBeNull();
  });
});

describe("timeToExhaustionMs", () => {
  it.each([
    { remaining: 0.5, burnRate: 2, expectedMs: 7.5 * DAY_MS },
    { remaining: 0.5, burnRate: 0.5, expectedMs: 30 * DAY_MS },
    { remaining: 0.02, burnRate: 14.4, expectedMs: 1 * HOUR_MS },
  ])("$remaining left at burn $burnRate lasts $expectedMs ms", ({ remaining, burnRate, expectedMs }) => {
    expect(timeToExhaustionMs(remaining, burnRate, PERIOD_30D_MS)).toBeCloseTo(expectedMs, 3);
  });

  it("is 0 once the budget is spent, whatever the burn", () => {
    expect(timeToExhaustionMs(0, 5, PERIOD_30D_MS)).toBe(0);
    expect(timeToExhaustionMs(-0.3, 5, PERIOD_30D_MS)).toBe(0);
    expect(timeToExhaustionMs(-0.3, 0, PERIOD_30D_MS)).toBe(0);
  });

  it("is null when nothing burns (the budget never runs out)", () => {
    expect(timeToExhaustionMs(0.7, 0, PERIOD_30D_MS)).toBeNull();
    expect(timeToExhaustionMs(0.7, -1, PERIOD_30D_MS)).toBeNull();
  });
});

describe("detectionTimeMs (Workbook: ((1 − SLO) / error ratio) × alerting window × burn rate)", () => {
  // Every expected value is the Workbook's published formula worked by hand, in minutes.
  it.each([
    // A full outage on the 1-hour, 14.4 page: 0.001 / 1 × 60 min × 14.4 = 0.864 min.
    { errorRatio: 1, windowMs: HOUR_MS, threshold: 14.4, minutes: 0.864 },
    // 10 % errors on the same rule: 0.001 / 0.1 × 60 × 14.4 = 8.64 min.
    { errorRatio: 0.1, windowMs: HOUR_MS, threshold: 14.4, minutes: 8.64 },
    // 2 % errors: 0.001 / 0.02 × 60 × 14.4 = 43.2 min.
    { errorRatio: 0.02, windowMs: HOUR_MS, threshold: 14.4, minutes: 43.2 },
    // Exactly the threshold ratio (1.44 %) fills the whole window before firing.
    { errorRatio: 0.0144, windowMs: HOUR_MS, threshold: 14.4, minutes: 60 },
    // The 6-hour, 6× page: full outage 0.001 × 360 × 6 = 2.16 min; 10 % errors 21.6 min.
    { errorRatio: 1, windowMs: 6 * HOUR_MS, threshold: 6, minutes: 2.16 },
    { errorRatio: 0.1, windowMs: 6 * HOUR_MS, threshold: 6, minutes: 21.6 },
    // The 3-day, 1× ticket: full outage 0.001 × 4320 = 4.32 min; 0.2 % errors 2160 min (1.5 d).
    { errorRatio: 1, windowMs: 3 * DAY_MS, threshold: 1, minutes: 4.32 },
    { errorRatio: 0.002, windowMs: 3 * DAY_MS, threshold: 1, minutes: 2160 },
    // The Workbook's first two approaches are burn-rate-1 alerts on one window: a 10-minute
    // window detects a full outage in 0.6 s, a 36-hour window in 129.6 s (about 2 min 10 s).
    { errorRatio: 1, windowMs: 10 * MINUTE_MS, threshold: 1, minutes: 0.01 },
    { errorRatio: 1, windowMs: 36 * HOUR_MS, threshold: 1, minutes: 2.16 },
  ])("$errorRatio errors on $windowMs ms at $threshold× → $minutes min", ({ errorRatio, windowMs, threshold, minutes }) => {
    expect(detectionTimeMs(errorRatio, SLO_999, windowMs, threshold)).toBeCloseTo(minutes * MINUTE_MS, 3);
  });

  it.each([
    // 1 % errors is a burn of 10: never reaches 14.4 however long it lasts.
    { errorRatio: 0.01, windowMs: HOUR_MS, threshold: 14.4 },
    { errorRatio: 0.0143, windowMs: HOUR_MS, threshold: 14.4 },
    { errorRatio: 0.0009, windowMs: 3 * DAY_MS, threshold: 1 },
    { errorRatio: 0, windowMs: HOUR_MS, threshold: 14.4 },
  ])("$errorRatio errors never reach $threshold× → null", ({ errorRatio, windowMs, threshold }) => {
    expect(detectionTimeMs(errorRatio, SLO_999, windowMs, threshold)).toBeNull();
  });

  it("takes longer on a looser objective, whose budget is larger", () => {
    // 99 % has ten times the budget of 99.9 %: the same 100 % outage takes ten times longer.
    expect(detectionTimeMs(1, 0.99, HOUR_MS, 14.4)).toBeCloseTo(8.64 * MINUTE_MS, 3);
  });
});
