import { describe, expect, it } from "vitest";
import { LAMBDA_METRIC_KEYS } from "@/lib/domain/metrics/lambda-metrics";
import { buildLambdaMetricQueryBatches, MAX_QUERIES_PER_CALL } from "@/lib/domain/metrics/metric-data-queries";

const refs = (n: number) => Array.from({ length: n }, (_, i) => ({ accountId: "123456789012", region: "us-east-1", functionName: `fn-${i}` }));

describe("buildLambdaMetricQueryBatches", () => {
  it.each([
    // functions, expected batches = ceil(functions × 7 / 500) — the floor of FACTS.md §6
    [1, 1],
    [12, 1],
    [71, 1], // 497 queries
    [72, 2], // 504 queries
    [1000, 14],
    [5000, 70],
  ])("packs %i functions × 7 metric keys into %i calls", (functions, expectedBatches) => {
    const batches = buildLambdaMetricQueryBatches(refs(functions), LAMBDA_METRIC_KEYS, 60);
    expect(batches).toHaveLength(expectedBatches);
    expect(batches.reduce((n, b) => n + b.length, 0)).toBe(functions * LAMBDA_METRIC_KEYS.length);
    for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(MAX_QUERIES_PER_CALL);
  });

  it("gives every query in a batch a unique id CloudWatch accepts", () => {
    const [batch] = buildLambdaMetricQueryBatches(refs(50), LAMBDA_METRIC_KEYS, 60);
    const ids = batch!.map((q) => q.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-zA-Z0-9_]*$/);
  });

  it("asks for the function's own dimension and the key's statistic", () => {
    const [batch] = buildLambdaMetricQueryBatches(refs(1), [{ metric: "Duration", stat: "p99" }], 300);
    expect(batch).toEqual([
      expect.objectContaining({
        namespace: "AWS/Lambda",
        metricName: "Duration",
        stat: "p99",
        periodSeconds: 300,
        dimensions: [{ name: "FunctionName", value: "fn-0" }],
      }),
    ]);
  });

  it.each([0, 30, 90, -60, 1.5])("rejects period %s (CloudWatch Lambda metrics need multiples of 60 s)", (period) => {
    expect(() => buildLambdaMetricQueryBatches(refs(1), LAMBDA_METRIC_KEYS, period)).toThrow(/multiple of 60/);
  });
});
