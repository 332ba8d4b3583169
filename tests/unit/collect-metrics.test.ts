import { describe, expect, it } from "vitest";
import { collectMetrics } from "@/lib/use-cases/collect-metrics";
import { FUNCTION_METRIC_KEYS, REGION_METRIC_KEYS } from "@/lib/domain/metrics/lambda-metrics";
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
    expect(ctx.progressUpdates.at(-1)).toEqual({ done: 2, total: 2, unit: "slices" });
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

  // 62 functions × 8 keys + 5 region keys = 501 queries: two batches per slice, 3-hour minute
  // slices — a crash can land between batches of a slice, between slices, or in the hourly pass.
  it.each([1, 2, 3, 6, 9])("converges to the uninterrupted table after a crash at call %i and a rerun", async (k) => {
    const reference = await setup(62);
    await collectMetrics(reference, ctxAt(NOW, 3), { ...options, minuteHistoryMs: 12 * H });
    expect(reference.source.calls.length).toBeGreaterThan(9);
    const deps = await setup(62);
    deps.source.failOnCall = k;
    await expect(collectMetrics(deps, ctxAt(NOW, 3), { ...options, minuteHistoryMs: 12 * H })).rejects.toThrow(/ECONNREFUSED/);
    deps.source.failOnCall = null;
    await collectMetrics(deps, ctxAt(NOW, 3), { ...options, minuteHistoryMs: 12 * H });
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
});
