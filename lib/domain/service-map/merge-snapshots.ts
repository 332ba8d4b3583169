import { mergeNodes, type ServiceGraphSnapshot, type ServiceNode } from "@/lib/domain/service-map/service-graph-snapshot";
import { floorToHourMs, HOUR_MS, type TimeWindow } from "@/lib/domain/shared/time";

/** The service graph of a time range: the hourly snapshots in it, added up. */
export interface MergedServiceGraph {
  accountId: string;
  region: string;
  /** The range, widened to whole hours (snapshots are per hour). */
  window: TimeWindow;
  /** Time the merged snapshots cover (ms): the divisor of request rates. */
  coveredMs: number;
  /** Snapshots merged. */
  hourCount: number;
  /** Whether one of them is an hour still being collected (complete: false). */
  includesPartialHour: boolean;
  /** Starts (epoch ms) of hours in the range with no usable snapshot (not collected yet, or being rewritten). */
  missingHourStarts: number[];
  /** Sorted by id; stats, histograms and edges summed over the hours. */
  nodes: ServiceNode[];
}

/** A range widened outwards to whole UTC hours. */
export function toHourRange(window: TimeWindow): TimeWindow {
  const fromMs = floorToHourMs(window.fromMs);
  const toMs = window.toMs <= window.fromMs ? fromMs : floorToHourMs(window.toMs - 1) + HOUR_MS;
  return { fromMs, toMs };
}

/**
 * Merges the hourly snapshots of one account/region over a range: node and edge counts,
 * response-time sums and histograms add up (an edge missing in some hours simply counts
 * less). Snapshots outside the range are ignored; hours without one are listed as missing;
 * of two snapshots of one hour only the complete (else the longer) one counts.
 */
export function mergeSnapshots(
  scope: { accountId: string; region: string },
  window: TimeWindow,
  snapshots: readonly ServiceGraphSnapshot[],
): MergedServiceGraph {
  const range = toHourRange(window);
  // One snapshot per hour: should two be given, the complete one (else the longer) counts.
  const byHour = new Map<number, ServiceGraphSnapshot>();
  for (const s of snapshots) {
    if (s.accountId !== scope.accountId || s.region !== scope.region || s.window.fromMs < range.fromMs || s.window.fromMs >= range.toMs) continue;
    const hour = floorToHourMs(s.window.fromMs);
    const known = byHour.get(hour);
    if (known === undefined || (s.complete && !known.complete) || (s.complete === known.complete && s.window.toMs > known.window.toMs)) byHour.set(hour, s);
  }
  const inRange = [...byHour.entries()].sort(([a], [b]) => a - b).map(([, s]) => s);
  const hours = new Set(byHour.keys());
  const missingHourStarts: number[] = [];
  for (let hour = range.fromMs; hour < range.toMs; hour += HOUR_MS) if (!hours.has(hour)) missingHourStarts.push(hour);
  return {
    accountId: scope.accountId,
    region: scope.region,
    window: range,
    coveredMs: inRange.reduce((sum, s) => sum + (s.window.toMs - s.window.fromMs), 0),
    hourCount: inRange.length,
    includesPartialHour: inRange.some((s) => !s.complete),
    missingHourStarts,
    nodes: mergeNodes(inRange.flatMap((s) => s.nodes)).nodes,
  };
}
