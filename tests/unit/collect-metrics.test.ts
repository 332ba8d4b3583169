import { describe, expect, it } from "vitest";
import { collectMetrics, metricTargetsOf } from "@/lib/use-cases/collect-metrics";
import { FUNCTION_METRIC_KEYS, metricKeyId, metricTargetId, REGION_METRIC_KEYS, type MetricPoint } from "@/lib/domain/metrics/lambda-metrics";
import { planMetricsWindow } from "@/lib/domain/metrics/collection-window";
import { toMetricBuckets } from "@/lib/domain/metrics/metric-buckets";
import { batchOf, buildMetricQueries, getMetricDataFloor, MAX_QUERIES_PER_CALL, type MetricDataQuery } from "@/lib/domain/metrics/metric-data-queries";
import type { TimeWindow } from "@/lib/domain/shared/time";
import type { MetricQueryResult, MetricsSource } from "@/lib/ports/metrics-source";
import { aFunction } from "@/tests/builders/function-config";
import { aCollectorContext } from "@/tests/builders/collector-context";
import { InMemoryFunctionStore, InMemorySeriesStore, InMemoryWatermarkStore, ScriptedMetricsSource } from "@/tests/fakes/in-memory-stores";

const NOW = Date.UTC(2026, 10, 26, 12, 0, 30);
const H = 3_600_000;
const D = 86_400_000;
const options = { settleMinutes: 5, minuteHistoryMs: 1 * D };
const ctxAt = (nowMs: number, backfillDays = 2) => aCollectorContext({ nowMs, backfillFromMs: nowMs - backfillDays * D });

async function setup(functionCount = 3) {
  const functions = new InMemoryFunctionStore();
  await functions.putFunctions(Array.from({ length: functionCount }, (_, i) => aFunction({ functionName: `fn-${i}` })));
  return { source: new ScriptedMetricsSource(), functions, series: new InMemorySeriesStore(), watermarks: new InMemoryWatermarkStore() };
}

const snapshot = (series: InMemorySeriesStore) => JSON.stringify([...series.buckets.entries()].sort(([a], [b]) => a.localeCompare(b)));

