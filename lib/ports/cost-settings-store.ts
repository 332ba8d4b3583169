import type { CostSettings } from "@/lib/domain/cost/cost-types";

/**
 * Finance's cost settings (shared-cost pools, budgets, free tier) and the budget alerts
 * already sent. One settings document per installation, replaced whole; alerts are
 * append-only markers so a budget threshold is announced once per month.
 */
export interface CostSettingsStore {
  /** The stored settings, or the defaults (DEFAULT_COST_SETTINGS) when none were saved. */
  get(): Promise<CostSettings>;
  /** Replaces the settings (already validated by parseCostSettings); returns what was stored. */
  put(settings: CostSettings, meta: { updatedBy: string; atMs: number }): Promise<CostSettings>;
  /** Keys of the budget alerts already sent for the month starting at monthStartMs. */
  sentAlertKeys(monthStartMs: number): Promise<Set<string>>;
  /** Records an alert as sent; false when it had already been recorded (another run sent it). */
  recordSentAlert(key: string, monthStartMs: number, atMs: number): Promise<boolean>;
}
