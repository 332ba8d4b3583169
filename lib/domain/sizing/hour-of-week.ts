import { DAY_MS, HOUR_MS, floorToHourMs } from "@/lib/domain/shared/time";
import type { PeriodSample } from "@/lib/domain/sizing/tuning-types";

/**
 * When a function is busy: its concurrency and traffic by hour of the week and hour of the
 * day (UTC). Provisioned concurrency is sized from these — a schedule follows the daily
 * shape, a fixed level must cover the busiest slot — so each slot keeps the highest value
 * seen across the weeks (days) and a high percentile of them, which ignores one odd spike.
 */

export const HOURS_PER_WEEK = 168;
export const HOURS_PER_DAY = 24;
const WEEK_MS = 7 * DAY_MS;
/** Epoch 0 was a Thursday; the first Monday 00:00 UTC came 4 days later. */
const FIRST_MONDAY_MS = 4 * DAY_MS;
/** The percentile of a slot's hours kept next to its maximum. */
export const SLOT_PERCENTILE = 0.9;

/** One slot (an hour of the week, or of the day) over every week (day) of the series. */
export interface ProfileSlot {
  /** 0..167 (hour of week, Monday 00:00 UTC = 0) or 0..23 (hour of the UTC day). */
  slot: number;
  /** Hours of the series that fell in this slot. */
  hours: number;
  /** Highest ConcurrentExecutions (Maximum) in any of them; 0 without hours. */
  concurrencyMax: number;
  /** SLOT_PERCENTILE (nearest rank) of the hours' concurrency maxima. */
  concurrencyP90: number;
  /** Mean invocations per hour in this slot. */
  meanInvocations: number;
}

/** Hour of the UTC week of an instant: Monday 00:00–00:59 = 0, Sunday 23:00–23:59 = 167. */
export function hourOfWeek(epochMs: number): number {
  const intoWeek = (((epochMs - FIRST_MONDAY_MS) % WEEK_MS) + WEEK_MS) % WEEK_MS;
  return Math.floor(intoWeek / HOUR_MS);
}

/** Hour of the UTC day of an instant, 0..23. */
export function hourOfDay(epochMs: number): number {
  return Math.floor(((((epochMs % DAY_MS) + DAY_MS) % DAY_MS)) / HOUR_MS);
}

/** One clock hour of the series: minutes are folded into their hour (max concurrency, summed invocations). */
interface ClockHour {
  startMs: number;
  concurrencyMax: number;
  invocations: number;
}

/**
 * Folds periods (hours or minutes) into clock hours. A missing ConcurrentExecutions datapoint
 * counts as 0: CloudWatch publishes nothing while nothing runs.
 */
export function foldIntoHours(samples: readonly PeriodSample[]): ClockHour[] {
  const byHour = new Map<number, ClockHour>();
  for (const s of samples) {
    const startMs = floorToHourMs(s.startMs);
    const hour = byHour.get(startMs) ?? { startMs, concurrencyMax: 0, invocations: 0 };
    hour.concurrencyMax = Math.max(hour.concurrencyMax, s.concurrencyMax ?? 0);
    hour.invocations += s.invocations;
    byHour.set(startMs, hour);
  }
  return [...byHour.values()].sort((a, b) => a.startMs - b.startMs);
}

/** Nearest-rank quantile of values (0 for none). */
export function nearestRank(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

function buildProfile(samples: readonly PeriodSample[], slots: number, slotOf: (ms: number) => number): ProfileSlot[] {
  const groups: ClockHour[][] = Array.from({ length: slots }, () => []);
  for (const hour of foldIntoHours(samples)) groups[slotOf(hour.startMs)]!.push(hour);
  return groups.map((hours, slot) => ({
    slot,
    hours: hours.length,
    concurrencyMax: hours.reduce((max, h) => Math.max(max, h.concurrencyMax), 0),
    concurrencyP90: nearestRank(
      hours.map((h) => h.concurrencyMax),
      SLOT_PERCENTILE,
    ),
    meanInvocations: hours.length > 0 ? hours.reduce((sum, h) => sum + h.invocations, 0) / hours.length : 0,
  }));
}

/** The 168-slot hour-of-week profile of a series (UTC, Monday 00:00 = slot 0). */
export function buildHourOfWeekProfile(samples: readonly PeriodSample[]): ProfileSlot[] {
  return buildProfile(samples, HOURS_PER_WEEK, hourOfWeek);
}

/** The 24-slot hour-of-day profile (UTC): what a daily provisioned-concurrency schedule follows. */
export function buildHourOfDayProfile(samples: readonly PeriodSample[]): ProfileSlot[] {
  return buildProfile(samples, HOURS_PER_DAY, hourOfDay);
}