describe("collectMetrics", () => {
  it("backfills hourly data for the window and minute data for the minute history, one batch per slice", async () => {
    const deps = await setup(3);
    const ctx = ctxAt(NOW);
    const result = await collectMetrics(deps, ctx, options);
    expect(result.outcome).toBe("collected");
    const queries = 3 * FUNCTION_METRIC_KEYS.length + REGION_METRIC_KEYS.length;
    expect(deps.source.calls.every((c) => c.batchSize === queries)).toBe(true);
    // Hourly: 3 days (Nov 24 00:00 → Nov 26 12:00) in one call; minute: 24 h in one call (29 × 1440 < 100,800).
    expect(deps.source.calls.map((c) => [c.periodSeconds, c.window])).toEqual([
      [3600, { fromMs: Date.UTC(2026, 10, 24), toMs: Date.UTC(2026, 10, 26, 11) }],
      [60, { fromMs: Date.UTC(2026, 10, 25, 12), toMs: Date.UTC(2026, 10, 26, 12) }],
    ]);
    // 4 targets × (24 minute items + 3 day items)
    expect(result.itemsWritten).toBe(4 * (24 + 3));
    expect((await deps.watermarks.get("metrics", ctx.accountId, ctx.region))?.throughMs).toBe(Date.UTC(2026, 10, 26, 12));
    expect(ctx.progressUpdates.at(-1)).toEqual({ done: 2, total: 2, unit: "calls" });
  });

  it("stores each minute at its place in the hour item and reads it back", async () => {
    const deps = await setup(1);
    await collectMetrics(deps, ctxAt(NOW), options);
    const window = { fromMs: Date.UTC(2026, 10, 26, 10), toMs: Date.UTC(2026, 10, 26, 12) };
    const read = await deps.series.readSeries({ accountId: "123456789012", region: "us-east-1" }, { kind: "function", functionName: "fn-0" }, [FUNCTION_METRIC_KEYS[0]], window, "minute");
    const points = read["Invocations:Sum"]!;
    expect(points).toHaveLength(120);
    // The scripted source's value for a minute is (minute since epoch) mod 7.
    for (const p of points) expect(p.value).toBe((p.timestampMs / 60_000) % 7);
  });

  it("continues from the start of the hour of (watermark − settle), and adds hourly data once an hour settles", async () => {
    const deps = await setup(1);
    await collectMetrics(deps, ctxAt(NOW), options);
    deps.source.calls = [];
    await collectMetrics(deps, ctxAt(NOW + 3 * 60_000), options);
    // 12:03 − 5 min settle = 11:58: the hour from 11:00 is read again; no hour settled since.
    expect(deps.source.calls.map((c) => [c.periodSeconds, c.window])).toEqual([[60, { fromMs: Date.UTC(2026, 10, 26, 11), toMs: Date.UTC(2026, 10, 26, 12, 3) }]]);
    deps.source.calls = [];
    await collectMetrics(deps, ctxAt(Date.UTC(2026, 10, 26, 13, 6)), options);
    expect(deps.source.calls.map((c) => [c.periodSeconds, c.window])).toEqual([
      [3600, { fromMs: Date.UTC(2026, 10, 26), toMs: Date.UTC(2026, 10, 26, 13) }],
      [60, { fromMs: Date.UTC(2026, 10, 26, 11), toMs: Date.UTC(2026, 10, 26, 13, 6) }],
    ]);
  });

  // 62 functions × 8 keys + 5 region keys = 501 queries: 2 hourly calls, then 24 h of minutes
  // in 8 calls of 2 balanced batches (251 + 250) over 401-minute slices that end mid-hour — a
  // crash can land in the hourly pass, between the batches of a slice, or between slices.
  it.each([1, 2, 3, 4, 5, 7, 9])("converges to the uninterrupted table after a crash at call %i and a rerun", async (k) => {
    const reference = await setup(62);
    await collectMetrics(reference, ctxAt(NOW, 3), options);
    expect(reference.source.calls).toHaveLength(10);
    const deps = await setup(62);
    deps.source.failOnCall = k;
    await expect(collectMetrics(deps, ctxAt(NOW, 3), options)).rejects.toThrow(/ECONNREFUSED/);
    deps.source.failOnCall = null;
    await collectMetrics(deps, ctxAt(NOW, 3), options);
    expect(snapshot(deps.series)).toBe(snapshot(reference.series));
    expect(await deps.watermarks.get("metrics", "123456789012", "us-east-1")).toEqual(await reference.watermarks.get("metrics", "123456789012", "us-east-1"));
  });

  it("stores the same items when the same window is collected twice", async () => {
    const deps = await setup(1);
    await collectMetrics(deps, ctxAt(NOW), options);
    const before = snapshot(deps.series);
    deps.watermarks.items.clear();
    await collectMetrics(deps, ctxAt(NOW), options);
    expect(snapshot(deps.series)).toBe(before);
  });

  it("collects nothing and leaves no watermark before inventory has stored any function", async () => {
    const deps = await setup(0);
    const result = await collectMetrics(deps, ctxAt(NOW), options);
    expect(result.outcome).toBe("skipped");
    expect(deps.source.calls).toHaveLength(0);
    expect(await deps.watermarks.get("metrics", "123456789012", "us-east-1")).toBeNull();
  });

  it("warns about datapoints off the period grid instead of storing them", async () => {
    const deps = await setup(1);
    const original = deps.source.getMetricData.bind(deps.source);
    deps.source.getMetricData = async (batch, window) =>
      (await original(batch, window)).map((r) => ({ ...r, points: [...r.points, { timestampMs: window.fromMs + 1_000, value: 1 }] }));
    const ctx = ctxAt(NOW);
    await collectMetrics(deps, ctx, options);
    expect(ctx.warnings).toEqual([expect.stringMatching(/^skipped \d+ datapoints outside their period grid/)]);
  });

  // 501 queries: balanced batches, minute calls cut mid-hour. 493 queries over 14 days: one
  // batch, hourly calls of 204 h cut mid-day too.
  it.each([
    [62, 3],
    [61, 14],
  ])("with %i functions and %i days of backfill, stores exactly the items of reading each hour and day whole, at the floor of calls", async (functions, days) => {
    // The old planner's promise, re-derived: each item from one answer over its own hour (day),
    // the window's last cut at its end. The source answers per query and minute, with gaps.
    const source = new DistinctMetricsSource();
    const deps = { ...(await setup(functions)), source };
    const ctx = ctxAt(NOW, days);
    await collectMetrics(deps, ctx, options);
    const queries = functions * FUNCTION_METRIC_KEYS.length + REGION_METRIC_KEYS.length;
    const plan = planMetricsWindow({ watermarkMs: null, nowMs: NOW, backfillFromMs: ctx.backfillFromMs, minuteHistoryMs: options.minuteHistoryMs, settleMinutes: 5, queries });
    const minutePeriods = (plan.minute.window.toMs - plan.minute.window.fromMs) / 60_000;
    const hourPeriods = (plan.hour!.window.toMs - plan.hour!.window.fromMs) / H;
    expect(source.calls).toBe(getMetricDataFloor(queries, minutePeriods) + getMetricDataFloor(queries, hourPeriods));
    expect(plan.minute.calls.some((c) => c.window.toMs % H !== 0)).toBe(true);
    if (days === 14) expect(plan.hour!.calls.some((c) => c.window.toMs % D !== 0)).toBe(true);
    const reference = new InMemorySeriesStore();
    const targets = metricTargetsOf(await deps.functions.listFunctions());
    for (const [resolution, window, itemMs, periodSeconds] of [
      ["hour", plan.hour!.window, D, 3600],
      ["minute", plan.minute.window, H, 60],
    ] as const) {
      const all = buildMetricQueries(targets, periodSeconds);
      for (let fromMs = window.fromMs; fromMs < window.toMs; fromMs += itemMs) {
        const item = { fromMs, toMs: Math.min(fromMs + itemMs, window.toMs) };
        const results: MetricQueryResult[] = [];
        for (let i = 0; i < all.length; i += MAX_QUERIES_PER_CALL) results.push(...answer(batchOf(all, { from: i, to: Math.min(i + MAX_QUERIES_PER_CALL, all.length) }), item));
        await reference.writeBuckets(toMetricBuckets(results, { accountId: ctx.accountId, region: ctx.region }, resolution, item).buckets);
      }
    }
    expect(deps.series.buckets.size).toBeGreaterThan(0);
    expect(snapshot(deps.series)).toBe(snapshot(reference));
  });

  it("moves the watermark only to the end of whole hours stored, and to the window's end last", async () => {
    const deps = await setup(62);
    const marks: number[] = [];
    const advance = deps.watermarks.advance.bind(deps.watermarks);
    deps.watermarks.advance = async (collector, accountId, region, throughMs, sinceMs) => {
      marks.push(throughMs);
      // Every minute item that ends by the mark is already stored, in full.
      const stored = [...deps.series.buckets.values()].filter((b) => b.resolution === "minute" && b.target.kind === "region");
      const expectedHours = (Math.min(throughMs, NOW - 30_000) - Date.UTC(2026, 10, 25, 12)) / H;
      expect(stored.filter((b) => b.startMs + H <= throughMs)).toHaveLength(Math.floor(expectedHours));
      for (const b of stored.filter((b) => b.startMs + H <= throughMs)) expect(b.values["ClaimedAccountConcurrency:Maximum"]!.every((v) => v !== null)).toBe(true);
      return advance(collector, accountId, region, throughMs, sinceMs);
    };
    await collectMetrics(deps, ctxAt(NOW, 3), options);
    // 8 minute calls in 4 slices ending 18:41, 01:22, 08:03, 12:00: whole hours 18:00, 01:00, 08:00, then the end.
    expect(marks).toEqual([Date.UTC(2026, 10, 25, 18), Date.UTC(2026, 10, 26, 1), Date.UTC(2026, 10, 26, 8), Date.UTC(2026, 10, 26, 12)]);
  });

  it("writes the window's last hour although it ends mid-hour", async () => {
    const deps = await setup(62);
    const at = NOW + 17 * 60_000; // 12:17:30
    await collectMetrics(deps, ctxAt(at, 3), options);
    const last = deps.series.buckets.get(`123456789012#us-east-1#region#minute#${Date.UTC(2026, 10, 26, 12)}`);
    expect(last?.values["ClaimedAccountConcurrency:Maximum"]!.map((v) => v !== null)).toEqual(Array.from({ length: 60 }, (_, i) => i < 17));
    expect((await deps.watermarks.get("metrics", "123456789012", "us-east-1"))?.throughMs).toBe(Date.UTC(2026, 10, 26, 12, 17));
  });
});

/** A value per query and period that tells queries apart, with a gap every 11th period, as CloudWatch leaves gaps. */
function answer(batch: readonly MetricDataQuery[], window: TimeWindow): MetricQueryResult[] {
  return batch.map((query) => {
    const step = query.periodSeconds * 1000;
    const seed = [...`${metricTargetId(query.target.target)}|${metricKeyId(query.target.key)}`].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1_000_003, 7);
    const points: MetricPoint[] = [];
    for (let t = window.fromMs; t < window.toMs; t += step) if ((t / step + seed) % 11 !== 0) points.push({ timestampMs: t, value: ((t / step) * 13 + seed) % 997 });
    return { query, points };
  });
}

class DistinctMetricsSource implements MetricsSource {
  calls = 0;
  async getMetricData(batch: MetricDataQuery[], window: TimeWindow): Promise<MetricQueryResult[]> {
    this.calls += 1;
    return answer(batch, window);
  }
}
