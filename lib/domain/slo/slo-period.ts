import { DAY_MS, HOUR_MS, type TimeWindow } from "@/lib/domain/shared/time";
import { type SloWindow } from "@/lib/domain/slo/slo-definition";

/**
 * The SLO period an instant falls in: [fromMs, toMs) plus its full length `periodMs`.
 * For a calendar window `toMs` lies in the future while the period runs; `periodMs` is
 * always the whole month or quarter (the budget is set for all of it, not the elapsed part).
 */
export interface SloPeriod extends TimeWindow {
  periodMs: number;
}

/** Months in a calendar unit. */
const MONTHS_PER_UNIT = { month: 1, quarter: 3 } as const;

/**
 * The period of `window` that holds `nowMs`:
 * - rolling N days: [now − N days, now), N × 24 h long;
 * - calendar month / quarter: the UTC month or quarter holding now, from its first instant
 *   to the first instant of the next one (28, 29, 30 or 31 days; 90, 91 or 92 days).
 * An instant exactly at the start of a month belongs to that month.
 */
export function sloPeriodAt(window: SloWindow, nowMs: number): SloPeriod {
  if (window.kind === "rolling") {
    const periodMs = window.days * DAY_MS;
    return { fromMs: nowMs - periodMs, toMs: nowMs, periodMs };
  }
  const now = new Date(nowMs);
  const months = MONTHS_PER_UNIT[window.unit];
  const firstMonth = Math.floor(now.getUTCMonth() / months) * months;
  const fromMs = Date.UTC(now.getUTCFullYear(), firstMonth, 1);
  // Date.UTC rolls month 12+ into the next year.
  const toMs = Date.UTC(now.getUTCFullYear(), firstMonth + months, 1);
  return { fromMs, toMs, periodMs: toMs - fromMs };
}

/** The full length in hours of the period of `window` holding `nowMs` (720 for 30 days, 744 for a 31-day month). */
export function periodHours(window: SloWindow, nowMs: number): number {
  return sloPeriodAt(window, nowMs).periodMs / HOUR_MS;
}
