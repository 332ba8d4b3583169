import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { idleCapacityOf, meanUtilisationRatio } from "@/lib/domain/cost/idle-capacity";
import { DAY_MS, MINUTE_MS } from "@/lib/domain/shared/time";

const DAY = { fromMs: Date.UTC(2026, 10, 26), toMs: Date.UTC(2026, 10, 26) + DAY_MS };

/** One datapoint per minute of the day where `valueAt(minute)` is not null. */
function minutes(valueAt: (minute: number) => number | null) {
  const points: { timestampMs: number; value: number }[] = [];
  for (let m = 0; m < 1440; m++) {
    const value = valueAt(m);
    if (value !== null) points.push({ timestampMs: DAY.fromMs + m * MINUTE_MS, value });
  }
  return points;
}

/**
 * FACTS.md §2: provisioned concurrency allocated costs $0.0000041667 per GB-s (x86_64,
 * us-east-1). 50 environments × 1 GB (1024 MB) × 86,400 s = 4,320,000 GB-s a day
 * → 4,320,000 × 4.1667 µUSD = 18,000,144 µUSD ($18.000144).
 */
const PC_GB_SECONDS_PER_DAY = 50 * (1024 / 1024) * 86_400;
const PC_MICRO_USD_PER_DAY = (PC_GB_SECONDS_PER_DAY * 41_667) / 10_000;

describe("meanUtilisationRatio (ProvisionedConcurrencyUtilization, Maximum, a 0..1 ratio)", () => {
  it("a datapoint every minute at 0.25 → 0.25", () => {
    expect(meanUtilisationRatio(minutes(() => 0.25), DAY, MINUTE_MS)).toBeCloseTo(0.25, 12);
  });

  it("minutes without a datapoint count as unused: 0.5 during half of the minutes → 0.25", () => {
    expect(meanUtilisationRatio(minutes((m) => (m % 2 === 0 ? 0.5 : null)), DAY, MINUTE_MS)).toBeCloseTo(0.25, 12);
  });

  it("no datapoint at all → null (no data is not idle)", () => {
    expect(meanUtilisationRatio([], DAY, MINUTE_MS)).toBeNull();
    const outside = [{ timestampMs: DAY.toMs, value: 1 }, { timestampMs: DAY.fromMs - 1, value: 1 }];
    expect(meanUtilisationRatio(outside, DAY, MINUTE_MS)).toBeNull();
  });

  it("ignores points outside the window and non-finite values; clamps values to 0..1", () => {
    const points = [
      { timestampMs: DAY.fromMs, value: 1.7 }, // clamped to 1
      { timestampMs: DAY.fromMs + MINUTE_MS, value: -0.3 }, // clamped to 0
      { timestampMs: DAY.fromMs + 2 * MINUTE_MS, value: Number.NaN },
      { timestampMs: DAY.toMs, value: 1 }, // the next day
    ];
    expect(meanUtilisationRatio(points, DAY, MINUTE_MS)).toBeCloseTo(1 / 1440, 15);
  });

  it("two datapoints of one minute count once, as their maximum", () => {
    const points = [
      { timestampMs: DAY.fromMs, value: 0.4 },
      { timestampMs: DAY.fromMs + 10_000, value: 0.9 },
      { timestampMs: DAY.fromMs, value: 0.4 },
    ];
    expect(meanUtilisationRatio(points, { fromMs: DAY.fromMs, toMs: DAY.fromMs + 2 * MINUTE_MS }, MINUTE_MS)).toBeCloseTo(0.45, 12);
  });

  it("a window that is not a whole number of steps counts the partial step", () => {
    // 90 s at 60 s steps: 2 steps; one datapoint of 1 → 0.5.
    expect(meanUtilisationRatio([{ timestampMs: 0, value: 1 }], { fromMs: 0, toMs: 90_000 }, MINUTE_MS)).toBe(0.5);
  });

  it("an empty window → null; a step that is not positive → RangeError", () => {
    expect(meanUtilisationRatio([{ timestampMs: 0, value: 1 }], { fromMs: 0, toMs: 0 }, MINUTE_MS)).toBeNull();
    expect(() => meanUtilisationRatio([], DAY, 0)).toThrow(RangeError);
    expect(() => meanUtilisationRatio([], DAY, Number.NaN)).toThrow(RangeError);
  });

  it("is always in 0..1 (or null)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ minute: fc.integer({ min: -10, max: 1450 }), value: fc.double({ noNaN: false }) }), { maxLength: 200 }),
        (raw) => {
          const points = raw.map((p) => ({ timestampMs: DAY.fromMs + p.minute * MINUTE_MS, value: p.value }));
          const mean = meanUtilisationRatio(points, DAY, MINUTE_MS);
          if (mean !== null) {
            expect(mean).toBeGreaterThanOrEqual(0);
            expect(mean).toBeLessThanOrEqual(1);
          }
        },
      ),
    );
  });
});

