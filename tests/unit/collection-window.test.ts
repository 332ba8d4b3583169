import { describe, expect, it } from "vitest";
import { planMetricsWindow } from "@/lib/domain/metrics/collection-window";
import { getMetricDataFloor, MAX_DATAPOINTS_PER_CALL } from "@/lib/domain/metrics/metric-data-queries";

const NOW = Date.UTC(2026, 10, 26, 12, 30, 42); // 12:30:42 — the minute 12:30 is incomplete
const MIN = 60_000;
const H = 3_600_000;
const D = 86_400_000;
const base = { nowMs: NOW, backfillFromMs: NOW - 14 * D, minuteHistoryMs: 3 * D, settleMinutes: 5, queries: 500 };

describe("planMetricsWindow", () => {
  it("backfills minute data for the minute history and hourly data for the whole window on the first run", () => {
    const plan = planMetricsWindow({ ...base, watermarkMs: null });
    expect(plan.kind).toBe("backfill");
    // Minute data from the hour holding now − 3 days to the last complete minute.
    expect(plan.minute.window).toEqual({ fromMs: Date.UTC(2026, 10, 23, 12), toMs: Date.UTC(2026, 10, 26, 12, 30) });
    // 500 queries × 4,350 min = 2,175,000 datapoints: 22 calls of 201 min (the last 129), not
    // 25 hour-aligned 3-hour slices (90,000 datapoints each).
    expect(plan.minute.calls).toHaveLength(22);
    expect(plan.minute.calls).toHaveLength(getMetricDataFloor(500, 4350));
    expect(plan.minute.calls[0]).toEqual({ queries: { from: 0, to: 500 }, window: { fromMs: Date.UTC(2026, 10, 23, 12), toMs: Date.UTC(2026, 10, 23, 15, 21) } });
    expect(plan.minute.calls.at(-1)!.window.toMs).toBe(Date.UTC(2026, 10, 26, 12, 30));
    // Hourly data from the UTC day of the backfill start to the last hour settled 5 min ago.
    expect(plan.hour?.window).toEqual({ fromMs: Date.UTC(2026, 10, 12), toMs: Date.UTC(2026, 10, 26, 12) });
    // 500 × 348 h = 174,000: two calls, of 201 h and 147 h, the first ending mid-day.
    expect(plan.hour?.calls.map((c) => (c.window.toMs - c.window.fromMs) / H)).toEqual([201, 147]);
  });

  it("makes calls as long as the datapoint limit allows for small fleets", () => {
    const plan = planMetricsWindow({ ...base, watermarkMs: null, queries: 120 });
    // 100,800 / 120 = 840 minutes per call: 4,350 minutes in 6 calls.
    expect(plan.minute.calls).toHaveLength(6);
    for (const call of plan.minute.calls) expect((120 * (call.window.toMs - call.window.fromMs)) / MIN).toBeLessThanOrEqual(MAX_DATAPOINTS_PER_CALL);
    // 840 hours → 35 days: the whole hourly window in one call.
    expect(plan.hour?.calls).toHaveLength(1);
  });

  it("cuts the queries of a large fleet into balanced batches", () => {
    const plan = planMetricsWindow({ ...base, watermarkMs: null, queries: 8005 });
    expect(plan.minute.calls).toHaveLength(getMetricDataFloor(8005, 4350));
    expect(plan.hour?.calls).toHaveLength(getMetricDataFloor(8005, 348));
    const sizes = plan.hour!.calls.map((c) => c.queries.to - c.queries.from);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it("re-reads from the start of the hour holding (watermark − settle) on later runs", () => {
    const plan = planMetricsWindow({ ...base, watermarkMs: Date.UTC(2026, 10, 26, 12, 29) });
    expect(plan.kind).toBe("incremental");
    expect(plan.minute.calls).toEqual([{ queries: { from: 0, to: 500 }, window: { fromMs: Date.UTC(2026, 10, 26, 12), toMs: Date.UTC(2026, 10, 26, 12, 30) } }]);
    // No hour has settled since the last run: no hourly call.
    expect(plan.hour).toBeNull();
  });

  it("re-reads the previous hour when the watermark is within the settling window of an hour start", () => {
    const plan = planMetricsWindow({ ...base, watermarkMs: Date.UTC(2026, 10, 26, 12, 3) });
    expect(plan.minute.window.fromMs).toBe(Date.UTC(2026, 10, 26, 11));
  });

  it("fetches the hourly data of the day again once a new hour has settled", () => {
    const plan = planMetricsWindow({ ...base, nowMs: Date.UTC(2026, 10, 26, 13, 6), watermarkMs: Date.UTC(2026, 10, 26, 13, 5) });
    // The hour 12:00–13:00 settled at 13:05 and the last run (13:05 − 5 min = 13:00) had not seen it settled.
    expect(plan.hour).toBeNull();
    const next = planMetricsWindow({ ...base, nowMs: Date.UTC(2026, 10, 26, 13, 6), watermarkMs: Date.UTC(2026, 10, 26, 13, 4) });
    expect(next.hour?.window).toEqual({ fromMs: Date.UTC(2026, 10, 26), toMs: Date.UTC(2026, 10, 26, 13) });
    expect(next.hour?.calls).toHaveLength(1);
  });

  it("resumes without a gap after downtime, but keeps minute data within its history", () => {
    const shortOutage = planMetricsWindow({ ...base, watermarkMs: NOW - 5 * H });
    expect(shortOutage.minute.window.fromMs).toBe(Date.UTC(2026, 10, 26, 7));
    const longOutage = planMetricsWindow({ ...base, watermarkMs: NOW - 100 * H });
    expect(longOutage.minute.window.fromMs).toBe(Date.UTC(2026, 10, 23, 12));
    // Hourly data covers the outage from the day before the last settled hour.
    expect(longOutage.hour?.window.fromMs).toBe(Date.UTC(2026, 10, 22));
  });

  it("is up to date when no minute has completed and no hour has settled", () => {
    const plan = planMetricsWindow({ ...base, settleMinutes: 0, nowMs: Date.UTC(2026, 10, 26, 12, 30, 10), watermarkMs: Date.UTC(2026, 10, 26, 12, 30) });
    expect(plan.minute.calls.map((c) => c.window)).toEqual([{ fromMs: Date.UTC(2026, 10, 26, 12), toMs: Date.UTC(2026, 10, 26, 12, 30) }]);
    const same = planMetricsWindow({ ...base, settleMinutes: 0, nowMs: Date.UTC(2026, 10, 26, 12, 0, 10), watermarkMs: Date.UTC(2026, 10, 26, 12, 0) });
    expect(same.kind).toBe("up-to-date");
    expect(same.minute.calls).toEqual([]);
  });
});
