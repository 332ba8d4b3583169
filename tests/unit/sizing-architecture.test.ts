import { describe, expect, it } from "vitest";
import { fittedModelOf } from "@/tests/builders/concurrency-sizing";
import type { FunctionConfig } from "@/lib/domain/inventory/function-config";
import { ARCHITECTURE_NOT_APPLIABLE_REASON, RUNTIMES_WITHOUT_ARM64, recommendArchitecture } from "@/lib/domain/sizing/architecture";
import { DEFAULT_SIZING_SETTINGS, type DurationModel, type PeriodSample, type SizingInput, type SizingSettings } from "@/lib/domain/sizing/tuning-types";
import { aFunction } from "@/tests/builders/function-config";
import { aReportStats } from "@/tests/builders/report-stats";

// Published prices (FACTS §2, us-east-1).
const X86_GB_S = 0.0000166667;
const ARM_GB_S = 0.0000133334;
const PER_REQUEST = 0.2 / 1_000_000;

const HOUR = 3_600_000;
const HOURS = 14 * 24;
const T0 = Date.UTC(2026, 10, 12, 0);

/**
 * A 14-day input for a function only ever at its configured size: `perHour` invocations of
 * `meanMs` every hour (CloudWatch p50 = 0.9 × mean, p99 = 2 × mean), peak 150 MB.
 */
function anInput(fn: Partial<FunctionConfig> = {}, perHour = 1_000_000 / 24, meanMs = 200, settings: Partial<SizingSettings> = {}): SizingInput {
  const config = aFunction({ functionName: "image-resizer", architecture: "x86_64", memoryMb: 1024, ...fn });
  const hours: PeriodSample[] = Array.from({ length: HOURS }, (_, i) => ({
    startMs: T0 + i * HOUR,
    invocations: perHour,
    errors: 0,
    throttles: 0,
    durationAvgMs: meanMs,
    durationP50Ms: 0.9 * meanMs,
    durationP99Ms: 2 * meanMs,
    concurrencyMax: 3,
  }));
  const reportStats = hours.map((h) =>
    aReportStats({
      functionName: config.functionName,
      hourStartMs: h.startMs,
      memorySizeMb: config.memoryMb,
      invocations: perHour,
      durationMsSum: perHour * meanMs,
      billedDurationMsSum: perHour * Math.ceil(meanMs),
      maxMemoryUsedMb: { p50: 120, p90: 130, p99: 140, max: 150 },
    }),
  );
  return {
    fn: config,
    account: null,
    reservedByOthers: 0,
    window: { fromMs: T0, toMs: T0 + HOURS * HOUR },
    hours,
    minutes: [],
    pc: [],
    reportStats,
    latencySlos: [],
    settings: { ...DEFAULT_SIZING_SETTINGS, ...settings },
  };
}

const modelOf = fittedModelOf;

/** Hand-priced month at 1 GB: requests + invocations × (mean + 0.5 ms) × price. */
function monthAt1Gb(invocations: number, meanMs: number, gbSecondUsd: number): number {
  return invocations * PER_REQUEST + invocations * ((meanMs + 0.5) / 1000) * gbSecondUsd;
}