describe("idleCapacityOf", () => {
  it("payments-api: 50 PC (1 GB) for a day = 18,000,144 µUSD; at 25 % utilisation 75 % of it, 13,500,108 µUSD, is idle", () => {
    expect(PC_MICRO_USD_PER_DAY).toBe(18_000_144);
    const idle = idleCapacityOf({ functionName: "payments-api", tags: { team: "payments" }, provisionedMicroUsd: PC_MICRO_USD_PER_DAY, utilisationRatio: 0.25 });
    expect(idle).toEqual({
      functionName: "payments-api",
      tags: { team: "payments" },
      provisionedMicroUsd: 18_000_144,
      utilisationRatio: 0.25,
      idleMicroUsd: 13_500_108,
    });
  });

  it("from a day of per-minute utilisation to idle µUSD", () => {
    const utilisation = meanUtilisationRatio(minutes(() => 0.25), DAY, MINUTE_MS)!;
    expect(idleCapacityOf({ functionName: "payments-api", tags: {}, provisionedMicroUsd: 18_000_144, utilisationRatio: utilisation }).idleMicroUsd).toBe(13_500_108);
  });

  it.each([
    [0, 1_000, 1_000],
    [1, 1_000, 0],
    [1.5, 1_000, 0], // clamped to 1
    [-0.2, 1_000, 1_000], // clamped to 0
    [0.5, 3, 2], // 1.5 → ties to even: 2
    [0.5, 5, 2], // 2.5 → ties to even: 2
    [0.5, 1, 0], // 0.5 → ties to even: 0
    [0.1, 10, 9], // 10 × 0.9 = 9 (exactly as the float 0.1 is read: 8.999999999999999944… → 9)
  ])("utilisation %s of %s µUSD → %s µUSD idle (nearest, ties to even)", (utilisationRatio, provisionedMicroUsd, expected) => {
    expect(idleCapacityOf({ functionName: "f", tags: {}, provisionedMicroUsd, utilisationRatio }).idleMicroUsd).toBe(expected);
  });

  it("a credit or zero charge has nothing idle", () => {
    expect(idleCapacityOf({ functionName: "f", tags: {}, provisionedMicroUsd: -5_000, utilisationRatio: 0 }).idleMicroUsd).toBe(0);
    expect(idleCapacityOf({ functionName: "f", tags: {}, provisionedMicroUsd: 0, utilisationRatio: 0 }).idleMicroUsd).toBe(0);
  });

  it("rejects a fractional charge and a non-finite utilisation, naming the function", () => {
    expect(() => idleCapacityOf({ functionName: "payments-api", tags: {}, provisionedMicroUsd: 1.5, utilisationRatio: 0 })).toThrow(/payments-api/);
    expect(() => idleCapacityOf({ functionName: "payments-api", tags: {}, provisionedMicroUsd: 10, utilisationRatio: Number.NaN })).toThrow(RangeError);
  });

  it("idle is between 0 and the charge, and within half a µUSD of charge × (1 − utilisation)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.double({ min: -1, max: 2, noNaN: true }), (provisionedMicroUsd, utilisationRatio) => {
        const { idleMicroUsd, utilisationRatio: clamped } = idleCapacityOf({ functionName: "f", tags: {}, provisionedMicroUsd, utilisationRatio });
        expect(Number.isSafeInteger(idleMicroUsd)).toBe(true);
        expect(clamped).toBeGreaterThanOrEqual(0);
        expect(clamped).toBeLessThanOrEqual(1);
        if (provisionedMicroUsd <= 0) expect(idleMicroUsd).toBe(0);
        else {
          expect(idleMicroUsd).toBeGreaterThanOrEqual(0);
          expect(idleMicroUsd).toBeLessThanOrEqual(provisionedMicroUsd);
          expect(Math.abs(idleMicroUsd - provisionedMicroUsd * (1 - clamped))).toBeLessThanOrEqual(0.5 + 1e-3);
        }
      }),
      { numRuns: 500 },
    );
  });
});
