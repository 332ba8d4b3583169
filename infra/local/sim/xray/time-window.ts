import { MINUTES_PER_DAY, firstUnpublishedMinute, toEpochMinute } from "../model/time";
import { XRayRequestError } from "./xray-errors";

/**
 * The time rules X-Ray requests share: StartTime before EndTime, at most 24 hours apart (the
 * X-Ray console and API work in windows of up to a day; longer windows are refused), traces
 * kept for 30 days, and only minutes already published (the same ingestion delay as
 * CloudWatch, so X-Ray never shows requests CloudWatch has not counted yet).
 */

export const MAX_WINDOW_SECONDS = 24 * 3600;
export const RETENTION_DAYS = 30;

/**
 * Checks a request's window.
 * @throws XRayRequestError when EndTime is not after StartTime or the window exceeds 24 hours.
 */
export function checkWindow(startSec: number, endSec: number): void {
  if (!Number.isFinite(startSec) || !Number.isFinite(endSec)) throw new XRayRequestError("StartTime and EndTime must be epoch seconds.");
  if (!(endSec > startSec)) throw new XRayRequestError("EndTime must be later than StartTime.");
  if (endSec - startSec > MAX_WINDOW_SECONDS) {
    throw new XRayRequestError(`The time range between StartTime and EndTime must not exceed 24 hours (got ${((endSec - startSec) / 3600).toFixed(2)} hours).`);
  }
}

/** Minutes [from, to) of a window that hold published, retained data at `nowMs`. */
export function availableMinutes(fromMinute: number, toMinute: number, nowMs: number): { from: number; to: number } {
  const oldest = toEpochMinute(nowMs) - RETENTION_DAYS * MINUTES_PER_DAY;
  const from = Math.max(fromMinute, oldest);
  const to = Math.min(toMinute, firstUnpublishedMinute(nowMs));
  return { from, to: Math.max(from, to) };
}

/** Whether epoch minute `minute` holds published, retained data at `nowMs`. */
export function isAvailableMinute(minute: number, nowMs: number): boolean {
  const { from, to } = availableMinutes(minute, minute + 1, nowMs);
  return to > from;
}
