import { MAX_ALERT_RATIO, MAX_ALERT_RATIOS } from "@/lib/domain/cost/cost-settings";
import type { CostBudget, CostSettings } from "@/lib/domain/cost/cost-types";
import { usdAmountToMicroUsd, type MicroUsd } from "@/lib/domain/cost/micro-usd";

/**
 * A budget as a person types it — the CLI's `--monthly-usd 1200 --alert-at 80%,100%`, the
 * console's form — read exactly, and the settings with a budget set or removed. Shared so both
 * accept the same input and say the same thing about a mistake.
 */

/** The default alert thresholds of a budget: warn at 80 %, again when the limit is reached. */
export const DEFAULT_ALERT_AT_RATIOS: readonly number[] = [0.8, 1];

export type BudgetInput<T> = { kind: "ok"; value: T } | { kind: "invalid"; reason: string };

/** A positive USD amount ("1200", "1,200.50", "$1200"), read exactly into micro-USD. */
export function parseMonthlyUsd(text: string): BudgetInput<MicroUsd> {
  const cleaned = text.trim().replace(/^\$/, "").replace(/,(?=\d{3}(\D|$))/g, "");
  if (cleaned === "") return { kind: "invalid", reason: "give the monthly limit in USD, e.g. 1200" };
  const parsed = usdAmountToMicroUsd(cleaned);
  if (parsed.kind === "invalid" || !/^\+?\d*\.?\d*$/.test(cleaned)) return { kind: "invalid", reason: `must be an amount in USD like 1200 or 1200.50, got "${text.slice(0, 40)}"` };
  if (parsed.microUsd <= 0) return { kind: "invalid", reason: `must be more than 0, got "${text.slice(0, 40)}"` };
  return { kind: "ok", value: parsed.microUsd };
}

/** Comma-separated shares of the limit ("0.8,1") or percentages ("80%,100%"); ascending, each once. */
export function parseAlertAt(text: string): BudgetInput<number[]> {
  const ratios: number[] = [];
  for (const part of text.split(",").map((s) => s.trim())) {
    const match = /^(\d+(?:\.\d+)?|\.\d+)(%?)$/.exec(part);
    if (!match) return { kind: "invalid", reason: `must be shares of the limit like 0.8,1 (or 80%,100%), got "${text.slice(0, 60)}"` };
    const ratio = match[2] === "%" ? Number(match[1]) / 100 : Number(match[1]);
    if (!(ratio > 0 && ratio <= MAX_ALERT_RATIO)) return { kind: "invalid", reason: `each share must be more than 0 and at most ${MAX_ALERT_RATIO} (${MAX_ALERT_RATIO * 100}%), got "${part}"` };
    ratios.push(ratio);
  }
  const unique = [...new Set(ratios)].sort((a, b) => a - b);
  if (unique.length > MAX_ALERT_RATIOS) return { kind: "invalid", reason: `give at most ${MAX_ALERT_RATIOS} shares` };
  return { kind: "ok", value: unique };
}

/** The settings with a budget set (replacing the one of the same grouping and bucket), and where it is. */
export function withBudget(settings: CostSettings, budget: CostBudget): { settings: CostSettings; index: number } {
  const existing = settings.budgets.findIndex((b) => b.groupBy === budget.groupBy && b.bucket === budget.bucket);
  if (existing === -1) return { settings: { ...settings, budgets: [...settings.budgets, budget] }, index: settings.budgets.length };
  return { settings: { ...settings, budgets: settings.budgets.map((b, i) => (i === existing ? budget : b)) }, index: existing };
}

/** The settings without the budget of a grouping and bucket; null when there is none. */
export function withoutBudget(settings: CostSettings, groupBy: string, bucket: string): CostSettings | null {
  const budgets = settings.budgets.filter((b) => !(b.groupBy === groupBy && b.bucket === bucket));
  return budgets.length === settings.budgets.length ? null : { ...settings, budgets };
}
