import type { MetricPoint } from "@/lib/domain/metrics/lambda-metrics";
import { floorToHourMs } from "@/lib/domain/shared/time";

/**
 * Joins hourly points with minute points for the hours hourly data does not have yet (the
 * current hour and the one still settling), so a long range reaches up to the last minute
 * without counting any hour twice. Oldest first.
 */
export function mergeMinuteTail(hourly: readonly MetricPoint[], minute: readonly MetricPoint[]): MetricPoint[] {
  const covered = new Set(hourly.map((p) => p.timestampMs));
  const tail = minute.filter((p) => !covered.has(floorToHourMs(p.timestampMs)));
  return [...hourly, ...tail].sort((a, b) => a.timestampMs - b.timestampMs);
}
