import { errorBudgetOf } from "@/lib/domain/slo/slo-definition";

/**
 * The SLO arithmetic of the Google SRE Workbook, ch. 5 "Alerting on SLOs" (FACTS.md §1):
 * error ratio, burn rate, budget consumed and remaining, time to exhaustion and time to
 * detect. Pure numbers in, numbers out; `null` means "cannot say" (no events, or a burn that
 * never ends the budget / never reaches a threshold), never NaN.
 *
 * Objectives are ratios in (0, 1), e.g. 0.999 for 99.9 %. `1 − objective` carries float noise
 * (1 − 0.999 = 0.0010000000000000009), so threshold comparisons go through
 * `meetsBurnRateThreshold`, which forgives a relative error far below any real signal.
 */

/** Relative slack for threshold comparisons: absorbs float noise, never a real difference. */
const THRESHOLD_RELATIVE_TOLERANCE = 1e-9;

/** The error budget of `objective`, refusing objectives that have none (0 or 1) or make no sense. */
function budgetOf(objective: number): number {
  if (!(objective > 0 && objective < 1)) {
    throw new RangeError(`objective must be a ratio in (0, 1), e.g. 0.999; got ${objective}`);
  }
  return errorBudgetOf(objective);
}

/**
 * Bad events / total events, where bad = total − good. `null` when there were no events
 * (a ratio of nothing is unknown, not 0). Clamped to [0, 1] so float noise from pro-rata
 * sums (good a hair above total) never yields a negative ratio.
 */
export function computeErrorRatio(good: number, total: number): number | null {
  if (!(total > 0)) return null;
  const ratio = (total - good) / total;
  return Math.min(1, Math.max(0, ratio));
}

/**
 * How many times faster than sustainable the budget is being spent: errorRatio / (1 −
 * objective). 1 spends exactly the budget over the SLO period; 14.4 spends a 30-day budget
 * in 50 hours.
 */
export function computeBurnRate(errorRatio: number, objective: number): number {
  return errorRatio / budgetOf(objective);
}

/**
 * Whether `burnRate` reaches `threshold`, forgiving float noise: an error ratio of exactly
 * 1.44 % at 99.9 % computes as a burn of 14.399999999999986, and must still count as 14.4.
 */
export function meetsBurnRateThreshold(burnRate: number, threshold: number): boolean {
  return burnRate >= threshold * (1 - THRESHOLD_RELATIVE_TOLERANCE);
}

/**
 * The share of the period's budget spent by the time an alert on `windowMs` fires at
 * `burnRate`: burnRate × window / period (14.4 × 1 h / 30 d = 0.02). Both durations in ms.
 */
export function budgetConsumedAtFiring(burnRate: number, windowMs: number, periodMs: number): number {
  return (burnRate * windowMs) / periodMs;
}

/**
 * The budget left, as a ratio of the whole budget: 1 − errorRatio / (1 − objective), with
 * the error ratio over the events counted so far (FACTS.md §1). 1 is untouched, 0 is spent,
 * below 0 is overspent (−1 means twice the budget went). `null` without events.
 */
export function computeBudgetRemaining(good: number, total: number, objective: number): number | null {
  const errorRatio = computeErrorRatio(good, total);
  if (errorRatio === null) return null;
  return 1 - computeBurnRate(errorRatio, objective);
}

/**
 * How long the remaining budget lasts if `burnRate` holds: remaining × period / burnRate
 * (burn 1000 at 30 days empties a full budget in 43.2 minutes). A burn of b spends b / period
 * of the budget per ms, assuming traffic keeps its rate.
 *
 * 0 when the budget is already spent (remaining ≤ 0, whatever the burn); `null` when the
 * burn is 0 or negative, i.e. the budget never runs out at this rate.
 */
export function timeToExhaustionMs(budgetRemainingRatio: number, burnRate: number, periodMs: number): number | null {
  if (budgetRemainingRatio <= 0) return 0;
  if (!(burnRate > 0)) return null;
  return (budgetRemainingRatio * periodMs) / burnRate;
}

/**
 * The Workbook's "time to detect": how long a constant `errorRatio`, starting after a window
 * with no errors, takes to push the burn rate over `longWindowMs` up to
 * `burnRateThreshold`. The window's ratio grows as errorRatio × t / window, so the alert
 * fires at t = (1 − objective) / errorRatio × window × threshold
 * (100 % errors at 99.9 %, 1 h, 14.4 → 0.864 min).
 *
 * `null` when the ratio never gets there: errorRatio < threshold × (1 − objective), or no
 * errors at all. Never longer than the window (the window is then full of the new ratio).
 */
export function detectionTimeMs(errorRatio: number, objective: number, longWindowMs: number, burnRateThreshold: number): number | null {
  if (!(errorRatio > 0)) return null;
  const burnRate = computeBurnRate(errorRatio, objective);
  if (!meetsBurnRateThreshold(burnRate, burnRateThreshold)) return null;
  return Math.min(longWindowMs, (budgetOf(objective) / errorRatio) * longWindowMs * burnRateThreshold);
}
