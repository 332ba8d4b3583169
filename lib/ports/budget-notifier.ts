import type { BudgetAlert } from "@/lib/domain/cost/cost-types";

/** Delivers budget alerts (webhooks); says whether every channel took it. */
export interface BudgetNotifier {
  /** How many channels are configured (0: nothing is sent, alerts are only recorded). */
  readonly channelCount: number;
  deliver(alert: BudgetAlert): Promise<{ delivered: boolean; error: string | null }>;
}
