import { DAY_MS, type TimeWindow } from "@/lib/domain/shared/time";
import {
  DAILY_REACH_MONTHS,
  REQUESTED_METRICS,
  type CostDimensionFilter,
  type CostGranularity,
  type CostGroupDefinition,
  type CostGrouping,
} from "@/lib/domain/cost/cost-groupings";

/**
 * Which days a costs run reads, and the exact Cost Explorer requests for them. Days before
 * the watermark are final and never requested again (every page costs $0.01); from the
 * watermark to tomorrow (End is exclusive) each grouping asks ONE time period.
 */

/** A GetCostAndUsage(WithResources) request body, exactly as sent (SDK input shape). */
export interface CostRequest {
  TimePeriod: { Start: string; End: string };
  Granularity: CostGranularity;
  Metrics: string[];
  GroupBy: CostGroupDefinition[];
  Filter?: CostDimensionFilter;
}

export type CostOperation = "GetCostAndUsage" | "GetCostAndUsageWithResources";

/** One grouping's read in a run: its whole days [fromMs, toMs) and the request for them. */
export interface CostQuery {
  grouping: CostGrouping;
  operation: CostOperation;
  window: TimeWindow;
  request: CostRequest;
}

export interface CostReadPlan {
  /** The days this run reads, [first non-final day, tomorrow); empty when nothing is open. */
  window: TimeWindow;
  /** One query per grouping whose data reaches into the window, in grouping order. */
  queries: CostQuery[];
}

export interface CostReadPlanInput {
  /** The first day not yet final (epoch ms, a UTC midnight), or null before the first run. */
  watermarkMs: number | null;
  /** Where a first run starts: the UTC day of this instant. */
  backfillFromMs: number;
  nowMs: number;
  groupings: readonly CostGrouping[];
}

/** The UTC midnight at or before an instant. */
export function floorToDayMs(epochMs: number): number {
  return Math.floor(epochMs / DAY_MS) * DAY_MS;
}

/** First day of the UTC month `months` before the month of `dayMs`. */
function monthsBefore(dayMs: number, months: number): number {
  const date = new Date(dayMs);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - months, 1);
}

/**
 * The earliest day a grouping's data can be asked for, given today. Fine-grained data (14
 * days) is read from today − 13 days: 14 days including today, the conservative reading of
 * AWS's "last 14 days", so a request never fails validation on the real API.
 */
export function earliestReadableDayMs(grouping: CostGrouping, todayMs: number): number {
  if (grouping.reachDays === null) return monthsBefore(todayMs, DAILY_REACH_MONTHS);
  return todayMs - (grouping.reachDays - 1) * DAY_MS;
}

/**
 * Plans a run: from the watermark (or, on a first run, the UTC day of backfillFromMs) to
 * tomorrow, each grouping clipped to how far back its data exists. A watermark older than
 * Cost Explorer's DAILY reach starts at that reach (older days can no longer be read).
 */
export function planCostReads(input: CostReadPlanInput): CostReadPlan {
  const todayMs = floorToDayMs(input.nowMs);
  const toMs = todayMs + DAY_MS;
  const requestedFromMs = floorToDayMs(input.watermarkMs ?? input.backfillFromMs);
  const dailyReachMs = monthsBefore(todayMs, DAILY_REACH_MONTHS);
  const fromMs = Math.min(Math.max(requestedFromMs, dailyReachMs), toMs);
  const queries: CostQuery[] = [];
  for (const grouping of input.groupings) {
    const window = { fromMs: Math.max(fromMs, earliestReadableDayMs(grouping, todayMs)), toMs };
    if (window.fromMs >= window.toMs) continue;
    queries.push({
      grouping,
      operation: grouping.withResources ? "GetCostAndUsageWithResources" : "GetCostAndUsage",
      window,
      request: buildCostRequest(grouping, window),
    });
  }
  return { window: { fromMs, toMs }, queries };
}

/** A time-period bound: `YYYY-MM-DD` (DAILY) or `YYYY-MM-DDThh:mm:ssZ` (HOURLY). */
export function formatPeriodBound(epochMs: number, granularity: CostGranularity): string {
  const iso = new Date(epochMs).toISOString();
  return granularity === "HOURLY" ? `${iso.slice(0, 19)}Z` : iso.slice(0, 10);
}

/** The request of one grouping over whole days [fromMs, toMs). */
export function buildCostRequest(grouping: CostGrouping, window: TimeWindow): CostRequest {
  return {
    TimePeriod: {
      Start: formatPeriodBound(window.fromMs, grouping.granularity),
      End: formatPeriodBound(window.toMs, grouping.granularity),
    },
    Granularity: grouping.granularity,
    Metrics: [...REQUESTED_METRICS],
    GroupBy: grouping.groupBy.map((g) => ({ Type: g.Type, Key: g.Key })),
    ...(grouping.filter === null ? {} : { Filter: { Dimensions: { Key: grouping.filter.Dimensions.Key, Values: [...grouping.filter.Dimensions.Values] } } }),
  };
}
