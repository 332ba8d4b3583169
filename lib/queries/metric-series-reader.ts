import { metricKeyId, type MetricKey, type MetricPoint, type MetricResolution, type MetricTarget } from "@/lib/domain/metrics/lambda-metrics";
import { mergeMinuteTail } from "@/lib/domain/metrics/merge-resolutions";
import { floorToHourMs, HOUR_MS, type TimeWindow } from "@/lib/domain/shared/time";
import type { MetricSeriesStore } from "@/lib/ports/stores";

/** Ranges up to this long read minute data; longer ones hourly data plus the minutes of the unsettled hours. */
export const MINUTE_RANGE_MS = 26 * HOUR_MS;

/** The resolution a range is read at (what a chart of it plots per point). */
export function resolutionFor(window: TimeWindow): MetricResolution {
  return window.toMs - window.fromMs <= MINUTE_RANGE_MS ? "minute" : "hour";
}

/**
 * Keys of one metric target over a window at the resolution the range calls for, one series
 * per key in the order given (oldest first; empty where nothing is stored). Long ranges join
 * hourly data with the minutes of the last hours, which hourly data does not have yet.
 */
export async function readMetricSeries(
  series: MetricSeriesStore,
  scope: { accountId: string; region: string },
  target: MetricTarget,
  keys: readonly MetricKey[],
  window: TimeWindow,
): Promise<MetricPoint[][]> {
  const ids = keys.map(metricKeyId);
  if (resolutionFor(window) === "minute") {
    const minute = await series.readSeries(scope, target, keys, window, "minute");
    return ids.map((id) => minute[id] ?? []);
  }
  const tailWindow = { fromMs: Math.max(window.fromMs, floorToHourMs(window.toMs) - 2 * HOUR_MS), toMs: window.toMs };
  const [hourly, minute] = await Promise.all([
    series.readSeries(scope, target, keys, window, "hour"),
    series.readSeries(scope, target, keys, tailWindow, "minute"),
  ]);
  return ids.map((id) => mergeMinuteTail(hourly[id] ?? [], minute[id] ?? []));
}
