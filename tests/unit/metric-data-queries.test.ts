import { describe, expect, it } from "vitest";
import { FUNCTION_METRIC_KEYS, type MetricTarget } from "@/lib/domain/metrics/lambda-metrics";
import { buildMetricQueryBatches, getMetricDataFloor, MAX_QUERIES_PER_CALL } from "@/lib/domain/metrics/metric-data-queries";
import { metricTargetsOf } from "@/lib/use-cases/collect-metrics";
import { aFunction } from "@/tests/builders/function-config";

const fns = (n: number) => Array.from({ length: n }, (_, i) => ({ target: { kind: "function", functionName: `fn-${i}` } as MetricTarget, keys: FUNCTION_METRIC_KEYS }));

describe("buildMetricQueryBatches", () => {
  it.each([
    // functions, expected batches = ceil(functions × 8 / 500) — the floor of FACTS.md §6
    [1, 1],
    [62, 1], // 496 queries
    [63, 2], // 504 queries
    [1000, 16],
    [5000, 80],
  ])("packs %i functions × 8 metric keys into %i calls", (functions, expectedBatches) => {
    const batches = buildMetricQueryBatches(fns(functions), 60);
    expect(batches).toHaveLength(expectedBatches);
    expect(batches).toHaveLength(Math.ceil((functions * FUNCTION_METRIC_KEYS.length) / MAX_QUERIES_PER_CALL));
    expect(batches.reduce((n, b) => n + b.length, 0)).toBe(functions * FUNCTION_METRIC_KEYS.length);
  });

  it("gives every query in a batch a unique id CloudWatch accepts", () => {
    const [batch] = buildMetricQueryBatches(fns(50), 60);
    const ids = batch!.map((q) => q.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-zA-Z0-9_]*$/);
  });

  it("selects a function by FunctionName, an alias by FunctionName and Resource, the region by no dimension", () => {
    const [batch] = buildMetricQueryBatches(
      [
        { target: { kind: "function", functionName: "orders-api" }, keys: [{ metric: "Duration", stat: "p99" }] },
        { target: { kind: "alias", functionName: "orders-api", qualifier: "live" }, keys: [{ metric: "ProvisionedConcurrencyUtilization", stat: "Maximum" }] },
        { target: { kind: "region" }, keys: [{ metric: "ClaimedAccountConcurrency", stat: "Maximum" }] },
      ],
      300,
    );
    expect(batch!.map((q) => [q.metricName, q.stat, q.periodSeconds, q.dimensions])).toEqual([
      ["Duration", "p99", 300, [{ name: "FunctionName", value: "orders-api" }]],
      ["ProvisionedConcurrencyUtilization", "Maximum", 300, [{ name: "FunctionName", value: "orders-api" }, { name: "Resource", value: "orders-api:live" }]],
      ["ClaimedAccountConcurrency", "Maximum", 300, []],
    ]);
  });

  it.each([0, 30, 90, -60, 1.5])("rejects period %s (CloudWatch Lambda metrics need multiples of 60 s)", (period) => {
    expect(() => buildMetricQueryBatches(fns(1), period)).toThrow(/multiple of 60/);
  });
});

describe("getMetricDataFloor", () => {
  it.each([
    // queries, periods, calls
    [500, 60, 1], // 30,000 datapoints
    [500, 201, 1], // 100,500
    [500, 202, 2], // 101,000 > 100,800
    [501, 60, 2], // two batches
    [8000, 1440, 16 * Math.ceil((500 * 1440) / 100_800)], // a day of minutes at 1,000 functions
    [120, 840, 1],
  ])("%i queries × %i periods need %i calls", (queries, periods, calls) => {
    expect(getMetricDataFloor(queries, periods)).toBe(calls);
  });
});

describe("metricTargetsOf", () => {
  it("adds an alias target per provisioned-concurrency config and one region target", () => {
    const targets = metricTargetsOf([
      aFunction({ functionName: "b" }),
      aFunction({ functionName: "a", provisionedConcurrency: [{ qualifier: "live", requested: 5, allocated: 5, available: 5, status: "READY" }] }),
    ]);
    expect(targets.map((t) => t.target)).toEqual([
      { kind: "function", functionName: "a" },
      { kind: "alias", functionName: "a", qualifier: "live" },
      { kind: "function", functionName: "b" },
      { kind: "region" },
    ]);
  });
});
