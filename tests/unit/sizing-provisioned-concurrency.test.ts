import { describe, expect, it } from "vitest";
import { lambdaPricesFor } from "@/lib/domain/cost/lambda-price-book";
import { computePcBreakEvenUtilisationRatio } from "@/lib/domain/metrics/pc-utilisation";
import { hourOfDay } from "@/lib/domain/sizing/hour-of-week";
import { planPeakExecutions } from "@/lib/domain/sizing/pc-plan";
import { recommendProvisionedConcurrency } from "@/lib/domain/sizing/provisioned-concurrency";
import type { PeriodSample, SizingInput } from "@/lib/domain/sizing/tuning-types";
import { aDurationModel, aSizingInput, diurnalHours, pcHoursFor, reportStatsFor } from "@/tests/builders/concurrency-sizing";
import { aFunction } from "@/tests/builders/function-config";

/** payments-api: 2,048 MB, 50 PC on `live`, busy under 20 at the evening peak (the designed scenario). */
function paymentsApi(): SizingInput {
  const hours = diurnalHours({ peakConcurrency: 19, troughConcurrency: 4, durationMs: 220 });
  return aSizingInput({
    fn: aFunction({
      functionName: "payments-api",
      runtime: "java21",
      architecture: "x86_64",
      memoryMb: 2048,
      reservedConcurrency: 100,
      aliases: [{ name: "live", functionVersion: "112" }],
      provisionedConcurrency: [{ qualifier: "live", requested: 50, allocated: 50, available: 50, status: "READY" }],
    }),
    hours,
    pc: [{ qualifier: "live", hours: pcHoursFor(hours, 50) }],
    reportStats: reportStatsFor(hours, { functionName: "payments-api", memorySizeMb: 2048, coldStartsAt: () => 0 }),
  });
}

/** orders-api: 1,024 MB, 4 PC on `live`, spilling over at the evening peak. */
function ordersApi(): SizingInput {
  const hours = diurnalHours({ peakConcurrency: 9, troughConcurrency: 2, durationMs: 85 });
  const pcHours = pcHoursFor(hours, 4);
  return aSizingInput({
    fn: aFunction({
      functionName: "orders-api",
      runtime: "nodejs20.x",
      architecture: "x86_64",
      memoryMb: 1024,
      aliases: [{ name: "live", functionVersion: "57" }],
      provisionedConcurrency: [{ qualifier: "live", requested: 4, allocated: 4, available: 4, status: "READY" }],
    }),
    hours,
    pc: [{ qualifier: "live", hours: pcHours }],
    // A few per cent of the spilled invocations land on a new environment.
    reportStats: reportStatsFor(hours, { functionName: "orders-api", memorySizeMb: 1024, coldStartsAt: (h) => Math.round(0.002 * (pcHours.find((p) => p.startMs === h.startMs)?.spilloverInvocations ?? 0)) }),
  });
}

/** shipping-rates-api: java17, no alias, sparse traffic busiest in the US day, 31 % cold, latency SLO burned by cold starts. */
function shippingRatesApi(overrides: Partial<SizingInput> = {}): SizingInput {
  const hours: PeriodSample[] = diurnalHours({ peakConcurrency: 20, troughConcurrency: 0, peakHourUtc: 16, durationMs: 290, invocationsPerConcurrencyHour: 1 }).map((h) => ({
    ...h,
    concurrencyMax: h.invocations > 0 ? 1 : 0,
  }));
  return aSizingInput({
    fn: aFunction({ functionName: "shipping-rates-api", runtime: "java17", architecture: "x86_64", memoryMb: 1024, aliases: [], provisionedConcurrency: [] }),
    hours,
    reportStats: reportStatsFor(hours, { functionName: "shipping-rates-api", memorySizeMb: 1024, coldStartsAt: (h) => Math.round(0.31 * h.invocations), initP50Ms: 3200, initP99Ms: 6500 }),
    latencySlos: [{ sloId: "shipping-latency", name: "Shipping rates under 1 s", thresholdMs: 1000, objective: 0.99, coldStartBadShare: 0.8, budgetConsumed: 1.4 }],
    ...overrides,
  });
}

