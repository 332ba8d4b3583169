import { describe, expect, it } from "vitest";
import { CostBudgetError, budgetAlertKey, budgetAlerts, budgetStatus } from "@/lib/domain/cost/cost-budgets";
import type { CostBudget } from "@/lib/domain/cost/cost-types";

const NOV_1 = Date.UTC(2026, 10, 1);
const USD = 1_000_000;
const payments: CostBudget = { groupBy: "tag:team", bucket: "value:payments", monthlyMicroUsd: 100 * USD, alertAtRatios: [1, 0.8] };

describe("budgetStatus", () => {
  it("states ratios and the highest threshold actual and forecast have reached (reaching exactly counts)", () => {
    const s = budgetStatus(payments, { monthStartMs: NOV_1, actualMicroUsd: 80 * USD, forecastMicroUsd: 130 * USD });
    expect(s).toMatchObject({ actualRatio: 0.8, forecastRatio: 1.3, actualCrossed: 0.8, forecastCrossed: 1, monthStartMs: NOV_1 });
    const low = budgetStatus(payments, { monthStartMs: NOV_1, actualMicroUsd: 80 * USD - 1, forecastMicroUsd: 79 * USD });
    expect(low).toMatchObject({ actualCrossed: null, forecastCrossed: null });
  });

  it("rejects a budget without a positive limit, naming it", () => {
    expect(() => budgetStatus({ ...payments, monthlyMicroUsd: 0 }, { monthStartMs: NOV_1, actualMicroUsd: 0, forecastMicroUsd: 0 })).toThrow(CostBudgetError);
    expect(() => budgetStatus({ ...payments, alertAtRatios: [-1] }, { monthStartMs: NOV_1, actualMicroUsd: 0, forecastMicroUsd: 0 })).toThrow(/value:payments/);
  });
});

describe("budgetAlerts", () => {
  it("alerts actual for thresholds actual reached, forecast for those only the forecast reached", () => {
    const s = budgetStatus(payments, { monthStartMs: NOV_1, actualMicroUsd: 85 * USD, forecastMicroUsd: 120 * USD });
    const alerts = budgetAlerts([s], new Set());
    expect(alerts.map((a) => [a.kind, a.threshold, a.key])).toEqual([
      ["actual", 0.8, "tag:team|value:payments|2026-11|actual|0.8"],
      ["forecast", 1, "tag:team|value:payments|2026-11|forecast|1"],
    ]);
    expect(alerts[0]).toMatchObject({ actualMicroUsd: 85 * USD, forecastMicroUsd: 120 * USD, monthStartMs: NOV_1, budget: payments });
  });

  it("sends nothing twice, and no forecast alert once actual has reached that threshold", () => {
    const s = budgetStatus(payments, { monthStartMs: NOV_1, actualMicroUsd: 110 * USD, forecastMicroUsd: 150 * USD });
    const sent = new Set([budgetAlertKey(payments, NOV_1, "actual", 0.8), budgetAlertKey(payments, NOV_1, "forecast", 1)]);
    expect(budgetAlerts([s], sent).map((a) => a.key)).toEqual(["tag:team|value:payments|2026-11|actual|1"]);
  });

  it("a new month starts over; below every threshold there is nothing", () => {
    const dec = budgetStatus(payments, { monthStartMs: Date.UTC(2026, 11, 1), actualMicroUsd: 90 * USD, forecastMicroUsd: 90 * USD });
    const sentInNovember = new Set([budgetAlertKey(payments, NOV_1, "actual", 0.8)]);
    expect(budgetAlerts([dec], sentInNovember).map((a) => a.key)).toEqual(["tag:team|value:payments|2026-12|actual|0.8"]);
    const quiet = budgetStatus(payments, { monthStartMs: NOV_1, actualMicroUsd: 10 * USD, forecastMicroUsd: 50 * USD });
    expect(budgetAlerts([quiet], new Set())).toEqual([]);
  });
});
