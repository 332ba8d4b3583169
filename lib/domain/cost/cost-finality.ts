import { DAY_MS, HOUR_MS } from "@/lib/domain/shared/time";
import type { CostGranularity } from "@/lib/domain/cost/cost-groupings";
import type { CostReadPlan } from "@/lib/domain/cost/cost-read-plan";
import type { TimeWindow } from "@/lib/domain/shared/time";

/**
 * The estimated → final rule. Cost Explorer marks a result period `Estimated` while its bill
 * may still change. A day is final for a grouping when the answer has every period of it (the
 * day, or its 24 hours) and none is Estimated; from then on it is never requested again. The
 * watermark is the first day that is not final in every grouping read.
 */

/** A result period as answered (pages merged): where it starts, whether it is an estimate. */
export interface AnsweredPeriod {
  startMs: number;
  estimated: boolean;
}

export interface CostSettlement {
  /** The first day of the query's window that is not final; the window's end when all are. */
  firstOpenDayMs: number;
  /** Days of the window that are final in this answer. */
  finalDays: number;
  /** Days of the window still estimated, or not (completely) answered. */
  openDays: number;
}

function periodMs(granularity: CostGranularity): number {
  return granularity === "HOURLY" ? HOUR_MS : DAY_MS;
}

/**
 * Settles one grouping's answer over its window (whole days). A period missing from the answer
 * counts as not final (Cost Explorer answers every period asked, so this only guards against a
 * truncated answer); periods outside the window are ignored.
 */
export function settleCostAnswer(query: { window: TimeWindow; granularity: CostGranularity }, periods: readonly AnsweredPeriod[]): CostSettlement {
  const step = periodMs(query.granularity);
  const answered = new Map<number, boolean>();
  for (const period of periods) answered.set(period.startMs, (answered.get(period.startMs) ?? false) || period.estimated);
  let firstOpenDayMs: number | null = null;
  let finalDays = 0;
  let openDays = 0;
  for (let day = query.window.fromMs; day < query.window.toMs; day += DAY_MS) {
    let final = true;
    for (let start = day; start < day + DAY_MS && final; start += step) {
      const estimated = answered.get(start);
      final = estimated === false;
    }
    if (final) finalDays++;
    else {
      openDays++;
      firstOpenDayMs ??= day;
    }
  }
  return { firstOpenDayMs: firstOpenDayMs ?? query.window.toMs, finalDays, openDays };
}

/**
 * The watermark after a run: the earliest first open day over its queries (a grouping whose
 * window starts later — 14-day data — has nothing to say about the days before it). With no
 * query, the plan's start (the previous watermark, or the reach of Cost Explorer).
 */
export function nextCostWatermark(plan: CostReadPlan, settlements: readonly CostSettlement[]): number {
  if (settlements.length === 0) return plan.window.fromMs;
  return Math.min(...settlements.map((s) => s.firstOpenDayMs));
}
