import { isColdStartHeavy } from "@/lib/domain/cold-start/cold-start-heavy";
import { mergePercentiles, type CountedPercentiles } from "@/lib/domain/cold-start/quantile-sketch";
import type { Percentiles, ReportStats } from "@/lib/domain/cold-start/report-stats";
import { DAY_MS, HOUR_MS, floorToHourMs, type TimeWindow } from "@/lib/domain/shared/time";

/** Cold starts of a set of invocations (an hour, a version, a memory size, the whole window). */
export interface ColdStartCounts {
  invocations: number;
  /** Invocations that began in a new execution environment (INIT, or a SnapStart restore). */
  coldStarts: number;
  /** Of the cold starts, SnapStart restores. */
  snapStartRestores: number;
  /** coldStarts / invocations, 0..1; null without invocations. */
  coldStartRatio: number | null;
  /**
   * What a cold start added before the handler ran: Init Duration, or Restore Duration for a
   * SnapStart restore (cold latency = that + Duration), merged across hours (quantile-sketch.ts).
   * Null without cold starts.
   */
  coldStartDurationMs: Percentiles | null;
}

export interface ColdStartHour extends ColdStartCounts {
  hourStartMs: number;
}

/** A function's cold starts over the covered hours, without breakdowns: what the fleet ranking needs. */
export interface ColdStartTotals extends ColdStartCounts {
  /** The shared cold-start-heavy rule (cold-start-heavy.ts), so the service map's badge agrees. */
  heavy: boolean;
  /**
   * Total time callers waited for cold starts per day: Σ Init Duration + Σ Restore Duration
   * over the covered hours, scaled to 24 h — ratio × cold-start time × traffic in one number,
   * the fleet ranking's key. 0 when nothing was covered.
   */
  coldStartWaitMsPerDay: number;
}

export interface ColdStartSummary extends ColdStartTotals {
  /** Init Duration alone (non-SnapStart cold starts); null when there were none. */
  initDurationMs: Percentiles | null;
  /** Restore Duration alone (SnapStart cold starts); null when there were none. */
  restoreDurationMs: Percentiles | null;
  /** Every covered hour, oldest first; hours without REPORT lines are zeros. */
  byHour: ColdStartHour[];
  /** By the version that ran (null = collected without versions), most invocations first. */
  byVersion: (ColdStartCounts & { version: string | null })[];
  /** By configured memory size, smallest first. */
  byMemorySize: (ColdStartCounts & { memorySizeMb: number })[];
}

/** The stats of the hours `coverage` spans (whole UTC hours), and how long that is. */
function coveredStats(stats: readonly ReportStats[], coverage: TimeWindow): { fromMs: number; coveredMs: number; covered: ReportStats[] } {
  const fromMs = floorToHourMs(coverage.fromMs);
  return { fromMs, coveredMs: Math.max(0, coverage.toMs - fromMs), covered: stats.filter((s) => s.hourStartMs >= fromMs && s.hourStartMs < coverage.toMs) };
}

/**
 * One function's cold-start totals over the hours `coverage` spans: counts, ratio, merged
 * cold-start durations, the heavy flag and the time callers waited per day.
 */
export function summarizeColdStartTotals(stats: readonly ReportStats[], coverage: TimeWindow): ColdStartTotals {
  const { coveredMs, covered } = coveredStats(stats, coverage);
  const total = countColdStarts(covered);
  const waitedMs = covered.reduce((sum, s) => sum + s.initDurationMsSum + s.restoreDurationMsSum, 0);
  return { ...total, heavy: isColdStartHeavy(total), coldStartWaitMsPerDay: coveredMs > 0 ? (waitedMs * DAY_MS) / coveredMs : 0 };
}

/**
 * Summarises one function's ReportStats over the hours `coverage` spans (whole UTC hours the
 * REPORT data was collected for): the totals, init/restore percentiles and the breakdowns by
 * hour, version and memory size. Stats outside the coverage are ignored.
 */
export function summarizeColdStarts(stats: readonly ReportStats[], coverage: TimeWindow): ColdStartSummary {
  const { fromMs, covered } = coveredStats(stats, coverage);
  const byHourStart = new Map<number, ReportStats[]>();
  for (const s of covered) byHourStart.set(s.hourStartMs, [...(byHourStart.get(s.hourStartMs) ?? []), s]);
  const hours: ColdStartHour[] = [];
  for (let hourStartMs = fromMs; hourStartMs < coverage.toMs; hourStartMs += HOUR_MS) {
    hours.push({ hourStartMs, ...countColdStarts(byHourStart.get(hourStartMs) ?? []) });
  }

  const versions = [...new Set(covered.map((s) => s.version))];
  const byVersion = versions
    .map((version) => ({ version, ...countColdStarts(covered.filter((s) => s.version === version)) }))
    .sort((a, b) => b.invocations - a.invocations || String(a.version).localeCompare(String(b.version)));
  const sizes = [...new Set(covered.map((s) => s.memorySizeMb))].sort((a, b) => a - b);
  const byMemorySize = sizes.map((memorySizeMb) => ({ memorySizeMb, ...countColdStarts(covered.filter((s) => s.memorySizeMb === memorySizeMb)) }));

  return {
    ...summarizeColdStartTotals(covered, coverage),
    initDurationMs: mergePercentiles(covered.flatMap(initPart)),
    restoreDurationMs: mergePercentiles(covered.flatMap(restorePart)),
    byHour: hours,
    byVersion,
    byMemorySize,
  };
}

/** Counts and merged cold-start durations of a set of stats. */
export function countColdStarts(stats: readonly ReportStats[]): ColdStartCounts {
  let invocations = 0;
  let coldStarts = 0;
  let snapStartRestores = 0;
  for (const s of stats) {
    invocations += s.invocations;
    coldStarts += s.coldStarts;
    snapStartRestores += s.snapStartRestores;
  }
  return {
    invocations,
    coldStarts,
    snapStartRestores,
    coldStartRatio: invocations > 0 ? coldStarts / invocations : null,
    coldStartDurationMs: mergePercentiles(coldStartDurationParts(stats)),
  };
}

/** Every combination's cold-start percentiles (Init, and SnapStart Restore) with the cold starts each summarises. */
export function coldStartDurationParts(stats: readonly ReportStats[]): CountedPercentiles[] {
  return stats.flatMap((s) => [...initPart(s), ...restorePart(s)]);
}

/** The Init Duration percentiles of one combination, counted over its non-SnapStart cold starts. */
function initPart(s: ReportStats): CountedPercentiles[] {
  const count = s.coldStarts - s.snapStartRestores;
  return s.initDurationMs !== null && count > 0 ? [{ percentiles: s.initDurationMs, count }] : [];
}

function restorePart(s: ReportStats): CountedPercentiles[] {
  return s.restoreDurationMs !== null && s.snapStartRestores > 0 ? [{ percentiles: s.restoreDurationMs, count: s.snapStartRestores }] : [];
}
