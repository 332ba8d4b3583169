import { describe, expect, it } from "vitest";
import type { ReportStats } from "@/lib/domain/cold-start/report-stats";
import { architectureCpuFactor, cpuScale, durationRatio, durationShape, fitDurationModel, projectMeanDurationMs } from "@/lib/domain/sizing/duration-model";
import { DEFAULT_SIZING_SETTINGS, type PeriodSample } from "@/lib/domain/sizing/tuning-types";
import { aReportStats } from "@/tests/builders/report-stats";

const H0 = Date.UTC(2026, 10, 10, 0);
const HOUR = 3_600_000;
const RATIO = DEFAULT_SIZING_SETTINGS.arm64CpuRatio;

/** Mean duration by the model's formula, single-threaded: io + cpu × 1769 / m below one vCPU. */
function formulaMs(cpu: number, io: number, memoryMb: number): number {
  return io + cpu * Math.max(1, 1769 / memoryMb);
}

/** `count` hours of REPORT stats at one size, mean duration `meanMs` ± `noiseMs` alternating by hour. */
function hoursAt(memoryMb: number, meanMs: number, count: number, firstHour: number, invocations = 100, noiseMs = 0): ReportStats[] {
  return Array.from({ length: count }, (_, i) =>
    aReportStats({
      hourStartMs: H0 + (firstHour + i) * HOUR,
      memorySizeMb: memoryMb,
      invocations,
      durationMsSum: invocations * (meanMs + (i % 2 === 0 ? noiseMs : -noiseMs)),
      billedDurationMsSum: invocations * Math.ceil(meanMs),
    }),
  );
}

function aPeriod(overrides: Partial<PeriodSample> = {}): PeriodSample {
  return { startMs: H0, invocations: 100, errors: 0, throttles: 0, durationAvgMs: 100, durationP50Ms: 90, durationP99Ms: 300, concurrencyMax: 2, ...overrides };
}

describe("cpuScale", () => {
  it("is 1 at one full vCPU (1,769 MB) and doubles at half of it", () => {
    expect(cpuScale(1769, 1)).toBe(1);
    expect(cpuScale(884.5, 1)).toBe(2);
    expect(cpuScale(128, 1)).toBeCloseTo(1769 / 128, 12);
  });

  it("stops at the handler's parallelism and at 6 vCPUs", () => {
    expect(cpuScale(3008, 1)).toBe(1); // single-threaded: more memory buys no CPU time
    expect(cpuScale(3538, 4)).toBeCloseTo(0.5, 12); // 2 vCPUs at 3,538 MB
    expect(cpuScale(10_240, 8)).toBeCloseTo(1769 / 10_240, 12); // 5.79 vCPUs at the largest size
    expect(cpuScale(10_240, 2)).toBeCloseTo(0.5, 12); // a two-threaded handler uses two of them
  });
});

describe("fitDurationModel", () => {
  it("recovers cpu and io built from the formula when the function ran at two sizes", () => {
    // cpu 12 ms at one vCPU, io 140 ms: 256 MB → 140 + 12 × 1769/256 = 222.92 ms; 1,024 MB → 160.73 ms.
    const stats = [...hoursAt(256, formulaMs(12, 140, 256), 24, 0), ...hoursAt(1024, formulaMs(12, 140, 1024), 24, 24)];
    const model = fitDurationModel({ architecture: "x86_64", memoryMb: 1024, reportStats: stats, recent: [] });
    expect(model?.basis).toBe("fitted");
    expect(model!.cpuMs.expected).toBeCloseTo(12, 6);
    expect(model!.ioMs.expected).toBeCloseTo(140, 6);
    expect(model!.observations.map((o) => o.memoryMb)).toEqual([256, 1024]);
    expect(model!.evidence[0]).toMatch(/Ran at 256 MB .* and 1,024 MB/);
  });

  it("keeps the true split inside the fitted range when the hours are noisy", () => {
    // cpu 150, io 60 (a CPU-bound handler), ±5 ms noise per hour.
    const stats = [...hoursAt(512, formulaMs(150, 60, 512), 48, 0, 100, 5), ...hoursAt(128, formulaMs(150, 60, 128), 48, 48, 100, 5)];
    const model = fitDurationModel({ architecture: "arm64", memoryMb: 128, reportStats: stats, recent: [] })!;
    expect(model.basis).toBe("fitted");
    expect(model.cpuMs.lower).toBeLessThanOrEqual(150);
    expect(model.cpuMs.upper).toBeGreaterThanOrEqual(150);
    expect(model.ioMs.lower).toBeLessThanOrEqual(60);
    expect(model.ioMs.upper).toBeGreaterThanOrEqual(60);
    expect(model.cpuMs.upper - model.cpuMs.lower).toBeLessThan(5);
  });

  it("does not count a second size with fewer than 200 invocations", () => {
    const stats = [...hoursAt(1024, 100, 24, 0), ...hoursAt(512, 150, 3, 24, 50)]; // 150 invocations at 512 MB
    const model = fitDurationModel({ architecture: "x86_64", memoryMb: 1024, reportStats: stats, recent: [] })!;
    expect(model.basis).toBe("prior");
  });

  it("brackets a single size between all-I/O and all-CPU around an even split", () => {
    // 512 MB, mean 53 ms: at one vCPU the CPU part is at most 53 × 512/1769 = 15.34 ms.
    const model = fitDurationModel({ architecture: "x86_64", memoryMb: 512, reportStats: hoursAt(512, 53, 24, 0), recent: [] })!;
    expect(model.basis).toBe("prior");
    expect(model.ioMs).toEqual({ lower: 0, expected: 26.5, upper: 53 });
    expect(model.cpuMs.lower).toBe(0);
    expect(model.cpuMs.expected).toBeCloseTo((26.5 * 512) / 1769, 9);
    expect(model.cpuMs.upper).toBeCloseTo((53 * 512) / 1769, 9);

    // Halving memory: all-I/O keeps 53 ms, all-CPU doubles it, the even split gives 26.5 + 53 = 79.5.
    const at256 = projectMeanDurationMs(model, 256, "x86_64", RATIO);
    expect(at256.lower).toBeCloseTo(53, 9);
    expect(at256.expected).toBeCloseTo(79.5, 9);
    expect(at256.upper).toBeCloseTo(106, 9);
    // One vCPU: all-CPU shrinks to 53 × 512/1769 = 15.34 ms; all-I/O stays 53.
    const at1769 = projectMeanDurationMs(model, 1769, "x86_64", RATIO);
    expect(at1769.lower).toBeCloseTo(15.34, 2);
    expect(at1769.upper).toBeCloseTo(53, 9);
    // At the observed size every split agrees.
    const at512 = projectMeanDurationMs(model, 512, "x86_64", RATIO);
    expect(at512.lower).toBeCloseTo(53, 9);
    expect(at512.upper).toBeCloseTo(53, 9);
  });

  it("returns null without REPORT lines", () => {
    expect(fitDurationModel({ architecture: "x86_64", memoryMb: 512, reportStats: [], recent: [] })).toBeNull();
  });
});

