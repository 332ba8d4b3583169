import { describe, expect, it } from "vitest";
import { aCollectorRun } from "@/tests/builders/collector-run";
import { collectorCadenceMinutes, DEFAULT_CADENCE_SETTINGS, METRICS_CADENCE_CHOICES, type CadenceSettings } from "@/lib/domain/collection/collector-cadence";
import {
  assessCollectorHealth,
  computeLagMs,
  countConsecutiveFailures,
  healthLimits,
  type CollectorHealthInput,
} from "@/lib/domain/collection/collector-health";
import { buildCollectorHealthReport } from "@/lib/domain/collection/collector-health-report";
import { COLLECTOR_NAMES, type CollectorRun, type RunOutcome } from "@/lib/domain/collection/collector-run";
import { costPerOperation, summarizeRunUsage } from "@/lib/domain/collection/run-usage";

const MIN = 60_000;
const HOUR = 60 * MIN;
const NOW = Date.UTC(2026, 10, 26, 12, 30);
const ACCOUNT = "123456789012";

const aRun = (overrides: Partial<CollectorRun> = {}) => aCollectorRun(overrides, NOW);
const DEFAULTS = DEFAULT_CADENCE_SETTINGS;
const EVERY_5: CadenceSettings = { metricsCadenceMinutes: 5 };

describe("healthLimits: 3 × cadence + 5 min slack; lag also allows the designed trail (+ settle)", () => {
  it.each([
    { collector: "inventory", successAgeMin: 20, lagMin: 20 },
    { collector: "metrics", successAgeMin: 8, lagMin: 9 },
    { collector: "logs-insights", successAgeMin: 20, lagMin: 60 + 5 + 20 },
    { collector: "traces", successAgeMin: 20, lagMin: 60 + 5 + 20 },
    { collector: "analyze", successAgeMin: 20, lagMin: 60 + 20 },
    { collector: "costs", successAgeMin: 3 * 360 + 5, lagMin: null },
  ] as const)("$collector: success within $successAgeMin min, lag up to $lagMin min", ({ collector, successAgeMin, lagMin }) => {
    expect(healthLimits(collector, 5, DEFAULTS)).toEqual({ successAgeLimitMs: successAgeMin * MIN, lagLimitMs: lagMin === null ? null : lagMin * MIN });
  });

  it("a longer settle widens the lag limit of the collectors that settle only", () => {
    expect(healthLimits("logs-insights", 30, DEFAULTS).lagLimitMs).toBe((60 + 30 + 20) * MIN);
    expect(healthLimits("metrics", 30, DEFAULTS).lagLimitMs).toBe(9 * MIN);
  });

  it("judges metrics and the SLO evaluator by METRICS_CADENCE_MINUTES, the rest as before", () => {
    // metrics every 5 min: 3 × 5 + 5 = 20 min without success; data may trail 1 + 20.
    expect(healthLimits("metrics", 5, EVERY_5)).toEqual({ successAgeLimitMs: 20 * MIN, lagLimitMs: 21 * MIN });
    // slos follows metrics, and its data (the metrics watermark) may be one more metrics cadence old: 5 + 20.
    expect(healthLimits("slos", 5, EVERY_5)).toEqual({ successAgeLimitMs: 20 * MIN, lagLimitMs: 25 * MIN });
    expect(healthLimits("slos", 5, DEFAULTS)).toEqual({ successAgeLimitMs: 8 * MIN, lagLimitMs: 9 * MIN });
    for (const name of ["inventory", "logs-insights", "traces", "costs", "analyze"] as const) {
      expect(healthLimits(name, 5, EVERY_5), name).toEqual(healthLimits(name, 5, DEFAULTS));
    }
  });
});

describe("collectorCadenceMinutes", () => {
  it("is every minute for metrics and slos by default, 5 min or 6 h for the rest", () => {
    expect(Object.fromEntries(COLLECTOR_NAMES.map((name) => [name, collectorCadenceMinutes(name, DEFAULTS)]))).toEqual({
      inventory: 5,
      metrics: 1,
      "logs-insights": 5,
      traces: 5,
      costs: 360,
      analyze: 5,
      slos: 1,
    });
  });

  it.each(METRICS_CADENCE_CHOICES)("METRICS_CADENCE_MINUTES=%i schedules metrics and slos at it, nothing else", (minutes) => {
    const settings: CadenceSettings = { metricsCadenceMinutes: minutes };
    expect(collectorCadenceMinutes("metrics", settings)).toBe(minutes);
    expect(collectorCadenceMinutes("slos", settings)).toBe(minutes);
    expect(collectorCadenceMinutes("inventory", settings)).toBe(5);
    expect(collectorCadenceMinutes("costs", settings)).toBe(360);
    // Every choice divides the hour, so passes fall on the same minutes of every hour.
    expect(60 % minutes).toBe(0);
  });
});

