import { describe, expect, it } from "vitest";
import {
  assessAccountConcurrencyHeadroom,
  assessConcurrencyHeadroom,
  findPeak,
  type ConcurrencyHeadroomInput,
} from "@/lib/domain/metrics/concurrency-headroom";

const T0 = Date.UTC(2026, 10, 24, 0, 0);
const MIN = 60_000;
const window = { fromMs: T0, toMs: T0 + 60 * MIN };
const pt = (minute: number, value: number) => ({ timestampMs: T0 + minute * MIN, value });
/** A minute series with these values from minute 0 on. */
const series = (...values: number[]) => values.map((v, i) => pt(i, v));

function input(overrides: Partial<ConcurrencyHeadroomInput>): ConcurrencyHeadroomInput {
  return {
    functionConcurrency: [],
    regionUnreservedConcurrency: [],
    reservedConcurrency: null,
    unreservedPoolExecutions: null,
    throttles: 0,
    window,
    ...overrides,
  };
}

describe("findPeak", () => {
  it("takes the highest datapoint inside the window, the first one on ties", () => {
    expect(findPeak([pt(-1, 99), pt(3, 7), pt(5, 9), pt(8, 9), pt(60, 100)], window)).toEqual({ value: 9, atMs: T0 + 5 * MIN });
  });

  it("says null, not zero, without datapoints", () => {
    expect(findPeak([pt(-5, 4)], window)).toBeNull();
  });
});

describe("assessConcurrencyHeadroom", () => {
  it.each([
    // reservation, peak → status, headroom, used ratio
    { reserved: 60, peak: 60, status: "at-limit", headroom: 0, usedRatio: 1 },
    { reserved: 100, peak: 19, status: "ok", headroom: 81, usedRatio: 0.19 },
    { reserved: 100, peak: 80, status: "near-limit", headroom: 20, usedRatio: 0.8 },
    { reserved: 100, peak: 79, status: "ok", headroom: 21, usedRatio: 0.79 },
    { reserved: 5, peak: 5, status: "at-limit", headroom: 0, usedRatio: 1 },
  ] as const)("reserved $reserved, peak $peak → $status", ({ reserved, peak, status, headroom, usedRatio }) => {
    const result = assessConcurrencyHeadroom(input({ functionConcurrency: series(1, peak, 2), reservedConcurrency: reserved, unreservedPoolExecutions: 785 }));
    expect(result).toMatchObject({ kind: "assessed", ceiling: { kind: "reserved", executions: reserved }, status, headroomExecutions: headroom, usedBy: "function" });
    if (result.kind !== "assessed") throw new Error("expected an assessment");
    expect(result.usedRatio).toBeCloseTo(usedRatio, 12);
    expect(result.headroomRatio).toBeCloseTo(1 - usedRatio, 12);
    expect(result.functionPeak).toEqual({ value: peak, atMs: T0 + MIN });
  });

  it("measures a function without a reservation against the shared pool, as used by every unreserved function", () => {
    // FACTS §4: at least 100 of the account's 1,000 must stay unreserved; this account has 785 left.
    const result = assessConcurrencyHeadroom(
      input({ functionConcurrency: series(4, 9, 3), regionUnreservedConcurrency: series(30, 47, 20), unreservedPoolExecutions: 785 }),
    );
    expect(result).toMatchObject({
      kind: "assessed",
      ceiling: { kind: "unreserved-pool", executions: 785 },
      functionPeak: { value: 9 },
      peakUsedExecutions: 47,
      usedBy: "all-unreserved-functions",
      headroomExecutions: 738,
      status: "ok",
    });
  });

  it("falls back to the function's own peak when the region's pool series is missing", () => {
    const result = assessConcurrencyHeadroom(input({ functionConcurrency: series(90, 95), unreservedPoolExecutions: 100 }));
    expect(result).toMatchObject({ kind: "assessed", peakUsedExecutions: 95, usedBy: "function", headroomExecutions: 5, status: "near-limit" });
  });

  it("keeps the throttles it is given, so a ceiling that was hit shows as hit", () => {
    const result = assessConcurrencyHeadroom(input({ functionConcurrency: series(60), reservedConcurrency: 60, throttles: 3647 }));
    expect(result).toMatchObject({ kind: "assessed", status: "at-limit", throttles: 3647 });
  });

  it("treats reserved concurrency 0 (the function switched off) as at the limit", () => {
    expect(assessConcurrencyHeadroom(input({ functionConcurrency: series(0), reservedConcurrency: 0 }))).toMatchObject({ kind: "assessed", status: "at-limit", usedRatio: 1 });
  });

  it.each([
    ["no datapoint in the window", input({ functionConcurrency: [pt(-10, 5)], reservedConcurrency: 10 }), /no ConcurrentExecutions datapoints/],
    ["no reservation and no account settings", input({ functionConcurrency: series(5) }), /GetAccountSettings/],
  ])("cannot say with %s", (_, given, reason) => {
    const result = assessConcurrencyHeadroom(given);
    expect(result.kind).toBe("insufficient-data");
    if (result.kind === "insufficient-data") expect(result.reason).toMatch(reason);
  });
});

describe("assessAccountConcurrencyHeadroom", () => {
  it("compares the peak claimed concurrency with the regional limit (1,000 by default)", () => {
    const result = assessAccountConcurrencyHeadroom({ claimedConcurrency: series(250, 300, 280), limitExecutions: 1000, window });
    expect(result).toMatchObject({ kind: "assessed", limitExecutions: 1000, peakClaimed: { value: 300 }, headroomExecutions: 700, status: "ok" });
  });

  it("is near the limit from 80 % claimed", () => {
    expect(assessAccountConcurrencyHeadroom({ claimedConcurrency: series(850), limitExecutions: 1000, window })).toMatchObject({ status: "near-limit" });
  });

  it("cannot say without the limit or without datapoints", () => {
    expect(assessAccountConcurrencyHeadroom({ claimedConcurrency: series(300), limitExecutions: null, window }).kind).toBe("insufficient-data");
    expect(assessAccountConcurrencyHeadroom({ claimedConcurrency: [], limitExecutions: 1000, window }).kind).toBe("insufficient-data");
  });
});
