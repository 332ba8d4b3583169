import { fitDurationModel } from "@/lib/domain/sizing/duration-model";
import type { ReportStats } from "@/lib/domain/cold-start/report-stats";
import { DAY_MS, HOUR_MS } from "@/lib/domain/shared/time";
import { DEFAULT_SIZING_SETTINGS, type DurationModel, type PcPeriodSample, type PeriodSample, type SizingInput } from "@/lib/domain/sizing/tuning-types";
import { aFunction } from "@/tests/builders/function-config";
import { aReportStats } from "@/tests/builders/report-stats";

/** Monday 2026-11-02 00:00 UTC: the lookback of the concurrency-sizing tests starts here. */
export const LOOKBACK_START_MS = Date.UTC(2026, 10, 2);

export interface DiurnalShape {
  days?: number;
  /** Peak concurrency (ConcurrentExecutions Maximum) of the busiest hour, reached at `peakHourUtc`. */
  peakConcurrency: number;
  troughConcurrency: number;
  peakHourUtc?: number;
  durationMs: number;
  /** Invocations per hour per unit of concurrency (default: hourly max ≈ 1.5 × mean concurrency). */
  invocationsPerConcurrencyHour?: number;
  throttlesAt?: (hourOfDay: number, concurrency: number) => number;
  startMs?: number;
}

/** Concurrency of an hour of the day on a cosine between trough and peak. */
export function diurnalConcurrency(shape: DiurnalShape, hourOfDay: number): number {
  const peakHour = shape.peakHourUtc ?? 19;
  const wave = (1 + Math.cos((2 * Math.PI * (hourOfDay - peakHour)) / 24)) / 2;
  return Math.round(shape.troughConcurrency + (shape.peakConcurrency - shape.troughConcurrency) * wave);
}

/** Hourly samples with a daily shape, p99 = 4 × p50. */
export function diurnalHours(shape: DiurnalShape): PeriodSample[] {
  const days = shape.days ?? 14;
  const start = shape.startMs ?? LOOKBACK_START_MS;
  const perConcurrency = shape.invocationsPerConcurrencyHour ?? 3_600_000 / shape.durationMs / 1.5;
  return Array.from({ length: days * 24 }, (_, i) => {
    const h = i % 24;
    const c = diurnalConcurrency(shape, h);
    return {
      startMs: start + i * HOUR_MS,
      invocations: Math.round(c * perConcurrency),
      errors: 0,
      throttles: shape.throttlesAt?.(h, c) ?? 0,
      durationAvgMs: shape.durationMs,
      durationP50Ms: shape.durationMs * 0.8,
      durationP99Ms: shape.durationMs * 3.2,
      concurrencyMax: c,
    };
  });
}

/** PC metrics of a qualifier with `provisioned` environments serving `hours` (spillover above the level). */
export function pcHoursFor(hours: readonly PeriodSample[], provisioned: number): PcPeriodSample[] {
  return hours.map((h) => {
    const c = h.concurrencyMax ?? 0;
    const spill = c > provisioned ? Math.round((h.invocations * (c - provisioned)) / c) : 0;
    return {
      startMs: h.startMs,
      provisionedExecutionsMax: Math.min(c, provisioned),
      utilisationMax: Math.min(1, c / provisioned),
      provisionedInvocations: h.invocations - spill,
      spilloverInvocations: spill,
    };
  });
}

/** One REPORT stats row per hour with the given cold starts (init p50 / p99 as given). */
export function reportStatsFor(
  hours: readonly PeriodSample[],
  fields: { functionName: string; memorySizeMb: number; coldStartsAt: (h: PeriodSample) => number; initP50Ms?: number; initP99Ms?: number },
): ReportStats[] {
  return hours.map((h) => {
    const cold = Math.min(h.invocations, fields.coldStartsAt(h));
    const p50 = fields.initP50Ms ?? 300;
    const p99 = fields.initP99Ms ?? 900;
    return aReportStats({
      functionName: fields.functionName,
      hourStartMs: h.startMs,
      memorySizeMb: fields.memorySizeMb,
      invocations: h.invocations,
      coldStarts: cold,
      initDurationMs: cold > 0 ? { p50, p90: (p50 + p99) / 2, p99, max: p99 * 1.2 } : null,
      initDurationMsSum: cold * p50,
      durationMsSum: h.invocations * (h.durationAvgMs ?? 0),
      billedDurationMsSum: h.invocations * (h.durationAvgMs ?? 0),
    });
  });
}

/** A duration model: `cpuShare` of the mean duration at `memoryMb` is CPU (1 = all CPU), exactly known. */
export function aDurationModel(fields: { memoryMb: number; meanDurationMs: number; cpuShare: number; basis?: "fitted" | "prior" }): DurationModel {
  const scale = 1 / Math.min(fields.memoryMb / 1769, 6, 1);
  const cpu = (fields.meanDurationMs * fields.cpuShare) / scale;
  const io = fields.meanDurationMs * (1 - fields.cpuShare);
  return {
    basis: fields.basis ?? "fitted",
    cpuMs: { lower: cpu, expected: cpu, upper: cpu },
    ioMs: { lower: io, expected: io, upper: io },
    parallelism: 1,
    architecture: "x86_64",
    observations: [{ memoryMb: fields.memoryMb, invocations: 10_000, meanDurationMs: fields.meanDurationMs }],
    p99ToMean: 3.2,
    p50ToMean: 0.8,
    evidence: [],
  };
}

/** A SizingInput over `hours` (14 days from LOOKBACK_START_MS by default); override what the test is about. */
export function aSizingInput(overrides: Partial<SizingInput> & { hours: PeriodSample[] }): SizingInput {
  const hours = overrides.hours;
  const fromMs = hours[0]?.startMs ?? LOOKBACK_START_MS;
  return {
    fn: aFunction(),
    account: { accountId: "123456789012", region: "us-east-1", concurrentExecutionsLimit: 1000, unreservedConcurrentExecutions: 790, functionCount: 20, collectedAtMs: fromMs },
    reservedByOthers: 210,
    window: { fromMs, toMs: fromMs + Math.max(1, hours.length) * HOUR_MS },
    minutes: [],
    pc: [],
    reportStats: [],
    latencySlos: [],
    settings: DEFAULT_SIZING_SETTINGS,
    ...overrides,
  };
}

export const FOURTEEN_DAYS_MS = 14 * DAY_MS;

/** The duration model the analyze collector would fit from a sizing input's own REPORT lines. */
export function fittedModelOf(input: SizingInput): DurationModel {
  const model = fitDurationModel({ architecture: input.fn.architecture, memoryMb: input.fn.memoryMb, reportStats: input.reportStats, recent: input.hours });
  if (model === null) throw new Error("no REPORT lines to fit a duration model on");
  return model;
}
