import { ERROR_THRESHOLDS, FAULT_THRESHOLDS, HEALTH_MIN_FAILED_REQUESTS, THROTTLE_THRESHOLDS } from "@/lib/domain/service-map/node-health";
import { compareIds } from "@/lib/domain/service-map/service-graph-snapshot";
import { summarizeTraffic, type TrafficStats } from "@/lib/domain/service-map/traffic-stats";
import { DAY_MS, type TimeWindow } from "@/lib/domain/shared/time";

/**
 * Comparing the map of two windows (before/after a deploy, today/yesterday): which nodes and
 * edges are new or gone, and how rate, failure ratios and p99 moved on the ones in both.
 */

/** `new`: only in the current window; `gone`: only in the baseline. */
export type Presence = "both" | "new" | "gone";
export type ChangeVerdict = "worse" | "better" | "unchanged";
export type ChangeReason = "faults" | "errors" | "throttles" | "latency";

/** The traffic of a node or edge in one window, with the collected time it spans. */
export interface WindowTraffic {
  stats: TrafficStats;
  /** MergedServiceGraph.coveredMs of its window: the divisor of the rate. */
  coveredMs: number;
}

export interface TrafficChange {
  presence: Presence;
  /** Current minus baseline; the whole current rate for `new`, minus the baseline's for `gone`. */
  requestsPerMinuteDelta: number;
  /** Delta over the baseline rate (0.25 = 25 % more); null without a baseline rate. */
  requestsPerMinuteChangeRatio: number | null;
  /** Current minus baseline share of requests (0.02 = two percentage points); null unless both windows had requests. */
  errorRatioDelta: number | null;
  throttleRatioDelta: number | null;
  faultRatioDelta: number | null;
  /** Null unless both windows had requests. */
  p99ResponseTimeMsDelta: number | null;
  /** Worse when any measure moved past its threshold the wrong way (worse wins over better). */
  verdict: ChangeVerdict;
  /** The measures behind the verdict, in the order of ChangeReason. */
  reasons: ChangeReason[];
}

/**
 * Percentiles come from histograms accurate to about ±13 %, so two readings of an unchanged
 * p99 can differ by a quarter; a change counts from 1.5× (or down to 1/1.5) and …
 */
export const P99_CHANGE_FACTOR = 1.5;
/** … at least this many ms, so 0.4 → 0.7 ms on a cache read is not news. */
export const P99_MIN_CHANGE_MS = 5;

/**
 * A failure ratio moved meaningfully when it moved by as much as takes a node from ok to
 * warning (node-health.ts), and the larger side has enough failed requests to trust.
 */
function ratioMove(
  current: { count: number; total: number },
  baseline: { count: number; total: number },
  thresholdRatio: number,
): { delta: number | null; direction: -1 | 0 | 1 } {
  if (current.total <= 0 || baseline.total <= 0) return { delta: null, direction: 0 };
  const delta = current.count / current.total - baseline.count / baseline.total;
  if (Math.max(current.count, baseline.count) < HEALTH_MIN_FAILED_REQUESTS || Math.abs(delta) < thresholdRatio) return { delta, direction: 0 };
  return { delta, direction: delta > 0 ? 1 : -1 };
}

/**
 * How the traffic of one node or edge changed from `baseline` to `current` (either null
 * when the node or edge exists in one window only; not both).
 */
