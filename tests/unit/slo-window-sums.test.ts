import { describe, expect, it } from "vitest";
import { HOUR_MS, MINUTE_MS } from "@/lib/domain/shared/time";
import { type SliBucket } from "@/lib/domain/slo/sli-bucket";
import { sumSliWindow } from "@/lib/domain/slo/window-sums";

const T0 = Date.UTC(2026, 2, 9, 0);

function bucket(offsetMs: number, durationMs: number, good: number, total: number): SliBucket {
  return { startMs: T0 + offsetMs, durationMs, good, total };
}

function window(fromOffsetMs: number, toOffsetMs: number) {
  return { fromMs: T0 + fromOffsetMs, toMs: T0 + toOffsetMs };
}

describe("sumSliWindow", () => {
  const hours = [bucket(0, HOUR_MS, 90, 100), bucket(HOUR_MS, HOUR_MS, 180, 200), bucket(2 * HOUR_MS, HOUR_MS, 400, 400)];

  it("adds buckets wholly inside the window", () => {
    expect(sumSliWindow(hours, window(0, 3 * HOUR_MS))).toEqual({ good: 670, total: 700, coveredMs: 3 * HOUR_MS });
    expect(sumSliWindow(hours, window(HOUR_MS, 2 * HOUR_MS))).toEqual({ good: 180, total: 200, coveredMs: HOUR_MS });
  });

  it("counts a bucket straddling an edge pro rata to its overlap", () => {
    // Last 15 minutes of hour 0 (a quarter of 90/100) and the first 30 of hour 1 (half of 180/200).
    const sum = sumSliWindow(hours, window(45 * MINUTE_MS, 90 * MINUTE_MS));
    expect(sum.good).toBeCloseTo(22.5 + 90, 9);
    expect(sum.total).toBeCloseTo(25 + 100, 9);
    expect(sum.coveredMs).toBe(45 * MINUTE_MS);
  });

  it("takes a twelfth of an hourly bucket for a 5-minute window inside it", () => {
    const sum = sumSliWindow([bucket(0, HOUR_MS, 600, 1200)], window(55 * MINUTE_MS, HOUR_MS));
    expect(sum.good).toBeCloseTo(50, 9);
    expect(sum.total).toBeCloseTo(100, 9);
    expect(sum.coveredMs).toBe(5 * MINUTE_MS);
  });

  it("spreads a short still-growing last bucket over its own duration, not the nominal hour", () => {
    // The current hour's partial snapshot covers 20 minutes; a window over its last 10 gets half.
    const sum = sumSliWindow([bucket(0, 20 * MINUTE_MS, 30, 40)], window(10 * MINUTE_MS, HOUR_MS));
    expect(sum).toEqual({ good: 15, total: 20, coveredMs: 10 * MINUTE_MS });
  });

  it("mixes hour and minute buckets", () => {
    const mixed = [bucket(0, HOUR_MS, 60, 60), ...[0, 1, 2].map((m) => bucket(HOUR_MS + m * MINUTE_MS, MINUTE_MS, 9, 10))];
    const sum = sumSliWindow(mixed, window(30 * MINUTE_MS, HOUR_MS + 3 * MINUTE_MS));
    expect(sum.good).toBeCloseTo(30 + 27, 9);
    expect(sum.total).toBeCloseTo(30 + 30, 9);
    expect(sum.coveredMs).toBe(33 * MINUTE_MS);
  });

  it("reports gaps through coveredMs", () => {
    const gappy = [bucket(0, MINUTE_MS, 5, 5), bucket(10 * MINUTE_MS, MINUTE_MS, 5, 5)];
    expect(sumSliWindow(gappy, window(0, HOUR_MS))).toEqual({ good: 10, total: 10, coveredMs: 2 * MINUTE_MS });
  });

  it("treats windows and buckets as half-open", () => {
    // Hour 0 ends where the window starts; hour 2 starts where it ends.
    expect(sumSliWindow(hours, window(HOUR_MS, 2 * HOUR_MS)).total).toBe(200);
    expect(sumSliWindow(hours, window(3 * HOUR_MS, 4 * HOUR_MS))).toEqual({ good: 0, total: 0, coveredMs: 0 });
  });

  it("is zero for no buckets and for an empty or inverted window", () => {
    expect(sumSliWindow([], window(0, HOUR_MS))).toEqual({ good: 0, total: 0, coveredMs: 0 });
    expect(sumSliWindow(hours, window(HOUR_MS, HOUR_MS))).toEqual({ good: 0, total: 0, coveredMs: 0 });
    expect(sumSliWindow(hours, window(2 * HOUR_MS, HOUR_MS))).toEqual({ good: 0, total: 0, coveredMs: 0 });
  });

  it("does not depend on bucket order", () => {
    const w = window(20 * MINUTE_MS, 150 * MINUTE_MS);
    const sorted = sumSliWindow(hours, w);
    const reversed = sumSliWindow([...hours].reverse(), w);
    expect(reversed.good).toBeCloseTo(sorted.good, 9);
    expect(reversed.total).toBeCloseTo(sorted.total, 9);
    expect(reversed.coveredMs).toBe(sorted.coveredMs);
  });

  it("counts a bucket of no duration wholly when its instant is inside, never outside", () => {
    const instant = [bucket(30 * MINUTE_MS, 0, 3, 4)];
    expect(sumSliWindow(instant, window(0, HOUR_MS))).toEqual({ good: 3, total: 4, coveredMs: 0 });
    expect(sumSliWindow(instant, window(30 * MINUTE_MS + 1, HOUR_MS))).toEqual({ good: 0, total: 0, coveredMs: 0 });
    expect(sumSliWindow(instant, window(0, 30 * MINUTE_MS))).toEqual({ good: 0, total: 0, coveredMs: 0 });
  });
});
