import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { FunctionDayUsage } from "@/lib/domain/cost/cost-types";
import { tieredDurationUsd, lambdaPricesFor } from "@/lib/domain/cost/lambda-price-book";
import { LambdaUsageModelError, functionDayUsage, priceLambdaUsage, usdToMicroUsdHalfEven } from "@/lib/domain/cost/lambda-usage-model";
import { billedDurationMs } from "@/infra/local/sim/logs/exact-log-records";
import { aFunction } from "@/tests/builders/function-config";
import { aReportStats } from "@/tests/builders/report-stats";

const DAY = Date.UTC(2026, 10, 20);
const HOUR = 3_600_000;
const NOV_1 = Date.UTC(2026, 10, 1);

/** FACTS.md §2 (us-east-1), USD. */
const X86_TIER_1 = 0.0000166667;
const X86_TIER_2 = 0.000015;
const ARM_TIER_1 = 0.0000133334;
const ARM_TIER_2 = 0.0000120001;

function usage(overrides: Partial<FunctionDayUsage> = {}): FunctionDayUsage {
  return {
    functionName: "fn",
    region: "us-east-1",
    architecture: "x86_64",
    dayMs: DAY,
    invocations: 0,
    onDemandGbSeconds: 0,
    provisionedDurationGbSeconds: 0,
    restoreGbSeconds: 0,
    provisionedAllocatedGbSeconds: 0,
    ephemeralGbSeconds: 0,
    coveredHours: 24,
    ...overrides,
  };
}

function component(cost: ReturnType<typeof priceLambdaUsage>[number], name: string): number {
  return cost.components.find((c) => c.component === name)!.microUsd;
}

describe("functionDayUsage", () => {
  it("the simulator's Billed Duration already holds an on-demand cold start's INIT, so INIT is not added again", () => {
    // What the simulator writes: ⌈Duration + Init Duration⌉ per cold invocation.
    expect(billedDurationMs(128.83, 166.62)).toBe(296);
    expect(billedDurationMs(128.83, undefined)).toBe(129);
    // One hour: 2 cold invocations like that and 8 warm ones of 100 ms at 1,024 MB.
    const stats = aReportStats({
      hourStartMs: DAY,
      memorySizeMb: 1024,
      invocations: 10,
      coldStarts: 2,
      initDurationMsSum: 2 * 166.62,
      durationMsSum: 2 * 128.83 + 8 * 99.5,
      billedDurationMsSum: 2 * 296 + 8 * 100,
    });
    const u = functionDayUsage({ fn: aFunction({ architecture: "x86_64" }), dayMs: DAY, stats: [stats], provisionedInvocationRatio: null });
    // Billed Duration × memory, nothing more: 1.392 s × 1 GB.
    expect(u.onDemandGbSeconds).toBeCloseTo(1.392, 9);
    expect(u.invocations).toBe(10);
  });

  it("adds INIT once when the day's lines prove Billed Duration does not hold it (FACTS §3 recorded line)", () => {
    // Duration 128.83, Billed 129, Init 166.62, 128 MB.
    const stats = aReportStats({ hourStartMs: DAY, memorySizeMb: 128, invocations: 1, coldStarts: 1, initDurationMsSum: 166.62, durationMsSum: 128.83, billedDurationMsSum: 129 });
    const u = functionDayUsage({ fn: aFunction({ memoryMb: 128 }), dayMs: DAY, stats: [stats], provisionedInvocationRatio: null });
    expect(u.onDemandGbSeconds).toBeCloseTo(((129 + 166.62) / 1000) * (128 / 1024), 9);
  });

  it("splits warm GB-s by the provisioned share; cold-start INIT stays on demand", () => {
    const stats = aReportStats({
      hourStartMs: DAY,
      memorySizeMb: 2048,
      invocations: 11,
      coldStarts: 1,
      initDurationMsSum: 500,
      durationMsSum: 10 * 199.5 + 199.5,
      billedDurationMsSum: 10 * 200 + 700,
    });
    const u = functionDayUsage({ fn: aFunction({ memoryMb: 2048 }), dayMs: DAY, stats: [stats], provisionedInvocationRatio: 0.25 });
    // 2,200 ms warm × 2 GB = 4.4 GB-s: a quarter on PC; the 0.5 s × 2 GB of INIT on demand.
    expect(u.provisionedDurationGbSeconds).toBeCloseTo(1.1, 9);
    expect(u.onDemandGbSeconds).toBeCloseTo(3.3 + 1, 9);
  });

  it("allocated PC = allocated × the qualifier version's memory × 86,400 s; ephemeral above 512 MB × billed seconds", () => {
    const fn = aFunction({
      memoryMb: 2048,
      ephemeralStorageMb: 10_240,
      provisionedConcurrency: [{ qualifier: "live", requested: 50, allocated: 50, available: 50, status: "READY" }],
      aliases: [{ name: "live", functionVersion: "3" }],
      versions: [{ version: "3", memoryMb: 1024, architecture: "arm64", runtime: "nodejs20.x", lastModified: "2026-11-01T00:00:00.000+0000" }],
    });
    const stats = aReportStats({ hourStartMs: DAY, billedDurationMsSum: 1_000_000, durationMsSum: 999_000 });
    const u = functionDayUsage({ fn, dayMs: DAY, stats: [stats], provisionedInvocationRatio: null });
    expect(u.provisionedAllocatedGbSeconds).toBe(50 * 86_400);
    expect(u.ephemeralGbSeconds).toBeCloseTo((9728 / 1024) * 1000, 6);
  });

  it("counts distinct covered hours of the day and ignores hours outside it", () => {
    const stats = [
      aReportStats({ hourStartMs: DAY, memorySizeMb: 1024 }),
      aReportStats({ hourStartMs: DAY, memorySizeMb: 2048 }),
      aReportStats({ hourStartMs: DAY + 5 * HOUR }),
      aReportStats({ hourStartMs: DAY + 24 * HOUR }),
    ];
    const u = functionDayUsage({ fn: aFunction(), dayMs: DAY, stats, provisionedInvocationRatio: null });
    expect(u.coveredHours).toBe(2);
    expect(u.invocations).toBe(30);
  });

  it("rejects a day that is not a UTC midnight and a ratio outside 0..1, naming the field", () => {
    expect(() => functionDayUsage({ fn: aFunction(), dayMs: DAY + 1, stats: [], provisionedInvocationRatio: null })).toThrow(/dayMs/);
    expect(() => functionDayUsage({ fn: aFunction(), dayMs: DAY, stats: [], provisionedInvocationRatio: 1.5 })).toThrow(LambdaUsageModelError);
  });
});