export function compareTraffic(current: WindowTraffic | null, baseline: WindowTraffic | null): TrafficChange {
  if (current === null && baseline === null) throw new RangeError("compareTraffic: current and baseline must not both be null");
  const currentRate = current === null ? 0 : summarizeTraffic(current.stats, current.coveredMs).requestsPerMinute;
  const baselineRate = baseline === null ? 0 : summarizeTraffic(baseline.stats, baseline.coveredMs).requestsPerMinute;
  const rateChange = {
    requestsPerMinuteDelta: currentRate - baselineRate,
    requestsPerMinuteChangeRatio: baselineRate > 0 ? (currentRate - baselineRate) / baselineRate : null,
  };
  if (current === null || baseline === null) {
    return {
      presence: current === null ? "gone" : "new",
      ...rateChange,
      errorRatioDelta: null,
      throttleRatioDelta: null,
      faultRatioDelta: null,
      p99ResponseTimeMsDelta: null,
      verdict: "unchanged",
      reasons: [],
    };
  }
  const cur = current.stats;
  const base = baseline.stats;
  const side = (stats: TrafficStats, key: "faultCount" | "errorCount" | "throttleCount") => ({ count: stats[key], total: stats.totalCount });
  const faults = ratioMove(side(cur, "faultCount"), side(base, "faultCount"), FAULT_THRESHOLDS.warningRatio);
  const errors = ratioMove(side(cur, "errorCount"), side(base, "errorCount"), ERROR_THRESHOLDS.warningRatio);
  const throttles = ratioMove(side(cur, "throttleCount"), side(base, "throttleCount"), THROTTLE_THRESHOLDS.warningRatio);
  const currentP99 = summarizeTraffic(cur, current.coveredMs).p99ResponseTimeMs;
  const baselineP99 = summarizeTraffic(base, baseline.coveredMs).p99ResponseTimeMs;
  let latency: { delta: number | null; direction: -1 | 0 | 1 } = { delta: null, direction: 0 };
  if (currentP99 !== null && baselineP99 !== null) {
    const delta = currentP99 - baselineP99;
    const moved = Math.abs(delta) >= P99_MIN_CHANGE_MS;
    const direction = moved && currentP99 >= baselineP99 * P99_CHANGE_FACTOR ? 1 : moved && currentP99 * P99_CHANGE_FACTOR <= baselineP99 ? -1 : 0;
    latency = { delta, direction };
  }
  const moves: [ChangeReason, -1 | 0 | 1][] = [
    ["faults", faults.direction],
    ["errors", errors.direction],
    ["throttles", throttles.direction],
    ["latency", latency.direction],
  ];
  const worse = moves.filter(([, d]) => d > 0).map(([reason]) => reason);
  const better = moves.filter(([, d]) => d < 0).map(([reason]) => reason);
  return {
    presence: "both",
    ...rateChange,
    errorRatioDelta: errors.delta,
    throttleRatioDelta: throttles.delta,
    faultRatioDelta: faults.delta,
    p99ResponseTimeMsDelta: latency.delta,
    verdict: worse.length > 0 ? "worse" : better.length > 0 ? "better" : "unchanged",
    reasons: worse.length > 0 ? worse : better,
  };
}

/** One id with its item in each window (null where absent). */
export interface Aligned<T> {
  id: string;
  current: T | null;
  baseline: T | null;
}

/** Pairs the nodes (or edges) of two windows by id: the union, sorted by id. */
export function alignById<T extends { id: string }>(current: readonly T[], baseline: readonly T[]): Aligned<T>[] {
  const byId = new Map<string, Aligned<T>>();
  for (const item of current) byId.set(item.id, { id: item.id, current: item, baseline: null });
  for (const item of baseline) {
    const known = byId.get(item.id);
    if (known) known.baseline = item;
    else byId.set(item.id, { id: item.id, current: null, baseline: item });
  }
  return [...byId.values()].sort((a, b) => compareIds(a.id, b.id));
}

/** Baselines offered next to a window: the window just before it, the same hours a day or a week earlier. */
export const COMPARE_PRESETS = ["previous", "1d", "7d"] as const;
export type ComparePreset = (typeof COMPARE_PRESETS)[number];

/** The baseline window a preset names for `window` (same length). */
export function baselineWindowOf(window: TimeWindow, preset: ComparePreset): TimeWindow {
  const shiftMs = preset === "previous" ? window.toMs - window.fromMs : preset === "1d" ? DAY_MS : 7 * DAY_MS;
  return { fromMs: window.fromMs - shiftMs, toMs: window.toMs - shiftMs };
}
