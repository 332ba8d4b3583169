import { budgetAlerts, budgetStatus } from "@/lib/domain/cost/cost-budgets";
import { forecastMonthEnd } from "@/lib/domain/cost/cost-forecast";
import { bucketId, type BudgetStatus, type CostGroupBy, type DailySeries } from "@/lib/domain/cost/cost-types";
import { DAY_MS } from "@/lib/domain/shared/time";
import type { BudgetNotifier } from "@/lib/ports/budget-notifier";
import type { CostSettingsStore } from "@/lib/ports/cost-settings-store";
import { allocateDays, readCostLines, type CostInputDeps } from "@/lib/use-cases/cost-inputs";

/**
 * Budgets per allocation (issue 8): after each costs run, every budget's bucket is allocated
 * month to date exactly as the cost view does, projected to month-end, and each threshold
 * crossed (by actual, or by forecast) is announced once per month through the webhook channel
 * of the SLO alerts. An alert is recorded as sent only after every channel took it, so a
 * failed delivery is tried again on the next run.
 */

export interface EvaluateBudgetsDeps extends CostInputDeps {
  costSettings: Pick<CostSettingsStore, "get" | "sentAlertKeys" | "recordSentAlert">;
  notifier: BudgetNotifier;
}

export interface BudgetEvaluation {
  statuses: BudgetStatus[];
  sent: number;
  failed: number;
}

/** Days read before the month for the forecast's day-of-week baseline. */
const FORECAST_LOOKBACK_DAYS = 14;

function monthStartOf(epochMs: number): number {
  const d = new Date(epochMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** `tag:team` / `service` as a grouping; null for a key no longer configured. */
function groupByOf(text: string, tagKeys: readonly string[]): CostGroupBy | null {
  if (text === "service") return { kind: "service" };
  const key = text.startsWith("tag:") ? text.slice(4) : null;
  return key !== null && tagKeys.includes(key) ? { kind: "tag", key } : null;
}

export async function evaluateBudgets(
  deps: EvaluateBudgetsDeps,
  ctx: { accountId: string; nowMs: number; tagKeys: readonly string[]; warn: (message: string) => void },
): Promise<BudgetEvaluation> {
  const settings = await deps.costSettings.get();
  if (settings.budgets.length === 0) return { statuses: [], sent: 0, failed: 0 };
  const todayMs = Math.floor(ctx.nowMs / DAY_MS) * DAY_MS;
  // On the 1st the month just ended is still settling; budgets follow the month of today.
  const monthStartMs = monthStartOf(todayMs);
  const window = { fromMs: monthStartMs - FORECAST_LOOKBACK_DAYS * DAY_MS, toMs: todayMs + DAY_MS };
  const read = await readCostLines(deps, { accountId: ctx.accountId, window, tagKeys: ctx.tagKeys });
  const present = new Set(read.days.map((d) => d.dayMs));
  const statuses: BudgetStatus[] = [];
  const byGroup = new Map<string, ReturnType<typeof allocateDays>>();
  for (const budget of settings.budgets) {
    const groupBy = groupByOf(budget.groupBy, ctx.tagKeys);
    if (groupBy === null) {
      ctx.warn(`budget on ${budget.groupBy} ${budget.bucket} skipped: ${budget.groupBy} is not a configured grouping (COST_ALLOCATION_TAG_KEYS)`);
      continue;
    }
    let days = byGroup.get(budget.groupBy);
    if (!days) byGroup.set(budget.groupBy, (days = allocateDays(read, groupBy, settings.pools)));
    const values = new Map<number, number>();
    for (const day of days) {
      for (const row of day.rows) if (bucketId(row.bucket) === budget.bucket) values.set(day.dayMs, (values.get(day.dayMs) ?? 0) + row.microUsd);
    }
    const series: DailySeries = { id: budget.bucket, days: [] };
    for (let d = window.fromMs; d < todayMs; d += DAY_MS) series.days.push({ dayMs: d, value: present.has(d) ? (values.get(d) ?? 0) : null });
    const forecast = forecastMonthEnd(series, { asOfMs: todayMs, monthStartMs });
    statuses.push(budgetStatus(budget, { monthStartMs, actualMicroUsd: forecast.actualMicroUsd, forecastMicroUsd: forecast.forecastMicroUsd.expected }));
  }
  const alerts = budgetAlerts(statuses, await deps.costSettings.sentAlertKeys(monthStartMs));
  let sent = 0;
  let failed = 0;
  if (deps.notifier.channelCount === 0) {
    if (alerts.length > 0) ctx.warn(`${alerts.length} budget ${alerts.length === 1 ? "threshold" : "thresholds"} crossed, but no webhook is configured (SLO_WEBHOOKS)`);
    return { statuses, sent, failed };
  }
  for (const alert of alerts) {
    const result = await deps.notifier.deliver(alert);
    if (!result.delivered) {
      failed++;
      ctx.warn(`budget alert ${alert.key} not delivered: ${result.error}`);
      continue;
    }
    if (await deps.costSettings.recordSentAlert(alert.key, monthStartMs, ctx.nowMs)) sent++;
  }
  return { statuses, sent, failed };
}
