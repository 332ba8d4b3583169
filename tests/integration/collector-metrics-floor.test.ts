import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCollector } from "@/collectors/_runtime/run-collector";
import type { CollectorRuntime } from "@/collectors/_runtime/collector-runtime";
import { inventoryCollector } from "@/collectors/inventory";
import { metricsCollector } from "@/collectors/metrics";
import { CloudWatchMetricsSource } from "@/lib/adapters/aws/cloudwatch-metrics-source";
import { planMetricsWindow, type MetricsWindowPlan } from "@/lib/domain/metrics/collection-window";
import { toMetricBuckets } from "@/lib/domain/metrics/metric-buckets";
import { batchOf, buildMetricQueries, getMetricDataFloor, MAX_QUERIES_PER_CALL } from "@/lib/domain/metrics/metric-data-queries";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "@/lib/domain/shared/time";
import { metricTargetsOf } from "@/lib/use-cases/collect-metrics";
import { dumpTable, startCollectorStack } from "@/tests/support/collector-stack";

/**
 * The metrics collector at the API-call floor on generated `fleet` scenarios (FACTS.md §6):
 * every GetMetricData call carries at most 500 queries and 100,800 datapoints (so CloudWatch
 * never paginates), and a run makes exactly max(ceil(queries / 500), ceil(queries × periods /
 * 100,800)) calls per tier — counted by the simulator's own request counter, not by the
 * collector. And the items it stores are those of reading every item whole in one answer.
 */
const NOW = Date.UTC(2026, 10, 26, 12, 0, 30);
const MIN = 60_000;

async function fleetStack(functions: number, env: Record<string, string>, now: () => number) {
  const stack = await startCollectorStack({ scenario: `fleet:${functions}`, now });
  const account = { accountId: stack.scenario.account.id, region: stack.scenario.account.region };
  const runtime = await stack.runtimeFor({ SIGHTLINE_ACCOUNT_ID: account.accountId, ...env });
  expect((await runCollector(runtime, inventoryCollector, account, { nowMs: NOW })).outcome).toBe("collected");
  const targets = metricTargetsOf(await runtime.functions.listFunctions());
  const queries = targets.reduce((n, t) => n + t.keys.length, 0);
  const getMetricDataCalls = () => stack.sim.requestCounts().services.cloudwatch?.GetMetricData ?? 0;
  return { stack, account, runtime, targets, queries, getMetricDataCalls };
}

/** The first run's plan, as the collector makes it. */
function firstRunPlan(runtime: CollectorRuntime, queries: number, backfillHours: number): MetricsWindowPlan {
  return planMetricsWindow({
    watermarkMs: null,
    nowMs: NOW,
    backfillFromMs: NOW - backfillHours * HOUR_MS,
    minuteHistoryMs: runtime.config.METRICS_MINUTE_DAYS * DAY_MS,
    settleMinutes: runtime.config.SETTLE_MINUTES,
    queries,
  });
}

const periodsOf = (window: { fromMs: number; toMs: number }, periodMs: number) => (window.toMs - window.fromMs) / periodMs;

