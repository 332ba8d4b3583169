import type { AlertNotificationEvent } from "@/lib/domain/slo/alert-lifecycle";
import type { SloSpec } from "@/lib/domain/slo/slo-definition";
import type { SloStatus } from "@/lib/domain/slo/slo-status";

/** Delivers SLO alert notifications (webhooks); says whether every channel took it. */
export interface AlertNotifier {
  /** How many channels are configured (0: nothing is sent, alerts are only recorded). */
  readonly channelCount: number;
  deliver(event: AlertNotificationEvent, slo: SloSpec, status: SloStatus): Promise<{ delivered: boolean; error: string | null }>;
}
