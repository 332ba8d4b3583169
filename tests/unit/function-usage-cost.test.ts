import { describe, expect, it } from "vitest";
import type { ReportStats } from "@/lib/domain/cold-start/report-stats";
import {
  computeProvisionedInvocationRatio,
  estimateFunctionUsageCost,
  resolvePcMemoryMb,
  type UsageCost,
  type UsageCostInput,
} from "@/lib/domain/cost/function-usage-cost";
import { aFunction } from "@/tests/builders/function-config";
import { aReportStats } from "@/tests/builders/report-stats";

const H0 = Date.UTC(2026, 10, 24, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** REPORT stats of one hour: `invocations` billed `billedMsEach` each at `memorySizeMb`. */
function billed(invocations: number, billedMsEach: number, memorySizeMb: number, overrides: Partial<ReportStats> = {}): ReportStats {
  return aReportStats({
    hourStartMs: H0,
    memorySizeMb,
    invocations,
    billedDurationMsSum: invocations * billedMsEach,
    durationMsSum: invocations * billedMsEach,
    ...overrides,
  });
}

function estimate(overrides: Partial<UsageCostInput>): Extract<UsageCost, { kind: "estimated" }> {
  const result = estimateFunctionUsageCost({
    fn: aFunction({ architecture: "x86_64", memoryMb: 512 }),
    stats: [],
    covered: { fromMs: H0, toMs: H0 + DAY },
    provisionedInvocationRatio: null,
    ...overrides,
  });
  if (result.kind !== "estimated") throw new Error(`expected an estimate, got ${JSON.stringify(result)}`);
  return result;
}

const lineCost = (cost: Extract<UsageCost, { kind: "estimated" }>, component: string) => cost.lines.find((l) => l.component === component)?.costUsd ?? 0;

describe("estimateFunctionUsageCost", () => {
  it.each([
    // FACTS §2: 1 M requests at 512 MB × 100 ms billed = $0.20 + 50,000 GB-s × the first-tier price.
    { architecture: "x86_64", usdPerGbSecond: 0.0000166667 },
    { architecture: "arm64", usdPerGbSecond: 0.0000133334 },
  ] as const)("prices 1 M requests × 100 ms at 512 MB on $architecture at the published first tier", ({ architecture, usdPerGbSecond }) => {
    const cost = estimate({ fn: aFunction({ architecture, memoryMb: 512 }), stats: [billed(1_000_000, 100, 512)] });
    expect(lineCost(cost, "requests")).toBeCloseTo(0.2, 10);
    expect(cost.lines.find((l) => l.component === "on-demand-duration")).toMatchObject({ unit: "GB-s", usdPerUnit: usdPerGbSecond });
    expect(cost.lines.find((l) => l.component === "on-demand-duration")!.quantity).toBeCloseTo(50_000, 6);
    expect(cost.totalCostUsd).toBeCloseTo(0.2 + 50_000 * usdPerGbSecond, 10);
    expect(cost.durationTier).toBe("first");
    expect(cost).toMatchObject({ pricedRegion: "us-east-1", priceAssumed: false, invocations: 1_000_000 });
  });

  it("scales the covered hours to a day and divides by invocations", () => {
    // 12 hours covered: the day costs twice what they did.
    const cost = estimate({ stats: [billed(1_000_000, 100, 512)], covered: { fromMs: H0, toMs: H0 + 12 * HOUR } });
    const total = 0.2 + 50_000 * 0.0000166667;
    expect(cost.coveredHours).toBe(12);
    expect(cost.costPerDayUsd).toBeCloseTo(2 * total, 10);
    expect(cost.costPerInvocationUsd).toBeCloseTo(total / 1_000_000, 15);
  });

  it("bills idle provisioned concurrency for every covered second, used or not", () => {
    // 50 allocated at 2,048 MB for 24 h = 50 × 2 GB × 86,400 s = 8,640,000 GB-s × $0.0000041667.
    const fn = aFunction({
      architecture: "x86_64",
      memoryMb: 2048,
      provisionedConcurrency: [{ qualifier: "live", requested: 50, allocated: 50, available: 50, status: "READY" }],
      aliases: [{ name: "live", functionVersion: "112" }],
      versions: [{ version: "112", memoryMb: 2048, architecture: "x86_64", runtime: "java21", lastModified: "" }],
    });
    const cost = estimate({ fn, stats: [] });
    expect(cost.lines.find((l) => l.component === "provisioned-concurrency")!.quantity).toBeCloseTo(8_640_000, 6);
    expect(lineCost(cost, "provisioned-concurrency")).toBeCloseTo(8_640_000 * 0.0000041667, 8);
    expect(cost.costPerInvocationUsd).toBeNull();
  });

  it("prices the share served by provisioned concurrency at the PC duration price", () => {
    const cost = estimate({ fn: aFunction({ architecture: "x86_64", memoryMb: 1024 }), stats: [billed(100_000, 100, 1024)], provisionedInvocationRatio: 0.75 });
    // 100,000 × 0.1 s × 1 GB = 10,000 GB-s: 7,500 at $0.0000097222, 2,500 at $0.0000166667.
    expect(lineCost(cost, "provisioned-duration")).toBeCloseTo(7_500 * 0.0000097222, 10);
    expect(lineCost(cost, "on-demand-duration")).toBeCloseTo(2_500 * 0.0000166667, 10);
  });

  it("adds SnapStart's billed restore duration on top of billed duration", () => {
    const cost = estimate({
      fn: aFunction({ architecture: "x86_64", memoryMb: 1024, snapStart: "PublishedVersions" }),
      stats: [billed(1000, 100, 1024, { billedRestoreDurationMsSum: 20 * 400 })],
    });
    // 20 restores × 400 ms × 1 GB = 8 GB-s.
    expect(lineCost(cost, "snapstart-restore")).toBeCloseTo(8 * 0.0000166667, 12);
    expect(lineCost(cost, "on-demand-duration")).toBeCloseTo(100 * 0.0000166667, 12);
  });

  it("charges ephemeral storage above the free 512 MB per billed second", () => {
    const cost = estimate({ fn: aFunction({ memoryMb: 512, ephemeralStorageMb: 1536 }), stats: [billed(1000, 1000, 512)] });
    // 1,000 s billed × 1 GB extra × $0.0000000309.
    expect(lineCost(cost, "ephemeral-storage")).toBeCloseTo(1000 * 0.0000000309, 14);
  });

  it("uses each hour's own memory size for GB-s", () => {
    const cost = estimate({ fn: aFunction({ architecture: "x86_64", memoryMb: 1024 }), stats: [billed(1000, 1000, 512), billed(1000, 1000, 1024, { hourStartMs: H0 + HOUR })] });
    expect(cost.lines.find((l) => l.component === "on-demand-duration")!.quantity).toBeCloseTo(500 + 1000, 9);
  });

  it("says when a region's prices stand in for one the book lacks", () => {
    const cost = estimate({ fn: aFunction({ region: "eu-west-1" }), stats: [billed(10, 100, 512)] });
    expect(cost).toMatchObject({ pricedRegion: "us-east-1", priceAssumed: true });
  });

  it("costs an idle function without provisioned concurrency nothing, and has no per-invocation figure", () => {
    const cost = estimate({ stats: [] });
    expect(cost.totalCostUsd).toBe(0);
    expect(cost.costPerInvocationUsd).toBeNull();
  });

  it("cannot say before any hour of REPORT lines was collected", () => {
    expect(estimateFunctionUsageCost({ fn: aFunction(), stats: [], covered: null, provisionedInvocationRatio: null })).toMatchObject({ kind: "insufficient-data" });
  });
});

describe("resolvePcMemoryMb", () => {
  const fn = aFunction({
    memoryMb: 1024,
    aliases: [{ name: "live", functionVersion: "56" }],
    versions: [{ version: "56", memoryMb: 512, architecture: "arm64", runtime: "nodejs20.x", lastModified: "" }],
  });
  it.each([
    ["an alias, through the version it points to", "live", 512],
    ["a version directly", "56", 512],
    ["an unknown qualifier, falling back to the function's memory", "57", 1024],
  ])("resolves %s", (_, qualifier, memoryMb) => {
    expect(resolvePcMemoryMb(fn, qualifier)).toBe(memoryMb);
  });
});

describe("computeProvisionedInvocationRatio", () => {
  const window = { fromMs: H0, toMs: H0 + HOUR };
  const at = (minute: number, value: number) => ({ timestampMs: H0 + minute * 60_000, value });
  it("sums PC invocations over every alias against the function's invocations in the window", () => {
    expect(computeProvisionedInvocationRatio([[at(0, 30), at(1, 30)], [at(0, 15)]], [at(0, 50), at(1, 50), at(-1, 1000)], window)).toBeCloseTo(0.75, 12);
  });
  it("is null without invocations and never above 1", () => {
    expect(computeProvisionedInvocationRatio([[at(0, 5)]], [], window)).toBeNull();
    expect(computeProvisionedInvocationRatio([[at(0, 105)]], [at(0, 100)], window)).toBe(1);
  });
});
