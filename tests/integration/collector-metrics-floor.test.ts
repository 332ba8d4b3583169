import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCollector } from "@/collectors/_runtime/run-collector";
import type { CollectorRuntime } from "@/collectors/_runtime/collector-runtime";
import { inventoryCollector } from "@/collectors/inventory";
import { metricsCollector } from "@/collectors/metrics";
import { ALIAS_METRIC_KEYS, FUNCTION_METRIC_KEYS, REGION_METRIC_KEYS } from "@/lib/domain/metrics/lambda-metrics";
import { MAX_QUERIES_PER_CALL } from "@/lib/domain/metrics/metric-data-queries";
import { startCollectorStack } from "@/tests/support/collector-stack";

/**
 * The metrics collector at the API-call floor on the generated `fleet` scenario (FACTS.md §6):
 * every GetMetricData call carries up to 500 queries and never more than 100,800 datapoints
 * (so CloudWatch never paginates), and a steady-state run needs exactly ceil(queries / 500)
 * calls. Counted by the simulator's own request counter, not by the collector.
 */
const FUNCTIONS = 200;
const NOW = Date.UTC(2026, 10, 26, 12, 0, 30);
const MIN = 60_000;

let stack: Awaited<ReturnType<typeof startCollectorStack>>;
let runtime: CollectorRuntime;
let account: { accountId: string; region: string };
let queries = 0;
let simNow = NOW;

beforeAll(async () => {
  stack = await startCollectorStack({ scenario: `fleet:${FUNCTIONS}`, now: () => simNow });
  account = { accountId: stack.scenario.account.id, region: stack.scenario.account.region };
  runtime = await stack.runtimeFor({ SIGHTLINE_ACCOUNT_ID: account.accountId, BACKFILL_HOURS: "6", METRICS_MINUTE_DAYS: "1" });
  expect((await runCollector(runtime, inventoryCollector, account, { nowMs: NOW })).outcome).toBe("collected");
  const aliases = (await runtime.functions.listFunctions()).reduce((n, f) => n + f.provisionedConcurrency.length, 0);
  queries = FUNCTIONS * FUNCTION_METRIC_KEYS.length + aliases * ALIAS_METRIC_KEYS.length + REGION_METRIC_KEYS.length;
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

const getMetricDataCalls = () => stack.sim.requestCounts().services.cloudwatch?.GetMetricData ?? 0;

describe(`metrics collection on fleet:${FUNCTIONS}`, () => {
  it("backfills with every call full (≤ 500 queries) and under the datapoint limit, so nothing paginates", async () => {
    const batches = Math.ceil(queries / MAX_QUERIES_PER_CALL);
    expect(batches).toBeGreaterThan(2);
    stack.sim.resetRequestCounts();
    const run = await runCollector(runtime, metricsCollector, account, { nowMs: NOW });
    expect(run.outcome).toBe("collected");
    // Hourly: one slice (Nov 26 00:00 → 12:00, ≤ 8 days fits 500 queries × 24 h) per batch.
    // Minute: 06:00 → 12:00 in 3-hour slices (500 × 60 × 3 = 90,000 ≤ 100,800), per batch.
    const expected = batches * (1 + 2);
    expect(getMetricDataCalls()).toBe(expected);
    // Every query was asked for exactly once per slice: units = queries × slices.
    expect(run.apiUsage["CloudWatch.GetMetricData"]).toEqual({ requests: expected, units: queries * 3 });
  });

  it("a steady-state run a minute later needs exactly ceil(queries / 500) calls", async () => {
    simNow = NOW + MIN;
    stack.sim.resetRequestCounts();
    await runCollector(runtime, metricsCollector, account, { nowMs: NOW + MIN });
    expect(getMetricDataCalls()).toBe(Math.ceil(queries / MAX_QUERIES_PER_CALL));
  });

  it("the run that sees a new hour settle adds one hourly pass: 2 × ceil(queries / 500)", async () => {
    simNow = NOW + 65 * MIN;
    stack.sim.resetRequestCounts();
    await runCollector(runtime, metricsCollector, account, { nowMs: NOW + 65 * MIN });
    expect(getMetricDataCalls()).toBe(2 * Math.ceil(queries / MAX_QUERIES_PER_CALL));
  });
});
