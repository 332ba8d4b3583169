import { DAY_MS, MINUTE_MS } from "@/lib/domain/shared/time";
import { DynamoServiceGraphStore } from "@/lib/adapters/dynamodb/service-graph-repository";
import { DynamoSloStore } from "@/lib/adapters/dynamodb/slo-repository";
import { createWebhookNotifier } from "@/lib/adapters/http/webhook-notifier";
import { createWebhookSender } from "@/lib/adapters/http/webhook-sender";
import { evaluateSlos } from "@/lib/use-cases/evaluate-slos";
import type { CollectorDefinition } from "@/collectors/_runtime/collector-definition";
import { collectorHandler } from "@/collectors/_runtime/collector-handler";

/**
 * After collection: every SLO of the account/region evaluated at the end of the metrics
 * (budget, burn rates, page/ticket alerts), with webhook notifications (SLO_WEBHOOKS). Reads
 * only the table, so it costs no AWS calls.
 */
export const slosCollector: CollectorDefinition = {
  name: "slos",
  scope: "region",
  collect: (runtime, ctx) =>
    evaluateSlos(
      {
        slos: new DynamoSloStore(runtime.doc, runtime.tableName),
        functions: runtime.functions,
        series: runtime.series,
        graphs: new DynamoServiceGraphStore(runtime.doc, runtime.tableName),
        watermarks: runtime.watermarks,
        notifier: createWebhookNotifier({
          targets: runtime.config.SLO_WEBHOOKS,
          sender: createWebhookSender({ log: (message) => runtime.log.info(message) }),
          consoleUrl: runtime.config.SIGHTLINE_CONSOLE_URL ?? null,
        }),
        minuteHistoryMs: runtime.config.METRICS_MINUTE_DAYS * DAY_MS,
        settleMs: runtime.config.SETTLE_MINUTES * MINUTE_MS,
      },
      ctx,
    ),
};

/** Lambda entry point (EventBridge Scheduler, at the metrics' cadence: METRICS_CADENCE_MINUTES). */
export const handler = collectorHandler(slosCollector);
