import type { CauseCandidate, CostAnomaly, DailySeries } from "@/lib/domain/cost/cost-types";
import { DAY_MS } from "@/lib/domain/shared/time";

/**
 * Cost anomalies (issue 8): a day whose cost (of an allocation bucket) or unit cost (of a
 * function, per invocation) is far from what its recent history and its day of the week
 * predict, with its likely cause.
 *
 * Method — built for short history (Cost Explorer keeps resource-level data 14 days; a new
 * account has days, not months):
 * 1. Baseline of day D, from the days before D only: the level is the median of the non-empty
 *    days in the trailing window [D − 14 d, D); the day-of-week factor of D's weekday is the
 *    median, over the window's days of that weekday, of value / level — estimated only once the
 *    window's history reaches back a week (else 1), and 1 for a weekday it has not seen.
 *    baseline = level × factor. Medians make one 30× day unable to move the level.
 * 2. Residual scale: 1.4826 × the median absolute deviation of the window's residuals
 *    (value − level × factor of its weekday): a robust σ, never below 2 % of the baseline (a
 *    flat history would make any change infinitely many σ); the reported score is capped at 1000.
 * 3. A day is an anomaly when ALL hold (DEFAULT_ANOMALY_THRESHOLDS):
 *    - it has ≥ 3 earlier days of history;
 *    - relative size: |actual − baseline| ≥ 50 % of the baseline (any change from a 0 baseline);
 *    - it stands out from the noise: |actual − baseline| ≥ 3 robust σ;
 *    - absolute size: |actual − baseline| ≥ minAbsoluteDelta (defaults: $1 a day for cost,
 *      $0.0000001 per invocation — $0.10 per million — for unit cost).
 *    Both relative tests are required because with one or two weeks the in-sample σ is
 *    small (each weekday's factor is fitted to its own one or two days), so 3 σ alone would
 *    flag ordinary busy days; 50 % keeps a Friday flash sale (2.5× for 45 min: ≈ +7 % on the
 *    day in the ecommerce scenario), error bursts (25 min, no visible cost) and the 20 % weekend
 *    dip far below the bar, and tolerates day-to-day noise up to ≈ ±15 % even when a weekday's
 *    factor rests on one noisy day; a re-index at 30× (+2,900 %) is far above it. The absolute
 *    floor keeps cents-a-day buckets quiet.
 * 4. Days are scanned oldest first; an anomalous day (reported, or not reported because it is
 *    before `flagFromMs` or has only 1–2 earlier days, judged against their median) is left out
 *    of every later day's baseline, so one anomaly cannot poison the next week's same weekday,
 *    whose factor rests on one or two days.
 * 5. Likely cause: among the day's candidates (functions, usage types, services of the bucket)
 *    moving in the anomaly's direction, the one with the largest |actual − baseline|, with
 *    deltaShare = its delta / the anomaly's delta (0..1); none when it explains < 20 %.
 */

export const DEFAULT_ANOMALY_THRESHOLDS = {
  /** Trailing days the level and weekday factors are estimated from. */
  trailingDays: 14,
  /** Days of history (before the day) needed before a day can be flagged. */
  minHistoryDays: 3,
  /** Days the trailing window must reach back before weekday factors are estimated (else 1). */
  minDaysForWeekdayFactor: 7,
  /** |delta| / baseline at least this. */
  minRelativeDelta: 0.5,
  /** |delta| / robust σ at least this. */
  minScore: 3,
  /** Default absolute floors: µUSD per day for cost, USD per invocation for unit cost. */
  minAbsoluteDeltaMicroUsd: 1_000_000,
  minAbsoluteDeltaUsdPerInvocation: 0.0000001,
  /** The likely cause must explain at least this share of the delta. */
  minCauseShare: 0.2,
} as const;

/** Scale of a normal distribution's σ from its median absolute deviation. */
const MAD_TO_SIGMA = 1.4826;
/** σ never below this share of the baseline (a flat synthetic history would make any change infinite σ). */
const MIN_SCALE_RATIO = 0.02;
/** Scores are capped here (a zero baseline with zero noise). */
const MAX_SCORE = 1000;

/** The fitted profile of a history: level, a factor per weekday (0 = Sunday), robust σ. */
export interface SeasonalProfile {
  level: number;
  weekdayFactors: number[];
  residualScale: number;
  historyDays: number;
  /** Whether the history reached back a week and weekday factors were estimated. */
  weekly: boolean;
}

