import type { AlertNotificationEvent } from "@/lib/domain/slo/alert-lifecycle";
import { toSlackMessage, toWebhookJson } from "@/lib/domain/slo/alert-notification";
import type { SloSpec } from "@/lib/domain/slo/slo-definition";
import type { SloStatus } from "@/lib/domain/slo/slo-status";
import { redactUrl, type WebhookTarget } from "@/lib/domain/slo/webhook-targets";
import type { AlertNotifier } from "@/lib/ports/alert-notifier";
import type { WebhookSender } from "@/lib/adapters/http/webhook-sender";

/**
 * Sends each alert notification to every configured webhook in its format (JSON document or
 * Slack message). Delivered means every target accepted it: a failed target makes the
 * evaluator try the episode's notification again on its next run.
 */
export function createWebhookNotifier(options: { targets: readonly WebhookTarget[]; sender: WebhookSender; consoleUrl: string | null }): AlertNotifier {
  const { targets, sender, consoleUrl } = options;
  return {
    channelCount: targets.length,
    async deliver(event: AlertNotificationEvent, slo: SloSpec, status: SloStatus) {
      const context = { consoleUrl, budgetRemainingRatio: status.budgetRemainingRatio };
      const failures: string[] = [];
      for (const target of targets) {
        const body = target.format === "slack" ? toSlackMessage(event, slo, context) : toWebhookJson(event, slo, context);
        const result = await sender.send(target, body);
        if (!result.ok) failures.push(`${target.format} ${redactUrl(target.url)}: ${result.error}`);
      }
      return { delivered: failures.length === 0, error: failures.length === 0 ? null : failures.join("; ") };
    },
  };
}
