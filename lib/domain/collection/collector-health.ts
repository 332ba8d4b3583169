import { collectorCadenceMinutes, collectorWatermarkTrail, type CadenceSettings } from "@/lib/domain/collection/collector-cadence";
import type { CollectorName, CollectorRun } from "@/lib/domain/collection/collector-run";
import { MINUTE_MS } from "@/lib/domain/shared/time";

/**
 * The health of one collector in one account/region, worst first:
 * - `failing`: its latest run failed;
 * - `lagging`: it has not succeeded within the tolerated number of runs, or its data is
 *   further behind now than its design allows;
 * - `never-run`: no run is recorded at all;
 * - `healthy`: otherwise.
 */
export const COLLECTOR_HEALTH_STATUSES = ["failing", "lagging", "never-run", "healthy"] as const;
export type CollectorHealthStatus = (typeof COLLECTOR_HEALTH_STATUSES)[number];

/** Why a collector counts as lagging. */
export type LaggingCause = "no-recent-success" | "data-behind";

/** Scheduled runs that may pass without a success (late, slow, retried) before a collector lags. */
export const MISSED_RUNS_TOLERATED = 3;

/** Slack on top, in minutes: run duration and scheduler jitter (a pass starts a few seconds after the minute; a backfill pass takes minutes). */
export const RUN_SLACK_MINUTES = 5;

/** The limits beyond which a collector counts as lagging (ms). */
export interface HealthLimits {
  /** The longest time since the last success: MISSED_RUNS_TOLERATED × cadence + slack. */
  successAgeLimitMs: number;
  /**
   * The largest lag of the data behind now: the designed watermark trail (+ settle where the
   * collector settles) + MISSED_RUNS_TOLERATED × cadence + slack. Null when the collector's
   * watermark is no freshness measure (costs).
   */
  lagLimitMs: number | null;
}

/**
 * The lagging limits of a collector, given the SETTLE_MINUTES and the cadence settings
 * (METRICS_CADENCE_MINUTES) the collectors run with: a collector is late by its configured
 * cadence, not the default one.
 */
export function healthLimits(collector: CollectorName, settleMinutes: number, cadence: CadenceSettings): HealthLimits {
  const toleratedMinutes = MISSED_RUNS_TOLERATED * collectorCadenceMinutes(collector, cadence) + RUN_SLACK_MINUTES;
  const trail = collectorWatermarkTrail(collector, cadence);
  return {
    successAgeLimitMs: toleratedMinutes * MINUTE_MS,
    lagLimitMs: trail === null ? null : (trail.minutes + (trail.plusSettle ? settleMinutes : 0) + toleratedMinutes) * MINUTE_MS,
  };
}

/** How far the collected data is behind now (ms, ≥ 0), or null before anything was collected. */
export function computeLagMs(throughMs: number | null, nowMs: number): number | null {
  return throughMs === null ? null : Math.max(0, nowMs - throughMs);
}

/**
 * How many of the newest runs failed in a row (runs newest first). Counts only the runs
 * given: with a bounded ledger read the true streak may be longer.
 */
export function countConsecutiveFailures(runsNewestFirst: readonly Pick<CollectorRun, "outcome">[]): number {
  let failures = 0;
  for (const run of runsNewestFirst) {
    if (run.outcome !== "failed") break;
    failures++;
  }
  return failures;
}

/** What is known about one collector in one account/region: its watermark and its recent runs. */
export interface CollectorHealthInput {
  collector: CollectorName;
  nowMs: number;
  /** Data up to here is collected (the watermark), null if never. */
  throughMs: number | null;
  /** The newest attempt (epoch ms), null if none is recorded. */
  lastAttemptMs: number | null;
  lastSuccessMs: number | null;
  /** The error of the latest attempt as the watermark holds it (cleared by a success). */
  lastError: string | null;
  /** Failed runs in a row, newest first, from the ledger. */
  consecutiveFailures: number;
  settleMinutes: number;
  /** The cadences the collectors are scheduled at (METRICS_CADENCE_MINUTES). */
  cadence: CadenceSettings;
}

export interface CollectorHealth {
  status: CollectorHealthStatus;
  /** Set when `status` is `lagging`. */
  laggingCause: LaggingCause | null;
  lagMs: number | null;
  limits: HealthLimits;
}

/**
 * Applies the status rules, first match wins:
 * 1. never-run — no attempt, success, error or failed run is recorded;
 * 2. failing — the watermark holds an error, or the newest ledger run failed (either record
 *    can be the one that got written when the table itself was failing);
 * 3. lagging (no-recent-success) — no success within MISSED_RUNS_TOLERATED × cadence + slack;
 * 4. lagging (data-behind) — now − watermark beyond the designed trail + the same tolerance
 *    (not for costs, whose watermark is no freshness measure);
 * 5. healthy.
 */
export function assessCollectorHealth(input: CollectorHealthInput): CollectorHealth {
  const limits = healthLimits(input.collector, input.settleMinutes, input.cadence);
  const lagMs = computeLagMs(input.throughMs, input.nowMs);
  const result = (status: CollectorHealthStatus, laggingCause: LaggingCause | null = null): CollectorHealth => ({ status, laggingCause, lagMs, limits });
  const recorded = input.lastAttemptMs !== null || input.lastSuccessMs !== null || input.lastError !== null || input.consecutiveFailures > 0;
  if (!recorded) return result("never-run");
  if (input.lastError !== null || input.consecutiveFailures > 0) return result("failing");
  if (input.lastSuccessMs === null || input.nowMs - input.lastSuccessMs > limits.successAgeLimitMs) return result("lagging", "no-recent-success");
  if (limits.lagLimitMs !== null && lagMs !== null && lagMs > limits.lagLimitMs) return result("lagging", "data-behind");
  return result("healthy");
}