/** UTC weekday of a day, 0 = Sunday. */
export function weekdayOf(dayMs: number): number {
  return new Date(dayMs).getUTCDay();
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Level, weekday factors and robust residual σ of the non-empty days of `series` in
 * [beforeMs − trailingDays, beforeMs); null when there is none. See the module comment.
 */
export function fitSeasonalProfile(series: DailySeries, beforeMs: number, trailingDays: number = DEFAULT_ANOMALY_THRESHOLDS.trailingDays): SeasonalProfile | null {
  const fromMs = beforeMs - trailingDays * DAY_MS;
  const history = series.days.filter((d): d is { dayMs: number; value: number } => d.value !== null && d.dayMs >= fromMs && d.dayMs < beforeMs);
  if (history.length === 0) return null;
  const level = median(history.map((d) => d.value));
  const weekdayFactors = [1, 1, 1, 1, 1, 1, 1];
  const earliestMs = Math.min(...history.map((d) => d.dayMs));
  const weekly = level > 0 && beforeMs - earliestMs >= DEFAULT_ANOMALY_THRESHOLDS.minDaysForWeekdayFactor * DAY_MS;
  if (weekly) {
    for (let weekday = 0; weekday < 7; weekday++) {
      const ratios = history.filter((d) => weekdayOf(d.dayMs) === weekday).map((d) => d.value / level);
      if (ratios.length > 0) weekdayFactors[weekday] = median(ratios);
    }
  }
  const residuals = history.map((d) => d.value - level * weekdayFactors[weekdayOf(d.dayMs)]!);
  const center = median(residuals);
  const residualScale = MAD_TO_SIGMA * median(residuals.map((r) => Math.abs(r - center)));
  return { level, weekdayFactors, residualScale, historyDays: history.length, weekly };
}

/**
 * What the day-of-week baseline expects on `dayMs`, from the days before it only: level of the
 * trailing 14 days × the weekday factor; null without any earlier day.
 */
export function seasonalBaseline(series: DailySeries, dayMs: number): { baseline: number; residualScale: number; historyDays: number } | null {
  const profile = fitSeasonalProfile(series, dayMs);
  if (profile === null) return null;
  return { baseline: profile.level * profile.weekdayFactors[weekdayOf(dayMs)]!, residualScale: profile.residualScale, historyDays: profile.historyDays };
}

export interface DetectAnomaliesOptions {
  metric: "cost" | "unit-cost";
  /** Only days ≥ this are reported (earlier days are still scanned so they can be left out of baselines). */
  flagFromMs: number;
  /** Least |actual − baseline| worth a flag: µUSD for cost, USD per invocation for unit cost. */
  minAbsoluteDelta: number;
  /** What moved inside the series on a day: candidates for the likely cause. */
  causes?: (dayMs: number) => readonly CauseCandidate[];
}

/** The anomalies of a series, oldest first. See the module comment for the method and thresholds. */
export function detectAnomalies(series: DailySeries, options: DetectAnomaliesOptions): CostAnomaly[] {
  return scanAnomalies(series, options.minAbsoluteDelta).flatMap(({ index, baseline, residualScale, reportable }) => {
    const { dayMs, value } = series.days[index]!;
    if (!reportable || dayMs < options.flagFromMs || value === null) return [];
    const delta = value - baseline;
    const scale = Math.max(residualScale, Math.abs(baseline) * MIN_SCALE_RATIO, Number.MIN_VALUE);
    const anomaly: CostAnomaly = {
      seriesId: series.id,
      metric: options.metric,
      dayMs,
      direction: delta > 0 ? "up" : "down",
      actual: value,
      baseline,
      delta,
      ratio: baseline !== 0 ? value / baseline : null,
      score: Math.min(MAX_SCORE, Math.abs(delta) / scale),
      likelyCause: likelyCause(delta, options.causes?.(dayMs) ?? []),
    };
    return [anomaly];
  });
}

/**
 * Scans oldest first and returns the anomalous days (index in series.days, the baseline they
 * were judged against, and whether they had the history to be reported); each is removed from
 * the history later days see. Days with 1–2 earlier days are judged too — against the median of
 * those — so that a spike on the second day of data cannot become next week's weekday factor;
 * they are only not reported (`reportable: false`).
 */
export function scanAnomalies(
  series: DailySeries,
  minAbsoluteDelta: number,
): { index: number; baseline: number; residualScale: number; reportable: boolean }[] {
  const t = DEFAULT_ANOMALY_THRESHOLDS;
  const working: DailySeries = { id: series.id, days: series.days.map((d) => ({ ...d })) };
  const found: { index: number; baseline: number; residualScale: number; reportable: boolean }[] = [];
  working.days.forEach((day, index) => {
    if (day.value === null) return;
    const expected = seasonalBaseline(working, day.dayMs);
    if (expected === null) return;
    const size = Math.abs(day.value - expected.baseline);
    const relative = expected.baseline !== 0 ? size / Math.abs(expected.baseline) >= t.minRelativeDelta : size > 0;
    const scale = Math.max(expected.residualScale, Math.abs(expected.baseline) * MIN_SCALE_RATIO);
    const standsOut = size >= t.minScore * scale;
    if (relative && standsOut && size >= minAbsoluteDelta) {
      found.push({ index, baseline: expected.baseline, residualScale: expected.residualScale, reportable: expected.historyDays >= t.minHistoryDays });
      day.value = null;
    }
  });
  return found;
}

/** The candidate moving most in the anomaly's direction, if it explains ≥ 20 % of it. */
function likelyCause(delta: number, candidates: readonly CauseCandidate[]): CostAnomaly["likelyCause"] {
  let best: CauseCandidate | null = null;
  let bestDelta = 0;
  for (const c of candidates) {
    const moved = c.actualMicroUsd - c.baselineMicroUsd;
    if (Math.sign(moved) !== Math.sign(delta) || moved === 0) continue;
    if (best === null || Math.abs(moved) > Math.abs(bestDelta) || (Math.abs(moved) === Math.abs(bestDelta) && c.name < best.name)) {
      best = c;
      bestDelta = moved;
    }
  }
  if (best === null || delta === 0) return null;
  const deltaShare = Math.min(1, Math.max(0, bestDelta / delta));
  return deltaShare >= DEFAULT_ANOMALY_THRESHOLDS.minCauseShare ? { ...best, deltaShare } : null;
}
