import { describe, expect, it } from "vitest";
import type { MetricPoint } from "@/lib/domain/metrics/lambda-metrics";
import type { LatencyHistogram } from "@/lib/domain/service-map/latency-histogram";
import type { TrafficStats } from "@/lib/domain/service-map/traffic-stats";
import { HOUR_MS, MINUTE_MS } from "@/lib/domain/shared/time";
import { toHourBuckets, type SliBucket } from "@/lib/domain/slo/sli-bucket";
import { addSliSeries, availabilityFromMetrics, periodLatencyFromMetrics } from "@/lib/domain/slo/sli-from-metrics";
import { countWithinMs, sliFromTrafficStats } from "@/lib/domain/slo/sli-from-xray";
import { isXraySli, sliKeyOf } from "@/lib/domain/slo/sli-key";
import type { SloDefinition } from "@/lib/domain/slo/slo-definition";
import { anSlo } from "@/tests/builders/slo";

const T0 = Date.UTC(2026, 10, 26, 10);
const at = (minute: number) => T0 + minute * MINUTE_MS;
/** Points from [minute, value] pairs. */
const points = (...pairs: [number, number][]): MetricPoint[] => pairs.map(([m, value]) => ({ timestampMs: at(m), value }));

describe("availabilityFromMetrics", () => {
  it("counts good = Invocations − Errors and total = Invocations + Throttles per minute, oldest first", () => {
    const buckets = availabilityFromMetrics(
      {
        // Given out of order: the result is sorted by start.
        invocations: points([3, 5], [0, 100], [1, 0], [2, 0]),
        errors: points([0, 2], [3, 7], [4, 1]),
        throttles: points([2, 4], [0, 3]),
      },
      MINUTE_MS,
    );
    expect(buckets).toEqual([
      // 100 invocations, 2 failed, 3 more refused: 98 good of 103 requests.
      { startMs: at(0), durationMs: MINUTE_MS, good: 98, total: 103 },
      // Minute 1: no invocations, errors or throttles → no events, no bucket.
      // Minute 2: only 4 throttles: 0 good of 4.
      { startMs: at(2), durationMs: MINUTE_MS, good: 0, total: 4 },
      // Minute 3: 7 errors reported for 5 invocations: capped at 5, so 0 good (never −2) of 5.
      { startMs: at(3), durationMs: MINUTE_MS, good: 0, total: 5 },
      // Minute 4: an Errors point without invocations: capped to 0 errors, 0 events, dropped.
    ]);
  });

  it("labels hourly points with the hour's duration", () => {
    const hour = (h: number) => T0 + h * HOUR_MS;
    const buckets = availabilityFromMetrics(
      { invocations: [{ timestampMs: hour(0), value: 6_000 }], errors: [{ timestampMs: hour(0), value: 6 }], throttles: [] },
      HOUR_MS,
    );
    expect(buckets).toEqual([{ startMs: hour(0), durationMs: HOUR_MS, good: 5_994, total: 6_000 }]);
  });

  it("returns no buckets for no points", () => {
    expect(availabilityFromMetrics({ invocations: [], errors: [], throttles: [] }, MINUTE_MS)).toEqual([]);
  });
});

describe("periodLatencyFromMetrics", () => {
  it("makes each minute with traffic one event, good when its percentile is at most the threshold", () => {
    const buckets = periodLatencyFromMetrics(
      {
        percentile: points([2, 301], [0, 250], [1, 300], [3, 900], [4, 100], [6, Number.NaN]),
        // Minute 3 had no invocations, minute 4 no Invocations point, minute 5 no percentile point.
        invocations: points([0, 10], [1, 3], [2, 1], [3, 0], [5, 7], [6, 4]),
      },
      300,
      MINUTE_MS,
    );
    expect(buckets).toEqual([
      { startMs: at(0), durationMs: MINUTE_MS, good: 1, total: 1 }, // 250 ≤ 300
      { startMs: at(1), durationMs: MINUTE_MS, good: 1, total: 1 }, // 300 ≤ 300: at the threshold is good
      { startMs: at(2), durationMs: MINUTE_MS, good: 0, total: 1 }, // 301 > 300
      // Minutes 3 and 4: no traffic; 5: no percentile; 6: not a number. None is an event.
    ]);
  });

  it("counts an hourly point as 60 one-minute slices judged by the hour's percentile", () => {
    const hour = (h: number) => T0 + h * HOUR_MS;
    const buckets = periodLatencyFromMetrics(
      {
        percentile: [
          { timestampMs: hour(1), value: 480 },
          { timestampMs: hour(0), value: 120 },
        ],
        invocations: [
          { timestampMs: hour(0), value: 3_000 },
          { timestampMs: hour(1), value: 2_500 },
        ],
      },
      300,
      HOUR_MS,
    );
    expect(buckets).toEqual([
      { startMs: hour(0), durationMs: HOUR_MS, good: 60, total: 60 },
      { startMs: hour(1), durationMs: HOUR_MS, good: 0, total: 60 },
    ]);
  });
});

