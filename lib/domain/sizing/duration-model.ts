import type { ReportStats } from "@/lib/domain/cold-start/report-stats";
import type { Architecture } from "@/lib/domain/inventory/function-config";
import {
  MAX_VCPUS,
  MB_PER_VCPU,
  type DurationModel,
  type PeriodSample,
  type Range,
} from "@/lib/domain/sizing/tuning-types";

/**
 * How a function's duration depends on its memory size (and architecture).
 *
 * Lambda gives CPU in proportion to memory: one full vCPU at 1,769 MB, up to 6 at 10,240 MB.
 * A handler's time splits into CPU work, which shrinks as memory buys more CPU (until the
 * handler cannot use more vCPUs), and waiting on I/O, which does not:
 *
 *   D(m) = io + cpu / min(m / 1769, parallelism)
 *
 * When the function ran at two or more memory sizes in the lookback, `io` and `cpu` are
 * fitted to its own REPORT lines (weighted least squares over the hours, with a 2σ range).
 * Otherwise one point cannot separate them: the model brackets the answer between "all I/O"
 * and "all CPU" around an even split, and says so — projections then carry a wide range.
 */

/** Hours with fewer invocations than this are too noisy to fit on. */
const MIN_INVOCATIONS_PER_POINT = 20;
/** A memory size needs this many invocations to count as a second observation. */
const MIN_INVOCATIONS_PER_SIZE = 200;
/** CPU share assumed at the one observed size when nothing else is known. */
export const PRIOR_CPU_SHARE = 0.5;

/** CPU time multiplier at `memoryMb` relative to one full vCPU: 1 / min(vCPUs, parallelism). */
export function cpuScale(memoryMb: number, parallelism: number): number {
  return 1 / Math.min(memoryMb / MB_PER_VCPU, MAX_VCPUS, Math.max(1, parallelism));
}

interface Point {
  x: number;
  y: number;
  w: number;
}

/**
 * Fits the model from one function's REPORT-line stats (one architecture: the current one;
 * hours on the other are left out). `recent` gives the p50/p99 shape from CloudWatch.
 */
export function fitDurationModel(input: {
  architecture: Architecture;
  memoryMb: number;
  reportStats: readonly ReportStats[];
  recent: readonly PeriodSample[];
  parallelism?: number;
}): DurationModel | null {
  const parallelism = input.parallelism ?? 1;
  const bySize = new Map<number, { invocations: number; durationMsSum: number }>();
  const points: Point[] = [];
  for (const s of input.reportStats) {
    if (s.invocations === 0) continue;
    const size = bySize.get(s.memorySizeMb) ?? { invocations: 0, durationMsSum: 0 };
    size.invocations += s.invocations;
    size.durationMsSum += s.durationMsSum;
    bySize.set(s.memorySizeMb, size);
    if (s.invocations >= MIN_INVOCATIONS_PER_POINT) points.push({ x: cpuScale(s.memorySizeMb, parallelism), y: s.durationMsSum / s.invocations, w: s.invocations });
  }
  const observations = [...bySize.entries()]
    .map(([memoryMb, v]) => ({ memoryMb, invocations: v.invocations, meanDurationMs: v.durationMsSum / v.invocations }))
    .sort((a, b) => a.memoryMb - b.memoryMb);
  if (observations.length === 0) return null;
  const shape = durationShape(input.recent);
  const usable = observations.filter((o) => o.invocations >= MIN_INVOCATIONS_PER_SIZE);
  const distinctScales = new Set(usable.map((o) => cpuScale(o.memoryMb, parallelism).toFixed(6)));
  if (distinctScales.size >= 2) {
    const fit = weightedLeastSquares(points.filter((p) => usable.some((o) => Math.abs(cpuScale(o.memoryMb, parallelism) - p.x) < 1e-9)));
    if (fit !== null) {
      const cpu = clampRange({ lower: fit.slope - 2 * fit.slopeSe, expected: fit.slope, upper: fit.slope + 2 * fit.slopeSe });
      const io = clampRange({ lower: fit.intercept - 2 * fit.interceptSe, expected: fit.intercept, upper: fit.intercept + 2 * fit.interceptSe });
      const sizes = usable.map((o) => `${formatCount(o.memoryMb)} MB (${formatCount(o.invocations)} invocations, mean ${formatCount(Math.round(o.meanDurationMs))} ms)`).join(" and ");
      return {
        basis: "fitted",
        cpuMs: cpu,
        ioMs: io,
        parallelism,
        architecture: input.architecture,
        observations,
        ...shape,
        evidence: [
          `Ran at ${sizes} in the lookback; fitted ${formatCount(Math.round(cpu.expected))} ms of CPU at one vCPU and ${formatCount(Math.round(io.expected))} ms of I/O wait per invocation.`,
        ],
      };
    }
  }
  // One size: bracket between all-I/O and all-CPU.
  const at = observations.reduce((best, o) => (o.memoryMb === input.memoryMb || (best.memoryMb !== input.memoryMb && o.invocations > best.invocations) ? o : best));
  const scale = cpuScale(at.memoryMb, parallelism);
  const d = at.meanDurationMs;
  return {
    basis: "prior",
    cpuMs: { lower: 0, expected: (PRIOR_CPU_SHARE * d) / scale, upper: d / scale },
    ioMs: { lower: 0, expected: (1 - PRIOR_CPU_SHARE) * d, upper: d },
    parallelism,
    architecture: input.architecture,
    observations,
    ...shape,
    evidence: [
      `Only ran at ${formatCount(at.memoryMb)} MB in the lookback (mean ${formatCount(Math.round(d))} ms): how much of that is CPU is unknown, so projections span all-I/O to all-CPU.`,
    ],
  };
}

