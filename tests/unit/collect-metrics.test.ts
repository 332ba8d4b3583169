import { describe, expect, it } from "vitest";
import { collectMetrics } from "@/lib/use-cases/collect-metrics";
import { LAMBDA_METRIC_KEYS } from "@/lib/domain/metrics/lambda-metrics";
import { aFunction } from "@/tests/builders/function-config";
import { InMemoryFunctionStore, InMemorySeriesStore, InMemoryWatermarkStore, ScriptedMetricsSource } from "@/tests/fakes/in-memory-stores";

const NOW = Date.UTC(2026, 10, 26, 12, 0, 30);
const H = 3_600_000;
const options = { accountId: "123456789012", region: "us-east-1", nowMs: NOW, backfillHours: 24, settleMinutes: 5, sliceHours: 6 };

async function setup(functionCount = 3) {
  const functions = new InMemoryFunctionStore();
  await functions.putFunctions(Array.from({ length: functionCount }, (_, i) => aFunction({ functionName: `fn-${i}` })));
  const deps = { source: new ScriptedMetricsSource(), functions, series: new InMemorySeriesStore(), watermarks: new InMemoryWatermarkStore() };
  return deps;
}

describe("collectMetrics", () => {
  it("backfills 24 h in 6 h slices with one GetMetricData batch per slice", async () => {
    const deps = await setup(3);
    const result = await collectMetrics(deps, options);
    expect(result.outcome).toBe("collected");
    expect(result.plan.kind).toBe("backfill");
    expect(deps.source.calls).toHaveLength(4);
    expect(deps.source.calls.every((c) => c.batchSize === 3 * LAMBDA_METRIC_KEYS.length)).toBe(true);
    // 3 functions × 7 keys × 1440 minutes
    expect(result.pointsWritten).toBe(3 * 7 * 1440);
    const wm = await deps.watermarks.get("metrics", options.accountId, options.region);
    expect(wm).toMatchObject({ throughMs: Date.UTC(2026, 10, 26, 12, 0), lastSuccessMs: NOW, lastError: null });
  });

  it("continues from the watermark on the next run, re-reading the settling window", async () => {
    const deps = await setup(1);
    await collectMetrics(deps, options);
    deps.source.calls = [];
    const later = await collectMetrics(deps, { ...options, nowMs: NOW + 3 * 60_000 });
    expect(later.plan.kind).toBe("incremental");
    expect(deps.source.calls).toEqual([
      { batchSize: 7, window: { fromMs: Date.UTC(2026, 10, 26, 11, 55), toMs: Date.UTC(2026, 10, 26, 12, 3) } },
    ]);
  });

  it("keeps the watermark at the last stored slice and records the error when a call fails", async () => {
    const deps = await setup(1);
    deps.source.failOnCall = 3;
    await expect(collectMetrics(deps, options)).rejects.toThrow(/ECONNREFUSED/);
    const wm = await deps.watermarks.get("metrics", options.accountId, options.region);
    expect(wm?.throughMs).toBe(Date.UTC(2026, 10, 25, 12, 0) + 12 * H);
    expect(wm?.lastError).toMatch(/ECONNREFUSED/);
    expect(wm?.lastSuccessMs).toBeNull();

    // The rerun resumes from the stored slice (less the settling window) and completes.
    deps.source.failOnCall = null;
    deps.source.calls = [];
    const rerun = await collectMetrics(deps, options);
    expect(rerun.plan.window.fromMs).toBe(Date.UTC(2026, 10, 26, 0, 0) - 5 * 60_000);
    expect((await deps.watermarks.get("metrics", options.accountId, options.region))?.lastError).toBeNull();
  });

  it("stores the same values when the same window is collected twice", async () => {
    const deps = await setup(1);
    await collectMetrics(deps, options);
    const before = JSON.stringify([...deps.series.points.entries()].map(([k, v]) => [k, [...v.entries()]]));
    await deps.watermarks.put({ collector: "metrics", accountId: options.accountId, region: options.region, throughMs: null, lastAttemptMs: 0, lastSuccessMs: null, lastError: null });
    await collectMetrics(deps, options);
    const after = JSON.stringify([...deps.series.points.entries()].map(([k, v]) => [k, [...v.entries()]]));
    expect(after).toBe(before);
  });

  it("collects nothing and leaves no watermark before inventory has stored any function", async () => {
    const deps = await setup(0);
    const result = await collectMetrics(deps, options);
    expect(result.outcome).toBe("no-functions");
    expect(deps.source.calls).toHaveLength(0);
    expect(await deps.watermarks.get("metrics", options.accountId, options.region)).toBeNull();
  });
});
