import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoSloStore } from "@/lib/adapters/dynamodb/slo-repository";
import { DynamoReportStatsStore } from "@/lib/adapters/dynamodb/report-stats-repository";
import { getOverviewView, type OverviewView } from "@/lib/queries/overview-view";
import { collectEcommerce, type CollectedEcommerce } from "@/tests/support/collected-ecommerce";

/**
 * The overview on collected `ecommerce` data, standing 20 minutes into the scenario's payment
 * provider degradation (8 % errors for 25 minutes on payments-api and
 * order-saga-process-payment, against a 0.1 % baseline — scenarios/ecommerce.yaml).
 */
let collected: CollectedEcommerce;
let view: OverviewView;

beforeAll(async () => {
  collected = await collectEcommerce({ hours: 26, at: (burst) => burst.fromMs + 20 * 60_000 + 30_000 });
  const { runtime } = collected;
  view = await getOverviewView(
    { functions: runtime.functions, series: runtime.series, reportStats: new DynamoReportStatsStore(runtime.doc, runtime.tableName), watermarks: runtime.watermarks, slos: new DynamoSloStore(runtime.doc, runtime.tableName) },
    { nowMs: collected.nowMs },
  );
}, 120_000);

afterAll(async () => {
  await collected?.close();
});

describe("what is wrong now, in the middle of the payment provider's degradation", () => {
  it("pages on the error spike of both functions the degradation hits, and on no other function", () => {
    const spikes = view.signals.filter((s) => s.kind === "error-spike");
    expect(spikes.map((s) => s.subject.functionName).sort()).toEqual(["order-saga-process-payment", "payments-api"]);
    for (const spike of spikes) {
      expect(spike.severity).toBe("critical");
      // 8 % declared; the 15-minute window is all inside the burst.
      expect(spike.measured.errorRatio).toBeGreaterThan(0.05);
      expect(spike.measured.errorRatio).toBeLessThan(0.12);
      expect(spike.measured.baselineErrorRatio).toBeLessThan(0.005);
      expect(spike.sinceMs).toBeGreaterThanOrEqual(collected.paymentBurst.fromMs);
    }
  });

  it("ranks the critical error spikes first and checks the whole fleet", () => {
    expect(view.signals[0]?.kind).toBe("error-spike");
    // legacy-report-generator peaks at 4 of its reserved 5: a small deliberate cap, not news.
    expect(view.signals.filter((s) => s.kind !== "error-spike")).toEqual([]);
    // The fleet's pulse: the burst lifts the whole fleet's error ratio above its 0.1 % baseline.
    expect(view.fleet.invocationsPerMinute).toBeGreaterThan(1000);
    expect(view.fleet.errorRatio).toBeGreaterThan(0.002);
    expect(view.checked.functions).toBe(collected.stack.scenario.functions.length);
    expect(view.recent.toMs - view.recent.fromMs).toBe(15 * 60_000);
    expect(view.failingCollectors).toEqual([]);
  });
});
