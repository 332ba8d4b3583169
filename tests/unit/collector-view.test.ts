import { beforeEach, describe, expect, it } from "vitest";
import { aCollectorRun } from "@/tests/builders/collector-run";
import type { CollectorRun } from "@/lib/domain/collection/collector-run";
import { getCollectorsView, HEALTH_RUN_READ_LIMIT, listCollectorRuns, RUN_SCAN_LIMIT } from "@/lib/queries/collectors-view";
import { InMemoryRunLedgerStore, InMemoryWatermarkStore } from "@/tests/fakes/in-memory-stores";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 26, 12, 30);
const ACCOUNT = "123456789012";

/** The view tests' runs: 1.5 s long, with a Lambda call besides GetMetricData. */
function aRun(overrides: Partial<CollectorRun> = {}): CollectorRun {
  const startedAtMs = overrides.startedAtMs ?? NOW - MIN;
  return aCollectorRun(
    {
      endedAtMs: startedAtMs + 1_500,
      apiUsage: { "CloudWatch.GetMetricData": { requests: 2, units: 1_000 }, "Lambda.ListFunctions": { requests: 1, units: 0 } },
      estimatedCostUsd: 0.01,
      ...overrides,
    },
    NOW,
  );
}

let ledger: InMemoryRunLedgerStore;
let watermarks: InMemoryWatermarkStore;
beforeEach(() => {
  ledger = new InMemoryRunLedgerStore();
  watermarks = new InMemoryWatermarkStore();
});

describe("getCollectorsView", () => {
  it("reads 24 h of the ledger and the watermarks into the health report", async () => {
    await watermarks.advance("metrics", ACCOUNT, "us-east-1", NOW - MIN);
    await watermarks.recordOutcome("metrics", ACCOUNT, "us-east-1", { nowMs: NOW - MIN, error: null });
    await ledger.record(aRun());
    await ledger.record(aRun({ startedAtMs: NOW - 2 * MIN }));
    await ledger.record(aRun({ startedAtMs: NOW - DAY - MIN })); // outside the window

    const view = await getCollectorsView({ watermarks, ledger }, { nowMs: NOW });
    expect(ledger.reads).toEqual([{ sinceMs: NOW - DAY, nowMs: NOW, limit: HEALTH_RUN_READ_LIMIT + 1 }]);
    expect(view).toMatchObject({ nowMs: NOW, settleMinutes: 5, runsTruncated: false, partialWindow: true, window: { fromMs: NOW - DAY, toMs: NOW } });
    const metrics = view.rows.find((r) => r.collector === "metrics");
    expect(metrics).toMatchObject({ status: "healthy", lagMs: MIN, lastSuccessMs: NOW - MIN });
    expect(metrics?.recent).toMatchObject({ runs: 2, requests: 6, itemsWritten: 20 });
    expect(view.summary.recent.estimatedCostUsd).toBeCloseTo(0.02, 10);
  });

  it("judges the metrics collector by the configured METRICS_CADENCE_MINUTES (the console's setting), not the default", async () => {
    // The last metrics pass 12 minutes ago: three missed runs at 1 minute, on time at 5.
    await watermarks.advance("metrics", ACCOUNT, "us-east-1", NOW - 13 * MIN);
    await watermarks.recordOutcome("metrics", ACCOUNT, "us-east-1", { nowMs: NOW - 12 * MIN, error: null });
    const every1 = await getCollectorsView({ watermarks, ledger }, { nowMs: NOW });
    const every5 = await getCollectorsView({ watermarks, ledger }, { nowMs: NOW, cadence: { metricsCadenceMinutes: 5 } });
    expect(every1.rows.find((r) => r.collector === "metrics")).toMatchObject({ status: "lagging", expectedEveryMinutes: 1 });
    expect(every5.rows.find((r) => r.collector === "metrics")).toMatchObject({ status: "healthy", expectedEveryMinutes: 5 });
    expect(every5.cadence).toEqual({ metricsCadenceMinutes: 5 });
  });

  it("is an all-never-run table before the first run", async () => {
    const view = await getCollectorsView({ watermarks, ledger }, { nowMs: NOW });
    expect(view.rows.every((r) => r.status === "never-run")).toBe(true);
    expect(view.oldestRunMs).toBeNull();
    expect(view.summary.recent.runs).toBe(0);
  });
});

describe("listCollectorRuns", () => {
  beforeEach(async () => {
    for (let i = 1; i <= 10; i++) {
      await ledger.record(aRun({ startedAtMs: NOW - i * MIN, region: i % 2 === 0 ? "us-east-1" : "eu-west-1", outcome: i === 3 ? "failed" : "collected", error: i === 3 ? "boom" : null }));
    }
    await ledger.record(aRun({ collector: "costs", region: "global", startedAtMs: NOW - 30 * MIN, apiUsage: { "CostExplorer.GetCostAndUsage": { requests: 3, units: 3 } } }));
  });

  it("lists newest first with duration, total requests and the cost per operation", async () => {
    const list = await listCollectorRuns({ ledger }, { sinceMs: NOW - DAY, limit: 3, nowMs: NOW });
    expect(list.runs.map((r) => r.startedAtMs)).toEqual([NOW - MIN, NOW - 2 * MIN, NOW - 3 * MIN]);
    expect(list.truncated).toBe(true);
    expect(list.runs[0]).toMatchObject({
      key: `${new Date(NOW - MIN).toISOString()}#metrics#${ACCOUNT}#eu-west-1`,
      durationMs: 1_500,
      requests: 3,
      operations: [
        { operation: "CloudWatch.GetMetricData", requests: 2, units: 1_000, estimatedCostUsd: 0.01 },
        { operation: "Lambda.ListFunctions", requests: 1, units: 0, estimatedCostUsd: 0 },
      ],
    });
    // Only the collector filter goes to the ledger; one extra run tells whether there are more.
    expect(ledger.reads.at(-1)).toEqual({ sinceMs: NOW - DAY, nowMs: NOW, limit: 4 });
  });

  it("passes the collector filter to the ledger", async () => {
    const list = await listCollectorRuns({ ledger }, { collector: "costs", sinceMs: NOW - DAY, limit: 100, nowMs: NOW });
    expect(list.runs.map((r) => r.collector)).toEqual(["costs"]);
    expect(list.truncated).toBe(false);
    expect(ledger.reads.at(-1)).toMatchObject({ collector: "costs", limit: 101 });
  });

  it("filters by account, region and outcome after reading, scanning up to RUN_SCAN_LIMIT", async () => {
    const failed = await listCollectorRuns({ ledger }, { outcome: "failed", sinceMs: NOW - DAY, limit: 100, nowMs: NOW });
    expect(failed.runs.map((r) => [r.startedAtMs, r.error])).toEqual([[NOW - 3 * MIN, "boom"]]);
    expect(ledger.reads.at(-1)?.limit).toBe(RUN_SCAN_LIMIT);

    const east = await listCollectorRuns({ ledger }, { collector: "metrics", accountId: ACCOUNT, region: "us-east-1", sinceMs: NOW - DAY, limit: 2, nowMs: NOW });
    expect(east.runs.map((r) => r.startedAtMs)).toEqual([NOW - 2 * MIN, NOW - 4 * MIN]);
    expect(east.truncated).toBe(true);
  });

  it("honours since", async () => {
    const list = await listCollectorRuns({ ledger }, { sinceMs: NOW - 2 * MIN, limit: 100, nowMs: NOW });
    expect(list.runs).toHaveLength(2);
    expect(list.truncated).toBe(false);
  });
});