describe("assessCollectorHealth: the status rules, first match wins", () => {
  const healthyMetrics: CollectorHealthInput = {
    collector: "metrics",
    nowMs: NOW,
    throughMs: NOW - 1 * MIN,
    lastAttemptMs: NOW - 1 * MIN,
    lastSuccessMs: NOW - 1 * MIN,
    lastError: null,
    consecutiveFailures: 0,
    settleMinutes: 5,
    cadence: DEFAULTS,
  };

  it.each([
    { why: "a fresh success and data a minute behind", change: {}, status: "healthy", cause: null },
    {
      why: "nothing recorded at all",
      change: { throughMs: null, lastAttemptMs: null, lastSuccessMs: null },
      status: "never-run",
      cause: null,
    },
    { why: "the watermark holds an error", change: { lastError: "ThrottlingException: Rate exceeded" }, status: "failing", cause: null },
    { why: "the newest ledger runs failed", change: { consecutiveFailures: 2 }, status: "failing", cause: null },
    {
      why: "failing wins over lagging",
      change: { lastError: "boom", lastSuccessMs: NOW - 5 * HOUR, throughMs: NOW - 5 * HOUR },
      status: "failing",
      cause: null,
    },
    { why: "the last success exactly at the limit (8 min)", change: { lastSuccessMs: NOW - 8 * MIN, throughMs: NOW - 8 * MIN }, status: "healthy", cause: null },
    { why: "no success for 9 min (limit 8)", change: { lastSuccessMs: NOW - 9 * MIN }, status: "lagging", cause: "no-recent-success" },
    { why: "attempted, no error, but never succeeded", change: { lastSuccessMs: null, throughMs: null }, status: "lagging", cause: "no-recent-success" },
    { why: "succeeding but data 10 min behind (limit 9)", change: { throughMs: NOW - 10 * MIN }, status: "lagging", cause: "data-behind" },
    { why: "succeeding without a watermark yet (nothing to collect)", change: { throughMs: null }, status: "healthy", cause: null },
  ] as const)("$why → $status", ({ change, status, cause }) => {
    const health = assessCollectorHealth({ ...healthyMetrics, ...change });
    expect(health.status).toBe(status);
    expect(health.laggingCause).toBe(cause);
  });

  it.each([
    { collector: "logs-insights", lagMin: 84, status: "healthy" },
    { collector: "logs-insights", lagMin: 86, status: "lagging" },
    { collector: "analyze", lagMin: 79, status: "healthy" },
    { collector: "inventory", lagMin: 21, status: "lagging" },
    // Its watermark is the first day still estimated: weeks behind is normal.
    { collector: "costs", lagMin: 20 * 24 * 60, status: "healthy" },
  ] as const)("$collector with data $lagMin min behind and a fresh success → $status", ({ collector, lagMin, status }) => {
    const health = assessCollectorHealth({ ...healthyMetrics, collector, throughMs: NOW - lagMin * MIN });
    expect(health.status).toBe(status);
    expect(health.lagMs).toBe(lagMin * MIN);
  });

  it.each([
    { why: "the last success 12 min ago", change: { lastSuccessMs: NOW - 12 * MIN, throughMs: NOW - 13 * MIN }, every1: "lagging", every5: "healthy" },
    { why: "the last success 20 min ago (the limit at 5 min)", change: { lastSuccessMs: NOW - 20 * MIN, throughMs: NOW - 21 * MIN }, every1: "lagging", every5: "healthy" },
    { why: "the last success 21 min ago", change: { lastSuccessMs: NOW - 21 * MIN, throughMs: NOW - 22 * MIN }, every1: "lagging", every5: "lagging" },
    { why: "a fresh success, data 15 min behind", change: { throughMs: NOW - 15 * MIN }, every1: "lagging", every5: "healthy" },
    { why: "a fresh success, data 22 min behind (limit 21)", change: { throughMs: NOW - 22 * MIN }, every1: "lagging", every5: "lagging" },
  ] as const)("metrics, $why: $every1 at 1 min, $every5 at METRICS_CADENCE_MINUTES=5", ({ change, every1, every5 }) => {
    expect(assessCollectorHealth({ ...healthyMetrics, ...change }).status).toBe(every1);
    expect(assessCollectorHealth({ ...healthyMetrics, ...change, cadence: EVERY_5 }).status).toBe(every5);
  });

  it("costs lag only when a run has not succeeded for 3 × 6 h + slack", () => {
    const costs = { ...healthyMetrics, collector: "costs" as const, throughMs: NOW - 3 * 24 * HOUR };
    expect(assessCollectorHealth({ ...costs, lastSuccessMs: NOW - 18 * HOUR }).status).toBe("healthy");
    expect(assessCollectorHealth({ ...costs, lastSuccessMs: NOW - 18 * HOUR - 6 * MIN })).toMatchObject({ status: "lagging", laggingCause: "no-recent-success" });
  });
});

