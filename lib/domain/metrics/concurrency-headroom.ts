import type { MetricPoint } from "@/lib/domain/metrics/lambda-metrics";
import type { TimeWindow } from "@/lib/domain/shared/time";

/**
 * How close a function came to the concurrency ceiling it can hit (FACTS.md §4): its reserved
 * concurrency when it has one, else the account's unreserved pool, which every function
 * without a reservation shares. Values are CloudWatch 1-minute Maximums, as AWS advises.
 */

/** From this share of the ceiling on, a peak counts as near the limit: one traffic spike away from throttling. */
export const NEAR_LIMIT_RATIO = 0.8;

/** A series' highest value in a window and when it happened; null when the window has no datapoint. */
export interface SeriesPeak {
  value: number;
  atMs: number;
}

/** The highest datapoint of `points` inside `window` (the earliest one on ties); null without datapoints. */
export function findPeak(points: readonly MetricPoint[], window: TimeWindow): SeriesPeak | null {
  let peak: SeriesPeak | null = null;
  for (const p of points) {
    if (p.timestampMs < window.fromMs || p.timestampMs >= window.toMs) continue;
    if (peak === null || p.value > peak.value) peak = { value: p.value, atMs: p.timestampMs };
  }
  return peak;
}

export type ConcurrencyStatus = "ok" | "near-limit" | "at-limit";

/**
 * The ceiling a function's executions run into. `reserved`: its own reservation, nobody else
 * uses it. `unreserved-pool`: the account's UnreservedConcurrentExecutions, shared by every
 * function without a reservation, so what is left of it depends on all of them.
 */
export type ConcurrencyCeiling = { kind: "reserved"; executions: number } | { kind: "unreserved-pool"; executions: number };

export type ConcurrencyHeadroom =
  | { kind: "insufficient-data"; reason: string }
  | {
      kind: "assessed";
      ceiling: ConcurrencyCeiling;
      /** The function's own peak ConcurrentExecutions in the window. */
      functionPeak: SeriesPeak;
      /**
       * What is measured against the ceiling: the function's peak for a reservation; for the
       * shared pool the region's peak UnreservedConcurrentExecutions (all unreserved functions
       * together) when collected, else the function's own peak.
       */
      peakUsedExecutions: number;
      usedBy: "function" | "all-unreserved-functions";
      /** ceiling − peak used; negative never happens in AWS data but is kept, not clamped, if it does. */
      headroomExecutions: number;
      /** peak used / ceiling, 0..1 (above 1 only if the data says so). */
      usedRatio: number;
      /** What is left of the ceiling at the peak, 0..1. */
      headroomRatio: number;
      status: ConcurrencyStatus;
      /** Throttled invocations of the function in the window: a ceiling that was actually hit. */
      throttles: number;
    };

export interface ConcurrencyHeadroomInput {
  /** The function's ConcurrentExecutions (Maximum) series. */
  functionConcurrency: readonly MetricPoint[];
  /** The region's UnreservedConcurrentExecutions (Maximum) series; empty when not collected. */
  regionUnreservedConcurrency: readonly MetricPoint[];
  reservedConcurrency: number | null;
  /** GetAccountSettings' UnreservedConcurrentExecutions; null when account settings were not collected. */
  unreservedPoolExecutions: number | null;
  throttles: number;
  window: TimeWindow;
}

/**
 * Assesses a function's peak concurrency in a window against its ceiling: the reservation, or
 * the shared unreserved pool. Near the limit from NEAR_LIMIT_RATIO of it, at the limit when the
 * peak reached it. "Cannot say" without a datapoint or without a known ceiling.
 */
export function assessConcurrencyHeadroom(input: ConcurrencyHeadroomInput): ConcurrencyHeadroom {
  const functionPeak = findPeak(input.functionConcurrency, input.window);
  if (functionPeak === null) return { kind: "insufficient-data", reason: "no ConcurrentExecutions datapoints in this range" };

  let ceiling: ConcurrencyCeiling;
  let peakUsedExecutions = functionPeak.value;
  let usedBy: "function" | "all-unreserved-functions" = "function";
  if (input.reservedConcurrency !== null) {
    ceiling = { kind: "reserved", executions: input.reservedConcurrency };
  } else if (input.unreservedPoolExecutions !== null) {
    ceiling = { kind: "unreserved-pool", executions: input.unreservedPoolExecutions };
    const poolPeak = findPeak(input.regionUnreservedConcurrency, input.window);
    // The pool is shared: what this function can still claim is what all of them leave.
    if (poolPeak !== null && poolPeak.value >= functionPeak.value) {
      peakUsedExecutions = poolPeak.value;
      usedBy = "all-unreserved-functions";
    }
  } else {
    return { kind: "insufficient-data", reason: "the account's concurrency settings (GetAccountSettings) have not been collected" };
  }

  if (ceiling.executions <= 0) {
    // Reserved concurrency 0 switches a function off: every invocation throttles.
    return {
      kind: "assessed",
      ceiling,
      functionPeak,
      peakUsedExecutions,
      usedBy,
      headroomExecutions: ceiling.executions - peakUsedExecutions,
      usedRatio: 1,
      headroomRatio: 0,
      status: "at-limit",
      throttles: input.throttles,
    };
  }
  const usedRatio = peakUsedExecutions / ceiling.executions;
  return {
    kind: "assessed",
    ceiling,
    functionPeak,
    peakUsedExecutions,
    usedBy,
    headroomExecutions: ceiling.executions - peakUsedExecutions,
    usedRatio,
    headroomRatio: Math.max(0, 1 - usedRatio),
    status: usedRatio >= 1 ? "at-limit" : usedRatio >= NEAR_LIMIT_RATIO ? "near-limit" : "ok",
    throttles: input.throttles,
  };
}

export type AccountConcurrencyHeadroom =
  | { kind: "insufficient-data"; reason: string }
  | {
      kind: "assessed";
      limitExecutions: number;
      /** Peak ClaimedAccountConcurrency: reservations + provisioned concurrency + unreserved use. */
      peakClaimed: SeriesPeak;
      headroomExecutions: number;
      usedRatio: number;
      status: ConcurrencyStatus;
    };

/**
 * The account's regional headroom: peak ClaimedAccountConcurrency (what is reserved,
 * provisioned or running unreserved) against the regional limit (default 1,000, FACTS.md §4).
 */
export function assessAccountConcurrencyHeadroom(input: {
  claimedConcurrency: readonly MetricPoint[];
  limitExecutions: number | null;
  window: TimeWindow;
}): AccountConcurrencyHeadroom {
  if (input.limitExecutions === null || input.limitExecutions <= 0) {
    return { kind: "insufficient-data", reason: "the account's concurrency limit (GetAccountSettings) has not been collected" };
  }
  const peakClaimed = findPeak(input.claimedConcurrency, input.window);
  if (peakClaimed === null) return { kind: "insufficient-data", reason: "no ClaimedAccountConcurrency datapoints in this range" };
  const usedRatio = peakClaimed.value / input.limitExecutions;
  return {
    kind: "assessed",
    limitExecutions: input.limitExecutions,
    peakClaimed,
    headroomExecutions: input.limitExecutions - peakClaimed.value,
    usedRatio,
    status: usedRatio >= 1 ? "at-limit" : usedRatio >= NEAR_LIMIT_RATIO ? "near-limit" : "ok",
  };
}
