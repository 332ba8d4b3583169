import type { ReportStats } from "@/lib/domain/cold-start/report-stats";
import { HOUR_MS, floorToHourMs, type TimeWindow } from "@/lib/domain/shared/time";

/**
 * The REPORT-line hours a range can use. ReportStats exist per whole UTC hour and only once
 * the hour has settled and been collected, so a range's figures come from the hours that
 * overlap it and that the logs collector has finished: `covered` says exactly which.
 */
export interface ReportHours {
  stats: ReportStats[];
  /** Whole hours [fromMs, toMs) the stats stand for; null when no collected hour overlaps the range. */
  covered: TimeWindow | null;
  /** Hours in `covered` (hours without invocations included: they were collected, with nothing in them). */
  hourCount: number;
}

/**
 * Keeps the stats of the hours that overlap `window` and end by `collectedThroughMs` (the logs
 * collector's watermark; null when it never ran, which leaves nothing). Partly covered hours
 * at the range's start count whole: REPORT stats are not split within an hour.
 */
export function selectReportHours(stats: readonly ReportStats[], window: TimeWindow, collectedThroughMs: number | null): ReportHours {
  if (collectedThroughMs === null) return { stats: [], covered: null, hourCount: 0 };
  const fromMs = floorToHourMs(window.fromMs);
  const toMs = Math.min(floorToHourMs(collectedThroughMs), Math.ceil(window.toMs / HOUR_MS) * HOUR_MS);
  if (toMs <= fromMs) return { stats: [], covered: null, hourCount: 0 };
  return {
    stats: stats.filter((s) => s.hourStartMs >= fromMs && s.hourStartMs < toMs),
    covered: { fromMs, toMs },
    hourCount: (toMs - fromMs) / HOUR_MS,
  };
}
