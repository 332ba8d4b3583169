import { describe, expect, it } from "vitest";
import { fittedModelOf } from "@/tests/builders/concurrency-sizing";
import type { ReportStats } from "@/lib/domain/cold-start/report-stats";
import type { FunctionConfig } from "@/lib/domain/inventory/function-config";
import {
  assessMemorySafety,
  hoursAtCurrentSize,
  measuredLatency,
  monthlyOnDemandCostUsd,
  observedTraffic,
  onDemandCostUsd,
  recommendMemory,
} from "@/lib/domain/sizing/memory-sizing";
import { DEFAULT_SIZING_SETTINGS, type PeriodSample, type SizingInput, type SizingSettings } from "@/lib/domain/sizing/tuning-types";
import { aFunction } from "@/tests/builders/function-config";
import { aReportStats } from "@/tests/builders/report-stats";

// Published prices (FACTS §2, us-east-1).
const X86_GB_S = 0.0000166667;
const ARM_GB_S = 0.0000133334;
const PER_REQUEST = 0.2 / 1_000_000;

const HOUR = 3_600_000;
const DAYS = 14;
const HOURS = DAYS * 24;
const T0 = Date.UTC(2026, 10, 12, 0);

/** One stretch of a function's history at one memory size: what REPORT lines and CloudWatch saw. */
interface Stretch {
  memoryMb: number;
  hours: number;
  perHour: number;
  meanMs: number;
  /** ± noise on the hourly mean, alternating (keeps a fit's residuals non-zero). */
  noiseMs?: number;
  maxUsedMb: number;
  oomPerHour?: number;
}

/**
 * A 14-day SizingInput built from consecutive stretches (oldest first, filling the window):
 * REPORT stats per hour with the stretch's mean, CloudWatch hours with p50 = 0.9 × mean and
 * p99 = 2 × mean.
 */
function anInput(fn: FunctionConfig, stretches: Stretch[], settings: Partial<SizingSettings> = {}): SizingInput {
  const reportStats: ReportStats[] = [];
  const hours: PeriodSample[] = [];
  let h = 0;
  for (const s of stretches) {
    for (let i = 0; i < s.hours; i++, h++) {
      const mean = s.meanMs + (i % 2 === 0 ? (s.noiseMs ?? 0) : -(s.noiseMs ?? 0));
      const startMs = T0 + h * HOUR;
      if (s.perHour > 0) {
        reportStats.push(
          aReportStats({
            functionName: fn.functionName,
            hourStartMs: startMs,
            memorySizeMb: s.memoryMb,
            invocations: s.perHour,
            durationMsSum: s.perHour * mean,
            billedDurationMsSum: s.perHour * Math.ceil(mean),
            maxMemoryUsedMb: { p50: s.maxUsedMb * 0.85, p90: s.maxUsedMb * 0.9, p99: s.maxUsedMb * 0.95, max: s.maxUsedMb },
            outOfMemory: s.oomPerHour ?? 0,
          }),
        );
      }
      hours.push({
        startMs,
        invocations: s.perHour,
        errors: s.oomPerHour ?? 0,
        throttles: 0,
        durationAvgMs: s.perHour > 0 ? mean : null,
        durationP50Ms: s.perHour > 0 ? 0.9 * mean : null,
        durationP99Ms: s.perHour > 0 ? 2 * mean : null,
        concurrencyMax: s.perHour > 0 ? 1 : null,
      });
    }
  }
  return {
    fn,
    account: null,
    reservedByOthers: 0,
    window: { fromMs: T0, toMs: T0 + h * HOUR },
    hours,
    minutes: [],
    pc: [],
    reportStats,
    latencySlos: [],
    settings: { ...DEFAULT_SIZING_SETTINGS, ...settings },
  };
}

const modelOf = fittedModelOf;

/** io + cpu × 1769 / m below one vCPU (single-threaded). */
function formulaMs(cpu: number, io: number, memoryMb: number): number {
  return io + cpu * Math.max(1, 1769 / memoryMb);
}