describe("metrics collection on fleet:200 at the floor", () => {
  let fleet: Awaited<ReturnType<typeof fleetStack>>;
  let simNow = NOW;

  beforeAll(async () => {
    fleet = await fleetStack(200, { BACKFILL_HOURS: "6", METRICS_MINUTE_DAYS: "1" }, () => simNow);
  }, 120_000);

  afterAll(async () => {
    await fleet?.stack.close();
  });

  it("backfills in exactly the floor of calls, each within CloudWatch's limits, so nothing paginates", async () => {
    const { queries } = fleet;
    expect(queries).toBeGreaterThan(3 * MAX_QUERIES_PER_CALL);
    fleet.stack.sim.resetRequestCounts();
    const run = await runCollector(fleet.runtime, metricsCollector, fleet.account, { nowMs: NOW });
    expect(run.outcome).toBe("collected");
    // Hourly: Nov 26 00:00 → 11:00; minute: 06:00 → 12:00 (360 min, ceil(queries × 360 / 100,800) calls).
    const plan = firstRunPlan(fleet.runtime, queries, 6);
    expect(plan.hour!.window).toEqual({ fromMs: Date.UTC(2026, 10, 26), toMs: Date.UTC(2026, 10, 26, 11) });
    expect(plan.minute.window).toEqual({ fromMs: Date.UTC(2026, 10, 26, 6), toMs: Date.UTC(2026, 10, 26, 12) });
    const floor = getMetricDataFloor(queries, 11) + getMetricDataFloor(queries, 360);
    expect(fleet.getMetricDataCalls()).toBe(floor);
    // One HTTP request per planned call (no NextToken page), and every query asked once per period.
    const calls = [...plan.hour!.calls, ...plan.minute.calls];
    expect(calls).toHaveLength(floor);
    const units = calls.reduce((n, c) => n + c.queries.to - c.queries.from, 0);
    expect(run.apiUsage["CloudWatch.GetMetricData"]).toEqual({ requests: floor, units });
  });

  it("a steady-state run a minute later needs exactly ceil(queries / 500) calls", async () => {
    simNow = NOW + MIN;
    fleet.stack.sim.resetRequestCounts();
    await runCollector(fleet.runtime, metricsCollector, fleet.account, { nowMs: NOW + MIN });
    expect(fleet.getMetricDataCalls()).toBe(Math.ceil(fleet.queries / MAX_QUERIES_PER_CALL));
  });

  it("the run that sees a new hour settle adds one hourly pass: 2 × ceil(queries / 500)", async () => {
    simNow = NOW + 65 * MIN;
    fleet.stack.sim.resetRequestCounts();
    await runCollector(fleet.runtime, metricsCollector, fleet.account, { nowMs: NOW + 65 * MIN });
    expect(fleet.getMetricDataCalls()).toBe(2 * Math.ceil(fleet.queries / MAX_QUERIES_PER_CALL));
  });
});

describe("a 14-day first run on fleet:20 stores the items of reading each item whole", () => {
  let fleet: Awaited<ReturnType<typeof fleetStack>>;

  beforeAll(async () => {
    fleet = await fleetStack(20, { BACKFILL_HOURS: String(14 * 24), METRICS_MINUTE_DAYS: "3" }, () => NOW);
  }, 120_000);

  afterAll(async () => {
    await fleet?.stack.close();
  });

  it("in the floor of calls, with the table equal item for item to one answer per hour (minutes) and per day (hours)", async () => {
    fleet.stack.sim.resetRequestCounts();
    expect((await runCollector(fleet.runtime, metricsCollector, fleet.account, { nowMs: NOW })).outcome).toBe("collected");
    const plan = firstRunPlan(fleet.runtime, fleet.queries, 14 * 24);
    const minutePeriods = periodsOf(plan.minute.window, MINUTE_MS);
    const hourPeriods = periodsOf(plan.hour!.window, HOUR_MS);
    expect(minutePeriods).toBe(3 * 1440);
    expect(fleet.getMetricDataCalls()).toBe(getMetricDataFloor(fleet.queries, minutePeriods) + getMetricDataFloor(fleet.queries, hourPeriods));
    // The old planner's items, re-derived on a fresh table through the same SDK client and
    // simulator: every hour of minutes and every day of hours from one answer of its own
    // (batches packed 500 to a call), each written whole, the last ending at the window's end.
    const reference = await fleet.stack.runtimeFor({ SIGHTLINE_ACCOUNT_ID: fleet.account.accountId });
    const source = new CloudWatchMetricsSource(reference.aws(fleet.account).cloudwatch);
    for (const [resolution, window, itemMs, periodSeconds] of [
      ["hour", plan.hour!.window, DAY_MS, 3600],
      ["minute", plan.minute.window, HOUR_MS, 60],
    ] as const) {
      const queries = buildMetricQueries(fleet.targets, periodSeconds);
      for (let fromMs = window.fromMs; fromMs < window.toMs; fromMs += itemMs) {
        const item = { fromMs, toMs: Math.min(fromMs + itemMs, window.toMs) };
        const results = [];
        for (let i = 0; i < queries.length; i += MAX_QUERIES_PER_CALL) {
          results.push(...(await source.getMetricData(batchOf(queries, { from: i, to: Math.min(i + MAX_QUERIES_PER_CALL, queries.length) }), item)));
        }
        await reference.series.writeBuckets(toMetricBuckets(results, fleet.account, resolution, item).buckets);
      }
    }
    const metricItems = async (runtime: CollectorRuntime) => (await dumpTable(runtime)).filter((line) => line.includes('"pk":"METRICS#'));
    const stored = await metricItems(fleet.runtime);
    // 21 targets × (72 hours + 15 days), less the buckets of targets without a datapoint.
    expect(stored.length).toBeGreaterThan(20 * (72 + 15));
    expect(stored).toEqual(await metricItems(reference));
  }, 120_000);
});
