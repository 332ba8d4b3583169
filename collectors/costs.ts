import { DAY_MS } from "@/lib/domain/shared/time";
import { CostExplorerSource } from "@/lib/adapters/aws/cost-explorer-source";
import { DynamoCostLineStore } from "@/lib/adapters/dynamodb/cost-repository";
import { DynamoCostSettingsStore } from "@/lib/adapters/dynamodb/cost-settings-repository";
import { createBudgetWebhookNotifier } from "@/lib/adapters/http/budget-notifier";
import { createWebhookSender } from "@/lib/adapters/http/webhook-sender";
import { collectCosts } from "@/lib/use-cases/collect-costs";
import { describeError } from "@/lib/use-cases/describe-error";
import { evaluateBudgets } from "@/lib/use-cases/evaluate-budgets";
import type { CollectorDefinition } from "@/collectors/_runtime/collector-definition";
import { collectorHandler } from "@/collectors/_runtime/collector-handler";

/**
 * Cost Explorer lines per account (account-wide: region "global", the client in us-east-1).
 * Every 6 hours: each run costs one $0.01 request per grouping and page, and re-reads only the
 * days Cost Explorer still marks Estimated. A first run reads at least COST_BACKFILL_DAYS (a
 * request costs the same for a day or a month). Then the budgets: each is allocated month to date
 * and projected, and a crossed threshold is sent once through the SLO webhooks.
 */
export const costsCollector: CollectorDefinition = {
  name: "costs",
  scope: "account",
  async collect(runtime, ctx) {
    const source = new CostExplorerSource(runtime.aws(ctx).costExplorer, ctx.warn);
    const store = new DynamoCostLineStore(runtime.doc, runtime.tableName);
    const tagKeys = runtime.config.COST_ALLOCATION_TAG_KEYS;
    const backfillFromMs = Math.min(ctx.backfillFromMs, ctx.nowMs - runtime.config.COST_BACKFILL_DAYS * DAY_MS);
    const result = await collectCosts({ source, store, watermarks: runtime.watermarks }, { ...ctx, backfillFromMs }, {
      allocationTagKeys: tagKeys,
      hourly: runtime.config.COST_HOURLY,
    });
    if (result.outcome !== "collected" && result.outcome !== "up-to-date") return result;
    try {
      const evaluation = await evaluateBudgets(
        {
          functions: runtime.functions,
          series: runtime.series,
          costLines: store,
          costSettings: new DynamoCostSettingsStore(runtime.doc, runtime.tableName),
          notifier: createBudgetWebhookNotifier({
            targets: runtime.config.SLO_WEBHOOKS,
            sender: createWebhookSender({ log: (message) => runtime.log.info(message) }),
            consoleUrl: runtime.config.SIGHTLINE_CONSOLE_URL ?? null,
          }),
        },
        { accountId: ctx.accountId, nowMs: ctx.nowMs, tagKeys, warn: ctx.warn },
      );
      if (evaluation.statuses.length === 0) return result;
      const budgets = `${evaluation.statuses.length} ${evaluation.statuses.length === 1 ? "budget" : "budgets"} checked, ${evaluation.sent} ${evaluation.sent === 1 ? "alert" : "alerts"} sent`;
      return { ...result, note: result.note ? `${result.note}; ${budgets}` : budgets };
    } catch (error) {
      // The lines are stored and the watermark moved: a budget failure must not undo that.
      ctx.warn(`budgets not evaluated: ${describeError(error)}`);
      return result;
    }
  },
};

/** Lambda entry point (EventBridge Scheduler). */
export const handler = collectorHandler(costsCollector);