describe("recommendProvisionedConcurrency — idle PC (payments-api)", () => {
  const model = aDurationModel({ memoryMb: 2048, meanDurationMs: 220, cpuShare: 0.3 });
  const { recommendation: rec, note } = recommendProvisionedConcurrency(paymentsApi(), model);

  it("finds it idle against the ≈ 0.60 break-even and lowers it on the same qualifier", () => {
    expect(computePcBreakEvenUtilisationRatio(lambdaPricesFor("us-east-1", "x86_64").prices)).toBeCloseTo(0.6, 2);
    expect(note).toBeNull();
    expect(rec?.finding).toBe("idle-provisioned-concurrency");
    expect(rec?.id).toBe("123456789012/us-east-1/payments-api/provisioned-concurrency");
    expect(rec?.change).toEqual({ kind: "provisioned-concurrency", qualifier: "live", executions: expect.any(Number) });
    const executions = rec?.change?.kind === "provisioned-concurrency" ? rec.change.executions : Number.NaN;
    expect(executions).toBeGreaterThanOrEqual(Math.ceil(19 / 0.7));
    expect(executions).toBeLessThanOrEqual(29);
    expect(rec?.revert).toEqual({ kind: "provisioned-concurrency", qualifier: "live", executions: 50 });
    expect(rec?.current).toBe("50 on live");
    expect(planPeakExecutions(rec!.pcPlan!)).toBe(executions);
  });

  it("prices the idle allocation with the published PC price over 30 days (50 × 2 GB ≈ $1,080)", () => {
    expect(50 * 2 * 2_592_000 * 0.0000041667).toBeCloseTo(1080, 0);
    expect(rec?.evidence.join(" ")).toContain("$1,080");
    expect(rec?.evidence.join(" ")).toMatch(/break-even of 60 %/);
  });

  it("saves money: at least the allocation of the environments it drops", () => {
    const dropped = 50 - Math.ceil(19 / 0.7);
    expect(rec!.monthlyCost.deltaUsd.expected).toBeLessThan(-dropped * 2 * 2_592_000 * 0.0000041667 * 0.99);
    expect(rec!.monthlyCost.projectedUsd.expected).toBeCloseTo(rec!.monthlyCost.currentUsd + rec!.monthlyCost.deltaUsd.expected, 6);
    expect(rec!.effects.spilloverPerDay?.projected.expected).toBe(0);
    expect(rec!.riskUnits).toBeGreaterThanOrEqual(1);
  });

  it("says nothing when PC is well used", () => {
    const hours = diurnalHours({ peakConcurrency: 10, troughConcurrency: 9, durationMs: 220 });
    const input = { ...paymentsApi(), hours, pc: [{ qualifier: "live", hours: pcHoursFor(hours, 10) }] };
    input.fn = { ...input.fn, provisionedConcurrency: [{ qualifier: "live", requested: 10, allocated: 10, available: 10, status: "READY" }] };
    const result = recommendProvisionedConcurrency(input, model);
    expect(result.recommendation).toBeNull();
    expect(result.note).toMatch(/well used/);
  });

  it("does not size PC on less than a whole day: the evening peak may not be in it yet", () => {
    const full = paymentsApi();
    const morning = { ...full, hours: full.hours.slice(0, 6), pc: full.pc.map((q) => ({ ...q, hours: q.hours.slice(0, 6) })) };
    expect(recommendProvisionedConcurrency(full, model).recommendation?.finding).toBe("idle-provisioned-concurrency");
    expect(recommendProvisionedConcurrency(morning, model)).toEqual({ recommendation: null, note: expect.stringMatching(/6 hours collected; .* needs a whole day \(24 hours\)/) });
  });

  it("says it cannot assess PC without its metrics", () => {
    const result = recommendProvisionedConcurrency({ ...paymentsApi(), pc: [] }, model);
    expect(result.recommendation).toBeNull();
    expect(result.note).toMatch(/cannot assess/);
  });

  it("proposes removing PC from a qualifier that received nothing", () => {
    const input = paymentsApi();
    input.pc = [{ qualifier: "live", hours: input.pc[0]!.hours.map((h) => ({ ...h, provisionedExecutionsMax: 0, utilisationMax: 0, provisionedInvocations: 0 })) }];
    const { recommendation } = recommendProvisionedConcurrency(input, model);
    expect(recommendation?.pcPlan).toEqual({ kind: "none" });
    expect(recommendation?.change).toEqual({ kind: "provisioned-concurrency", qualifier: "live", executions: 0 });
  });
});

describe("recommendProvisionedConcurrency — spillover (orders-api)", () => {
  const model = aDurationModel({ memoryMb: 1024, meanDurationMs: 85, cpuShare: 0.3 });
  const input = ordersApi();
  const { recommendation: rec } = recommendProvisionedConcurrency(input, model);

  it("finds the evening spillover and proposes a plan that covers the peak", () => {
    expect(rec?.finding).toBe("provisioned-concurrency-spillover");
    expect(planPeakExecutions(rec!.pcPlan!)).toBeGreaterThanOrEqual(Math.ceil(9 / 0.7));
    const spilledHours = new Set(input.pc[0]!.hours.filter((h) => h.spilloverInvocations > 0).map((h) => hourOfDay(h.startMs)));
    expect(spilledHours.has(19)).toBe(true);
    expect(spilledHours.has(7)).toBe(false);
  });

  it("removes the spillover and the cold starts it caused, at a cost", () => {
    expect(rec!.effects.spilloverPerDay!.current).toBeGreaterThan(1000);
    expect(rec!.effects.spilloverPerDay!.projected.expected).toBe(0);
    expect(rec!.effects.coldStartsPerDay!.projected.expected).toBeLessThan(rec!.effects.coldStartsPerDay!.current!);
    expect(rec!.summary).toMatch(/spill over/);
    expect(rec!.evidence.join(" ")).toMatch(/spilled over/);
  });

  it("applies a fixed plan directly, and leaves a schedule or target tracking to Application Auto Scaling", () => {
    if (rec!.pcPlan!.kind === "fixed") {
      expect(rec!.change).toEqual({ kind: "provisioned-concurrency", qualifier: "live", executions: rec!.pcPlan!.executions });
      expect(rec!.revert).toEqual({ kind: "provisioned-concurrency", qualifier: "live", executions: 4 });
    } else {
      expect(rec!.change).toBeNull();
      expect(rec!.revert).toBeNull();
      expect(rec!.notAppliableReason).toMatch(/Application Auto Scaling/);
    }
  });
});

