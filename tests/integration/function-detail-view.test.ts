import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoAnalysisStore } from "@/lib/adapters/dynamodb/analysis-repository";
import { DynamoReportStatsStore } from "@/lib/adapters/dynamodb/report-stats-repository";
import { getFunctionDetailView, type FunctionDetailDeps, type FunctionDetailView } from "@/lib/queries/function-detail-view";
import { collectEcommerce, type CollectedEcommerce } from "@/tests/support/collected-ecommerce";

/**
 * The function detail view over `ecommerce` as the real collectors stored it in dynalite.
 * Expectations come from the scenario (infra/local/sim/scenarios/ecommerce.yaml) and the
 * published prices (FACTS.md §2), not from this code's output.
 */
let collected: CollectedEcommerce;
let deps: FunctionDetailDeps;

const HOUR = 3_600_000;
/** FACTS §2, us-east-1 x86_64: provisioned concurrency allocated, per GB-s. */
const PC_USD_PER_GB_SECOND_X86 = 0.0000041667;

beforeAll(async () => {
  collected = await collectEcommerce();
  const { runtime } = collected;
  deps = {
    functions: runtime.functions,
    series: runtime.series,
    watermarks: runtime.watermarks,
    reportStats: new DynamoReportStatsStore(runtime.doc, runtime.tableName),
    analysis: new DynamoAnalysisStore(runtime.doc, runtime.tableName),
  };
});

afterAll(async () => {
  await collected?.close();
});

async function viewOf(name: string): Promise<FunctionDetailView> {
  const result = await getFunctionDetailView(deps, { name, window: collected.window, nowMs: collected.nowMs });
  if (result.kind !== "found") throw new Error(`${name}: expected found, got ${result.kind}`);
  return result.view;
}

const row = (view: FunctionDetailView, field: string) => {
  const found = view.configuration.rows.find((r) => r.field === field);
  if (!found) throw new Error(`no config row ${field}`);
  return found;
};

