import type { Percentiles, ReportStats } from "@/lib/domain/cold-start/report-stats";

/**
 * How much of its configured memory a function uses, from the Max Memory Used of its REPORT
 * lines (FACTS.md §3), and whether it runs out: out-of-memory kills and timeouts.
 *
 * This describes memory only. Memory also sets a Lambda's CPU share, so "mostly unused"
 * is not by itself a reason to shrink a function; sizing recommendations (issue 7) weigh
 * duration and cost too.
 */

/** A maximum at or above this share of the memory size leaves no room for a heavier request. */
export const TIGHT_USED_RATIO = 0.9;
/** A maximum below this share of the memory size leaves most of it unused. */
export const MOSTLY_UNUSED_RATIO = 0.25;

export type MemoryStatus = "out-of-memory" | "tight" | "comfortable" | "mostly-unused";

export interface HourlyMemoryUse {
  hourStartMs: number;
  invocations: number;
  p50Mb: number;
  p99Mb: number;
  maxMb: number;
}

export type MemoryUsage =
  | { kind: "insufficient-data"; reason: string; otherSizes: { memorySizeMb: number; invocations: number }[] }
  | {
      kind: "assessed";
      memorySizeMb: number;
      invocations: number;
      hoursWithInvocations: number;
      /**
       * Max Memory Used per invocation across the hours. `max` is exact; p50/p90/p99 are the
       * invocation-weighted means of the hourly percentiles (percentiles do not add up across
       * hours, so these estimate the range's percentiles).
       */
      maxMemoryUsedMb: Percentiles;
      /** The highest hourly p99: the worst hour a sizing decision has to survive. */
      worstHourP99Mb: number;
      /** (memory size − max used) / memory size, 0..1 (0 when an invocation used all of it). */
      headroomRatio: number;
      /** (memory size − p99 used) / memory size, 0..1. */
      p99HeadroomRatio: number;
      outOfMemory: number;
      /** Out-of-memory kills / invocations, 0..1. */
      outOfMemoryRatio: number;
      timeouts: number;
      timeoutRatio: number;
      status: MemoryStatus;
      /** One entry per hour with invocations, oldest first: the distribution over time. */
      hourly: HourlyMemoryUse[];
      /** Invocations at other memory sizes in the same hours (the size changed), not assessed here. */
      otherSizes: { memorySizeMb: number; invocations: number }[];
    };

/**
 * Summarises memory use at the function's configured size over the given REPORT hours (the
 * caller picks the hours, see selectReportHours): the Max Memory Used distribution, headroom,
 * out-of-memory kills and timeouts, and a status. Hours at other memory sizes are counted
 * apart, not mixed in. "Cannot say" without invocations at the configured size.
 */
export function summarizeMemoryUsage(stats: readonly ReportStats[], memorySizeMb: number): MemoryUsage {
  const atSize = stats.filter((s) => s.memorySizeMb === memorySizeMb && s.invocations > 0);
  const otherBySize = new Map<number, number>();
  for (const s of stats) {
    if (s.memorySizeMb !== memorySizeMb && s.invocations > 0) otherBySize.set(s.memorySizeMb, (otherBySize.get(s.memorySizeMb) ?? 0) + s.invocations);
  }
  const otherSizes = [...otherBySize.entries()].sort(([a], [b]) => a - b).map(([size, invocations]) => ({ memorySizeMb: size, invocations }));
  if (atSize.length === 0) {
    const reason =
      otherSizes.length > 0
        ? `no REPORT lines at the configured ${memorySizeMb} MB in this range (invocations ran at ${otherSizes.map((o) => `${o.memorySizeMb} MB`).join(", ")})`
        : "no REPORT lines collected in this range";
    return { kind: "insufficient-data", reason, otherSizes };
  }

  // One hour may hold several versions at the same size: merge them, weighting by invocations.
  const byHour = new Map<number, { invocations: number; p50: number; p90: number; p99: number; max: number }>();
  let invocations = 0;
  let outOfMemory = 0;
  let timeouts = 0;
  for (const s of atSize) {
    invocations += s.invocations;
    outOfMemory += s.outOfMemory;
    timeouts += s.timeouts;
    const hour = byHour.get(s.hourStartMs) ?? { invocations: 0, p50: 0, p90: 0, p99: 0, max: 0 };
    hour.p50 += s.maxMemoryUsedMb.p50 * s.invocations;
    hour.p90 += s.maxMemoryUsedMb.p90 * s.invocations;
    hour.p99 += s.maxMemoryUsedMb.p99 * s.invocations;
    hour.max = Math.max(hour.max, s.maxMemoryUsedMb.max);
    hour.invocations += s.invocations;
    byHour.set(s.hourStartMs, hour);
  }
  const hourly = [...byHour.entries()]
    .sort(([a], [b]) => a - b)
    .map(([hourStartMs, h]) => ({
      hourStartMs,
      invocations: h.invocations,
      p50Mb: h.p50 / h.invocations,
      p90Mb: h.p90 / h.invocations,
      p99Mb: h.p99 / h.invocations,
      maxMb: h.max,
    }));
  const weighted = (pick: (h: (typeof hourly)[number]) => number) => hourly.reduce((sum, h) => sum + pick(h) * h.invocations, 0) / invocations;
  const maxMemoryUsedMb: Percentiles = {
    p50: weighted((h) => h.p50Mb),
    p90: weighted((h) => h.p90Mb),
    p99: weighted((h) => h.p99Mb),
    max: Math.max(...hourly.map((h) => h.maxMb)),
  };
  const usedRatio = maxMemoryUsedMb.max / memorySizeMb;
  const status: MemoryStatus =
    outOfMemory > 0 ? "out-of-memory" : usedRatio >= TIGHT_USED_RATIO ? "tight" : usedRatio < MOSTLY_UNUSED_RATIO ? "mostly-unused" : "comfortable";
  return {
    kind: "assessed",
    memorySizeMb,
    invocations,
    hoursWithInvocations: hourly.length,
    maxMemoryUsedMb,
    worstHourP99Mb: Math.max(...hourly.map((h) => h.p99Mb)),
    headroomRatio: Math.max(0, 1 - usedRatio),
    p99HeadroomRatio: Math.max(0, 1 - maxMemoryUsedMb.p99 / memorySizeMb),
    outOfMemory,
    outOfMemoryRatio: outOfMemory / invocations,
    timeouts,
    timeoutRatio: timeouts / invocations,
    status,
    hourly: hourly.map(({ hourStartMs, invocations: calls, p50Mb, p99Mb, maxMb }) => ({ hourStartMs, invocations: calls, p50Mb, p99Mb, maxMb })),
    otherSizes,
  };
}
