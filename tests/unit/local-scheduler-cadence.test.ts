import { describe, expect, it, vi } from "vitest";
import { loadCollectorConfig } from "@/lib/config/collector-config";
import type { CollectorName } from "@/lib/domain/collection/collector-run";
import type { CollectorRuntime } from "@/collectors/_runtime/collector-runtime";
import { isDue, runCollectionPass } from "@/infra/local/scheduler";
import { InMemoryRunLedgerStore, InMemoryWatermarkStore } from "@/tests/fakes/in-memory-stores";

/**
 * The local scheduler honours METRICS_CADENCE_MINUTES: `sightline start` passes every minute,
 * and metrics and the SLO evaluator run when their configured cadence is due.
 */

// The real definitions call AWS; these stand-ins record each run and move the watermark, which
// is all the scheduler looks at (last attempt, last error).
vi.mock("@/collectors/_runtime/registry", () => {
  const stub = (name: CollectorName) => ({
    name,
    scope: "region" as const,
    async collect(runtime: CollectorRuntime, ctx: { accountId: string; region: string; nowMs: number }) {
      await runtime.watermarks.advance(name, ctx.accountId, ctx.region, ctx.nowMs - 60_000);
      return { outcome: "collected" as const, itemsWritten: 1, window: null };
    },
  });
  return { ALL_COLLECTORS: [stub("inventory"), stub("metrics"), stub("slos")] };
});

const MIN = 60_000;
const START = Date.UTC(2026, 10, 26, 12, 0, 5);
const quiet = { info: () => {}, error: () => {} };

describe("isDue", () => {
  it.each([
    { lastAttemptMinAgo: 1, due: false },
    { lastAttemptMinAgo: 4, due: false },
    // 30 s of slack: a pass a few seconds early on the minute is on time.
    { lastAttemptMinAgo: 4.5, due: true },
    { lastAttemptMinAgo: 5, due: true },
    { lastAttemptMinAgo: 12, due: true },
  ])("at a 5-minute cadence, last attempt $lastAttemptMinAgo min ago → $due", ({ lastAttemptMinAgo, due }) => {
    expect(isDue(5, START - lastAttemptMinAgo * MIN, false, START)).toBe(due);
  });

  it("is due when never run or when the last run failed, whatever the cadence", () => {
    expect(isDue(5, undefined, false, START)).toBe(true);
    expect(isDue(5, 0, false, START)).toBe(true);
    expect(isDue(15, START - MIN, true, START)).toBe(true);
  });

  it("at the default 1-minute cadence every minute's pass is due", () => {
    expect(isDue(1, START - MIN, false, START)).toBe(true);
  });
});

/** Passes once a minute for `minutes`, like `sightline start`; the minutes (from 0) each collector ran at. */
async function ranAt(env: Record<string, string>, minutes: number): Promise<Record<string, number[]>> {
  const runtime = {
    config: loadCollectorConfig({ AWS_REGION: "eu-west-1", SIGHTLINE_ACCOUNT_ID: "111111111111", ...env }),
    log: quiet,
    watermarks: new InMemoryWatermarkStore(),
    ledger: new InMemoryRunLedgerStore(),
    accounts: async () => [{ accountId: "111111111111", roleArn: null }],
    regions: () => ["eu-west-1"],
  } as unknown as CollectorRuntime;
  const ran: Record<string, number[]> = {};
  for (let minute = 0; minute < minutes; minute++) {
    const report = await runCollectionPass(runtime, { nowMs: START + minute * MIN, clock: () => START + minute * MIN });
    expect(report.ok).toBe(true);
    for (const run of report.runs) (ran[run.collector] ??= []).push(minute);
  }
  return ran;
}

describe("runCollectionPass at METRICS_CADENCE_MINUTES", () => {
  it("5: metrics and the SLO evaluator every fifth pass, inventory at its own 5 minutes", async () => {
    expect(await ranAt({ METRICS_CADENCE_MINUTES: "5" }, 12)).toEqual({ inventory: [0, 5, 10], metrics: [0, 5, 10], slos: [0, 5, 10] });
  });

  it("15: metrics and the SLO evaluator once in 16 passes", async () => {
    const ran = await ranAt({ METRICS_CADENCE_MINUTES: "15" }, 16);
    expect(ran.metrics).toEqual([0, 15]);
    expect(ran.slos).toEqual([0, 15]);
  });

  it("unset: every pass, as before the setting", async () => {
    const ran = await ranAt({}, 4);
    expect(ran.metrics).toEqual([0, 1, 2, 3]);
    expect(ran.slos).toEqual([0, 1, 2, 3]);
    expect(ran.inventory).toEqual([0]);
  });
});