describe("function detail view over collected ecommerce data", () => {
  it("payments-api: 2,048 MB, 100 reserved, 50 provisioned on `live` that sit mostly idle (peak need under 20)", async () => {
    const view = await viewOf("payments-api");
    expect(view.ref).toEqual({ accountId: "123456789012", region: "us-east-1", functionName: "payments-api" });
    expect(row(view, "memory").value).toEqual({ kind: "megabytes", memoryMb: 2048 });
    expect(row(view, "runtime").value).toEqual({ kind: "text", text: "java21" });
    expect(row(view, "reserved-concurrency")).toMatchObject({ value: { kind: "executions", executions: 100 }, source: { api: "GetFunctionConcurrency" } });
    expect(row(view, "aliases").value).toEqual({ kind: "aliases", aliases: [{ name: "live", functionVersion: "112" }] });

    expect(view.provisionedConcurrency.rows).toHaveLength(1);
    const live = view.provisionedConcurrency.rows[0]!;
    expect(live).toMatchObject({ qualifier: "live", functionVersion: "112", allocatedExecutions: 50 });
    expect(live.utilisation.kind).toBe("assessed");
    if (live.utilisation.kind !== "assessed") return;
    expect(live.utilisation.verdict).toBe("idle");
    // Under 20 of 50 busy at the peak.
    expect(live.utilisation.peakUtilisation.value).toBeLessThan(20 / 50);
    expect(live.utilisation.spilloverInvocations).toBe(0);

    expect(view.concurrency.function).toMatchObject({ kind: "assessed", ceiling: { kind: "reserved", executions: 100 }, status: "ok" });
    if (view.concurrency.function.kind === "assessed") expect(view.concurrency.function.functionPeak.value).toBeLessThan(20);
  });

  it("payments-api's cost estimate carries 50 idle provisioned environments at 2 GB for every covered hour", async () => {
    const view = await viewOf("payments-api");
    expect(view.cost.kind).toBe("estimated");
    if (view.cost.kind !== "estimated") return;
    // 24 h collected, window 24 h: every whole hour the logs collector has finished.
    const coveredSeconds = (view.cost.covered.toMs - view.cost.covered.fromMs) / 1000;
    expect(coveredSeconds).toBe(24 * 3600);
    const pcLine = view.cost.lines.find((l) => l.component === "provisioned-concurrency");
    expect(pcLine?.costUsd).toBeCloseTo(50 * 2 * coveredSeconds * PC_USD_PER_GB_SECOND_X86, 6);
    expect(view.cost).toMatchObject({ pricedRegion: "us-east-1", priceAssumed: false, durationTier: "first", architecture: "x86_64" });
    // ≈ 1.2 M requests a day (scenario mean 13.889/s; weekday traffic runs a little above the mean).
    expect(view.cost.invocations).toBeGreaterThan(1_000_000);
    expect(view.cost.invocations).toBeLessThan(1_500_000);
    // CloudWatch's invocations and the REPORT lines agree (the windows are 20 minutes apart).
    expect(Math.abs(view.cost.invocations - view.metrics.totals.invocations) / view.metrics.totals.invocations).toBeLessThan(0.03);
  });

  it("orders-api: 4 provisioned on `live` spill over at the peak, and it shares the account's unreserved pool", async () => {
    const view = await viewOf("orders-api");
    const live = view.provisionedConcurrency.rows.find((r) => r.qualifier === "live");
    expect(live).toMatchObject({ allocatedExecutions: 4, functionVersion: "57" });
    expect(live?.utilisation).toMatchObject({ kind: "assessed", verdict: "spilling", peakUtilisation: { value: 1 } });
    if (live?.utilisation.kind === "assessed") expect(live.utilisation.spilloverInvocations).toBeGreaterThan(0);
    // Account limit 1,000 minus the reservations of payments-api (100), order-saga-process-payment (50),
    // notifications-worker (60) and legacy-report-generator (5).
    expect(view.concurrency.function).toMatchObject({ kind: "assessed", ceiling: { kind: "unreserved-pool", executions: 1000 - 100 - 50 - 60 - 5 } });
    expect(view.concurrency.accountLimitExecutions).toBe(1000);
    expect(row(view, "account-concurrency-limit")).toMatchObject({ value: { executions: 1000 }, source: { api: "GetAccountSettings" } });
  });

  it("notifications-worker: 128 MB runs out of memory now and then, and its long durations hit its 60 reserved at the peak", async () => {
    const view = await viewOf("notifications-worker");
    expect(view.memory.usage).toMatchObject({ kind: "assessed", memorySizeMb: 128, status: "out-of-memory" });
    if (view.memory.usage.kind === "assessed") {
      expect(view.memory.usage.outOfMemory).toBeGreaterThan(0);
      expect(view.memory.usage.maxMemoryUsedMb.max).toBeLessThanOrEqual(128);
      // The scenario's median use: 110 MB.
      expect(view.memory.usage.maxMemoryUsedMb.p50).toBeGreaterThan(95);
    }
    expect(view.concurrency.function).toMatchObject({ kind: "assessed", ceiling: { kind: "reserved", executions: 60 }, status: "at-limit" });
    expect(view.metrics.totals.throttles).toBeGreaterThan(0);
    expect(view.provisionedConcurrency.rows).toEqual([]);
  });

  it("legacy-report-generator: 3,008 MB using about 180 MB, untagged, 5 reserved", async () => {
    const view = await viewOf("legacy-report-generator");
    expect(row(view, "tags")).toMatchObject({ value: { kind: "tags", tags: [] }, source: { api: "ListTags" } });
    expect(row(view, "reserved-concurrency").value).toEqual({ kind: "executions", executions: 5 });
    expect(view.memory.usage).toMatchObject({ kind: "assessed", memorySizeMb: 3008, status: "mostly-unused", outOfMemory: 0 });
    if (view.memory.usage.kind === "assessed") {
      expect(view.memory.usage.maxMemoryUsedMb.p50).toBeGreaterThan(150);
      expect(view.memory.usage.maxMemoryUsedMb.p50).toBeLessThan(220);
      expect(view.memory.usage.headroomRatio).toBeGreaterThan(0.85);
    }
  });

  it("says where each configuration value came from and when it was read", async () => {
    const view = await viewOf("orders-api");
    const fn = (await deps.functions.listFunctions()).find((f) => f.functionName === "orders-api")!;
    expect(row(view, "memory").source).toEqual({ api: "ListFunctions", revisionId: fn.revisionId, collectedAtMs: collected.nowMs });
    expect(row(view, "provisioned-concurrency").source.api).toBe("ListProvisionedConcurrencyConfigs");
    expect(row(view, "versions").source.api).toBe("ListVersionsByFunction");
    expect(row(view, "unreserved-concurrency").value).toEqual({ kind: "executions", executions: 785 });
  });

  it("charts a day of minutes at 5-minute points with totals that match the points", async () => {
    const view = await viewOf("users-api");
    expect(view.resolution).toBe("minute");
    expect(view.chartStepMs).toBe(5 * 60_000);
    expect(view.metrics.points).toHaveLength(288);
    const summed = view.metrics.points.reduce((sum, p) => sum + (p.invocations ?? 0), 0);
    expect(summed).toBe(view.metrics.totals.invocations);
    // ≈ 3.0 M a day in the scenario.
    expect(view.metrics.totals.invocations).toBeGreaterThan(2_500_000);
    const { p50DurationMs, p90DurationMs, p99DurationMs } = view.metrics.totals;
    expect(p50DurationMs).not.toBeNull();
    expect(p50DurationMs!).toBeLessThan(p90DurationMs!);
    expect(p90DurationMs!).toBeLessThan(p99DurationMs!);
  });

  it("shows what the analyzer stored, and that collection is fresh", async () => {
    // ≈ 1.2 M invocations a day, every hour: far past Compute Optimizer's 50 invocations.
    const view = await viewOf("payments-api");
    expect(view.recommendations.analysis).toMatchObject({ lookbackDays: 14, sufficiency: { kind: "enough" } });
    expect(view.recommendations.analysis?.sufficiency.invocations).toBeGreaterThan(1_000_000);
    expect(view.collection).toMatchObject({ lastError: null, stale: false });
    expect(view.sources.reportLinesThroughMs).not.toBeNull();
    // Its 50 provisioned on live for a peak need under 20 (scenarios/ecommerce.yaml), in brief; in full on the Tuning page.
    expect(view.recommendations.tuning?.find((r) => r.kind === "provisioned-concurrency")).toMatchObject({ finding: "idle-provisioned-concurrency", monthlyDeltaUsd: expect.any(Number) });
    expect(view.recommendations.tuning?.find((r) => r.kind === "provisioned-concurrency")?.monthlyDeltaUsd).toBeLessThan(0);
  });

  it("says so when a function has no provisioned concurrency", async () => {
    const view = await viewOf("shipping-rates-api");
    expect(view.provisionedConcurrency.rows).toEqual([]);
    expect(row(view, "provisioned-concurrency").value).toEqual({ kind: "provisioned", configs: [] });
  });

  it("carries the cold-start view: shipping-rates-api (java17, sparse traffic) is cold-start heavy", async () => {
    const view = await viewOf("shipping-rates-api");
    expect(view.coldStarts?.function).toMatchObject({ functionName: "shipping-rates-api", runtime: "java17" });
    // "a third arrive to a cold environment" (scenario): well past the 5 % cold-start-heavy bar.
    expect(view.coldStarts?.summary.heavy).toBe(true);
    expect(view.coldStarts?.summary.coldStarts).toBeGreaterThan(0);
  });

  it("does not find a name nobody deployed", async () => {
    const result = await getFunctionDetailView(deps, { name: "no-such-function", window: collected.window, nowMs: collected.nowMs });
    expect(result).toEqual({ kind: "not-found", functionName: "no-such-function", accountId: null, regionId: null, elsewhere: [] });
  });

  it("does not find a function in an account it is not in, and says where it is", async () => {
    const result = await getFunctionDetailView(deps, { name: "orders-api", accountId: "210987654321", window: collected.window, nowMs: collected.nowMs });
    expect(result).toMatchObject({ kind: "not-found", elsewhere: [{ accountId: "123456789012", region: "us-east-1", functionName: "orders-api" }] });
  });

  // Last: it adds a function to the table.
  it("calls a name in two regions ambiguous, and finds it once the region is given", async () => {
    const [orders] = (await deps.functions.listFunctions()).filter((f) => f.functionName === "orders-api");
    await collected.runtime.functions.putFunctions([
      { ...orders!, region: "eu-west-1", functionArn: orders!.functionArn.replace("us-east-1", "eu-west-1"), collectedAtMs: collected.nowMs - HOUR },
    ]);
    const ambiguous = await getFunctionDetailView(deps, { name: "orders-api", window: collected.window, nowMs: collected.nowMs });
    expect(ambiguous.kind).toBe("ambiguous");
    if (ambiguous.kind === "ambiguous") expect(ambiguous.choices.map((c) => c.region)).toEqual(["eu-west-1", "us-east-1"]);

    const chosen = await getFunctionDetailView(deps, { name: "orders-api", regionId: "eu-west-1", window: collected.window, nowMs: collected.nowMs });
    expect(chosen.kind).toBe("found");
    if (chosen.kind === "found") {
      expect(chosen.view.ref.region).toBe("eu-west-1");
      // Nothing was collected there: "cannot say", not zeros dressed up as findings.
      expect(chosen.view.concurrency.function.kind).toBe("insufficient-data");
      expect(chosen.view.memory.usage.kind).toBe("insufficient-data");
      expect(chosen.view.cost.kind).toBe("insufficient-data");
    }
  });
});
