import { DAY_MS, floorToHourMs, floorToMinuteMs, HOUR_MS, MINUTE_MS, type TimeWindow } from "@/lib/domain/shared/time";
import { planMetricDataCalls, type MetricDataCall } from "@/lib/domain/metrics/metric-data-queries";

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
  /** Metric queries of one period (every target × its keys): what each call is cut from. */
  queries: number;
}

export interface MetricsWindowPlan {
  kind: "backfill" | "incremental" | "up-to-date";
  /** Minute data from an hour start; the calls in order of their start (planMetricDataCalls). The window may end mid-hour. */
  minute: { window: TimeWindow; calls: MetricDataCall[] };
  /** Hourly data from a day start up to the last settled hour; null when no new hour completed. */
  hour: { window: TimeWindow; calls: MetricDataCall[] } | null;
}

function floorToDayMs(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/**
 * Plans the next metrics collection. Minute data: from the start of the hour that holds
 * (watermark − settle) to the last complete minute, never before the minute horizon. Hourly
 * data: when a new hour has settled, the UTC days from the one holding the hour before the
 * last settled one (or the backfill start) to the last settled hour. Windows start on an
 * item boundary (hour, day), so items are re-read whole; the calls inside them are cut for
 * the fewest calls, not at item boundaries — the collector assembles items across calls.
 */
export function planMetricsWindow(input: MetricsWindowInput): MetricsWindowPlan {
  const { nowMs, watermarkMs } = input;
  const settleMs = input.settleMinutes * MINUTE_MS;
  const toMs = floorToMinuteMs(nowMs);
  const minuteHorizonMs = floorToHourMs(Math.max(input.backfillFromMs, nowMs - input.minuteHistoryMs));
  const minuteFromMs = watermarkMs === null ? minuteHorizonMs : Math.max(minuteHorizonMs, floorToHourMs(watermarkMs - settleMs));
  const minuteWindow = { fromMs: Math.min(minuteFromMs, toMs), toMs };

  const hourToMs = floorToHourMs(nowMs - settleMs);
  const previousHourToMs = watermarkMs === null ? null : floorToHourMs(watermarkMs - settleMs);
  let hour: MetricsWindowPlan["hour"] = null;
  if (previousHourToMs === null || hourToMs > previousHourToMs) {
    const startMs = previousHourToMs === null ? input.backfillFromMs : Math.max(input.backfillFromMs, previousHourToMs - HOUR_MS);
    const window = { fromMs: floorToDayMs(startMs), toMs: hourToMs };
    if (window.fromMs < window.toMs) hour = { window, calls: planMetricDataCalls(input.queries, window, HOUR_MS) };
  }

  const minuteCalls = planMetricDataCalls(input.queries, minuteWindow, MINUTE_MS);
  const kind = minuteCalls.length === 0 && hour === null ? "up-to-date" : watermarkMs === null ? "backfill" : "incremental";
  return { kind, minute: { window: minuteWindow, calls: minuteCalls }, hour };
}