describe("recommendArchitecture", () => {
  it("recommends arm64 for an x86_64 function when it saves even at the pessimistic CPU ratio", () => {
    // 1 M a day → 30 M a month, 200 ms at 1 GB, split unknown (even split expected).
    const input = anInput();
    const { recommendation: rec, note } = recommendArchitecture(input, modelOf(input));
    expect(note).toBeNull();
    expect(rec).not.toBeNull();
    expect(rec!.id).toBe("123456789012/us-east-1/image-resizer/architecture");
    expect(rec!.kind).toBe("architecture");
    expect(rec!.finding).toBe("arm64-candidate");
    expect(rec!.current).toBe("x86_64");
    expect(rec!.proposed).toBe("arm64");
    expect(rec!.change).toBeNull();
    expect(rec!.revert).toBeNull();
    expect(rec!.notAppliableReason).toBe("the architecture goes with the code: rebuild for arm64 and deploy it (UpdateFunctionCode with Architectures)");
    expect(rec!.notAppliableReason).toBe(ARCHITECTURE_NOT_APPLIABLE_REASON);

    // x86_64 now: 6.00 + 30 M × 0.2005 s × $0.0000166667 = 6 + 100.25 = $106.25.
    const currentUsd = monthAt1Gb(30_000_000, 200, X86_GB_S);
    expect(rec!.monthlyCost.currentUsd).toBeCloseTo(currentUsd, 6);
    expect(currentUsd).toBeCloseTo(106.25, 2);
    // arm64: expected 100 ms I/O + 100 ms CPU × 0.9 = 190 ms; best all-CPU × 0.8 = 160 ms; worst all-CPU × 1.1 = 220 ms.
    expect(rec!.monthlyCost.projectedUsd.expected).toBeCloseTo(monthAt1Gb(30_000_000, 190, ARM_GB_S), 6); // $82.20
    expect(rec!.monthlyCost.projectedUsd.lower).toBeCloseTo(monthAt1Gb(30_000_000, 160, ARM_GB_S), 6);
    expect(rec!.monthlyCost.projectedUsd.upper).toBeCloseTo(monthAt1Gb(30_000_000, 220, ARM_GB_S), 6); // $94.20
    expect(rec!.monthlyCost.deltaUsd.expected).toBeCloseTo(monthAt1Gb(30_000_000, 190, ARM_GB_S) - currentUsd, 6); // ≈ −$24.05
    expect(rec!.monthlyCost.deltaUsd.upper).toBeLessThan(0);

    // p50 measured 180 ms → 0.95 × 180 = 171 expected, at most 1.1 × 180 = 198.
    expect(rec!.effects.p50Ms?.current).toBeCloseTo(180, 9);
    expect(rec!.effects.p50Ms!.projected.expected).toBeCloseTo(171, 9);
    expect(rec!.effects.p50Ms!.projected.upper).toBeCloseTo(198, 9);
    expect(rec!.effects.p99Ms!.projected.expected).toBeCloseTo(380, 9);

    expect(rec!.confidence).toBe("medium");
    expect(rec!.riskUnits).toBeCloseTo(2 * (1 + 2 * 0.1), 9);
    expect(rec!.summary).toMatch(/^Move to arm64 \(Graviton\): saves about \$24\.05 a month \(23 %\)/);
    expect(rec!.assumptions.join(" ")).toMatch(/arm64 takes 0\.9× the x86_64 CPU time for the same work \(0\.8–1\.1×, setting\); I\/O wait does not change/);
    expect(rec!.assumptions.join(" ")).toMatch(/\$0\.0000133334 on arm64/);
  });

  it("does not look at functions already on arm64", () => {
    const input = anInput({ architecture: "arm64" });
    expect(recommendArchitecture(input, modelOf(input))).toEqual({ recommendation: null, note: null });
  });

  it("does not recommend when the pessimistic CPU ratio would cost more", () => {
    // Worst case all-CPU at 1.3×: 260 ms × $0.0000133334 = $104.2 + $6 = $110.2 > $106.25 now.
    const input = anInput({}, 1_000_000 / 24, 200, { arm64CpuRatio: { lower: 0.8, expected: 0.9, upper: 1.3 } });
    const { recommendation, note } = recommendArchitecture(input, modelOf(input));
    expect(recommendation).toBeNull();
    expect(note).toMatch(/^Staying on x86_64: arm64 would save about \$24\.05 a month \(23 %\) expected, but could cost \$3\.\d\d more a month if arm64 runs its CPU work 1\.3× as long\.$/);
  });

  it("does not recommend a saving below the minimum", () => {
    // 10,000 a day at 200 ms: 0.06 + 300,000 × 0.2005 × $0.0000166667 = $1.06 a month now, $0.82 on arm64.
    const input = anInput({}, 10_000 / 24);
    const { recommendation, note } = recommendArchitecture(input, modelOf(input));
    expect(recommendation).toBeNull();
    expect(note).toMatch(/^Staying on x86_64: arm64 would save about \$0\.24 a month \(23 %\), below the \$1\.00 worth a rebuild\.$/);
  });

  it.each(["go1.x", "java8", "python3.7", "nodejs10.x"])("does not recommend on %s, which has no arm64 version", (runtime) => {
    const input = anInput({ runtime });
    const { recommendation, note } = recommendArchitecture(input, modelOf(input));
    expect(recommendation).toBeNull();
    expect(note).toBe(`Staying on x86_64: the ${runtime} runtime has no arm64 version; move to a supported runtime first (arm64 would save about $24.05 a month (23 %)).`);
  });

  it("knows the AL2 successors run on arm64", () => {
    for (const runtime of ["provided.al2", "provided.al2023", "java8.al2", "python3.8", "nodejs12.x", "nodejs20.x"]) expect(RUNTIMES_WITHOUT_ARM64.has(runtime)).toBe(false);
  });

  it("flags layers and container images, at low confidence", () => {
    const layer = "arn:aws:lambda:us-east-1:123456789012:layer:sharp:4";
    const withLayer = anInput({ layers: [layer] });
    const a = recommendArchitecture(withLayer, modelOf(withLayer)).recommendation!;
    expect(a.confidence).toBe("low");
    expect(a.evidence.join(" ")).toContain(`1 layer must each publish an arm64 build: ${layer}`);
    expect(a.assumptions.join(" ")).toContain("arm64 build");
    expect(a.riskUnits).toBeCloseTo(4 * 1.2, 9);

    const image = anInput({ packageType: "Image", runtime: null });
    const b = recommendArchitecture(image, modelOf(image)).recommendation!;
    expect(b.confidence).toBe("low");
    expect(b.evidence.join(" ")).toMatch(/arm64 \(or multi-arch\) image/);
  });

  it("prices an all-I/O function's saving from the price alone", () => {
    // A fitted model with no CPU time: duration does not move, the saving is the 20 % price gap on duration —
    // just under 20 % of the bill once the request fee is in, so the bar is lowered to 10 % here.
    const input = anInput({}, 1_000_000 / 24, 200, { minSavingShare: 0.1 });
    const model: DurationModel = { ...modelOf(input), basis: "fitted", cpuMs: { lower: 0, expected: 0, upper: 0 }, ioMs: { lower: 200, expected: 200, upper: 200 } };
    const rec = recommendArchitecture(input, model).recommendation!;
    const saving = 30_000_000 * 0.2005 * (X86_GB_S - ARM_GB_S); // $20.05
    expect(-rec.monthlyCost.deltaUsd.expected).toBeCloseTo(saving, 6);
    expect(-rec.monthlyCost.deltaUsd.upper).toBeCloseTo(saving, 6);
  });
});