describe("addSliSeries", () => {
  it("adds the functions' buckets of equal start, keeps the others, sorts, and leaves its inputs alone", () => {
    const ordersApi: SliBucket[] = [
      { startMs: at(0), durationMs: MINUTE_MS, good: 9, total: 10 },
      { startMs: at(1), durationMs: MINUTE_MS, good: 5, total: 5 },
    ];
    const ordersWorker: SliBucket[] = [
      { startMs: at(2), durationMs: MINUTE_MS, good: 3, total: 4 },
      { startMs: at(0), durationMs: MINUTE_MS, good: 1, total: 2 },
    ];
    expect(addSliSeries([ordersApi, ordersWorker])).toEqual([
      { startMs: at(0), durationMs: MINUTE_MS, good: 10, total: 12 }, // 9 + 1 of 10 + 2
      { startMs: at(1), durationMs: MINUTE_MS, good: 5, total: 5 },
      { startMs: at(2), durationMs: MINUTE_MS, good: 3, total: 4 },
    ]);
    expect(ordersApi[0]).toEqual({ startMs: at(0), durationMs: MINUTE_MS, good: 9, total: 10 });
  });

  it("is empty for no series", () => {
    expect(addSliSeries([])).toEqual([]);
    expect(addSliSeries([[], []])).toEqual([]);
  });
});

describe("toHourBuckets", () => {
  it("adds minute buckets per UTC hour into hour-long buckets, oldest first", () => {
    const minute = (hour: number, minuteOfHour: number, good: number, total: number): SliBucket => ({
      startMs: T0 + hour * HOUR_MS + minuteOfHour * MINUTE_MS,
      durationMs: MINUTE_MS,
      good,
      total,
    });
    const hours = toHourBuckets([minute(1, 0, 7, 8), minute(0, 58, 10, 10), minute(0, 59, 4, 5), minute(1, 30, 2, 2), minute(3, 0, 0, 1)]);
    expect(hours).toEqual([
      { startMs: T0, durationMs: HOUR_MS, good: 14, total: 15 }, // 10:58 + 10:59
      { startMs: T0 + HOUR_MS, durationMs: HOUR_MS, good: 9, total: 10 }, // 11:00 + 11:30
      // 12:00 had no buckets: no hour.
      { startMs: T0 + 3 * HOUR_MS, durationMs: HOUR_MS, good: 0, total: 1 },
    ]);
  });

  it("keeps an hour bucket as it is", () => {
    const hour = { startMs: T0, durationMs: HOUR_MS, good: 50, total: 60 };
    expect(toHourBuckets([hour])).toEqual([hour]);
    expect(toHourBuckets([])).toEqual([]);
  });
});

/**
 * The grid (latency-histogram.ts): 10 bins per decade from 0.1 ms, bin i = [10^(i/10 − 1),
 * 10^((i+1)/10 − 1)) ms. So bin 20 = [10, 12.59) ms, bin 25 = [31.62, 39.81) ms, bin 30 =
 * [100, 125.89) ms, bin 31 = [125.89, 158.49) ms.
 */
describe("countWithinMs", () => {
  // 3 requests in bin 25 (31.6-39.8 ms), 8 in bin 30 (100-125.9 ms), 4 in bin 31 (125.9-158.5 ms).
  const histogram: LatencyHistogram = { firstBin: 25, counts: [3, 0, 0, 0, 0, 8, 4] };

  it.each([
    { thresholdMs: 0.05, within: 0, why: "below the grid: none" },
    { thresholdMs: 10, within: 0, why: "10 ms is bin 20's lower edge, below every request" },
    { thresholdMs: 100, within: 3, why: "100 ms is bin 30's lower edge: bin 25 only, exactly" },
    { thresholdMs: 10 ** 2.1, within: 11, why: "10^2.1 ms is bin 30's upper edge: bins 25 and 30, exactly" },
    { thresholdMs: 10 ** 2.2, within: 15, why: "10^2.2 ms is bin 31's upper edge: all" },
    { thresholdMs: 1_000, within: 15, why: "above the last request: all" },
  ])("is exact at bin edges: $thresholdMs ms → $within ($why)", ({ thresholdMs, within }) => {
    expect(countWithinMs(histogram, thresholdMs)).toBe(within);
  });

  it.each([
    // Inside bin 30 [10^2, 10^2.1): the share below t is log(t / 10^2) / log(10^2.1 / 10^2) = (log10 t − 2) / 0.1.
    { thresholdMs: 10 ** 2.05, within: 3 + 8 * 0.5, why: "the geometric middle of bin 30: half of its 8" },
    { thresholdMs: 10 ** 2.025, within: 3 + 8 * 0.25, why: "a quarter of the way up bin 30 (log scale)" },
    // 110 ms: (log10 110 − 2) / 0.1 = 0.41393… of bin 30.
    { thresholdMs: 110, within: 3 + 8 * ((Math.log10(110) - 2) / 0.1), why: "110 ms: 41 % of bin 30, not the linear 39 %" },
  ])("shares a bin geometrically: $thresholdMs ms → $within ($why)", ({ thresholdMs, within }) => {
    expect(countWithinMs(histogram, thresholdMs)).toBeCloseTo(within, 9);
  });

  it("counts nothing in an empty histogram", () => {
    expect(countWithinMs({ firstBin: 0, counts: [] }, 300)).toBe(0);
  });
});

