import { describe, expect, it } from "vitest";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "@/lib/domain/shared/time";
import { computeBudgetBurndown } from "@/lib/domain/slo/budget-burndown";
import { computeBudgetRemaining } from "@/lib/domain/slo/burn-rate";
import { type SliBucket } from "@/lib/domain/slo/sli-bucket";
import { sloPeriodAt } from "@/lib/domain/slo/slo-period";
import { sumSliWindow } from "@/lib/domain/slo/window-sums";

const SLO_999 = 0.999;

/** Hourly buckets over [fromMs, toMs) with `total` events each, `bad(hourIndex)` of them bad. */
function hours(fromMs: number, toMs: number, total: number, bad: (hourIndex: number) => number = () => 0): SliBucket[] {
  const buckets: SliBucket[] = [];
  for (let start = fromMs, i = 0; start < toMs; start += HOUR_MS, i++) {
    buckets.push({ startMs: start, durationMs: HOUR_MS, good: total - bad(i), total });
  }
  return buckets;
}

describe("computeBudgetBurndown over a calendar month", () => {
  // February 2026: 28 days. Data through the 15th at 00:00, half the month.
  const period = sloPeriodAt({ kind: "calendar", unit: "month" }, Date.UTC(2026, 1, 10));
  const throughMs = Date.UTC(2026, 1, 15);

  it("samples each step from the period start to throughMs, ideal falling over the whole month", () => {
    const { points } = computeBudgetBurndown({ buckets: hours(period.fromMs, throughMs, 1_000), period, throughMs, objective: SLO_999, stepMs: DAY_MS });
    expect(points.map((p) => p.atMs)).toEqual(Array.from({ length: 15 }, (_, d) => period.fromMs + d * DAY_MS));
    expect(points.map((p) => p.idealRatio)).toEqual(Array.from({ length: 15 }, (_, d) => 1 - d / 28));
    expect(points.at(-1)!.idealRatio).toBe(0.5);
  });

  it("is null before the first event and 1 while nothing failed", () => {
    const { points } = computeBudgetBurndown({ buckets: hours(period.fromMs, throughMs, 1_000), period, throughMs, objective: SLO_999, stepMs: DAY_MS });
    expect(points[0]!.budgetRemainingRatio).toBeNull();
    expect(points.slice(1).every((p) => p.budgetRemainingRatio === 1)).toBe(true);
  });

  it("holds at 1 − burn rate under a steady burn", () => {
    // 1,000 an hour with 1 bad: 0.1 % = burn 1 → nothing left; with 0.5 bad (pro-rata data), burn 0.5.
    const { points } = computeBudgetBurndown({ buckets: hours(period.fromMs, throughMs, 1_000, () => 0.5), period, throughMs, objective: SLO_999, stepMs: DAY_MS });
    for (const p of points.slice(1)) expect(p.budgetRemainingRatio).toBeCloseTo(0.5, 9);
  });

  it("drops at an outage and recovers as good events dilute it (budget against events so far)", () => {
    // 1,000 an hour; hour 0 of day 3 has 48 bad.
    const outageHour = 3 * 24;
    const buckets = hours(period.fromMs, throughMs, 1_000, (h) => (h === outageHour ? 48 : 0));
    const { points } = computeBudgetBurndown({ buckets, period, throughMs, objective: SLO_999, stepMs: DAY_MS });
    expect(points[3]!.budgetRemainingRatio).toBe(1);
    // By the end of day 3: 48 bad of 96,000 = 0.05 % → half the budget gone.
    expect(points[4]!.budgetRemainingRatio).toBeCloseTo(0.5, 9);
    // By the 15th: 48 bad of 336,000.
    expect(points[14]!.budgetRemainingRatio).toBeCloseTo(1 - 48 / 336_000 / 0.001, 9);
  });

  it("goes negative when the budget is overspent", () => {
    const buckets = hours(period.fromMs, throughMs, 1_000, () => 3);
    const { points } = computeBudgetBurndown({ buckets, period, throughMs, objective: SLO_999, stepMs: DAY_MS });
    expect(points.at(-1)!.budgetRemainingRatio).toBeCloseTo(-2, 9);
  });
});

