import { describe, expect, it } from "vitest";
import { DAY_MS } from "@/lib/domain/shared/time";
import { periodHours, sloPeriodAt } from "@/lib/domain/slo/slo-period";

describe("sloPeriodAt, rolling windows", () => {
  const now = Date.UTC(2026, 4, 17, 13, 45, 12, 345);

  it.each([7, 28, 30] as const)("rolling %i days is [now − days, now)", (days) => {
    expect(sloPeriodAt({ kind: "rolling", days }, now)).toEqual({ fromMs: now - days * DAY_MS, toMs: now, periodMs: days * DAY_MS });
  });
});

describe("sloPeriodAt, calendar months (UTC)", () => {
  it.each([
    { label: "February 2026", now: Date.UTC(2026, 1, 14, 9), from: Date.UTC(2026, 1, 1), to: Date.UTC(2026, 2, 1), days: 28 },
    { label: "February 2028 (leap)", now: Date.UTC(2028, 1, 29, 23, 59), from: Date.UTC(2028, 1, 1), to: Date.UTC(2028, 2, 1), days: 29 },
    { label: "February 2100 (not leap)", now: Date.UTC(2100, 1, 10), from: Date.UTC(2100, 1, 1), to: Date.UTC(2100, 2, 1), days: 28 },
    { label: "February 2000 (leap)", now: Date.UTC(2000, 1, 10), from: Date.UTC(2000, 1, 1), to: Date.UTC(2000, 2, 1), days: 29 },
    { label: "April 2026", now: Date.UTC(2026, 3, 30, 12), from: Date.UTC(2026, 3, 1), to: Date.UTC(2026, 4, 1), days: 30 },
    { label: "January 2026", now: Date.UTC(2026, 0, 1, 0, 0, 0, 1), from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 1, 1), days: 31 },
    { label: "December 2026 (ends in the next year)", now: Date.UTC(2026, 11, 31, 23), from: Date.UTC(2026, 11, 1), to: Date.UTC(2027, 0, 1), days: 31 },
  ])("$label has $days days", ({ now, from, to, days }) => {
    expect(sloPeriodAt({ kind: "calendar", unit: "month" }, now)).toEqual({ fromMs: from, toMs: to, periodMs: days * DAY_MS });
  });

  it("counts the whole month, not the elapsed part", () => {
    const early = sloPeriodAt({ kind: "calendar", unit: "month" }, Date.UTC(2026, 6, 2));
    expect(early.periodMs).toBe(31 * DAY_MS);
    expect(early.toMs).toBe(Date.UTC(2026, 7, 1));
  });

  it("puts the first instant of a month in that month and the last one before it in the previous", () => {
    const start = Date.UTC(2026, 2, 1);
    expect(sloPeriodAt({ kind: "calendar", unit: "month" }, start).fromMs).toBe(start);
    expect(sloPeriodAt({ kind: "calendar", unit: "month" }, start - 1)).toEqual({
      fromMs: Date.UTC(2026, 1, 1),
      toMs: start,
      periodMs: 28 * DAY_MS,
    });
  });
});

describe("sloPeriodAt, calendar quarters (UTC)", () => {
  it.each([
    { label: "Q1 2026", now: Date.UTC(2026, 1, 20), from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 3, 1), days: 90 },
    { label: "Q1 2028 (leap)", now: Date.UTC(2028, 2, 31, 23, 59), from: Date.UTC(2028, 0, 1), to: Date.UTC(2028, 3, 1), days: 91 },
    { label: "Q2 2026", now: Date.UTC(2026, 3, 1), from: Date.UTC(2026, 3, 1), to: Date.UTC(2026, 6, 1), days: 91 },
    { label: "Q3 2026", now: Date.UTC(2026, 8, 30, 23, 59, 59, 999), from: Date.UTC(2026, 6, 1), to: Date.UTC(2026, 9, 1), days: 92 },
    { label: "Q4 2026 (ends in the next year)", now: Date.UTC(2026, 10, 5), from: Date.UTC(2026, 9, 1), to: Date.UTC(2027, 0, 1), days: 92 },
  ])("$label has $days days", ({ now, from, to, days }) => {
    expect(sloPeriodAt({ kind: "calendar", unit: "quarter" }, now)).toEqual({ fromMs: from, toMs: to, periodMs: days * DAY_MS });
  });
});

describe("periodHours", () => {
  it.each([
    { label: "rolling 30 days", window: { kind: "rolling", days: 30 } as const, now: Date.UTC(2026, 1, 14), hours: 720 },
    { label: "rolling 28 days", window: { kind: "rolling", days: 28 } as const, now: Date.UTC(2026, 1, 14), hours: 672 },
    { label: "rolling 7 days", window: { kind: "rolling", days: 7 } as const, now: Date.UTC(2026, 1, 14), hours: 168 },
    { label: "February 2026", window: { kind: "calendar", unit: "month" } as const, now: Date.UTC(2026, 1, 14), hours: 672 },
    { label: "January 2026", window: { kind: "calendar", unit: "month" } as const, now: Date.UTC(2026, 0, 14), hours: 744 },
    { label: "Q3 2026", window: { kind: "calendar", unit: "quarter" } as const, now: Date.UTC(2026, 7, 14), hours: 2208 },
  ])("$label is $hours h", ({ window, now, hours }) => {
    expect(periodHours(window, now)).toBe(hours);
  });
});
