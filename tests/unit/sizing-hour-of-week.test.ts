import { describe, expect, it } from "vitest";
import { HOUR_MS, MINUTE_MS } from "@/lib/domain/shared/time";
import { buildHourOfDayProfile, buildHourOfWeekProfile, hourOfDay, hourOfWeek } from "@/lib/domain/sizing/hour-of-week";
import type { PeriodSample } from "@/lib/domain/sizing/tuning-types";
import { LOOKBACK_START_MS } from "@/tests/builders/concurrency-sizing";

function sample(startMs: number, concurrencyMax: number | null, invocations = 10): PeriodSample {
  return { startMs, invocations, errors: 0, throttles: 0, durationAvgMs: 100, durationP50Ms: 80, durationP99Ms: 300, concurrencyMax };
}

describe("hourOfWeek", () => {
  it.each([
    ["Monday 00:00", Date.UTC(2026, 10, 2, 0), 0],
    ["Monday 00:59", Date.UTC(2026, 10, 2, 0, 59), 0],
    ["Tuesday 01:00", Date.UTC(2026, 10, 3, 1), 25],
    ["Sunday 23:30", Date.UTC(2026, 10, 8, 23, 30), 167],
    ["the next Monday", Date.UTC(2026, 10, 9, 0), 0],
    ["before 1970", Date.UTC(1969, 11, 29, 5), 5],
  ])("%s → slot %i", (_, ms, slot) => {
    expect(hourOfWeek(ms)).toBe(slot);
  });

  it("hourOfDay is the UTC hour", () => {
    expect(hourOfDay(Date.UTC(2026, 10, 5, 19, 45))).toBe(19);
  });
});

describe("buildHourOfWeekProfile", () => {
  it("keeps per slot the max, the p90 across weeks and the mean invocations", () => {
    // Ten weeks of Monday 09:00 with concurrency 1..10; one week of Tuesday 00:00.
    const samples = Array.from({ length: 10 }, (_, w) => sample(LOOKBACK_START_MS + w * 7 * 24 * HOUR_MS + 9 * HOUR_MS, w + 1, (w + 1) * 100));
    samples.push(sample(LOOKBACK_START_MS + 24 * HOUR_MS, 3));
    const profile = buildHourOfWeekProfile(samples);
    expect(profile).toHaveLength(168);
    expect(profile[9]).toEqual({ slot: 9, hours: 10, concurrencyMax: 10, concurrencyP90: 9, meanInvocations: 550 });
    expect(profile[24]!.concurrencyMax).toBe(3);
    expect(profile[0]).toEqual({ slot: 0, hours: 0, concurrencyMax: 0, concurrencyP90: 0, meanInvocations: 0 });
  });

  it("folds minutes into their hour (max concurrency, summed invocations) and reads a missing datapoint as 0", () => {
    const samples = [sample(LOOKBACK_START_MS + 5 * MINUTE_MS, 4, 7), sample(LOOKBACK_START_MS + 6 * MINUTE_MS, 9, 3), sample(LOOKBACK_START_MS + HOUR_MS, null, 0)];
    const profile = buildHourOfWeekProfile(samples);
    expect(profile[0]).toMatchObject({ hours: 1, concurrencyMax: 9, meanInvocations: 10 });
    expect(profile[1]).toMatchObject({ hours: 1, concurrencyMax: 0 });
  });
});

describe("buildHourOfDayProfile", () => {
  it("has 24 slots, each over every day of the series", () => {
    const samples = Array.from({ length: 3 * 24 }, (_, i) => sample(LOOKBACK_START_MS + i * HOUR_MS, (i % 24) + Math.floor(i / 24)));
    const profile = buildHourOfDayProfile(samples);
    expect(profile).toHaveLength(24);
    expect(profile[19]).toMatchObject({ slot: 19, hours: 3, concurrencyMax: 21, concurrencyP90: 21 });
    expect(profile[0]).toMatchObject({ hours: 3, concurrencyMax: 2 });
  });
});
