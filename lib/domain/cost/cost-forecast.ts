import { DEFAULT_ANOMALY_THRESHOLDS, fitSeasonalProfile, scanAnomalies, weekdayOf } from "@/lib/domain/cost/cost-anomalies";
import type { CostForecast, DailySeries } from "@/lib/domain/cost/cost-types";
import type { MicroUsd } from "@/lib/domain/cost/micro-usd";
import { DAY_MS } from "@/lib/domain/shared/time";

/**
 * Month-end forecast of one series (a bucket's daily µUSD, or the total): the month's complete
 * days as they are, plus the rest of the month projected day by day with the day-of-week
 * baseline of the last up to 14 complete days, and a 90 % range.
 *
 * - History: the up to 14 complete days before asOf, anomalous days left out first (the same
 *   scan as cost-anomalies.ts, without an absolute floor), so one 30× day neither lifts the
 *   level nor its weekday's factor. Level = median; weekday factors = median of value / level
 *   per weekday once the history reaches back a week (else 1) — as in `fitSeasonalProfile`.
 * - Each remaining day d: level × factor(weekday d).
 * - Range: expected ± 1.64 σ √(remaining days) (a 90 % band for independent daily errors), σ
 *   = the robust residual σ, but at least 5 % of the level (20 % with under a week of history,
 *   when the residuals say little); lower never below actual, never below 0.
 * - Amounts are rounded once to µUSD.
 */

/** z of a two-sided 90 % band. */
export const FORECAST_Z = 1.64;
/** σ floors as a share of the level: with a week of history or more, and with less. */
const MIN_SIGMA_RATIO = 0.05;
const MIN_SIGMA_RATIO_SHORT_HISTORY = 0.2;

export interface ForecastOptions {
  /**
   * The first day NOT yet complete (days before it count as actual). The forecast month is the
   * month of asOf's day: the month of the day before it, except on the 1st, where the new month
   * is forecast whole from the previous days.
   */
  asOfMs: number;
  /** Forecast this month instead (its UTC start), e.g. a month already complete. */
  monthStartMs?: number;
}

function monthStartOf(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function nextMonthStart(monthStartMs: number): number {
  const d = new Date(monthStartMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** Projects the month-end cost of `series` as of `asOfMs`. See the module comment. */
export function forecastMonthEnd(series: DailySeries, options: ForecastOptions): CostForecast {
  const asOfDayMs = Math.floor(options.asOfMs / DAY_MS) * DAY_MS;
  const monthStartMs = options.monthStartMs ?? monthStartOf(asOfDayMs);
  const monthEndMs = nextMonthStart(monthStartMs);
  const completeUntilMs = Math.min(asOfDayMs, monthEndMs);

  let daysActual = 0;
  let actualMicroUsd = 0;
  for (const d of series.days) {
    if (d.value === null || d.dayMs < monthStartMs || d.dayMs >= completeUntilMs) continue;
    daysActual++;
    actualMicroUsd += d.value;
  }
  actualMicroUsd = Math.round(actualMicroUsd);

  const remaining: number[] = [];
  for (let dayMs = Math.max(monthStartMs, asOfDayMs); dayMs < monthEndMs; dayMs += DAY_MS) remaining.push(dayMs);

  const complete: DailySeries = { id: series.id, days: series.days.filter((d) => d.dayMs < asOfDayMs) };
  const flagged = new Set(scanAnomalies(complete, 0).map((a) => a.index));
  const cleaned: DailySeries = { id: series.id, days: complete.days.map((d, i) => (flagged.has(i) ? { dayMs: d.dayMs, value: null } : d)) };
  const profile = fitSeasonalProfile(cleaned, asOfDayMs, DEFAULT_ANOMALY_THRESHOLDS.trailingDays);

  const base = { seriesId: series.id, monthStartMs, monthEndMs, daysActual, actualMicroUsd };
  if (remaining.length === 0) {
    return { ...base, forecastMicroUsd: { lower: actualMicroUsd, expected: actualMicroUsd, upper: actualMicroUsd }, method: "the month is complete: actual cost" };
  }
  if (profile === null) {
    return {
      ...base,
      forecastMicroUsd: { lower: actualMicroUsd, expected: actualMicroUsd, upper: actualMicroUsd },
      method: "no complete day in the last 14 days: nothing to project, actual cost only",
    };
  }

  const projected = remaining.reduce((sum, dayMs) => sum + profile.level * profile.weekdayFactors[weekdayOf(dayMs)]!, 0);
  const shortHistory = !profile.weekly;
  const sigma = Math.max(profile.residualScale, Math.abs(profile.level) * (shortHistory ? MIN_SIGMA_RATIO_SHORT_HISTORY : MIN_SIGMA_RATIO));
  const halfWidth = FORECAST_Z * sigma * Math.sqrt(remaining.length);
  const expected: MicroUsd = Math.round(actualMicroUsd + projected);
  const lower: MicroUsd = Math.max(actualMicroUsd, 0, Math.round(actualMicroUsd + projected - halfWidth));
  const upper: MicroUsd = Math.max(expected, Math.round(actualMicroUsd + projected + halfWidth));
  const left = flagged.size > 0 ? `, ${flagged.size} anomalous day(s) left out` : "";
  const shape = shortHistory ? "median (under a week of history: no day-of-week factor)" : "day-of-week median";
  return {
    ...base,
    forecastMicroUsd: { lower, expected, upper },
    method: `${shape} of the last ${profile.historyDays} complete day(s)${left}, ${remaining.length} day(s) projected ± ${FORECAST_Z} σ √days (90 %)`,
  };
}
