import { describe, expect, it } from "vitest";
import { FUNCTION_METRIC_KEYS, REGION_METRIC_KEYS, type MetricTarget } from "@/lib/domain/metrics/lambda-metrics";
import {
  batchOf,
  buildMetricQueries,
  getMetricDataFloor,
  MAX_DATAPOINTS_PER_CALL,
  MAX_QUERIES_PER_CALL,
  planMetricDataCalls,
  type MetricDataCall,
} from "@/lib/domain/metrics/metric-data-queries";
import type { TimeWindow } from "@/lib/domain/shared/time";
import { metricTargetsOf } from "@/lib/use-cases/collect-metrics";
import { aFunction } from "@/tests/builders/function-config";

const fns = (n: number) => Array.from({ length: n }, (_, i) => ({ target: { kind: "function", functionName: `fn-${i}` } as MetricTarget, keys: FUNCTION_METRIC_KEYS }));
const MIN = 60_000;
const H = 3_600_000;
const D = 86_400_000;
const T0 = Date.UTC(2026, 10, 12);
const queriesOf = (functions: number) => functions * FUNCTION_METRIC_KEYS.length + REGION_METRIC_KEYS.length;

/**
 * Every call within CloudWatch's limits (so nothing paginates) and every (query, period) of
 * the window asked exactly once, checked per run of queries that all calls treat alike.
 */
function expectExactCover(calls: readonly MetricDataCall[], queries: number, window: TimeWindow, periodMs: number) {
  for (const call of calls) {
    const size = call.queries.to - call.queries.from;
    expect(size).toBeGreaterThan(0);
    expect(size).toBeLessThanOrEqual(MAX_QUERIES_PER_CALL);
    expect(size * ((call.window.toMs - call.window.fromMs) / periodMs)).toBeLessThanOrEqual(MAX_DATAPOINTS_PER_CALL);
    expect(call.window.fromMs % periodMs).toBe(0);
  }
  const cuts = [...new Set([0, queries, ...calls.flatMap((c) => [c.queries.from, c.queries.to])])].sort((a, b) => a - b);
  for (const [i, from] of cuts.slice(0, -1).entries()) {
    const to = cuts[i + 1]!;
    const windows = calls.filter((c) => c.queries.from <= from && c.queries.to >= to).map((c) => c.window).sort((a, b) => a.fromMs - b.fromMs);
    let at = window.fromMs;
    for (const w of windows) {
      expect(w.fromMs, `queries ${from}–${to}`).toBe(at);
      at = w.toMs;
    }
    expect(at, `queries ${from}–${to}`).toBe(window.toMs);
  }
  // In order of their start: once a call returns, all is in hand up to the next call's start.
  expect(calls.map((c) => c.window.fromMs)).toEqual([...calls.map((c) => c.window.fromMs)].sort((a, b) => a - b));
}

/** The old planner: batches packed 500 to a call, all cut into the slices of the largest batch, aligned to items. */
function packedAlignedCalls(queries: number, periods: number, periodsPerItem: number): number {
  const perCall = Math.floor(MAX_DATAPOINTS_PER_CALL / Math.min(queries, MAX_QUERIES_PER_CALL));
  return Math.ceil(queries / MAX_QUERIES_PER_CALL) * Math.ceil(periods / (Math.max(1, Math.floor(perCall / periodsPerItem)) * periodsPerItem));
}

describe("buildMetricQueries and batchOf", () => {
  it("keeps a target's keys together and numbers queries from q0 in every batch", () => {
    const queries = buildMetricQueries(fns(70), 60);
    expect(queries).toHaveLength(70 * FUNCTION_METRIC_KEYS.length);
    const batch = batchOf(queries, { from: 280, to: 560 });
    expect(batch).toHaveLength(280);
    expect(batch[0]).toMatchObject({ id: "q0", dimensions: [{ name: "FunctionName", value: "fn-35" }] });
    const ids = batch.map((q) => q.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-zA-Z0-9_]*$/);
  });

  it("refuses a batch over 500 queries", () => {
    expect(() => batchOf(buildMetricQueries(fns(70), 60), { from: 0, to: 501 })).toThrow(/at most 500 queries, got 501/);
  });

  it("selects a function by FunctionName, an alias by FunctionName and Resource, the region by no dimension", () => {
    const queries = buildMetricQueries(
      [
        { target: { kind: "function", functionName: "orders-api" }, keys: [{ metric: "Duration", stat: "p99" }] },
        { target: { kind: "alias", functionName: "orders-api", qualifier: "live" }, keys: [{ metric: "ProvisionedConcurrencyUtilization", stat: "Maximum" }] },
        { target: { kind: "region" }, keys: [{ metric: "ClaimedAccountConcurrency", stat: "Maximum" }] },
      ],
      300,
    );
    expect(queries.map((q) => [q.metricName, q.stat, q.periodSeconds, q.dimensions])).toEqual([
      ["Duration", "p99", 300, [{ name: "FunctionName", value: "orders-api" }]],
      ["ProvisionedConcurrencyUtilization", "Maximum", 300, [{ name: "FunctionName", value: "orders-api" }, { name: "Resource", value: "orders-api:live" }]],
      ["ClaimedAccountConcurrency", "Maximum", 300, []],
    ]);
  });

  it.each([0, 30, 90, -60, 1.5])("rejects period %s (CloudWatch Lambda metrics need multiples of 60 s)", (period) => {
    expect(() => buildMetricQueries(fns(1), period)).toThrow(/multiple of 60/);
  });
});