/** Hand-priced month: requests + invocations × (mean + 0.5 ms) × GB × first-tier price. */
function monthUsd(invocationsPerMonth: number, meanMs: number, memoryMb: number, gbSecondUsd = X86_GB_S): number {
  return invocationsPerMonth * PER_REQUEST + invocationsPerMonth * ((meanMs + 0.5) / 1000) * (memoryMb / 1024) * gbSecondUsd;
}

// ─── Scenario functions ────────────────────────────────────────────────────────────────

/** I/O-bound, 1,024 MB using ~95 MB; io 140 ms, cpu 12 ms at one vCPU; ran a week at 256 MB before. 10,000 invocations an hour. */
function ioBoundInput(fn: Partial<FunctionConfig> = {}): SizingInput {
  return anInput(aFunction({ functionName: "orders-api", architecture: "x86_64", memoryMb: 1024, ...fn }), [
    { memoryMb: 256, hours: HOURS / 2, perHour: 10_000, meanMs: formulaMs(12, 140, 256), noiseMs: 1, maxUsedMb: 95 },
    { memoryMb: 1024, hours: HOURS / 2, perHour: 10_000, meanMs: formulaMs(12, 140, 1024), noiseMs: 1, maxUsedMb: 95 },
  ]);
}

/** CPU-bound, 128 MB with out-of-memory kills; ran at 512 MB before (cpu 150, io 60); peak 140 MB there. */
function cpuBoundInput(): SizingInput {
  return anInput(aFunction({ functionName: "notifications-worker", architecture: "arm64", memoryMb: 128 }), [
    { memoryMb: 512, hours: HOURS / 2, perHour: 500, meanMs: formulaMs(150, 60, 512), noiseMs: 2, maxUsedMb: 140 },
    { memoryMb: 128, hours: HOURS / 2, perHour: 500, meanMs: formulaMs(150, 60, 128), noiseMs: 2, maxUsedMb: 128, oomPerHour: 1 },
  ]);
}

/** Python at 3,008 MB, only ever at that size: mean 39 s, peak 260 MB; 5 invocations an hour. */
function legacyReportInput(perHour = 5, settings: Partial<SizingSettings> = {}): SizingInput {
  return anInput(
    aFunction({ functionName: "legacy-report-generator", runtime: "python3.12", architecture: "x86_64", memoryMb: 3008 }),
    [{ memoryMb: 3008, hours: HOURS, perHour, meanMs: 39_000, maxUsedMb: 260 }],
    settings,
  );
}

/** A healthy 512 MB API: mean 53 ms, uses 130 MB, only ever at 512 MB; 20,000 invocations an hour. */
function healthyApiInput(): SizingInput {
  return anInput(aFunction({ functionName: "catalog-api", architecture: "x86_64", memoryMb: 512 }), [
    { memoryMb: 512, hours: HOURS, perHour: 20_000, meanMs: 53, maxUsedMb: 130 },
  ]);
}

// ─── Tests ─────────────────────────────────────────────────────────────────────────────

describe("onDemandCostUsd / monthlyOnDemandCostUsd", () => {
  it("prices requests and GB-seconds at the published first-tier rates, with 0.5 ms of rounding", () => {
    // 1 M invocations × 1 s (999.5 + 0.5 ms) × 1 GB = 1 M GB-s.
    const base = { region: "us-east-1", memoryMb: 1024, meanDurationMs: 999.5, invocations: 1_000_000 };
    expect(onDemandCostUsd({ ...base, architecture: "x86_64" })).toBeCloseTo(0.2 + 16.6667, 6);
    expect(onDemandCostUsd({ ...base, architecture: "arm64" })).toBeCloseTo(0.2 + 13.3334, 6);
    // 2 M invocations × 100 ms at 512 MB: 2e6 × 0.1005 s × 0.5 GB = 100,500 GB-s.
    expect(onDemandCostUsd({ ...base, architecture: "x86_64", memoryMb: 512, meanDurationMs: 100, invocations: 2_000_000 })).toBeCloseTo(0.4 + 100_500 * X86_GB_S, 9);
  });

  it("projects a month of the observed traffic through the duration model", () => {
    const input = legacyReportInput(); // 5 an hour → 120 a day → 3,600 a month
    const cost = monthlyOnDemandCostUsd(input, modelOf(input), 3008, "x86_64");
    const expected = 3600 * PER_REQUEST + 3600 * 39.0005 * (3008 / 1024) * X86_GB_S;
    expect(cost.expected).toBeCloseTo(expected, 9);
    expect(cost.lower).toBeCloseTo(expected, 9); // at the observed size every split agrees
    expect(cost.upper).toBeCloseTo(expected, 9);
  });
});

