/** Milliseconds in one minute / hour / day: named so call sites read as units. */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Floors an epoch-millisecond instant to the start of its UTC minute. */
export function floorToMinuteMs(epochMs: number): number {
  return Math.floor(epochMs / MINUTE_MS) * MINUTE_MS;
}

/** Floors an epoch-millisecond instant to the start of its UTC hour. */
export function floorToHourMs(epochMs: number): number {
  return Math.floor(epochMs / HOUR_MS) * HOUR_MS;
}

/** A half-open interval [fromMs, toMs) of epoch milliseconds. */
export interface TimeWindow {
  fromMs: number;
  toMs: number;
}

/**
 * Splits a window into consecutive slices of at most `sliceMs`, aligned to the window start.
 * Empty when the window is empty. Used to bound the size of one collection step.
 */
export function sliceWindow(window: TimeWindow, sliceMs: number): TimeWindow[] {
  if (sliceMs <= 0) throw new RangeError(`sliceMs must be positive, got ${sliceMs}`);
  const slices: TimeWindow[] = [];
  for (let from = window.fromMs; from < window.toMs; from += sliceMs) {
    slices.push({ fromMs: from, toMs: Math.min(from + sliceMs, window.toMs) });
  }
  return slices;
}
