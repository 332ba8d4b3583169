import type { EventEffect, FleetEvent } from "./fleet";
import { RandomStream, uniformAt } from "./random";
import { MINUTES_PER_DAY, dayOfWeekUtc } from "./time";

const NO_EFFECT: EventEffect = Object.freeze({ rateMultiplier: 1, errorRatio: undefined, durationMultiplier: 1, tailMultiplier: 1 });

/**
 * Start minute of the occurrence of `event` on epoch day `day`, or undefined if it does not
 * occur that day. Random schedules place at most one occurrence per day, by the seed.
 */
export function eventStartOnDay(event: FleetEvent, day: number, seed: number): number | undefined {
  const schedule = event.schedule;
  switch (schedule.kind) {
    case "at":
      return Math.floor(schedule.startMinute / MINUTES_PER_DAY) === day ? schedule.startMinute : undefined;
    case "daily": {
      const start = day * MINUTES_PER_DAY + schedule.minuteOfDay;
      if (schedule.daysOfWeek !== undefined && !schedule.daysOfWeek.has(dayOfWeekUtc(start))) return undefined;
      return start;
    }
    case "random": {
      const occurs = uniformAt(seed, event.nameHash, day, RandomStream.eventOccurrence) < schedule.perWeek / 7;
      if (!occurs) return undefined;
      const offset = Math.floor(uniformAt(seed, event.nameHash, day, RandomStream.eventStart) * MINUTES_PER_DAY);
      return day * MINUTES_PER_DAY + offset;
    }
  }
}

/** One occurrence of an event: active for minutes in [startMinute, endMinute). */
export interface EventWindow {
  startMinute: number;
  endMinute: number;
  effect: EventEffect;
}

/**
 * Occurrences of `events` that overlap [fromMinute, toMinute), computed once per range so the
 * per-minute loop only compares numbers. Occurrences last at most a day, so one that started
 * the day before the range may still be running.
 */
export function eventWindows(events: readonly FleetEvent[], fromMinute: number, toMinute: number, seed: number): EventWindow[] {
  const windows: EventWindow[] = [];
  const firstDay = Math.floor(fromMinute / MINUTES_PER_DAY) - 1;
  const lastDay = Math.floor((toMinute - 1) / MINUTES_PER_DAY);
  for (const event of events) {
    for (let day = firstDay; day <= lastDay; day++) {
      const start = eventStartOnDay(event, day, seed);
      if (start === undefined) continue;
      const end = start + event.durationMinutes;
      if (end > fromMinute && start < toMinute) windows.push({ startMinute: start, endMinute: end, effect: event.effect });
    }
  }
  return windows;
}

/** Combined effect of the windows active at `epochMinute` (multipliers multiply; the highest error ratio wins). */
export function effectAt(windows: readonly EventWindow[], epochMinute: number): EventEffect {
  let effect: EventEffect | undefined;
  for (const window of windows) {
    if (epochMinute < window.startMinute || epochMinute >= window.endMinute) continue;
    effect ??= { ...NO_EFFECT };
    effect.rateMultiplier *= window.effect.rateMultiplier;
    effect.durationMultiplier *= window.effect.durationMultiplier;
    effect.tailMultiplier *= window.effect.tailMultiplier;
    if (window.effect.errorRatio !== undefined) {
      effect.errorRatio = Math.max(effect.errorRatio ?? 0, window.effect.errorRatio);
    }
  }
  return effect ?? NO_EFFECT;
}

/** Combined effect of the events active at `epochMinute`. */
export function eventEffectAt(events: readonly FleetEvent[], epochMinute: number, seed: number): EventEffect {
  return effectAt(eventWindows(events, epochMinute, epochMinute + 1, seed), epochMinute);
}