describe("computeBudgetBurndown, sampling edges", () => {
  const period = sloPeriodAt({ kind: "rolling", days: 30 }, Date.UTC(2026, 5, 30));

  it("adds a last point at throughMs when it is not on a step", () => {
    const throughMs = period.fromMs + 2 * DAY_MS + 5 * HOUR_MS;
    const { points } = computeBudgetBurndown({ buckets: hours(period.fromMs, throughMs, 100), period, throughMs, objective: SLO_999, stepMs: DAY_MS });
    expect(points.map((p) => p.atMs - period.fromMs)).toEqual([0, DAY_MS, 2 * DAY_MS, 2 * DAY_MS + 5 * HOUR_MS]);
    expect(points.at(-1)!.idealRatio).toBeCloseTo(1 - (53 * HOUR_MS) / (30 * DAY_MS), 12);
  });

  it("stops at the period end when the data runs past it", () => {
    const { points } = computeBudgetBurndown({ buckets: [], period, throughMs: period.toMs + 3 * DAY_MS, objective: SLO_999, stepMs: 10 * DAY_MS });
    expect(points.map((p) => p.atMs)).toEqual([period.fromMs, period.fromMs + 10 * DAY_MS, period.fromMs + 20 * DAY_MS, period.toMs]);
    expect(points.map((p) => p.idealRatio)).toEqual([1, 1 - 1 / 3, 1 - 2 / 3, 0]);
  });

  it("has no points when the data ends before the period starts, one at the very start", () => {
    expect(computeBudgetBurndown({ buckets: [], period, throughMs: period.fromMs - 1, objective: SLO_999, stepMs: DAY_MS }).points).toEqual([]);
    expect(computeBudgetBurndown({ buckets: [], period, throughMs: period.fromMs, objective: SLO_999, stepMs: DAY_MS }).points).toEqual([
      { atMs: period.fromMs, budgetRemainingRatio: null, idealRatio: 1 },
    ]);
  });

  it("keeps null (not NaN) throughout when there are no events", () => {
    const { points } = computeBudgetBurndown({ buckets: [], period, throughMs: period.fromMs + 3 * DAY_MS, objective: SLO_999, stepMs: DAY_MS });
    expect(points).toHaveLength(4);
    expect(points.every((p) => p.budgetRemainingRatio === null)).toBe(true);
  });

  it("counts buckets straddling the period start or a sample pro rata", () => {
    const buckets: SliBucket[] = [
      // Starts 30 minutes before the period: half of it (2 bad of 500) is inside.
      { startMs: period.fromMs - 30 * MINUTE_MS, durationMs: HOUR_MS, good: 996, total: 1_000 },
      // [30 min, 90 min): the sample at 1 h takes its first half (0 bad of 500).
      { startMs: period.fromMs + 30 * MINUTE_MS, durationMs: HOUR_MS, good: 1_000, total: 1_000 },
    ];
    const { points } = computeBudgetBurndown({ buckets, period, throughMs: period.fromMs + 2 * HOUR_MS, objective: SLO_999, stepMs: HOUR_MS });
    expect(points[1]!.budgetRemainingRatio).toBeCloseTo(1 - 2 / 1_000 / 0.001, 9); // 2 bad of 1,000
    expect(points[2]!.budgetRemainingRatio).toBeCloseTo(1 - 2 / 1_500 / 0.001, 9); // 2 bad of 1,500
  });

  it("agrees with summing each point's window directly, for unsorted mixed buckets with gaps", () => {
    const buckets: SliBucket[] = [
      ...hours(period.fromMs - 2 * HOUR_MS, period.fromMs + 20 * HOUR_MS, 600, (h) => (h % 5 === 0 ? 3 : 0)),
      ...Array.from({ length: 90 }, (_, m) => ({ startMs: period.fromMs + 20 * HOUR_MS + m * MINUTE_MS, durationMs: MINUTE_MS, good: 10 - (m % 7 === 0 ? 1 : 0), total: 10 })),
      // a gap, then a short still-growing bucket
      { startMs: period.fromMs + 23 * HOUR_MS, durationMs: 20 * MINUTE_MS, good: 190, total: 200 },
    ].reverse();
    const throughMs = period.fromMs + 23 * HOUR_MS + 20 * MINUTE_MS;
    const { points } = computeBudgetBurndown({ buckets, period, throughMs, objective: SLO_999, stepMs: 7 * MINUTE_MS });
    expect(points.length).toBe(Math.ceil((throughMs - period.fromMs) / (7 * MINUTE_MS)) + 1);
    for (const p of points) {
      const { good, total } = sumSliWindow(buckets, { fromMs: period.fromMs, toMs: p.atMs });
      const expected = computeBudgetRemaining(good, total, SLO_999);
      if (expected === null) expect(p.budgetRemainingRatio).toBeNull();
      else expect(p.budgetRemainingRatio).toBeCloseTo(expected, 9);
    }
  });

  it("refuses a step that is not positive or far too small for the period", () => {
    const input = { buckets: [], period, throughMs: period.toMs, objective: SLO_999 };
    expect(() => computeBudgetBurndown({ ...input, stepMs: 0 })).toThrow(RangeError);
    expect(() => computeBudgetBurndown({ ...input, stepMs: -HOUR_MS })).toThrow(RangeError);
    expect(() => computeBudgetBurndown({ ...input, stepMs: 1_000 })).toThrow(RangeError);
  });
});
