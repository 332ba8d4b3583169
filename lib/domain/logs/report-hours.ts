import type { ReportStats } from "@/lib/domain/cold-start/report-stats";
import { HOUR_MS, floorToHourMs, type TimeWindow } from "@/lib/domain/shared/time";

/**
 * The REPORT-line hours a range can use. ReportStats exist per whole UTC hour and only once
 * the hour has settled and been collected, so a range's figures come from the hours that
 * overlap it, that the logs collector has finished, and that lie after where its collection
 * starts (the backfill's reach): `covered` says exactly which. "Per day" figures divide by
 * the covered time, so a 24-hour range over 6 collected hours is not read as a quiet day.
 */
export interface ReportHours {
  stats: ReportStats[];
  /** Whole hours [fromMs, toMs) the stats stand for; null when no collected hour overlaps the range. */
  covered: TimeWindow | null;
  /** Hours in `covered` (hours without invocations included: they were collected, with nothing in them). */
  hourCount: number;
}

/** How far the logs collector has come in an account/region (its watermark): null bounds when unknown. */
export interface ReportCollection {
  /** Where its data starts (epoch ms); null when not recorded (then the range's start is taken). */
  sinceMs: number | null;
  /** Up to where it has stored whole hours (exclusive); null before its first run. */
  throughMs: number | null;
}

/**
 * The whole hours of `window` the collected REPORT stats cover: from the hour holding the
 * range's start (or the collection's start, when later) to the collector's watermark. Partly
 * covered hours at the range's start count whole: REPORT stats are not split within an hour.
 * Null when nothing collected overlaps the range.
 */
export function reportCoverage(window: TimeWindow, collection: ReportCollection): TimeWindow | null {
  if (collection.throughMs === null) return null;
  const fromMs = Math.max(floorToHourMs(window.fromMs), collection.sinceMs === null ? -Infinity : floorToHourMs(collection.sinceMs));
  const toMs = Math.min(floorToHourMs(collection.throughMs), Math.ceil(window.toMs / HOUR_MS) * HOUR_MS);
  return toMs > fromMs ? { fromMs, toMs } : null;
}

/** Keeps the stats of the hours `reportCoverage` finds for the range. */
export function selectReportHours(stats: readonly ReportStats[], window: TimeWindow, collection: ReportCollection): ReportHours {
  const covered = reportCoverage(window, collection);
  if (covered === null) return { stats: [], covered: null, hourCount: 0 };
  return {
    stats: stats.filter((s) => s.hourStartMs >= covered.fromMs && s.hourStartMs < covered.toMs),
    covered,
    hourCount: (covered.toMs - covered.fromMs) / HOUR_MS,
  };
}