describe("computeLagMs and countConsecutiveFailures", () => {
  it.each([
    [null, null],
    [NOW - 5 * MIN, 5 * MIN],
    [NOW + MIN, 0], // a watermark ahead of the reader's clock (skew) is no lag
  ])("watermark %s → lag %s", (throughMs, lag) => {
    expect(computeLagMs(throughMs, NOW)).toBe(lag);
  });

  it.each<[RunOutcome[], number]>([
    [[], 0],
    [["collected", "failed"], 0],
    [["failed", "failed", "collected", "failed"], 2],
    [["failed", "failed", "failed"], 3],
    [["partial", "failed"], 0],
  ])("%j → %i in a row", (outcomes, count) => {
    expect(countConsecutiveFailures(outcomes.map((outcome) => ({ outcome })))).toBe(count);
  });
});

describe("summarizeRunUsage: sums per operation", () => {
  it("adds requests and units per operation and prices each, costliest first", () => {
    const summary = summarizeRunUsage([
      aRun({
        apiUsage: { "CloudWatch.GetMetricData": { requests: 2, units: 1_000 }, "Lambda.ListFunctions": { requests: 3, units: 0 } },
        estimatedCostUsd: 0.01,
        itemsWritten: 4,
        warnings: ["a"],
      }),
      aRun({
        apiUsage: { "CloudWatch.GetMetricData": { requests: 1, units: 500 }, "CostExplorer.GetCostAndUsage": { requests: 2, units: 2 } },
        estimatedCostUsd: 0.025,
        itemsWritten: 6,
        outcome: "failed",
        error: "boom",
      }),
    ]);
    expect(summary).toMatchObject({ runs: 2, failedRuns: 1, requests: 8, itemsWritten: 10, warnings: 1 });
    expect(summary.estimatedCostUsd).toBeCloseTo(0.035, 10);
    expect(summary.operations.map((o) => [o.operation, o.requests, o.units])).toEqual([
      ["CostExplorer.GetCostAndUsage", 2, 2],
      ["CloudWatch.GetMetricData", 3, 1_500],
      ["Lambda.ListFunctions", 3, 0],
    ]);
    expect(summary.operations[0]?.estimatedCostUsd).toBeCloseTo(0.02, 10);
    expect(summary.operations[1]?.estimatedCostUsd).toBeCloseTo(0.015, 10);
    expect(summary.operations[2]?.estimatedCostUsd).toBe(0);
  });

  it("is all zeros for no runs", () => {
    expect(summarizeRunUsage([])).toEqual({ runs: 0, failedRuns: 0, requests: 0, estimatedCostUsd: 0, itemsWritten: 0, warnings: 0, operations: [] });
  });

  it("orders free operations by requests, then name", () => {
    const ops = costPerOperation({ "STS.GetCallerIdentity": { requests: 1, units: 0 }, "Lambda.GetFunction": { requests: 5, units: 0 }, "Lambda.ListAliases": { requests: 5, units: 0 } });
    expect(ops.map((o) => o.operation)).toEqual(["Lambda.GetFunction", "Lambda.ListAliases", "STS.GetCallerIdentity"]);
  });
});