describe("recommendProvisionedConcurrency — functions without PC", () => {
  const model = aDurationModel({ memoryMb: 1024, meanDurationMs: 290, cpuShare: 0.2 });

  it("recommends PC for shipping-rates-api, not appliable without an alias, naming SnapStart", () => {
    const { recommendation: rec, note } = recommendProvisionedConcurrency(shippingRatesApi(), model);
    expect(note).toBeNull();
    expect(rec?.finding).toBe("cold-start-heavy");
    expect(rec?.change).toBeNull();
    expect(rec?.revert).toBeNull();
    expect(rec?.notAppliableReason).toMatch(/publish a version, point the trigger at an alias/);
    expect(rec?.evidence.join(" ")).toMatch(/SnapStart/);
    expect(rec?.evidence.join(" ")).toMatch(/31 %/);
    expect(rec?.effects.sloColdStartBadShare?.current).toBe(0.8);
    expect(rec?.effects.sloColdStartBadShare?.projected.expected).toBeLessThan(0.8);
    expect(rec?.effects.coldStartsPerDay?.projected.expected).toBeLessThan(rec!.effects.coldStartsPerDay!.current! / 2);
    expect(rec?.monthlyCost.deltaUsd.expected).toBeGreaterThan(0);
  });

  it("sizes sparse traffic with a schedule over the busy hours", () => {
    const { recommendation: rec } = recommendProvisionedConcurrency(shippingRatesApi(), model);
    expect(rec?.pcPlan?.kind).toBe("schedule");
    if (rec?.pcPlan?.kind !== "schedule") return;
    expect(rec.pcPlan.baseline).toBe(0);
    const busyMinutes = rec.pcPlan.steps.reduce((sum, s) => sum + s.toMinute - s.fromMinute, 0);
    expect(busyMinutes).toBeLessThanOrEqual(16 * 60);
    expect(rec.pcPlan.steps.some((s) => s.fromMinute <= 16 * 60 && s.toMinute > 16 * 60)).toBe(true);
  });

  it("with an alias, a fixed plan is appliable and reverts to 0", () => {
    const input = shippingRatesApi();
    // Busy all day: a fixed level.
    input.hours = input.hours.map((h) => ({ ...h, invocations: 10, concurrencyMax: 1 }));
    input.reportStats = reportStatsFor(input.hours, { functionName: "shipping-rates-api", memorySizeMb: 1024, coldStartsAt: () => 3, initP50Ms: 3200, initP99Ms: 6500 });
    input.fn = { ...input.fn, aliases: [{ name: "prod", functionVersion: "3" }] };
    const { recommendation: rec } = recommendProvisionedConcurrency(input, model);
    expect(rec?.pcPlan).toEqual({ kind: "fixed", executions: 2 });
    expect(rec?.change).toEqual({ kind: "provisioned-concurrency", qualifier: "prod", executions: 2 });
    expect(rec?.revert).toEqual({ kind: "provisioned-concurrency", qualifier: "prod", executions: 0 });
  });

  it("returns null with a note for a healthy function", () => {
    const hours = diurnalHours({ peakConcurrency: 8, troughConcurrency: 2, durationMs: 50 });
    const input = aSizingInput({
      hours,
      reportStats: reportStatsFor(hours, { functionName: "orders-api", memorySizeMb: 1024, coldStartsAt: (h) => Math.round(h.invocations * 0.002) }),
    });
    const { recommendation, note } = recommendProvisionedConcurrency(input, aDurationModel({ memoryMb: 1024, meanDurationMs: 50, cpuShare: 0.5 }));
    expect(recommendation).toBeNull();
    expect(note).toMatch(/No provisioned concurrency needed/);
  });

  it("does not recommend PC for a cold-start-heavy function whose cold starts burn no SLO and do not dominate the p99", () => {
    const input = shippingRatesApi({ latencySlos: [] });
    input.reportStats = reportStatsFor(input.hours, { functionName: "shipping-rates-api", memorySizeMb: 1024, coldStartsAt: (h) => Math.round(0.06 * h.invocations + (h.invocations > 5 ? 1 : 0)), initP50Ms: 20, initP99Ms: 40 });
    const { recommendation, note } = recommendProvisionedConcurrency(input, model);
    expect(recommendation).toBeNull();
    expect(note).toMatch(/neither burn a latency SLO nor dominate the p99/);
  });
});
