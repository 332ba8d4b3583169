import { describe, expect, it } from "vitest";
import { recommendReservedConcurrency } from "@/lib/domain/sizing/reserved-concurrency";
import type { SizingInput } from "@/lib/domain/sizing/tuning-types";
import { aDurationModel, aSizingInput, diurnalHours } from "@/tests/builders/concurrency-sizing";
import { aFunction } from "@/tests/builders/function-config";

const model = aDurationModel({ memoryMb: 128, meanDurationMs: 400, cpuShare: 0.7 });

/** notifications-worker: reserved 60 (protects the e-mail provider), throttled at the evening peak. */
function worker(overrides: Partial<SizingInput> = {}): SizingInput {
  return aSizingInput({
    fn: aFunction({ functionName: "notifications-worker", memoryMb: 128, reservedConcurrency: 60 }),
    hours: diurnalHours({ peakConcurrency: 60, troughConcurrency: 10, durationMs: 400, throttlesAt: (_, c) => (c >= 60 ? 1_500 : 0) }),
    ...overrides,
  });
}

describe("recommendReservedConcurrency — a cap that throttles", () => {
  it("raises the cap to cover the peak demand with headroom, and names the downstream trade-off", () => {
    const { recommendation: rec, note } = recommendReservedConcurrency(worker(), model);
    expect(note).toBeNull();
    expect(rec?.finding).toBe("reserved-concurrency-throttling");
    expect(rec?.id).toBe("123456789012/us-east-1/notifications-worker/reserved-concurrency");
    // Peak demand = 60 × (ran + throttled) / ran; the cap keeps it at 80 %.
    const peak = diurnalHours({ peakConcurrency: 60, troughConcurrency: 10, durationMs: 400 }).find((h) => h.concurrencyMax === 60)!;
    const demand = (60 * (peak.invocations + 1_500)) / peak.invocations;
    expect(rec?.change).toEqual({ kind: "reserved-concurrency", executions: Math.ceil(demand / 0.8) });
    expect(rec?.revert).toEqual({ kind: "reserved-concurrency", executions: 60 });
    expect(rec?.effects.throttlesPerDay?.current).toBeCloseTo(1_500, 6);
    expect(rec?.effects.throttlesPerDay?.projected.expected).toBe(0);
    expect(rec?.summary).toMatch(/downstream/);
    expect(rec?.assumptions.join(" ")).toMatch(/protect a downstream/);
    expect(rec?.monthlyCost.deltaUsd.expected).toBeGreaterThan(0);
    expect(rec?.riskUnits).toBeGreaterThanOrEqual(2);
  });

  it("stays within the account pool: limit − reserved by others − proposed ≥ 100", () => {
    const { recommendation: rec } = recommendReservedConcurrency(worker({ reservedByOthers: 830 }), model);
    expect(rec?.change).toEqual({ kind: "reserved-concurrency", executions: 70 });
    expect(rec?.evidence.join(" ")).toMatch(/raised as far as it can go/);
  });

  it("says the account has no room when the pool is already at its minimum", () => {
    const { recommendation, note } = recommendReservedConcurrency(worker({ reservedByOthers: 840 }), model);
    expect(recommendation).toBeNull();
    expect(note).toMatch(/request a higher concurrency quota/);
  });

  it("does nothing when the cap did not throttle, or throttles happened below it", () => {
    const calm = worker({ hours: diurnalHours({ peakConcurrency: 40, troughConcurrency: 10, durationMs: 400 }) });
    expect(recommendReservedConcurrency(calm, model)).toEqual({ recommendation: null, note: expect.stringMatching(/did not throttle/) });
    const elsewhere = worker({ hours: diurnalHours({ peakConcurrency: 40, troughConcurrency: 10, durationMs: 400, throttlesAt: (h) => (h === 19 ? 500 : 0) }) });
    expect(recommendReservedConcurrency(elsewhere, model).note).toMatch(/never with concurrency at the cap/);
  });

  it("does nothing about throttling too rare to matter (under ten a day)", () => {
    const rare = worker({ hours: diurnalHours({ peakConcurrency: 60, troughConcurrency: 10, durationMs: 400, throttlesAt: (h, c) => (h === 19 && c >= 60 ? 3 : 0) }) });
    expect(recommendReservedConcurrency(rare, model)).toEqual({ recommendation: null, note: expect.stringMatching(/too rare to be worth raising the cap/) });
  });
});

describe("recommendReservedConcurrency — a missing cap", () => {
  it("recommends nothing without pool pressure", () => {
    const input = aSizingInput({ hours: diurnalHours({ peakConcurrency: 30, troughConcurrency: 5, durationMs: 100 }) });
    const { recommendation, note } = recommendReservedConcurrency(input, model);
    expect(recommendation).toBeNull();
    expect(note).toMatch(/No reserved concurrency needed/);
  });

  it("recommends nothing without the account's settings", () => {
    const input = aSizingInput({ account: null, hours: diurnalHours({ peakConcurrency: 30, troughConcurrency: 5, durationMs: 100 }) });
    expect(recommendReservedConcurrency(input, model).note).toMatch(/not collected/);
  });

  it("caps a function whose burst takes most of the unreserved pool at its usual peak", () => {
    // search-indexer: usually ≤ 40, one day's re-index bursts to 700 of the 790 unreserved.
    const hours = diurnalHours({ peakConcurrency: 40, troughConcurrency: 10, durationMs: 100 }).map((h, i) => (i >= 24 * 9 && i < 24 * 9 + 6 ? { ...h, concurrencyMax: 700, invocations: h.invocations * 20 } : h));
    const input = aSizingInput({ fn: aFunction({ functionName: "search-indexer" }), hours });
    const { recommendation: rec } = recommendReservedConcurrency(input, model);
    expect(rec?.finding).toBe("reserved-concurrency-missing");
    expect(rec?.change).toEqual({ kind: "reserved-concurrency", executions: 50 });
    expect(rec?.revert).toEqual({ kind: "reserved-concurrency", executions: null });
    expect(rec?.monthlyCost.deltaUsd.expected).toBe(0);
    expect(rec?.effects.throttlesPerDay?.projected.expected).toBeGreaterThan(0);
    expect(rec?.confidence).not.toBe("high");
  });

  it("does not cap a function whose usual load is that high", () => {
    const input = aSizingInput({ hours: diurnalHours({ peakConcurrency: 700, troughConcurrency: 500, durationMs: 100 }) });
    const { recommendation, note } = recommendReservedConcurrency(input, model);
    expect(recommendation).toBeNull();
    expect(note).toMatch(/raise the account quota/);
  });
});
