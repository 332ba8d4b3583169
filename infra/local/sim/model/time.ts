/** Time helpers on epoch minutes (minutes since 1970-01-01T00:00Z), the model's clock unit. */

export const MS_PER_MINUTE = 60_000;
export const MINUTES_PER_DAY = 1440;
export const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

/** Epoch minute containing the instant `epochMs`. */
export function toEpochMinute(epochMs: number): number {
  return Math.floor(epochMs / MS_PER_MINUTE);
}

/** Day of week in UTC, 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function dayOfWeekUtc(epochMinute: number): number {
  const day = Math.floor(epochMinute / MINUTES_PER_DAY);
  return (((day + 4) % 7) + 7) % 7;
}

/**
 * The first minute CloudWatch has not published yet at `nowMs`: the minute in progress and
 * the one just completed are withheld (about one minute of ingestion delay, as on AWS).
 */
export function firstUnpublishedMinute(nowMs: number): number {
  return toEpochMinute(nowMs) - 1;
}