describe("priceLambdaUsage (FACTS.md §2)", () => {
  it("1 M requests cost $0.20 exactly; 1 GB × 1 s x86 is $0.0000166667 (17 µUSD), a million of them $16.6667", () => {
    const [requests, one, million] = priceLambdaUsage(
      [usage({ invocations: 1_000_000 }), usage({ functionName: "b", onDemandGbSeconds: 1 }), usage({ functionName: "c", onDemandGbSeconds: 1_000_000 })],
      { applyFreeTier: false },
    );
    expect(requests!.microUsd).toBe(200_000);
    expect(component(one!, "duration")).toBe(17);
    expect(component(million!, "duration")).toBe(16_666_700);
  });

  it("PC 50 × 1,024 MB all day costs $18.000144", () => {
    const [cost] = priceLambdaUsage([usage({ provisionedAllocatedGbSeconds: 50 * 86_400 })], { applyFreeTier: false });
    expect(component(cost!, "provisioned-concurrency")).toBe(18_000_144);
    expect(cost!.microUsd).toBe(18_000_144);
  });

  it("crossing 6 B GB-s mid-day prices the rest at $0.000015, shared by the day's functions pro rata", () => {
    const costs = priceLambdaUsage([usage({ functionName: "a", onDemandGbSeconds: 1.5e8 }), usage({ functionName: "b", onDemandGbSeconds: 0.5e8 })], {
      applyFreeTier: false,
      monthToDateGbSecondsBefore: new Map([["us-east-1|x86_64", 5.9e9]]),
    });
    const dayUsd = 1e8 * X86_TIER_1 + 1e8 * X86_TIER_2;
    expect(component(costs[0]!, "duration") + component(costs[1]!, "duration")).toBe(Math.round(dayUsd * 1e6));
    expect(component(costs[0]!, "duration")).toBe(Math.round(dayUsd * 0.75 * 1e6));
  });

  it("arm64 tiers at 7.5 B, apart from x86", () => {
    const [arm, x86] = priceLambdaUsage(
      [usage({ architecture: "arm64", onDemandGbSeconds: 2e8 }), usage({ functionName: "x", onDemandGbSeconds: 1e6 })],
      { applyFreeTier: false, monthToDateGbSecondsBefore: new Map([["us-east-1|arm64", 7.4e9]]) },
    );
    expect(component(arm!, "duration")).toBe(Math.round((1e8 * ARM_TIER_1 + 1e8 * ARM_TIER_2) * 1e6));
    expect(component(x86!, "duration")).toBe(16_666_700);
  });

  it("accumulates day by day within the month and starts again on the 1st", () => {
    const costs = priceLambdaUsage(
      [
        usage({ dayMs: Date.UTC(2026, 11, 1), onDemandGbSeconds: 1e9 }),
        usage({ dayMs: Date.UTC(2026, 10, 29), onDemandGbSeconds: 5e9 }),
        usage({ dayMs: Date.UTC(2026, 10, 30), onDemandGbSeconds: 2e9 }),
      ],
      { applyFreeTier: false },
    );
    expect(component(costs[1]!, "duration")).toBe(Math.round(5e9 * X86_TIER_1 * 1e6));
    expect(component(costs[2]!, "duration")).toBe(Math.round((1e9 * X86_TIER_1 + 1e9 * X86_TIER_2) * 1e6));
    expect(component(costs[0]!, "duration")).toBe(Math.round(1e9 * X86_TIER_1 * 1e6));
  });

  it("the free tier removes 400,000 GB-s and 1 M requests in the month's first days, both architectures together", () => {
    const costs = priceLambdaUsage(
      [
        usage({ dayMs: NOV_1, functionName: "x", invocations: 300_000, onDemandGbSeconds: 200_000 }),
        usage({ dayMs: NOV_1, functionName: "a", architecture: "arm64", invocations: 300_000, onDemandGbSeconds: 100_000 }),
        usage({ dayMs: NOV_1 + 86_400_000, functionName: "x", invocations: 600_000, onDemandGbSeconds: 200_000 }),
      ],
      { applyFreeTier: true },
    );
    expect(costs[0]!.microUsd).toBe(0);
    expect(costs[1]!.microUsd).toBe(0);
    // Day 2: 100,000 GB-s and 400,000 requests are still free.
    expect(component(costs[2]!, "duration")).toBe(Math.round(100_000 * X86_TIER_1 * 1e6));
    expect(component(costs[2]!, "requests")).toBe(40_000);
  });

  it("the free tier counts what the month used before, and is off when asked", () => {
    const day = usage({ dayMs: NOV_1, invocations: 1_000_000, onDemandGbSeconds: 400_000 });
    const [before] = priceLambdaUsage([day], {
      applyFreeTier: true,
      monthToDateRequestsBefore: 900_000,
      monthToDateGbSecondsBefore: new Map([["us-east-1|arm64", 300_000]]),
    });
    expect(component(before!, "requests")).toBe(180_000);
    expect(component(before!, "duration")).toBe(Math.round(300_000 * X86_TIER_1 * 1e6));
    const [off] = priceLambdaUsage([day], { applyFreeTier: false });
    expect(off!.microUsd).toBe(200_000 + Math.round(400_000 * X86_TIER_1 * 1e6));
  });

  it("prices PC duration, restore and ephemeral storage flat; microUsd is the sum of the components", () => {
    const [cost] = priceLambdaUsage(
      [usage({ provisionedDurationGbSeconds: 1e6, restoreGbSeconds: 1e6, ephemeralGbSeconds: 1e8 })],
      { applyFreeTier: true },
    );
    expect(component(cost!, "provisioned-duration")).toBe(9_722_200);
    expect(component(cost!, "restore")).toBe(16_666_700);
    expect(component(cost!, "ephemeral-storage")).toBe(3_090_000);
    expect(cost!.microUsd).toBe(cost!.components.reduce((s, c) => s + c.microUsd, 0));
  });

  it("rounds each component once, ties to even", () => {
    expect(usdToMicroUsdHalfEven(0.0000025)).toBe(2);
    expect(usdToMicroUsdHalfEven(0.0000035)).toBe(4);
    expect(usdToMicroUsdHalfEven(0.0000024)).toBe(2);
  });

  it("a day's duration split over functions adds up to the day priced as one, within a µUSD per function", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 5e8, noNaN: true }), { minLength: 1, maxLength: 8 }), fc.double({ min: 0, max: 2e10, noNaN: true }), (parts, before) => {
        const costs = priceLambdaUsage(
          parts.map((gbS, i) => usage({ functionName: `f${i}`, onDemandGbSeconds: gbS })),
          { applyFreeTier: false, monthToDateGbSecondsBefore: new Map([["us-east-1|x86_64", before]]) },
        );
        const total = parts.reduce((a, b) => a + b, 0);
        const whole = tieredDurationUsd(lambdaPricesFor("us-east-1", "x86_64").prices, total, before) * 1e6;
        const sum = costs.reduce((s, c) => s + component(c, "duration"), 0);
        expect(Math.abs(sum - whole)).toBeLessThanOrEqual(parts.length * 0.5 + 1);
      }),
    );
  });
});
