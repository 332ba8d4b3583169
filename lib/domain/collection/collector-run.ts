import type { TimeWindow } from "@/lib/domain/shared/time";
import type { ApiUsage } from "@/lib/domain/collection/api-usage";

/** Every collector, in the order a scheduled pass runs them (inventory first: the others read its functions). */
export const COLLECTOR_NAMES = ["inventory", "metrics", "logs-insights", "traces", "costs", "analyze", "slos"] as const;
export type CollectorName = (typeof COLLECTOR_NAMES)[number];

/** The region recorded for collectors of account-wide APIs (Cost Explorer). */
export const GLOBAL_REGION = "global";

/**
 * How a run ended. `up-to-date`: nothing new to collect yet; `skipped`: nothing to collect
 * from (no functions in the account/region); `partial`: stopped early but stored what it had
 * and moved its watermark that far (e.g. a time budget).
 */
export type RunOutcome = "collected" | "up-to-date" | "skipped" | "partial" | "failed";

/** One entry of the run ledger: what a collector run did, for one account and region. */
export interface CollectorRun {
  collector: CollectorName;
  accountId: string;
  region: string;
  /** The instant the run collected up to (the scheduled time; epoch ms). */
  nowMs: number;
  /** The source window it read, when it read one. */
  window: TimeWindow | null;
  startedAtMs: number;
  endedAtMs: number;
  apiUsage: ApiUsage;
  estimatedCostUsd: number;
  itemsWritten: number;
  /** Things skipped or degraded that did not fail the run (malformed lines, split queries, …). */
  warnings: string[];
  /** The error that failed the run (user-safe, one line), else null. */
  error: string | null;
  outcome: RunOutcome;
  /** The collector's one-line summary, e.g. "15 functions" or "3 days still estimated". */
  note: string | null;
}

/** The most warnings a ledger entry keeps; the rest are summarised in a final line. */
export const MAX_RUN_WARNINGS = 20;

/** Caps a warning list for storage, keeping the first ones and counting the rest. */
export function capWarnings(warnings: readonly string[]): string[] {
  if (warnings.length <= MAX_RUN_WARNINGS) return [...warnings];
  return [...warnings.slice(0, MAX_RUN_WARNINGS - 1), `… and ${warnings.length - MAX_RUN_WARNINGS + 1} more warnings`];
}

/** Where a collector got to for one account and region, and how its last run went. */
export interface Watermark {
  collector: string;
  accountId: string;
  region: string;
  /** Data up to this instant (exclusive, epoch ms) is collected; null before the first success. */
  throughMs: number | null;
  /**
   * Where the collected data starts (epoch ms): the backfill's reach of the run that first
   * stored data. Views divide "per day" figures by the time actually collected, not by a
   * range that reaches further back. Null until a run stores something.
   */
  sinceMs: number | null;
  /** 0 when only the watermark was ever moved (no outcome recorded yet). */
  lastAttemptMs: number;
  lastSuccessMs: number | null;
  /** The last run's error, cleared by the next success. */
  lastError: string | null;
}
