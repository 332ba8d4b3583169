import type { TrafficShape } from "../scenario-schema";
import { MINUTES_PER_DAY, dayOfWeekUtc } from "./time";

/**
 * Daily curve normalised to mean 1 over a day: a half-cosine from the trough up to the peak,
 * and another from the peak back down to the next trough. Each half-cosine segment averages
 * exactly to the midpoint of its ends, so with trough = 2/(1+r) and peak = 2r/(1+r) the mean
 * over a day is 1 whatever the segment lengths.
 * @param hourUtc fractional hour of the day, 0 ≤ hourUtc < 24.
 */
export function diurnalFactor(hourUtc: number, shape: TrafficShape): number {
  const ratio = shape.peakToTroughRatio;
  const risingHours = (((shape.peakHourUtc - shape.troughHourUtc) % 24) + 24) % 24;
  // Peak and trough at the same hour cannot describe a curve: treat the day as flat.
  if (ratio === 1 || risingHours === 0) return 1;
  const low = 2 / (1 + ratio);
  const high = (2 * ratio) / (1 + ratio);
  const sinceTrough = (((hourUtc - shape.troughHourUtc) % 24) + 24) % 24;
  if (sinceTrough < risingHours) {
    const x = sinceTrough / risingHours;
    return low + ((high - low) * (1 - Math.cos(Math.PI * x))) / 2;
  }
  const x = (sinceTrough - risingHours) / (24 - risingHours);
  return high - ((high - low) * (1 - Math.cos(Math.PI * x))) / 2;
}

/**
 * Day factor normalised so the mean over a week is 1: weekdays 7/(5 + 2w), weekend days
 * w·7/(5 + 2w), where w is the weekend factor.
 */
export function dayFactor(dayOfWeek: number, shape: TrafficShape): number {
  const weekday = 7 / (5 + 2 * shape.weekendFactor);
  const isWeekend = dayOfWeek === 0 || dayOfWeek === 6;
  return isWeekend ? weekday * shape.weekendFactor : weekday;
}

/** Half-width of the ramp between two day factors, so traffic does not jump at midnight UTC. */
const DAY_BLEND_MINUTES = 120;

/**
 * Relative traffic level (mean 1 over a week) at the start of an epoch minute: diurnal curve
 * times the weekday/weekend factor, the latter blended linearly over ±2 h around midnight
 * (symmetric, so the weekly mean stays 1).
 */
export function trafficShapeFactor(epochMinute: number, shape: TrafficShape): number {
  const minuteOfDay = ((epochMinute % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  const today = dayFactor(dayOfWeekUtc(epochMinute), shape);
  let weekly = today;
  if (minuteOfDay < DAY_BLEND_MINUTES) {
    const yesterday = dayFactor(dayOfWeekUtc(epochMinute - MINUTES_PER_DAY), shape);
    const weight = (minuteOfDay + DAY_BLEND_MINUTES) / (2 * DAY_BLEND_MINUTES);
    weekly = yesterday + (today - yesterday) * weight;
  } else if (minuteOfDay >= MINUTES_PER_DAY - DAY_BLEND_MINUTES) {
    const tomorrow = dayFactor(dayOfWeekUtc(epochMinute + MINUTES_PER_DAY), shape);
    const weight = (minuteOfDay - (MINUTES_PER_DAY - DAY_BLEND_MINUTES)) / (2 * DAY_BLEND_MINUTES);
    weekly = today + (tomorrow - today) * weight;
  }
  return diurnalFactor(minuteOfDay / 60, shape) * weekly;
}
