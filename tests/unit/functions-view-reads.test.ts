import { describe, expect, it } from "vitest";
import type { MetricBucket } from "@/lib/domain/metrics/lambda-metrics";
import { MINUTE_MS } from "@/lib/domain/shared/time";
import { READ_CACHE_TTL_MS } from "@/lib/queries/read-cache";
import { getFunctionsView } from "@/lib/queries/functions-view";
import { aFunction } from "@/tests/builders/function-config";
import { InMemoryFunctionStore, InMemorySeriesStore, InMemoryWatermarkStore } from "@/tests/fakes/in-memory-stores";

const HOUR_START = Date.UTC(2026, 10, 26, 12);

/** A minute bucket of one function with `perMinute` invocations in each of its 60 minutes. */
function minuteBucket(functionName: string, perMinute: number): MetricBucket {
  return {
    accountId: "123456789012",
    region: "us-east-1",
    target: { kind: "function", functionName },
    resolution: "minute",
    startMs: HOUR_START,
    values: { "Invocations:Sum": Array.from({ length: 60 }, () => perMinute) },
  };
}

/** Counts the Queries (readSeries calls) the view makes. */
class CountingSeriesStore extends InMemorySeriesStore {
  reads = 0;
  override async readSeries(...args: Parameters<InMemorySeriesStore["readSeries"]>) {
    this.reads++;
    return super.readSeries(...args);
  }
}

async function fleet() {
  const functions = new InMemoryFunctionStore();
  const series = new CountingSeriesStore();
  await functions.putFunctions([aFunction({ functionName: "orders-api" }), aFunction({ functionName: "payments-api" })]);
  await series.writeBuckets([minuteBucket("orders-api", 2), minuteBucket("payments-api", 1)]);
  return { deps: { functions, series, watermarks: new InMemoryWatermarkStore() }, functions, series };
}

const window = { fromMs: HOUR_START, toMs: HOUR_START + 60 * MINUTE_MS };
const sort = { sort: "invocations", dir: "desc" } as const;

describe("getFunctionsView reads", () => {
  it("reads each function's series once per window within a minute, and again for a new window or after the TTL", async () => {
    const { deps, series } = await fleet();
    const nowMs = window.toMs;
    const first = await getFunctionsView(deps, { window, sort, nowMs });
    expect(first.rows.map((r) => [r.functionName, r.invocations])).toEqual([
      ["orders-api", 120],
      ["payments-api", 60],
    ]);
    expect(series.reads).toBe(2);
    const again = await getFunctionsView(deps, { window, sort: { sort: "functionName", dir: "desc" }, nowMs: nowMs + 30_000 });
    expect(again.rows.map((r) => r.functionName)).toEqual(["payments-api", "orders-api"]);
    expect(series.reads).toBe(2);
    await getFunctionsView(deps, { window: { ...window, fromMs: window.fromMs + MINUTE_MS }, sort, nowMs: nowMs + 30_000 });
    expect(series.reads).toBe(4);
    await series.writeBuckets([minuteBucket("orders-api", 3)]);
    const later = await getFunctionsView(deps, { window, sort, nowMs: nowMs + READ_CACHE_TTL_MS });
    expect(series.reads).toBe(6);
    expect(later.rows.find((r) => r.functionName === "orders-api")!.invocations).toBe(180);
  });

  it("shows a changed inventory within a minute (the function list is reused as long as the reads), a new function with its own metrics", async () => {
    const { deps, functions } = await fleet();
    const nowMs = window.toMs;
    await getFunctionsView(deps, { window, sort, nowMs });
    await functions.putFunctions([aFunction({ functionName: "orders-api", memoryMb: 2048 }), aFunction({ functionName: "search-api" })]);
    expect((await getFunctionsView(deps, { window, sort, nowMs: nowMs + 1_000 })).rows).toHaveLength(2);
    const view = await getFunctionsView(deps, { window, sort, nowMs: nowMs + READ_CACHE_TTL_MS });
    expect(view.rows.find((r) => r.functionName === "orders-api")!.memoryMb).toBe(2048);
    expect(view.rows.find((r) => r.functionName === "search-api")).toMatchObject({ invocations: 0, p99DurationMs: null });
    expect(view.rows).toHaveLength(3);
  });
});
