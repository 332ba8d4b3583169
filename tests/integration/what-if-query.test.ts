import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoAnalysisStore } from "@/lib/adapters/dynamodb/analysis-repository";
import { DynamoReportStatsStore } from "@/lib/adapters/dynamodb/report-stats-repository";
import { DynamoSloStore } from "@/lib/adapters/dynamodb/slo-repository";
import { parseWhatIfRequest, runWhatIf, type WhatIfDeps, type WhatIfOutcome } from "@/lib/queries/what-if";
import { collectEcommerce, type CollectedEcommerce } from "@/tests/support/collected-ecommerce";

/**
 * The what-if as the API and the CLI run it: a request validated field by field, the
 * function's recorded series read from the table, and the replay against a candidate.
 */
let collected: CollectedEcommerce;
let deps: WhatIfDeps;

beforeAll(async () => {
  collected = await collectEcommerce({ hours: 30 });
  const { runtime } = collected;
  deps = {
    functions: runtime.functions,
    series: runtime.series,
    reportStats: new DynamoReportStatsStore(runtime.doc, runtime.tableName),
    analysis: new DynamoAnalysisStore(runtime.doc, runtime.tableName),
    slos: new DynamoSloStore(runtime.doc, runtime.tableName),
    watermarks: runtime.watermarks,
  };
}, 300_000);

afterAll(async () => {
  await collected?.close();
});

async function replay(body: unknown): Promise<Extract<WhatIfOutcome, { kind: "replayed" }>["result"]> {
  const parsed = parseWhatIfRequest(body);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const outcome = await runWhatIf(deps, parsed, collected.nowMs);
  if (outcome.kind !== "replayed") throw new Error(`not replayed: ${JSON.stringify(outcome)}`);
  return outcome.result;
}

describe("what-if over collected ecommerce data", () => {
  it("replays the current configuration as what happened", async () => {
    const result = await replay({ functionName: "orders-api", hours: 6 });
    expect(result.candidate).toEqual(result.current);
    expect(result.projected.invocations).toBe(result.actual.invocations);
    expect(result.projected.costUsd).toBeCloseTo(result.actual.costUsd, 6);
    expect(result.projected.spillover).toBeCloseTo(result.actual.spillover, 6);
    // Minute by minute up to 72 hours; the chart's hourly points add up to the totals.
    expect(result.window.toMs - result.window.fromMs).toBe(6 * 3_600_000);
    expect(result.window.toMs % 60_000).toBe(0);
    expect(result.hours.reduce((sum, h) => sum + h.actualCostUsd, 0)).toBeCloseTo(result.actual.costUsd, 6);
  });

  it("a CPU-bound function given four times the memory runs several times faster for about the same money", async () => {
    const result = await replay({ functionName: "notifications-worker", hours: 6, memoryMb: 512 });
    expect(result.candidate.memoryMb).toBe(512);
    expect(result.projected.p50Ms!).toBeLessThan(result.actual.p50Ms! / 2);
    expect(result.projected.costUsd).toBeLessThan(result.actual.costUsd * 1.25);
  });

  it("a reserved cap below the peak throttles what it would have run", async () => {
    const result = await replay({ functionName: "orders-api", hours: 6, reservedConcurrency: 1 });
    expect(result.actual.throttles).toBe(0);
    expect(result.projected.throttles).toBeGreaterThan(0);
  });

  it("replays no earlier than the collected data, and names fields it refuses", async () => {
    const result = await replay({ functionName: "orders-api", hours: 72 });
    expect(result.window.fromMs).toBeGreaterThanOrEqual(collected.window.fromMs - 60_000);
    const bad = parseWhatIfRequest({ functionName: "orders-api", memoryMb: 64, pc: "25:00-26:00=3" });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.path)).toEqual(["memoryMb"]);
    const badPc = parseWhatIfRequest({ functionName: "orders-api", pc: "09:00-18:00=lots" });
    expect(badPc.ok === false && badPc.errors[0]).toMatchObject({ path: "pc" });
    const unknown = await runWhatIf(deps, parseWhatIfRequest({ functionName: "no-such-function" }) as Extract<ReturnType<typeof parseWhatIfRequest>, { ok: true }>, collected.nowMs);
    expect(unknown.kind).toBe("not-found");
  });
});