describe("observedTraffic", () => {
  it("turns the lookback's invocations into a day and a 30-day month", () => {
    const t = observedTraffic(legacyReportInput(10));
    expect(t.invocations).toBe(10 * HOURS);
    expect(t.days).toBe(14);
    expect(t.perDay).toBe(240);
    expect(t.monthly).toBe(7200);
  });
});

describe("assessMemorySafety", () => {
  it("sets the floor at headroom × peak without float creep, never below 128 MB", () => {
    expect(assessMemorySafety({ memoryMb: 512 }, [aReportStats({ memorySizeMb: 512, maxMemoryUsedMb: { p50: 80, p90: 90, p99: 95, max: 100 } })], 1.3).floorMb).toBe(130);
    expect(assessMemorySafety({ memoryMb: 512 }, [aReportStats({ memorySizeMb: 512, maxMemoryUsedMb: { p50: 40, p90: 45, p99: 48, max: 50 } })], 1.3).floorMb).toBe(128);
  });

  it("is unsafe with an out-of-memory kill at the configured size, or with less than the headroom", () => {
    const oom = assessMemorySafety({ memoryMb: 256 }, [aReportStats({ memorySizeMb: 256, outOfMemory: 1, maxMemoryUsedMb: { p50: 150, p90: 160, p99: 170, max: 180 } })], 1.3);
    expect(oom.unsafe).toBe(true);
    expect(oom.peakUsedMb).toBe(256); // a kill at 256 MB used all of it
    expect(oom.floorMb).toBe(333); // ceil(1.3 × 256 = 332.8)
    const tight = assessMemorySafety({ memoryMb: 256 }, [aReportStats({ memorySizeMb: 256, maxMemoryUsedMb: { p50: 150, p90: 180, p99: 200, max: 210 } })], 1.3);
    expect(tight.unsafe).toBe(true); // 1.3 × 210 = 273 > 256
  });

  it("does not hold kills at an earlier, smaller size against the current one", () => {
    const s = assessMemorySafety(
      { memoryMb: 512 },
      [
        aReportStats({ memorySizeMb: 128, outOfMemory: 3, maxMemoryUsedMb: { p50: 110, p90: 120, p99: 126, max: 128 } }),
        aReportStats({ memorySizeMb: 512, maxMemoryUsedMb: { p50: 120, p90: 130, p99: 135, max: 140 } }),
      ],
      1.3,
    );
    expect(s.outOfMemory).toBe(3);
    expect(s.outOfMemoryAtCurrent).toBe(0);
    expect(s.unsafe).toBe(false);
    expect(s.floorMb).toBe(182); // ceil(1.3 × 140)
  });
});

describe("measuredLatency / hoursAtCurrentSize", () => {
  it("weights hourly p50/p99 by invocations, over the hours since the size last changed", () => {
    const input = ioBoundInput();
    const recent = hoursAtCurrentSize(input);
    expect(recent).toHaveLength(HOURS / 2);
    const m = measuredLatency(recent);
    // The ±1 ms noise cancels over an even number of hours: p50 = 0.9 × 160.73 ms.
    expect(m.p50Ms).toBeCloseTo(0.9 * (140 + (12 * 1769) / 1024), 6);
    expect(m.p99Ms).toBeCloseTo(2 * (140 + (12 * 1769) / 1024), 6);
    expect(measuredLatency([])).toEqual({ p50Ms: null, p99Ms: null });
  });
});

