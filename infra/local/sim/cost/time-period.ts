import { firstUnpublishedMinute, MS_PER_MINUTE } from "../model/time";
import { validationError } from "./cost-errors";

/**
 * Cost Explorer time periods: `Start` inclusive, `End` exclusive, as `YYYY-MM-DD` or (HOURLY)
 * `YYYY-MM-DDThh:mm:ssZ`, split into the result periods of a granularity. Monthly periods
 * follow calendar months, clipped to the requested range.
 */

export const GRANULARITIES = ["DAILY", "MONTHLY", "HOURLY"] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

/** One result period: [startMs, endMs), with its labels as the response shows them. */
export interface CostPeriod {
  startMs: number;
  endMs: number;
  start: string;
  end: string;
}

const DATE_OR_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})Z)?$/;

/**
 * Parses one bound of a time period.
 * @throws CostExplorerError (ValidationException) for malformed or impossible dates, and for
 * HOURLY bounds that are not whole hours in the `yyyy-MM-ddTHH:mm:ssZ` form.
 */
export function parseBound(text: string, granularity: Granularity, name: "Start" | "End"): number {
  const match = DATE_OR_TIME.exec(text);
  if (match === null) throw validationError(`${name} date ${text} is not a valid date: use yyyy-MM-dd (or yyyy-MM-dd'T'HH:mm:ss'Z' for HOURLY).`);
  const [, y, mo, d, h, mi, s] = match;
  const hasTime = h !== undefined;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
  const date = new Date(ms);
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d) || Number(h ?? 0) > 23) {
    throw validationError(`${name} date ${text} is not a valid date.`);
  }
  if (granularity === "HOURLY") {
    if (!hasTime) throw validationError(`Time period format should be yyyy-MM-dd'T'HH:mm:ss'Z' for HOURLY granularity (${name} is ${text}).`);
    if (ms % MS_PER_HOUR !== 0) throw validationError(`${name} ${text} must be a whole hour for HOURLY granularity.`);
  } else if (ms % MS_PER_DAY !== 0) {
    throw validationError(`${name} ${text} must be a whole day for ${granularity} granularity.`);
  }
  return ms;
}

/** `YYYY-MM-DD` of a UTC instant. */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `YYYY-MM-DDThh:mm:ssZ` of a UTC instant. */
export function formatDateTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** The result periods of [startMs, endMs) at a granularity, oldest first. */
export function splitPeriods(startMs: number, endMs: number, granularity: Granularity): CostPeriod[] {
  const format = granularity === "HOURLY" ? formatDateTime : formatDate;
  const periods: CostPeriod[] = [];
  let from = startMs;
  while (from < endMs) {
    const to = Math.min(endMs, nextBoundary(from, granularity));
    periods.push({ startMs: from, endMs: to, start: format(from), end: format(to) });
    from = to;
  }
  return periods;
}

function nextBoundary(ms: number, granularity: Granularity): number {
  if (granularity === "HOURLY") return (Math.floor(ms / MS_PER_HOUR) + 1) * MS_PER_HOUR;
  if (granularity === "DAILY") return (Math.floor(ms / MS_PER_DAY) + 1) * MS_PER_DAY;
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

/**
 * The UTC midnight before which every day is final at `nowMs` (Cost Explorer's `Estimated`
 * is false for periods ending at or before it). A day is final once every minute of it is
 * published and it closed at least `settleMinutes` ago, so its amounts never change again:
 * complete days are computed from published minutes only, and writes shape only the minutes
 * from their own on.
 */
export function finalThroughMs(nowMs: number, settleMinutes: number): number {
  const publishedThroughMs = firstUnpublishedMinute(nowMs) * MS_PER_MINUTE;
  const settledThroughMs = nowMs - settleMinutes * MS_PER_MINUTE;
  return Math.floor(Math.min(publishedThroughMs, settledThroughMs) / MS_PER_DAY) * MS_PER_DAY;
}
