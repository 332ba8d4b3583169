import { describe, expect, it } from "vitest";
import {
  MAX_CHART_POINTS,
  bucketOnGrid,
  chooseChartStepMs,
  summarizeDetailMetrics,
  type FunctionDetailSeries,
} from "@/lib/domain/metrics/function-detail-metrics";

const T0 = Date.UTC(2026, 10, 24, 10, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
const pt = (minute: number, value: number) => ({ timestampMs: T0 + minute * MIN, value });

function series(overrides: Partial<FunctionDetailSeries>): FunctionDetailSeries {
  return {
    invocations: [],
    errors: [],
    throttles: [],
    averageDurationMs: [],
    p50DurationMs: [],
    p90DurationMs: [],
    p99DurationMs: [],
    concurrentExecutions: [],
    ...overrides,
  };
}

describe("chooseChartStepMs", () => {
  it.each([
    ["1 h of minutes", HOUR, "minute", MIN],
    ["6 h of minutes", 6 * HOUR, "minute", MIN],
    ["24 h of minutes", 24 * HOUR, "minute", 5 * MIN],
    ["7 days of hours", 7 * 24 * HOUR, "hour", HOUR],
    ["14 days of hours", 14 * 24 * HOUR, "hour", HOUR],
    ["15 days of hours", 15 * 24 * HOUR, "hour", HOUR],
  ] as const)("%s → one point per %d ms", (_, spanMs, resolution, stepMs) => {
    const step = chooseChartStepMs({ fromMs: T0, toMs: T0 + spanMs }, resolution);
    expect(step).toBe(stepMs);
    expect(Math.ceil(spanMs / step)).toBeLessThanOrEqual(MAX_CHART_POINTS);
  });
});

describe("summarizeDetailMetrics", () => {
  const window = { fromMs: T0, toMs: T0 + 10 * MIN };

  it("sums counts in the window and ratios them; throttled requests are not invocations", () => {
    const { totals } = summarizeDetailMetrics(
      series({ invocations: [pt(-1, 999), pt(0, 300), pt(5, 100)], errors: [pt(0, 4)], throttles: [pt(5, 100)] }),
      window,
      MIN,
      null,
    );
    expect(totals).toMatchObject({ invocations: 400, errors: 4, errorRatio: 0.01, throttles: 100, throttleRatio: 0.2 });
  });

  it("weights each minute's percentile by that minute's invocations", () => {
    const { totals } = summarizeDetailMetrics(
      series({
        invocations: [pt(0, 300), pt(1, 100)],
        p50DurationMs: [pt(0, 10), pt(1, 50)],
        p99DurationMs: [pt(0, 100), pt(1, 500), pt(2, 9999)],
        averageDurationMs: [pt(0, 20), pt(1, 60)],
      }),
      window,
      MIN,
      null,
    );
    // (300 × 100 + 100 × 500) / 400 = 200; minute 2 had no invocations and weighs nothing.
    expect(totals.p99DurationMs).toBe(200);
    expect(totals.p50DurationMs).toBe(20);
    expect(totals.averageDurationMs).toBe(30);
    expect(totals.p90DurationMs).toBeNull();
  });

  it("rolls minutes up into steps: counts add, percentiles weigh, concurrency takes the maximum", () => {
    const { points, totals } = summarizeDetailMetrics(
      series({
        invocations: [pt(0, 100), pt(1, 300), pt(5, 50)],
        p99DurationMs: [pt(0, 400), pt(1, 200)],
        concurrentExecutions: [pt(0, 3), pt(1, 9), pt(4, 7), pt(6, 2)],
      }),
      window,
      5 * MIN,
      null,
    );
    expect(points).toEqual([
      { timestampMs: T0, invocations: 400, errors: 0, throttles: 0, p50DurationMs: null, p90DurationMs: null, p99DurationMs: 250, maxConcurrentExecutions: 9 },
      { timestampMs: T0 + 5 * MIN, invocations: 50, errors: 0, throttles: 0, p50DurationMs: null, p90DurationMs: null, p99DurationMs: null, maxConcurrentExecutions: 2 },
    ]);
    expect(totals.peakConcurrentExecutions).toBe(9);
  });

  it("leaves steps not yet collected empty instead of showing a drop to zero", () => {
    const { points } = summarizeDetailMetrics(series({ invocations: [pt(0, 5)] }), { fromMs: T0, toMs: T0 + 3 * MIN }, MIN, T0 + 2 * MIN);
    expect(points.map((p) => p.invocations)).toEqual([5, 0, null]);
  });

  it("says null, not zero, for ratios, durations and concurrency without traffic", () => {
    const { totals } = summarizeDetailMetrics(series({}), window, MIN, null);
    expect(totals).toEqual({
      invocations: 0,
      errors: 0,
      errorRatio: null,
      throttles: 0,
      throttleRatio: null,
      averageDurationMs: null,
      p50DurationMs: null,
      p90DurationMs: null,
      p99DurationMs: null,
      peakConcurrentExecutions: null,
    });
  });
});

describe("bucketOnGrid", () => {
  it("sums or maximises each series per step, null where a step has no datapoint", () => {
    const rows = bucketOnGrid({ fromMs: T0, toMs: T0 + 4 * MIN }, 2 * MIN, {
      spillover: { points: [pt(0, 3), pt(1, 4), pt(9, 100)], aggregate: "sum" },
      utilisation: { points: [pt(0, 0.5), pt(1, 1), pt(2, 0.25)], aggregate: "max" },
    });
    expect(rows).toEqual([
      { timestampMs: T0, spillover: 7, utilisation: 1 },
      { timestampMs: T0 + 2 * MIN, spillover: null, utilisation: 0.25 },
    ]);
  });
});