describe("recommendMemory — scenarios", () => {
  it("lowers an I/O-bound function at 1,024 MB using ~95 MB (fitted: io 140, cpu 12)", () => {
    const input = ioBoundInput();
    const { recommendation: rec, options } = recommendMemory(input, modelOf(input));
    expect(rec).not.toBeNull();
    expect(rec!.finding).toBe("over-provisioned-memory");
    expect(rec!.kind).toBe("memory");
    expect(rec!.id).toBe("123456789012/us-east-1/orders-api/memory");
    expect(rec!.current).toBe("1,024 MB");

    // The latency gate: p50 ≤ 1.15 × 0.9 × 160.73 ms ⇒ mean ≤ 184.84 ms ⇒ 12 × 1769 / m ≤ 44.84 ⇒ m ≥ 473.4 MB.
    // Cost per invocation ∝ (140.5 + 21,228 / m)·m = 140.5·m + 21,228 (+ the request fee) rises with m, so the cheapest
    // gated size is 474 MB; balanced takes the fastest within 10 % more: 140.5·m + 21,228 ≤ 1.1 × 87,825 ⇒ m ≤ ~536,
    // a little more with the request fee in the allowance.
    const proposed = rec!.change?.kind === "memory" ? rec!.change.memoryMb : NaN;
    expect(proposed).toBeGreaterThanOrEqual(530);
    expect(proposed).toBeLessThanOrEqual(560);
    expect(rec!.proposed).toBe(`${proposed} MB`);
    expect(rec!.revert).toEqual({ kind: "memory", memoryMb: 1024 });
    expect(rec!.notAppliableReason).toBeNull();

    // 10,000 an hour → 7.2 M a month.
    const currentUsd = monthUsd(7_200_000, 140 + (12 * 1769) / 1024, 1024); // 1.44 + 19.3477 = 20.79
    expect(rec!.monthlyCost.currentUsd).toBeCloseTo(currentUsd, 1);
    expect(rec!.monthlyCost.projectedUsd.expected).toBeCloseTo(monthUsd(7_200_000, 140 + (12 * 1769) / proposed, proposed), 1);
    expect(rec!.monthlyCost.deltaUsd.expected).toBeLessThan(-0.35 * currentUsd); // ≈ 38 % saved
    expect(rec!.monthlyCost.deltaUsd.upper).toBeLessThan(0);
    expect(rec!.summary).toMatch(/^Lower memory from 1,024 MB to \d+ MB: saves about \$\d+\.\d\d a month \([34]\d %\)/);

    expect(rec!.effects.p50Ms?.current).toBeCloseTo(0.9 * 160.73, 1);
    expect(rec!.effects.p50Ms!.projected.upper).toBeLessThanOrEqual(1.15 * rec!.effects.p50Ms!.current! + 1e-9);
    expect(rec!.confidence).toBe("high");
    expect(rec!.riskUnits).toBeGreaterThanOrEqual(1);
    expect(rec!.riskUnits).toBeLessThanOrEqual(1.31); // high confidence, worst-case p50 +15 % at most
    expect(rec!.evidence.join(" ")).toMatch(/Peak Max Memory Used 95 MB of 1,024 MB/);
    expect(rec!.evidence.join(" ")).toMatch(/No out-of-memory kills/);
    expect(rec!.evidence.join(" ")).toMatch(/256 MB \(1,680,000 invocations, mean 223 ms\)/);
    expect(rec!.assumptions.join(" ")).toMatch(/single-threaded/);
    expect(rec!.assumptions.join(" ")).toMatch(/30-day month/);
    expect(rec!.assumptions.join(" ")).toMatch(/1 ms/);
    expect(rec!.assumptions.join(" ")).toMatch(/first-tier/);

    expect(options.map((o) => o.strategy)).toEqual(["cost", "balanced", "speed"]);
    expect(rec!.options).toEqual(options);
    // Cost: cost falls with memory down to the floor (ceil(1.3 × 95) = 124 → 128 MB).
    expect(options[0]!.memoryMb).toBe(128);
    // Speed: within 1 % of the fastest (152 ms at ≥ 1,769 MB): 12 × 1769 / m ≤ 13.52 ⇒ m ≥ 1,571 MB.
    expect(options[2]!.memoryMb).toBeGreaterThanOrEqual(1570);
    expect(options[2]!.memoryMb).toBeLessThanOrEqual(1572);
  });

  it("leaves the change to the operator when an alias serves a published version", () => {
    const input = ioBoundInput({ aliases: [{ name: "live", functionVersion: "7" }] });
    const rec = recommendMemory(input, modelOf(input)).recommendation!;
    expect(rec.change).toBeNull();
    expect(rec.revert).toBeNull();
    expect(rec.notAppliableReason).toMatch(/\$LATEST/);
    expect(rec.notAppliableReason).toMatch(/live → 7/);
    expect(rec.notAppliableReason).toMatch(/new version/);
  });

  it("raises a CPU-bound 128 MB function with out-of-memory kills (fitted at 512 and 128: cpu 150, io 60)", () => {
    const input = cpuBoundInput();
    const { recommendation: rec, options } = recommendMemory(input, modelOf(input));
    expect(rec?.finding).toBe("memory-starved");
    // No latency gate (unsafe). Cost per invocation ∝ (60.5 + 265,350 / m)·m = 60.5·m + 265,350 is least at the floor,
    // 182 MB (276,361); balanced takes the fastest within 10 % more: 60.5·m ≤ 1.1 × 276,361 − 265,350 ⇒ m ≤ ~639 MB,
    // a little more with the request fee in the allowance.
    const proposed = rec!.change?.kind === "memory" ? rec!.change.memoryMb : NaN;
    expect(proposed).toBeGreaterThanOrEqual(630);
    expect(proposed).toBeLessThanOrEqual(690);
    expect(rec!.revert).toEqual({ kind: "memory", memoryMb: 128 });
    expect(rec!.summary).toMatch(/^Raise memory from 128 MB to \d{3} MB: \d+ out-of-memory kills in the lookback, and at least 182 MB is needed/);
    expect(rec!.evidence.join(" ")).toMatch(/168 out-of-memory kills/);
    // p50: 0.9 × 2,133 ms measured → 0.9 × (60 + 265,350 / m).
    expect(rec!.effects.p50Ms!.current).toBeCloseTo(0.9 * formulaMs(150, 60, 128), 1);
    expect(rec!.effects.p50Ms!.projected.expected).toBeCloseTo(0.9 * formulaMs(150, 60, proposed), 0);
    expect(rec!.confidence).toBe("high");
    // Cost: arm64, 500 an hour → 360,000 a month; cost rises with m, so the cost pick is the floor, ceil(1.3 × 140) = 182 MB.
    expect(options[0]!.memoryMb).toBe(182);
    expect(rec!.monthlyCost.currentUsd).toBeCloseTo(monthUsd(360_000, formulaMs(150, 60, 128), 128, ARM_GB_S), 2);
    expect(rec!.monthlyCost.projectedUsd.expected).toBeCloseTo(monthUsd(360_000, formulaMs(150, 60, proposed), proposed, ARM_GB_S), 2);
    // At most 10 % over the cheapest safe size (182 MB).
    expect(rec!.monthlyCost.projectedUsd.expected).toBeLessThanOrEqual(1.1 * monthUsd(360_000, formulaMs(150, 60, 182), 182, ARM_GB_S));
    // Speed: within 1 % of 210 ms ⇒ 60 + 265,350 / m ≤ 212.1 ⇒ m ≥ 1,744.6.
    expect(options[2]!.memoryMb).toBe(1745);
  });

  it("lowers a 3,008 MB Python function known only by a prior to one vCPU, saving over 40 %", () => {
    const input = legacyReportInput();
    const model = modelOf(input);
    expect(model.basis).toBe("prior");
    const rec = recommendMemory(input, model).recommendation!;
    expect(rec.finding).toBe("over-provisioned-memory");
    const proposed = rec.change?.kind === "memory" ? rec.change.memoryMb : NaN;
    expect(proposed).toBeLessThanOrEqual(1769);
    // Single-threaded: above 1,769 MB the extra CPU is idle, so 1,769 MB costs 1,769 / 3,008 of it (41 % less).
    const currentUsd = monthUsd(3600, 39_000, 3008);
    expect(rec.monthlyCost.currentUsd).toBeCloseTo(currentUsd, 6);
    expect(-rec.monthlyCost.deltaUsd.expected / currentUsd).toBeGreaterThanOrEqual(0.4);
    // Even the all-CPU bound saves: the decision holds at both ends of an unknown split.
    expect(rec.monthlyCost.deltaUsd.upper).toBeLessThan(0);
    expect(rec.confidence).toBe("medium");
    expect(rec.riskUnits).toBeGreaterThan(1);
    expect(rec.evidence.join(" ")).toMatch(/Compute Optimizer does not size this function/);
  });

  it("leaves a healthy 512 MB API alone (prior: mean 53 ms, uses 130 MB) and says why", () => {
    const input = healthyApiInput();
    const result = recommendMemory(input, modelOf(input));
    expect(result.recommendation).toBeNull();
    expect(result.options).toHaveLength(3);
    // Smallest safe size ceil(1.3 × 130) = 169 MB; all-CPU there: 53 × 512 / 169 = 160.6 ms = 3.0× slower.
    expect(result.note).toMatch(/^Memory 512 MB fits: peak use 130 MB/);
    expect(result.note).toMatch(/up to 3\.0× slower \(duration split unknown\)/);
  });

  it("says a saving is too small to act on when it is under the minimum", () => {
    const input = ioBoundInput();
    const low = { ...input, hours: input.hours.map((h) => ({ ...h, invocations: h.invocations / 100 })) }; // 100 an hour: about 21 cents a month
    const result = recommendMemory(low, modelOf(input));
    expect(result.recommendation).toBeNull();
    expect(result.note).toMatch(/would save only \$0\.\d\d a month \(\d+ %\), below the \$1\.00 worth a change/);
  });

  it("still answers with fewer than 50 invocations, at low confidence", () => {
    const input = legacyReportInput(0, { minMonthlySavingUsd: 0 });
    const thin: SizingInput = {
      ...input,
      reportStats: [aReportStats({ functionName: "legacy-report-generator", memorySizeMb: 3008, invocations: 30, durationMsSum: 30 * 39_000, maxMemoryUsedMb: { p50: 200, p90: 220, p99: 250, max: 260 } })],
      hours: input.hours.map((h, i) => (i === 0 ? { ...h, invocations: 30, durationAvgMs: 39_000, durationP50Ms: 36_000, durationP99Ms: 60_000 } : h)),
    };
    const rec = recommendMemory(thin, modelOf(thin)).recommendation!;
    expect(rec.finding).toBe("over-provisioned-memory");
    expect(rec.confidence).toBe("low");
    expect(rec.riskUnits).toBeGreaterThanOrEqual(4);
  });

  it("has nothing to size without invocations", () => {
    const input = legacyReportInput();
    const idle = { ...input, hours: input.hours.map((h) => ({ ...h, invocations: 0 })), reportStats: [] };
    const result = recommendMemory(idle, modelOf(input));
    expect(result).toEqual({ recommendation: null, options: [], note: "No invocations in the lookback: nothing to size 3,008 MB against." });
  });
});