describe("buildCollectorHealthReport", () => {
  const window = { fromMs: NOW - 24 * HOUR, toMs: NOW };
  const progress = (collector: string, region: string, extra: Partial<{ throughMs: number | null; lastAttemptMs: number; lastSuccessMs: number | null; lastError: string | null }> = {}) => ({
    collector,
    accountId: ACCOUNT,
    region,
    throughMs: NOW - MIN,
    sinceMs: null,
    lastAttemptMs: NOW - MIN,
    lastSuccessMs: NOW - MIN,
    lastError: null,
    ...extra,
  });

  it("has a row per collector and account/region, never-run rows for the rest, in collector order", () => {
    const report = buildCollectorHealthReport({
      progress: [progress("metrics", "us-west-2"), progress("metrics", "us-east-1"), progress("inventory", "us-east-1", { throughMs: NOW - 2 * MIN }), progress("retired-collector", "us-east-1")],
      runs: [aRun({ region: "us-east-1" }), aRun({ region: "us-west-2" })],
      window,
      nowMs: NOW,
      settleMinutes: 5,
      cadence: DEFAULTS,
    });
    expect(report.rows.map((r) => [r.collector, r.region, r.status])).toEqual([
      ["inventory", "us-east-1", "healthy"],
      ["metrics", "us-east-1", "healthy"],
      ["metrics", "us-west-2", "healthy"],
      ["logs-insights", null, "never-run"],
      ["traces", null, "never-run"],
      ["costs", null, "never-run"],
      ["analyze", null, "never-run"],
      ["slos", null, "never-run"],
    ]);
    expect(report.rows[1]).toMatchObject({ key: `metrics#${ACCOUNT}#us-east-1`, expectedEveryMinutes: 1, lagMs: MIN, lagLimitMs: 9 * MIN, successAgeMs: MIN });
    expect(report.rows[1]?.recent.runs).toBe(1);
    expect(report.rows[0]?.recent.runs).toBe(0);
    expect(report.summary.statusCounts).toEqual({ failing: 0, lagging: 0, "never-run": 5, healthy: 3 });
    expect(report.summary.recent.runs).toBe(2);
  });

  it("counts failures in a row from the ledger and names the failing collectors", () => {
    const runs = [
      aRun({ startedAtMs: NOW - 1 * MIN, outcome: "failed", error: "ThrottlingException: Rate exceeded", estimatedCostUsd: 0 }),
      aRun({ startedAtMs: NOW - 2 * MIN, outcome: "failed", error: "ThrottlingException: Rate exceeded", estimatedCostUsd: 0 }),
      aRun({ startedAtMs: NOW - 3 * MIN }),
      aRun({ startedAtMs: NOW - 4 * MIN, outcome: "failed", error: "older" }),
    ];
    const report = buildCollectorHealthReport({
      progress: [progress("metrics", "us-east-1", { lastSuccessMs: NOW - 3 * MIN, lastError: "ThrottlingException: Rate exceeded" })],
      runs,
      window,
      nowMs: NOW,
      settleMinutes: 5,
      cadence: DEFAULTS,
    });
    const metrics = report.rows.find((r) => r.collector === "metrics");
    expect(metrics).toMatchObject({ status: "failing", consecutiveFailures: 2, lastError: "ThrottlingException: Rate exceeded", lastOutcome: "failed" });
    expect(metrics?.recent).toMatchObject({ runs: 4, failedRuns: 3 });
    expect(report.summary.failing).toEqual([
      { collector: "metrics", accountId: ACCOUNT, region: "us-east-1", lastError: "ThrottlingException: Rate exceeded", consecutiveFailures: 2 },
    ]);
  });

  it("works from the ledger alone when a watermark is missing", () => {
    const report = buildCollectorHealthReport({
      progress: [],
      runs: [aRun({ collector: "costs", region: "global", startedAtMs: NOW - HOUR, outcome: "up-to-date" })],
      window,
      nowMs: NOW,
      settleMinutes: 5,
      cadence: DEFAULTS,
    });
    expect(report.rows.find((r) => r.collector === "costs")).toMatchObject({ status: "healthy", lastSuccessMs: NOW - HOUR, lastAttemptMs: NOW - HOUR, lagMs: null, region: "global" });
    expect(report.oldestRunMs).toBe(NOW - HOUR);
  });

  it("expects metrics and slos at the configured cadence and judges them by it", () => {
    const input = {
      // Metrics ran 12 min ago: late at 1 min (limit 8), on time at 5 (limit 20).
      progress: [progress("metrics", "us-east-1", { throughMs: NOW - 13 * MIN, lastAttemptMs: NOW - 12 * MIN, lastSuccessMs: NOW - 12 * MIN })],
      runs: [],
      window,
      nowMs: NOW,
      settleMinutes: 5,
    };
    const every1 = buildCollectorHealthReport({ ...input, cadence: DEFAULTS });
    const every5 = buildCollectorHealthReport({ ...input, cadence: EVERY_5 });
    expect(every1.rows.find((r) => r.collector === "metrics")).toMatchObject({ expectedEveryMinutes: 1, status: "lagging", successAgeLimitMs: 8 * MIN });
    expect(every5.rows.find((r) => r.collector === "metrics")).toMatchObject({ expectedEveryMinutes: 5, status: "healthy", successAgeLimitMs: 20 * MIN, lagLimitMs: 21 * MIN });
    expect(every5.rows.find((r) => r.collector === "slos")).toMatchObject({ expectedEveryMinutes: 5, status: "never-run" });
    expect(every5.rows.find((r) => r.collector === "inventory")).toMatchObject({ expectedEveryMinutes: 5 });
  });

  it("takes the newest failed run's error when the watermark has none", () => {
    const report = buildCollectorHealthReport({
      progress: [progress("metrics", "us-east-1")],
      runs: [aRun({ outcome: "failed", error: "could not record the run: ResourceNotFoundException" })],
      window,
      nowMs: NOW,
      settleMinutes: 5,
      cadence: DEFAULTS,
    });
    expect(report.rows.find((r) => r.collector === "metrics")).toMatchObject({ status: "failing", lastError: "could not record the run: ResourceNotFoundException" });
  });
});
