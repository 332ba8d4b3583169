import { describe, expect, it } from "vitest";
import { summarizeFunctionMetrics } from "@/lib/domain/metrics/summarize-function-metrics";

const T0 = Date.UTC(2026, 10, 26, 10, 0);
const MIN = 60_000;
const window = { fromMs: T0, toMs: T0 + 2 * 3_600_000 };
const pt = (minute: number, value: number) => ({ timestampMs: T0 + minute * MIN, value });

describe("summarizeFunctionMetrics", () => {
  it("sums counts inside the window only", () => {
    const s = summarizeFunctionMetrics(
      {
        invocations: [pt(-1, 1000), pt(0, 100), pt(61, 300), pt(120, 1000)],
        errors: [pt(0, 1), pt(61, 3)],
        throttles: [pt(5, 2)],
        p99DurationMs: [],
      },
      window,
    );
    expect(s.invocations).toBe(400);
    expect(s.errors).toBe(4);
    expect(s.errorRatio).toBeCloseTo(0.01, 12);
    expect(s.throttles).toBe(2);
  });

  it("weights each minute's p99 by that minute's invocations", () => {
    const s = summarizeFunctionMetrics(
      { invocations: [pt(0, 300), pt(1, 100)], errors: [], throttles: [], p99DurationMs: [pt(0, 100), pt(1, 500), pt(2, 9999)] },
      window,
    );
    // (300 × 100 + 100 × 500) / 400 = 200; minute 2 had no invocations and weighs nothing.
    expect(s.p99DurationMs).toBe(200);
  });

  it("says null, not zero, for ratios and p99 without traffic", () => {
    const s = summarizeFunctionMetrics({ invocations: [], errors: [], throttles: [], p99DurationMs: [] }, window);
    expect(s.errorRatio).toBeNull();
    expect(s.p99DurationMs).toBeNull();
    expect(s.invocations).toBe(0);
  });

  it("buckets invocations per hour, oldest first, zero-filling idle hours", () => {
    const s = summarizeFunctionMetrics(
      { invocations: [pt(0, 5), pt(59, 5), pt(60, 7)], errors: [], throttles: [], p99DurationMs: [] },
      { fromMs: T0, toMs: T0 + 3 * 3_600_000 },
    );
    expect(s.hourlyInvocations).toEqual([
      { hourStartMs: T0, invocations: 10, coveredMinutes: 60, invocationsPerHour: 10 },
      { hourStartMs: T0 + 3_600_000, invocations: 7, coveredMinutes: 60, invocationsPerHour: 7 },
      { hourStartMs: T0 + 7_200_000, invocations: 0, coveredMinutes: 60, invocationsPerHour: 0 },
    ]);
  });

  it("scales partial hours at the window's edges to a full-hour rate instead of showing a dip", () => {
    // 10:30 to 12:15: the first hour is half covered, the last a quarter.
    const partial = { fromMs: T0 + 30 * MIN, toMs: T0 + 135 * MIN };
    const s = summarizeFunctionMetrics(
      { invocations: [pt(30, 300), pt(60, 600), pt(120, 150)], errors: [], throttles: [], p99DurationMs: [] },
      partial,
    );
    expect(s.hourlyInvocations.map((h) => [h.coveredMinutes, h.invocations, h.invocationsPerHour])).toEqual([
      [30, 300, 600],
      [60, 600, 600],
      [15, 150, 600],
    ]);
  });
});
