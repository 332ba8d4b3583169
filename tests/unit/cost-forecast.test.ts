import { describe, expect, it } from "vitest";
import { FORECAST_Z, forecastMonthEnd } from "@/lib/domain/cost/cost-forecast";
import type { DailySeries } from "@/lib/domain/cost/cost-types";

const DAY = 86_400_000;
const USD = 1_000_000;
const NOV_1 = Date.UTC(2026, 10, 1);
const DEC_1 = Date.UTC(2026, 11, 1);

function series(fromMs: number, values: readonly (number | null)[]): DailySeries {
  return { id: "total", days: values.map((value, i) => ({ dayMs: fromMs + i * DAY, value })) };
}

function isWeekend(dayMs: number): boolean {
  const d = new Date(dayMs).getUTCDay();
  return d === 0 || d === 6;
}

describe("forecastMonthEnd", () => {
  it("without data: expected = actual = 0", () => {
    const f = forecastMonthEnd({ id: "total", days: [] }, { asOfMs: Date.UTC(2026, 10, 15) });
    expect(f).toMatchObject({ seriesId: "total", monthStartMs: NOV_1, monthEndMs: DEC_1, daysActual: 0, actualMicroUsd: 0 });
    expect(f.forecastMicroUsd).toEqual({ lower: 0, expected: 0, upper: 0 });
  });

  it("a flat $10 a day: 10 days actual, 20 projected, the band around it and never below actual", () => {
    const f = forecastMonthEnd(series(NOV_1, Array(10).fill(10 * USD)), { asOfMs: Date.UTC(2026, 10, 11, 13) });
    expect(f.daysActual).toBe(10);
    expect(f.actualMicroUsd).toBe(100 * USD);
    expect(f.forecastMicroUsd.expected).toBe(300 * USD);
    // σ floor 5 % of the level: ± 1.64 × 0.5 × √20 USD.
    const half = FORECAST_Z * 0.5 * USD * Math.sqrt(20);
    expect(f.forecastMicroUsd.lower).toBe(Math.round(300 * USD - half));
    expect(f.forecastMicroUsd.upper).toBe(Math.round(300 * USD + half));
    expect(f.method).toMatch(/day-of-week median of the last 10 complete day\(s\), 20 day\(s\) projected/);
  });

  it("projects each remaining day by its weekday: weekends 20 % lower", () => {
    const values = Array.from({ length: 16 }, (_, i) => (isWeekend(NOV_1 + i * DAY) ? 8 * USD : 10 * USD));
    const f = forecastMonthEnd(series(NOV_1, values), { asOfMs: Date.UTC(2026, 10, 17) });
    let expected = values.reduce((a, b) => a + b, 0);
    for (let d = Date.UTC(2026, 10, 17); d < DEC_1; d += DAY) expected += isWeekend(d) ? 8 * USD : 10 * USD;
    expect(f.forecastMicroUsd.expected).toBe(expected);
    expect(Number.isInteger(f.forecastMicroUsd.lower) && Number.isInteger(f.forecastMicroUsd.upper)).toBe(true);
  });

  it("one 30× day counts as actual but moves no projected day", () => {
    const values = Array.from({ length: 16 }, (_, i) => (isWeekend(NOV_1 + i * DAY) ? 8 * USD : 10 * USD));
    const spiked = [...values];
    spiked[9] = 300 * USD; // Tuesday 11-10: next Tuesday's factor would rest on it
    const plain = forecastMonthEnd(series(NOV_1, values), { asOfMs: Date.UTC(2026, 10, 17) });
    const f = forecastMonthEnd(series(NOV_1, spiked), { asOfMs: Date.UTC(2026, 10, 17) });
    expect(f.actualMicroUsd - plain.actualMicroUsd).toBe(290 * USD);
    expect(f.forecastMicroUsd.expected - plain.forecastMicroUsd.expected).toBe(290 * USD);
    expect(f.method).toMatch(/1 anomalous day\(s\) left out/);
  });

  it("a month with a day of data: that day's cost for every remaining day, a wide band (σ 20 % of it)", () => {
    const f = forecastMonthEnd(series(NOV_1, [6 * USD]), { asOfMs: Date.UTC(2026, 10, 2) });
    expect(f).toMatchObject({ daysActual: 1, actualMicroUsd: 6 * USD });
    expect(f.forecastMicroUsd.expected).toBe(180 * USD);
    const half = FORECAST_Z * 0.2 * 6 * USD * Math.sqrt(29);
    expect(f.forecastMicroUsd.upper).toBe(Math.round(180 * USD + half));
    expect(f.forecastMicroUsd.lower).toBe(Math.round(180 * USD - half));
    expect(f.method).toMatch(/under a week/);
  });

  it("as of the 1st: the new month is projected whole from the previous days", () => {
    const f = forecastMonthEnd(series(Date.UTC(2026, 10, 17), Array(14).fill(5 * USD)), { asOfMs: DEC_1 });
    expect(f).toMatchObject({ monthStartMs: DEC_1, monthEndMs: Date.UTC(2027, 0, 1), daysActual: 0, actualMicroUsd: 0 });
    expect(f.forecastMicroUsd.expected).toBe(31 * 5 * USD);
    expect(f.forecastMicroUsd.lower).toBeGreaterThanOrEqual(0);
  });

  it("a month asked for that is already complete: its actual, no range", () => {
    const f = forecastMonthEnd(series(NOV_1, Array(30).fill(2 * USD)), { asOfMs: DEC_1, monthStartMs: NOV_1 });
    expect(f).toMatchObject({ daysActual: 30, actualMicroUsd: 60 * USD });
    expect(f.forecastMicroUsd).toEqual({ lower: 60 * USD, expected: 60 * USD, upper: 60 * USD });
  });

  it("lower never falls below actual, even with a wild history", () => {
    const values = [1, 50, 2, 40, 3, 60, 1, 45, 2, 55, 1, 35, 2, 50].map((v) => v * USD);
    const f = forecastMonthEnd(series(Date.UTC(2026, 10, 14), values), { asOfMs: Date.UTC(2026, 10, 28) });
    expect(f.forecastMicroUsd.lower).toBeGreaterThanOrEqual(f.actualMicroUsd);
    expect(f.forecastMicroUsd.lower).toBeLessThanOrEqual(f.forecastMicroUsd.expected);
    expect(f.forecastMicroUsd.upper).toBeGreaterThan(f.forecastMicroUsd.expected);
  });
});