/**
 * Projected mean duration (ms) at a memory size and architecture, as a Range. The two ends
 * are the model's extreme splits (most CPU with least I/O, and the reverse), which is what
 * the observations allow; `arm64CpuRatio` scales the CPU part on a change of architecture.
 */
export function projectMeanDurationMs(model: DurationModel, memoryMb: number, architecture: Architecture, arm64CpuRatio: Range): Range {
  const scale = cpuScale(memoryMb, model.parallelism);
  const arch = architectureCpuFactor(model.architecture, architecture, arm64CpuRatio);
  const values = [
    model.ioMs.expected + model.cpuMs.expected * scale * arch.expected,
    model.ioMs.upper + model.cpuMs.lower * scale * arch.lower,
    model.ioMs.lower + model.cpuMs.upper * scale * arch.upper,
    model.ioMs.upper + model.cpuMs.lower * scale * arch.upper,
    model.ioMs.lower + model.cpuMs.upper * scale * arch.lower,
  ];
  const lower = Math.max(0, Math.min(...values));
  const upper = Math.max(...values);
  return { lower, expected: Math.min(upper, Math.max(lower, values[0]!)), upper };
}

/** Projected duration relative to the model at `fromMemoryMb` on its own architecture (1 = unchanged), per end of the range. */
export function durationRatio(model: DurationModel, fromMemoryMb: number, toMemoryMb: number, toArchitecture: Architecture, arm64CpuRatio: Range): Range {
  // Ratios must pair the same split at both sizes, so evaluate each split separately.
  const splits: [number, number][] = [
    [model.cpuMs.expected, model.ioMs.expected],
    [model.cpuMs.lower, model.ioMs.upper],
    [model.cpuMs.upper, model.ioMs.lower],
  ];
  const from = cpuScale(fromMemoryMb, model.parallelism);
  const to = cpuScale(toMemoryMb, model.parallelism);
  const arch = architectureCpuFactor(model.architecture, toArchitecture, arm64CpuRatio);
  const ratios = splits.flatMap(([cpu, io]) => {
    const before = io + cpu * from;
    if (before <= 0) return [];
    return [arch.lower, arch.expected, arch.upper].map((f) => (io + cpu * to * f) / before);
  });
  if (ratios.length === 0) return { lower: 1, expected: 1, upper: 1 };
  const [cpu, io] = splits[0]!;
  const before = io + cpu * from;
  const expected = before > 0 ? (io + cpu * to * arch.expected) / before : 1;
  return { lower: Math.min(...ratios), expected, upper: Math.max(...ratios) };
}

/** CPU time factor of moving from `from` to `to` architecture: 1 when the same. */
export function architectureCpuFactor(from: Architecture, to: Architecture, arm64CpuRatio: Range): Range {
  if (from === to) return { lower: 1, expected: 1, upper: 1 };
  if (to === "arm64") return arm64CpuRatio;
  return { lower: 1 / arm64CpuRatio.upper, expected: 1 / arm64CpuRatio.expected, upper: 1 / arm64CpuRatio.lower };
}

/** p50/mean and p99/mean of the warm duration from CloudWatch periods (invocation-weighted); log-normal-ish defaults without data. */
export function durationShape(periods: readonly PeriodSample[]): { p50ToMean: number; p99ToMean: number } {
  let w = 0;
  let p50 = 0;
  let p99 = 0;
  for (const p of periods) {
    if (p.invocations <= 0 || p.durationAvgMs === null || p.durationAvgMs <= 0 || p.durationP50Ms === null || p.durationP99Ms === null) continue;
    w += p.invocations;
    p50 += (p.durationP50Ms / p.durationAvgMs) * p.invocations;
    p99 += (p.durationP99Ms / p.durationAvgMs) * p.invocations;
  }
  if (w === 0) return { p50ToMean: 0.8, p99ToMean: 3 };
  return { p50ToMean: p50 / w, p99ToMean: p99 / w };
}

function weightedLeastSquares(points: readonly Point[]): { slope: number; intercept: number; slopeSe: number; interceptSe: number } | null {
  const n = points.length;
  if (n < 3) return null;
  let sw = 0;
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sw += p.w;
    sx += p.w * p.x;
    sy += p.w * p.y;
  }
  const mx = sx / sw;
  const my = sy / sw;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += p.w * (p.x - mx) ** 2;
    sxy += p.w * (p.x - mx) * (p.y - my);
  }
  if (sxx <= 0) return null;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  // Residual variance per unit weight; hours are the independent samples (n − 2 dof).
  let rss = 0;
  for (const p of points) rss += p.w * (p.y - intercept - slope * p.x) ** 2;
  const meanW = sw / n;
  const sigma2 = rss / (n - 2) / meanW;
  const slopeSe = Math.sqrt((sigma2 * meanW) / sxx);
  const interceptSe = Math.sqrt(sigma2 * meanW * (1 / sw + (mx * mx) / sxx));
  return { slope, intercept, slopeSe, interceptSe };
}

function clampRange(r: Range): Range {
  const lower = Math.max(0, r.lower);
  const expected = Math.max(lower, r.expected);
  return { lower, expected, upper: Math.max(expected, r.upper) };
}

function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}
