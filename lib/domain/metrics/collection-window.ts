import { DAY_MS, floorToHourMs, floorToMinuteMs, HOUR_MS, MINUTE_MS, type TimeWindow } from "@/lib/domain/shared/time";
import { MAX_DATAPOINTS_PER_CALL, MAX_QUERIES_PER_CALL } from "@/lib/domain/metrics/metric-data-queries";

export interface MetricsWindowInput {
  /** End of the minute data collected so far (epoch ms), or null when never collected. */
  watermarkMs: number | null;
  nowMs: number;
  /** How far back a first run reaches (hourly data); `--since` / BACKFILL_HOURS. */
  backfillFromMs: number;
  /** How far back minute data is kept (METRICS_MINUTE_DAYS; CloudWatch keeps 15 days). */
  minuteHistoryMs: number;
  /**
   * CloudWatch datapoints keep changing for a few minutes after their period (late
   * arrivals): every run re-reads from the start of the hour this many minutes before the
   * watermark, and hourly data waits this long after the hour ends.
   */
  settleMinutes: number;
  /** Queries in the largest batch (≤ 500): slices are as long as 100,800 datapoints allow. */
  largestBatch: number;
}

export interface MetricsWindowPlan {
  kind: "backfill" | "incremental" | "up-to-date";
  /** Minute data: hour-aligned slices, each written as whole hour items; the last may end mid-hour. */
  minute: { window: TimeWindow; slices: TimeWindow[] };
  /** Hourly data: day-aligned slices written as whole day items, up to the last settled hour; null when no new hour completed. */
  hour: { window: TimeWindow; slices: TimeWindow[] } | null;
}

function floorToDayMs(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** Cuts [from, to) at multiples of `stepMs` from `from` (which is aligned by the caller). */
function alignedSlices(window: TimeWindow, stepMs: number): TimeWindow[] {
  const slices: TimeWindow[] = [];
  for (let from = window.fromMs; from < window.toMs; from += stepMs) slices.push({ fromMs: from, toMs: Math.min(from + stepMs, window.toMs) });
  return slices;
}

/**
 * How many whole periods of `periodMs` one call may carry for a batch of `queries` without
 * CloudWatch paginating (≤ 100,800 datapoints), at least one.
 */
function periodsPerCall(queries: number): number {
  return Math.max(1, Math.floor(MAX_DATAPOINTS_PER_CALL / Math.max(1, Math.min(queries, MAX_QUERIES_PER_CALL))));
}

/**
 * Plans the next metrics collection. Minute data: from the start of the hour that holds
 * (watermark − settle) to the last complete minute, never before the minute horizon. Hourly
 * data: when a new hour has settled, the UTC days from the one holding the hour before the
 * last settled one (or the backfill start) to the last settled hour. Both are cut into slices
 * that align with the stored items (hours, days) and stay under 100,800 datapoints per call,
 * so every call is at the floor and every item is written whole from one answer.
 */
export function planMetricsWindow(input: MetricsWindowInput): MetricsWindowPlan {
  const { nowMs, watermarkMs } = input;
  const settleMs = input.settleMinutes * MINUTE_MS;
  const toMs = floorToMinuteMs(nowMs);
  const minuteHorizonMs = floorToHourMs(Math.max(input.backfillFromMs, nowMs - input.minuteHistoryMs));
  const minuteFromMs = watermarkMs === null ? minuteHorizonMs : Math.max(minuteHorizonMs, floorToHourMs(watermarkMs - settleMs));
  const minuteWindow = { fromMs: Math.min(minuteFromMs, toMs), toMs };
  const perCall = periodsPerCall(input.largestBatch);
  const minuteSliceMs = Math.max(1, Math.floor(perCall / 60)) * HOUR_MS;

  const hourToMs = floorToHourMs(nowMs - settleMs);
  const previousHourToMs = watermarkMs === null ? null : floorToHourMs(watermarkMs - settleMs);
  let hour: MetricsWindowPlan["hour"] = null;
  if (previousHourToMs === null || hourToMs > previousHourToMs) {
    const startMs = previousHourToMs === null ? input.backfillFromMs : Math.max(input.backfillFromMs, previousHourToMs - HOUR_MS);
    const window = { fromMs: floorToDayMs(startMs), toMs: hourToMs };
    if (window.fromMs < window.toMs) hour = { window, slices: alignedSlices(window, Math.max(1, Math.floor(perCall / 24)) * DAY_MS) };
  }

  const minuteSlices = minuteWindow.fromMs < minuteWindow.toMs ? alignedSlices(minuteWindow, minuteSliceMs) : [];
  const kind = minuteSlices.length === 0 && hour === null ? "up-to-date" : watermarkMs === null ? "backfill" : "incremental";
  return { kind, minute: { window: minuteWindow, slices: minuteSlices }, hour };
}