describe("sliFromTrafficStats", () => {
  const stats: TrafficStats = {
    okCount: 90,
    errorCount: 4,
    throttleCount: 2,
    faultCount: 4,
    totalCount: 100,
    responseTimeSumMs: 9_000,
    // 98 requests with a response time (2 throttles had none): 60 in bin 25 (31.6-39.8 ms), 38 in bin 30 (100-125.9 ms).
    histogram: { firstBin: 25, counts: [60, 0, 0, 0, 0, 38] },
  };

  it("availability: ok requests of all (errors, throttles and faults are all bad)", () => {
    expect(sliFromTrafficStats(stats, { kind: "availability" })).toEqual({ good: 90, total: 100 });
  });

  it("latency: requests within the threshold of those with a response time", () => {
    // 100 ms is bin 30's lower edge: the 60 of bin 25 are within, the 38 of bin 30 are not.
    expect(sliFromTrafficStats(stats, { kind: "latency", thresholdMs: 100 })).toEqual({ good: 60, total: 98 });
    expect(sliFromTrafficStats(stats, { kind: "latency", thresholdMs: 10 ** 2.05 })).toEqual({ good: expect.closeTo(60 + 19, 9), total: 98 });
  });
});

describe("sliKeyOf", () => {
  const base = anSlo();
  const key = (overrides: Partial<SloDefinition>) => sliKeyOf(anSlo(overrides));

  it("stays the same when only how the SLI is judged or named changes", () => {
    for (const overrides of [
      { objective: 0.99 },
      { window: { kind: "calendar", unit: "month" } },
      { window: { kind: "rolling", days: 7 } },
      { name: "Renamed" },
      { description: "Checkout calls this" },
      { service: "billing" },
      { alerting: { enabled: false, minEvents: 5 } },
      { labels: { team: "payments" } },
      { version: 7, updatedAtMs: 0, updatedBy: "someone" },
    ] satisfies Partial<SloDefinition>[]) {
      expect(key(overrides), JSON.stringify(overrides)).toBe(sliKeyOf(base));
    }
  });

  it("changes with the account, region, target, indicator or threshold, each to a key of its own", () => {
    const variants: Partial<SloDefinition>[] = [
      {},
      { accountId: "210987654321" },
      { region: "eu-west-1" },
      { target: { kind: "function", functionName: "payments-worker" } },
      { target: { kind: "service", service: "payments" } },
      // A service named like the function is still another target.
      { target: { kind: "service", service: "payments-api" } },
      { indicator: { kind: "availability", source: "xray" } },
      { indicator: { kind: "latency", method: "request", thresholdMs: 300 } },
      { indicator: { kind: "latency", method: "request", thresholdMs: 301 } },
      { indicator: { kind: "latency", method: "period", percentile: "p99", thresholdMs: 300 } },
      { indicator: { kind: "latency", method: "period", percentile: "p90", thresholdMs: 300 } },
      { indicator: { kind: "latency", method: "period", percentile: "p99", thresholdMs: 500 } },
    ];
    const keys = variants.map(key);
    expect(new Set(keys).size).toBe(variants.length);
  });
});

describe("isXraySli", () => {
  it.each([
    { name: "availability from CloudWatch", indicator: { kind: "availability", source: "cloudwatch" }, xray: false },
    { name: "availability from X-Ray", indicator: { kind: "availability", source: "xray" }, xray: true },
    { name: "request-based latency (X-Ray histograms)", indicator: { kind: "latency", method: "request", thresholdMs: 300 }, xray: true },
    { name: "period-based latency (CloudWatch percentiles)", indicator: { kind: "latency", method: "period", percentile: "p99", thresholdMs: 300 }, xray: false },
  ] satisfies { name: string; indicator: SloDefinition["indicator"]; xray: boolean }[])("$name → $xray", ({ indicator, xray }) => {
    expect(isXraySli({ indicator })).toBe(xray);
  });
});
