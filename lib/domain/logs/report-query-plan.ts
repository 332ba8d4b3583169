import { floorToHourMs, HOUR_MS, MINUTE_MS, type TimeWindow } from "@/lib/domain/shared/time";
import { MAX_INSIGHTS_ROWS } from "@/lib/domain/logs/report-stats-query";

/** StartQuery takes at most 50 log groups (FACTS §6). */
export const MAX_LOG_GROUPS_PER_QUERY = 50;
/**
 * The longest window one query covers. Bytes scanned do not depend on it; it bounds how long
 * one query runs (Insights stops a query after 60 minutes) and how far a crash sets a backfill
 * back, since the watermark moves per completed window.
 */
export const MAX_QUERY_WINDOW_HOURS = 24;
/** Plans aim at half the row limit, so an unexpected mix of versions/memory sizes still fits. */
export const TARGET_ROWS_PER_QUERY = MAX_INSIGHTS_ROWS / 2;

/** One Insights query to run: which log groups, over which whole hours. */
export interface ReportQuerySpec {
  logGroupNames: readonly string[];
  window: TimeWindow;
}

export interface ReportWindowInput {
  /** End of the last collected hour (epoch ms), or null before the first run. */
  watermarkMs: number | null;
  nowMs: number;
  /** How far back a first run reaches; a watermark older than this is moved up to it. */
  backfillFromMs: number;
  /** Minutes after an hour ends before its log lines are taken as complete. */
  settleMinutes: number;
}

/**
 * The whole hours to collect: from the watermark (or the backfill start, floored to its hour)
 * up to the last hour H with nowMs ≥ H + 1 h + settle. Null when no hour is complete yet,
 * so each log line is scanned once (Insights bills per GB scanned).
 */
export function planReportWindow(input: ReportWindowInput): TimeWindow | null {
  const horizonMs = floorToHourMs(input.backfillFromMs);
  const fromMs = input.watermarkMs === null ? horizonMs : Math.max(floorToHourMs(input.watermarkMs), horizonMs);
  const toMs = floorToHourMs(input.nowMs - input.settleMinutes * MINUTE_MS);
  return fromMs < toMs ? { fromMs, toMs } : null;
}

/**
 * Rows a query may return: groups × hours × combinations per group-hour, plus one hour for
 * the bin at the window's inclusive end (lines stamped exactly on it).
 */
export function expectedRows(spec: ReportQuerySpec, combosPerGroupHour: number): number {
  const hours = Math.ceil((spec.window.toMs - spec.window.fromMs) / HOUR_MS);
  return spec.logGroupNames.length * (hours + 1) * combosPerGroupHour;
}

/**
 * Splits log groups into batches of ≤ 50 and the window into hour-aligned slices short
 * enough that each query's expected rows stay under TARGET_ROWS_PER_QUERY. Ordered by window,
 * then batch, so running them in order completes the oldest hours first.
 */
export function planReportQueries(window: TimeWindow, logGroupNames: readonly string[], combosPerGroupHour: number): ReportQuerySpec[] {
  if (logGroupNames.length === 0 || window.toMs <= window.fromMs) return [];
  const sorted = [...logGroupNames].sort();
  const batchCount = Math.ceil(sorted.length / MAX_LOG_GROUPS_PER_QUERY);
  // Even batches (47 + 47, not 50 + 44), so every query gets about the same share.
  const batchSize = Math.ceil(sorted.length / batchCount);
  const batches: string[][] = [];
  for (let i = 0; i < sorted.length; i += batchSize) batches.push(sorted.slice(i, i + batchSize));
  const fittingHours = Math.floor(TARGET_ROWS_PER_QUERY / (batchSize * combosPerGroupHour)) - 1;
  const sliceHours = Math.max(1, Math.min(MAX_QUERY_WINDOW_HOURS, fittingHours));
  const specs: ReportQuerySpec[] = [];
  for (let fromMs = window.fromMs; fromMs < window.toMs; fromMs += sliceHours * HOUR_MS) {
    const slice = { fromMs, toMs: Math.min(window.toMs, fromMs + sliceHours * HOUR_MS) };
    for (const batch of batches) specs.push({ logGroupNames: batch, window: slice });
  }
  return specs;
}

/**
 * Halves a query whose result hit the row limit: the window at an hour boundary while it
 * spans more than one hour, else the log groups. Null when it is one group over one hour
 * (nothing left to split).
 */
export function splitReportQuery(spec: ReportQuerySpec): [ReportQuerySpec, ReportQuerySpec] | null {
  const hours = Math.ceil((spec.window.toMs - spec.window.fromMs) / HOUR_MS);
  if (hours > 1) {
    const middleMs = spec.window.fromMs + Math.floor(hours / 2) * HOUR_MS;
    return [
      { logGroupNames: spec.logGroupNames, window: { fromMs: spec.window.fromMs, toMs: middleMs } },
      { logGroupNames: spec.logGroupNames, window: { fromMs: middleMs, toMs: spec.window.toMs } },
    ];
  }
  if (spec.logGroupNames.length > 1) {
    const middle = Math.ceil(spec.logGroupNames.length / 2);
    return [
      { logGroupNames: spec.logGroupNames.slice(0, middle), window: spec.window },
      { logGroupNames: spec.logGroupNames.slice(middle), window: spec.window },
    ];
  }
  return null;
}

/** Log groups named in a message before the rest are counted. */
const NAMED_GROUPS = 3;

/**
 * `/aws/lambda/a, /aws/lambda/b, /aws/lambda/c and 12 more, 2026-11-26T00:00Z–2026-11-27T00:00Z`:
 * a query for error messages and warnings.
 */
export function describeReportQuery(spec: ReportQuerySpec): string {
  const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 16)}Z`;
  const named = spec.logGroupNames.slice(0, NAMED_GROUPS).join(", ");
  const rest = spec.logGroupNames.length - NAMED_GROUPS;
  return `${named}${rest > 0 ? ` and ${rest} more` : ""}, ${iso(spec.window.fromMs)}–${iso(spec.window.toMs)}`;
}
