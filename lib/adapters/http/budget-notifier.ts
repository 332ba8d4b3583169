import { toBudgetSlackMessage, toBudgetWebhookJson } from "@/lib/domain/cost/budget-notification";
import type { BudgetAlert } from "@/lib/domain/cost/cost-types";
import { redactUrl, type WebhookTarget } from "@/lib/domain/slo/webhook-targets";
import type { BudgetNotifier } from "@/lib/ports/budget-notifier";
import type { WebhookSender } from "@/lib/adapters/http/webhook-sender";

/**
 * Sends each budget alert to every configured webhook (SLO_WEBHOOKS: the same channels as SLO
 * alerts) in its format (JSON document or Slack message), through the shared sender (retries,
 * timeouts, secret-safe errors). Delivered means every target accepted it; on a failure the
 * caller should not record the alert as sent, so the next run tries again (receivers
 * deduplicate on the document's dedupKey if one target got it twice).
 */
export function createBudgetWebhookNotifier(options: { targets: readonly WebhookTarget[]; sender: WebhookSender; consoleUrl: string | null }): BudgetNotifier {
  const { targets, sender, consoleUrl } = options;
  return {
    channelCount: targets.length,
    async deliver(alert: BudgetAlert) {
      const context = { consoleUrl };
      const failures: string[] = [];
      for (const target of targets) {
        const body = target.format === "slack" ? toBudgetSlackMessage(alert, context) : toBudgetWebhookJson(alert, context);
        const result = await sender.send(target, body);
        if (!result.ok) failures.push(`${target.format} ${redactUrl(target.url)}: ${result.error}`);
      }
      return { delivered: failures.length === 0, error: failures.length === 0 ? null : failures.join("; ") };
    },
  };
}