describe("getMetricDataFloor", () => {
  it.each([
    // queries, periods, calls: max(ceil(queries / 500), ceil(queries × periods / 100,800))
    [500, 60, 1], // 30,000 datapoints
    [500, 201, 1], // 100,500
    [500, 202, 2], // 101,000 > 100,800
    [501, 60, 2], // 501 queries
    [8000, 1440, 115], // a day of minutes at 1,000 functions: 11,520,000 / 100,800 = 114.3
    [120, 840, 1], // exactly 100,800
    [0, 60, 0],
  ])("%i queries × %i periods need at least %i calls", (queries, periods, calls) => {
    expect(getMetricDataFloor(queries, periods)).toBe(calls);
  });
});

describe("planMetricDataCalls", () => {
  // Windows of the collector: a 1-hour first run (up to 2 h of minutes, ≤ 24 hours), steady
  // state (1 h + settle of minutes, one day of hours), a 14-day first run (3 days + 30 min of
  // minutes, 14.5 days of hours), the most CloudWatch keeps (15 days of minutes, 455 of hours).
  const windows = [
    ["1-hour first run, minutes", 120, MIN],
    ["1-hour first run, hours", 13, H],
    ["steady state, minutes", 65, MIN],
    ["steady state, hours", 24, H],
    ["14-day first run, minutes", 3 * 1440 + 30, MIN],
    ["14-day first run, hours", 14.5 * 24, H],
    ["15 days of minutes", 15 * 1440, MIN],
    ["455 days of hours", 455 * 24, H],
  ] as const;
  const cases = [4, 20, 100, 1000].flatMap((functions) => windows.map(([label, periods, periodMs]) => [functions, label, periods, periodMs] as const));

  it.each(cases)("%i functions, %s: exactly the floor, every call within limits", (functions, _label, periods, periodMs) => {
    const queries = queriesOf(functions);
    const window = { fromMs: T0, toMs: T0 + periods * periodMs };
    const calls = planMetricDataCalls(queries, window, periodMs);
    expect(calls).toHaveLength(getMetricDataFloor(queries, periods));
    expectExactCover(calls, queries, window, periodMs);
  });

  it("balances the batches instead of filling the first: 805 queries over 3 days of minutes in 35 calls, not 50", () => {
    // 805 queries × 4,350 min: the old planner sent 500 + 305 queries in 3-hour slices (2 × 25
    // calls); packed batches, even each at its own longest slices, need 22 + 14 = 36 (the old
    // floor); balanced batches of ≤ 403 reach the true floor ceil(3,501,750 / 100,800) = 35.
    const window = { fromMs: T0, toMs: T0 + 4350 * MIN };
    expect(packedAlignedCalls(805, 4350, 60)).toBe(50);
    const calls = planMetricDataCalls(805, window, MIN);
    expect(calls).toHaveLength(35);
    expect(Math.max(...calls.map((c) => c.queries.to - c.queries.from))).toBeLessThan(500);
    expectExactCover(calls, 805, window, MIN);
  });

  it("splits queries into groups with their own slices where that is cheaper: 443 queries × 4,320 min in 19 calls", () => {
    // One batch of 443 fits 227 minutes a call: 20 calls. 420 queries × 240 min and 23 × 4,320 both fill a call to 100,800.
    const window = { fromMs: T0, toMs: T0 + 4320 * MIN };
    const calls = planMetricDataCalls(443, window, MIN);
    expect(calls).toHaveLength(19);
    expect(getMetricDataFloor(443, 4320)).toBe(19);
    expectExactCover(calls, 443, window, MIN);
  });

  it("is at most one call above the floor where the floor would need calls filled to the last datapoint", () => {
    // 349 × 21,660 = 7,559,340 datapoints: 75 calls would have to carry all but 660 of 7,560,000.
    const window = { fromMs: T0, toMs: T0 + 21_660 * MIN };
    const calls = planMetricDataCalls(349, window, MIN);
    expect(getMetricDataFloor(349, 21_660)).toBe(75);
    expect(calls).toHaveLength(76);
    expectExactCover(calls, 349, window, MIN);
  });

  it("never needs more calls than the old planner, and at most one more than the floor, for 1–700 queries over 3 days of minutes", () => {
    const window = { fromMs: T0, toMs: T0 + 4350 * MIN };
    for (let queries = 1; queries <= 700; queries++) {
      const calls = planMetricDataCalls(queries, window, MIN).length;
      expect(calls, `${queries} queries`).toBeLessThanOrEqual(packedAlignedCalls(queries, 4350, 60));
      expect(calls - getMetricDataFloor(queries, 4350), `${queries} queries`).toBeLessThanOrEqual(1);
      expect(calls - getMetricDataFloor(queries, 4350), `${queries} queries`).toBeGreaterThanOrEqual(0);
    }
  });

  it("plans nothing for an empty window and refuses one off the period grid", () => {
    expect(planMetricDataCalls(100, { fromMs: T0, toMs: T0 }, MIN)).toEqual([]);
    expect(() => planMetricDataCalls(100, { fromMs: T0 + 1, toMs: T0 + D }, H)).toThrow(/aligned to the 3600000 ms period/);
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
