import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCollector } from "@/collectors/_runtime/run-collector";
import { analyzeCollector } from "@/collectors/analyze";
import { inventoryCollector } from "@/collectors/inventory";
import { logsInsightsCollector } from "@/collectors/logs-insights";
import { metricsCollector } from "@/collectors/metrics";
import { AwsLambdaTuner } from "@/lib/adapters/aws/lambda-tuner";
import { DynamoReportStatsStore } from "@/lib/adapters/dynamodb/report-stats-repository";
import { DynamoTuningAuditStore } from "@/lib/adapters/dynamodb/tuning-audit-repository";
import type { ReportStats } from "@/lib/domain/cold-start/report-stats";
import { applyTuning, rollbackTuning } from "@/lib/use-cases/apply-tuning";
import { collectEcommerce, type CollectedEcommerce } from "@/tests/support/collected-ecommerce";

/**
 * Issue 7: a change applied through the apply path shows in the simulator's later telemetry,
 * collected by the real collectors — different durations after a memory change, less
 * spillover and fewer cold starts after more provisioned concurrency — and a rollback puts
 * the setting back.
 */

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** 15:00 UTC the day before the anchor day: notifications-worker has run at 128 MB for two days; the evening peak is ahead. */
const APPLY_AT = Date.UTC(2026, 10, 25, 15, 0, 30);
const AFTER_HOURS = 4;
const engineer = { subject: "erin", role: "engineer" as const };

let collected: CollectedEcommerce;
let reportStats: DynamoReportStatsStore;
let audit: DynamoTuningAuditStore;
let tuner: AwsLambdaTuner;
const appliedIds: string[] = [];

/** Runs the collectors that carry the change into the table, at `nowMs`. */
async function collectAt(nowMs: number): Promise<void> {
  collected.setNow(nowMs);
  for (const collector of [inventoryCollector, metricsCollector, logsInsightsCollector, analyzeCollector]) {
    const run = await runCollector(collected.runtime, collector, collected.scope, { nowMs });
    if (run.outcome === "failed") throw new Error(`${collector.name} failed at ${new Date(nowMs).toISOString()}: ${run.error}`);
  }
}

function sum(stats: readonly ReportStats[], field: "invocations" | "coldStarts" | "durationMsSum"): number {
  return stats.reduce((total, s) => total + s[field], 0);
}

beforeAll(async () => {
  collected = await collectEcommerce({ hours: 30, nowMs: APPLY_AT });
  const { runtime, scope } = collected;
  reportStats = new DynamoReportStatsStore(runtime.doc, runtime.tableName);
  audit = new DynamoTuningAuditStore(runtime.doc, runtime.tableName);
  tuner = new AwsLambdaTuner({ homeRegion: scope.region, homeAccountId: scope.accountId, roleName: "SightlineTuningApply" });
  const deps = { lambdaTuner: tuner, tuningAudit: audit };
  const at = (fn: string) => ({ accountId: scope.accountId, region: scope.region, functionName: fn });
  appliedIds.push(
    (await applyTuning(deps, { principal: engineer, ...at("notifications-worker"), change: { kind: "memory", memoryMb: 512 }, expectedBefore: { kind: "memory", memoryMb: 128 }, nowMs: APPLY_AT })).id,
    (
      await applyTuning(deps, {
        principal: engineer,
        ...at("orders-api"),
        change: { kind: "provisioned-concurrency", qualifier: "live", executions: 12 },
        expectedBefore: { kind: "provisioned-concurrency", qualifier: "live", executions: 4 },
        nowMs: APPLY_AT,
      })
    ).id,
  );
  // Collect hour by hour after the change, as the scheduler would (the hour settles, then its REPORT lines are read).
  for (let h = 1; h <= AFTER_HOURS; h++) await collectAt(APPLY_AT + h * HOUR + 10 * MINUTE);
}, 600_000);

afterAll(async () => {
  await collected?.close();
});

const ref = (functionName: string) => ({ ...collected.scope, functionName });
/** Whole hours after the apply, and the same hours of the day before (the same point of the daily shape). */
const afterWindow = () => ({ fromMs: APPLY_AT - 30_000 + HOUR, toMs: APPLY_AT - 30_000 + AFTER_HOURS * HOUR });
const dayBefore = () => ({ fromMs: afterWindow().fromMs - 24 * HOUR, toMs: afterWindow().toMs - 24 * HOUR });

describe("the effect of an applied change shows in later collections", () => {
  it("notifications-worker at 512 MB: the REPORT lines say 512 MB and its CPU-bound templating runs several times faster", async () => {
    const after = await reportStats.readStats(ref("notifications-worker"), afterWindow());
    const before = await reportStats.readStats(ref("notifications-worker"), dayBefore());
    expect(new Set(after.map((s) => s.memorySizeMb))).toEqual(new Set([512]));
    expect(new Set(before.map((s) => s.memorySizeMb))).toEqual(new Set([128]));
    const meanAfter = sum(after, "durationMsSum") / sum(after, "invocations");
    const meanBefore = sum(before, "durationMsSum") / sum(before, "invocations");
    // 150 ms of CPU at one vCPU + 60 ms of I/O: ×13.8 at 128 MB, ×3.5 at 512 MB → about 3× faster.
    expect(meanAfter).toBeLessThan(meanBefore / 2.5);
    expect(after.reduce((n, s) => n + s.outOfMemory, 0)).toBe(0);
    // The inventory collector picked the new size up.
    const fn = (await collected.runtime.functions.listFunctions()).find((f) => f.functionName === "notifications-worker");
    expect(fn?.memoryMb).toBe(512);
  });

  it("orders-api with 12 provisioned on live: far fewer cold starts than the same hours the day before", async () => {
    const after = await reportStats.readStats(ref("orders-api"), afterWindow());
    const before = await reportStats.readStats(ref("orders-api"), dayBefore());
    expect(sum(before, "coldStarts")).toBeGreaterThan(0);
    expect(sum(after, "coldStarts")).toBeLessThan(sum(before, "coldStarts") / 2);
    const fn = (await collected.runtime.functions.listFunctions()).find((f) => f.functionName === "orders-api");
    expect(fn?.provisionedConcurrency.find((pc) => pc.qualifier === "live")?.requested).toBe(12);
  });

  it("the audit log has both applies, and a rollback puts the memory back", async () => {
    const entries = await audit.list({ limit: 10 });
    expect(entries.map((e) => [e.functionName, e.action, e.result, e.actor])).toEqual(
      expect.arrayContaining([
        ["notifications-worker", "apply", "succeeded", "erin"],
        ["orders-api", "apply", "succeeded", "erin"],
      ]),
    );
    const rollbackAt = APPLY_AT + AFTER_HOURS * HOUR + 20 * MINUTE;
    collected.setNow(rollbackAt);
    const rollback = await rollbackTuning({ lambdaTuner: tuner, tuningAudit: audit }, { principal: engineer, auditId: appliedIds[0]!, nowMs: rollbackAt });
    expect(rollback).toMatchObject({ action: "rollback", rollbackOf: appliedIds[0], before: { memoryMb: 512 }, after: { memoryMb: 128 }, result: "succeeded" });
    expect(await tuner.readSetting(ref("notifications-worker"), { kind: "memory" })).toEqual({ kind: "memory", memoryMb: 128 });
  });
});