describe("durationRatio", () => {
  it("spans all-CPU to all-I/O when doubling memory of a prior", () => {
    const model = fitDurationModel({ architecture: "x86_64", memoryMb: 512, reportStats: hoursAt(512, 100, 24, 0), recent: [] })!;
    const r = durationRatio(model, 512, 1024, "x86_64", RATIO);
    expect(r.lower).toBeCloseTo(0.5, 9); // all CPU: half the time
    expect(r.expected).toBeCloseTo(0.75, 9); // even split: 50 + 25
    expect(r.upper).toBeCloseTo(1, 9); // all I/O: unchanged
  });

  it("scales only the CPU part on arm64", () => {
    const model = fitDurationModel({ architecture: "x86_64", memoryMb: 1024, reportStats: hoursAt(1024, 200, 24, 0), recent: [] })!;
    const r = durationRatio(model, 1024, 1024, "arm64", { lower: 0.8, expected: 0.9, upper: 1.1 });
    expect(r.lower).toBeCloseTo(0.8, 9); // all CPU at 0.8×
    expect(r.expected).toBeCloseTo(0.95, 9); // 100 I/O + 100 × 0.9
    expect(r.upper).toBeCloseTo(1.1, 9); // all CPU at 1.1×
  });
});

describe("architectureCpuFactor", () => {
  it("is 1 on the same architecture and inverts the ratio going back to x86_64", () => {
    expect(architectureCpuFactor("arm64", "arm64", RATIO)).toEqual({ lower: 1, expected: 1, upper: 1 });
    expect(architectureCpuFactor("x86_64", "arm64", RATIO)).toEqual(RATIO);
    const back = architectureCpuFactor("arm64", "x86_64", { lower: 0.8, expected: 0.9, upper: 1.25 });
    expect(back.lower).toBeCloseTo(0.8, 12);
    expect(back.expected).toBeCloseTo(1 / 0.9, 12);
    expect(back.upper).toBeCloseTo(1.25, 12);
  });
});

describe("durationShape", () => {
  it("weights p50/mean and p99/mean by invocations", () => {
    const shape = durationShape([
      aPeriod({ invocations: 300, durationAvgMs: 100, durationP50Ms: 90, durationP99Ms: 300 }),
      aPeriod({ invocations: 100, durationAvgMs: 200, durationP50Ms: 100, durationP99Ms: 800 }),
      aPeriod({ invocations: 0, durationAvgMs: null, durationP50Ms: null, durationP99Ms: null }),
    ]);
    // (300 × 0.9 + 100 × 0.5) / 400 = 0.8; (300 × 3 + 100 × 4) / 400 = 3.25.
    expect(shape.p50ToMean).toBeCloseTo(0.8, 12);
    expect(shape.p99ToMean).toBeCloseTo(3.25, 12);
  });

  it("falls back to a log-normal-ish shape without datapoints", () => {
    expect(durationShape([])).toEqual({ p50ToMean: 0.8, p99ToMean: 3 });
  });
});
