import type { BudgetAlert, BudgetStatus, CostBudget } from "@/lib/domain/cost/cost-types";
import type { MicroUsd } from "@/lib/domain/cost/micro-usd";

/**
 * Monthly budgets per allocation (issue 8): where a bucket's month stands against its limit,
 * and which notifications are due. Pure evaluation; sending (webhooks) and remembering what was
 * sent live elsewhere — `alreadySent` holds the keys of alerts sent before.
 *
 * A threshold t of a limit L is reached when amount ≥ round(t × L) µUSD (rounded once, so 0.8 of
 * $100 is exactly 80,000,000 µUSD whatever binary 0.8 is).
 */

export class CostBudgetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CostBudgetError";
  }
}

/** The µUSD amount at which `threshold` of the budget is reached. */
function thresholdMicroUsd(budget: CostBudget, threshold: number): MicroUsd {
  return Math.round(threshold * budget.monthlyMicroUsd);
}

function validate(budget: CostBudget): void {
  if (!Number.isSafeInteger(budget.monthlyMicroUsd) || budget.monthlyMicroUsd <= 0) {
    throw new CostBudgetError(`budget ${budget.groupBy}|${budget.bucket}: monthlyMicroUsd must be a positive integer, got ${budget.monthlyMicroUsd}`);
  }
  for (const ratio of budget.alertAtRatios) {
    if (!Number.isFinite(ratio) || ratio <= 0) throw new CostBudgetError(`budget ${budget.groupBy}|${budget.bucket}: alertAtRatios holds ${ratio}, not a positive number`);
  }
}

/** The thresholds of a budget, ascending, without repeats. */
function thresholdsOf(budget: CostBudget): number[] {
  return [...new Set(budget.alertAtRatios)].sort((a, b) => a - b);
}

/**
 * A budget's month: actual and forecast month-end cost against the limit, and the highest
 * threshold each has reached (null = none).
 */
export function budgetStatus(budget: CostBudget, input: { monthStartMs: number; actualMicroUsd: MicroUsd; forecastMicroUsd: MicroUsd }): BudgetStatus {
  validate(budget);
  const highest = (amount: MicroUsd) => thresholdsOf(budget).filter((t) => amount >= thresholdMicroUsd(budget, t)).pop() ?? null;
  return {
    budget,
    monthStartMs: input.monthStartMs,
    actualMicroUsd: input.actualMicroUsd,
    forecastMicroUsd: input.forecastMicroUsd,
    actualRatio: input.actualMicroUsd / budget.monthlyMicroUsd,
    forecastRatio: input.forecastMicroUsd / budget.monthlyMicroUsd,
    actualCrossed: highest(input.actualMicroUsd),
    forecastCrossed: highest(input.forecastMicroUsd),
  };
}

/** `<groupBy>|<bucket>|<YYYY-MM>|<kind>|<threshold>`: the dedupe key of an alert (threshold as written, e.g. 0.8). */
export function budgetAlertKey(budget: Pick<CostBudget, "groupBy" | "bucket">, monthStartMs: number, kind: BudgetAlert["kind"], threshold: number): string {
  const month = new Date(monthStartMs).toISOString().slice(0, 7);
  return `${budget.groupBy}|${budget.bucket}|${month}|${kind}|${threshold}`;
}

/**
 * The alerts due: for every threshold, "actual" when actual has reached it, else "forecast"
 * when the forecast has (a forecast alert says "you will", so it is moot once actual has); one
 * per threshold and kind, minus those in `alreadySent`. In the order of the statuses, then
 * threshold ascending.
 */
export function budgetAlerts(statuses: readonly BudgetStatus[], alreadySent: ReadonlySet<string>): BudgetAlert[] {
  const alerts: BudgetAlert[] = [];
  for (const status of statuses) {
    const { budget } = status;
    validate(budget);
    for (const threshold of thresholdsOf(budget)) {
      const at = thresholdMicroUsd(budget, threshold);
      const kind: BudgetAlert["kind"] | null = status.actualMicroUsd >= at ? "actual" : status.forecastMicroUsd >= at ? "forecast" : null;
      if (kind === null) continue;
      const key = budgetAlertKey(budget, status.monthStartMs, kind, threshold);
      if (alreadySent.has(key)) continue;
      alerts.push({
        budget,
        monthStartMs: status.monthStartMs,
        threshold,
        kind,
        actualMicroUsd: status.actualMicroUsd,
        forecastMicroUsd: status.forecastMicroUsd,
        key,
      });
    }
  }
  return alerts;
}
