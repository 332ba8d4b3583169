import { compareReportStats, type Percentiles, type ReportStats } from "@/lib/domain/cold-start/report-stats";
import type { ReportLine } from "@/lib/domain/logs/report-line";
import type { FunctionRef } from "@/lib/domain/shared/ids";
import { floorToHourMs } from "@/lib/domain/shared/time";

/** A parsed REPORT line with what the log event around it says: when, and which version's stream. */
export interface LoggedReportLine {
  /** The log event's timestamp (epoch ms). */
  timestampMs: number;
  /** From the log stream name `2026/11/27/[12]…`; null when not split by version. */
  version: string | null;
  line: ReportLine;
}

/**
 * Aggregates one function's REPORT lines into ReportStats — one per UTC hour × version ×
 * memory size, the shape the Logs Insights query (report-stats-query.ts) produces — so single
 * lines and Insights rows feed the same cold-start views. Percentiles are nearest-rank over
 * the lines of the group (Insights' pct() is approximate on large groups; on the few cold
 * starts of an hour both are the observed values). A SnapStart line counts as a cold start and
 * a restore; its Billed Restore Duration is summed where the line states it.
 */
export function aggregateReportLines(ref: FunctionRef, lines: readonly LoggedReportLine[]): ReportStats[] {
  const groups = new Map<string, LoggedReportLine[]>();
  for (const logged of lines) {
    const key = `${floorToHourMs(logged.timestampMs)}|${logged.version ?? ""}|${logged.version === null ? 0 : 1}|${logged.line.memorySizeMb}`;
    const group = groups.get(key);
    if (group) group.push(logged);
    else groups.set(key, [logged]);
  }
  const stats: ReportStats[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    const reports = group.map((g) => g.line);
    const inits = reports.flatMap((r) => (r.initDurationMs === null ? [] : [r.initDurationMs]));
    const restores = reports.flatMap((r) => (r.restoreDurationMs === null ? [] : [r.restoreDurationMs]));
    const sum = (values: readonly number[]) => roundMs(values.reduce((total, v) => total + v, 0));
    stats.push({
      accountId: ref.accountId,
      region: ref.region,
      functionName: ref.functionName,
      hourStartMs: floorToHourMs(first.timestampMs),
      version: first.version,
      memorySizeMb: first.line.memorySizeMb,
      invocations: reports.length,
      coldStarts: inits.length + restores.length,
      snapStartRestores: restores.length,
      initDurationMs: roundPercentiles(nearestRankPercentiles(inits)),
      initDurationMsSum: sum(inits),
      restoreDurationMs: roundPercentiles(nearestRankPercentiles(restores)),
      restoreDurationMsSum: sum(restores),
      billedRestoreDurationMsSum: sum(reports.map((r) => r.billedRestoreDurationMs ?? 0)),
      billedDurationMsSum: sum(reports.map((r) => r.billedDurationMs)),
      durationMsSum: sum(reports.map((r) => r.durationMs)),
      maxMemoryUsedMb: nearestRankPercentiles(reports.map((r) => r.maxMemoryUsedMb))!,
      timeouts: reports.filter((r) => r.status === "timeout").length,
      outOfMemory: reports.filter((r) => r.errorType === "Runtime.OutOfMemory").length,
    });
  }
  return stats.sort(compareReportStats);
}

/** p50/p90/p99/max by nearest rank (the ⌈p·n⌉-th smallest value); null for no values. */
export function nearestRankPercentiles(values: readonly number[]): Percentiles | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  // The epsilon keeps float noise (0.07 × 100 = 7.000…01) from moving a rank.
  const at = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length - 1e-9) - 1)]!;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1]! };
}

/** Durations keep the REPORT line's 0.01 ms (JSON lines give µs), as report-stats-row.ts stores them. */
function roundPercentiles(p: Percentiles | null): Percentiles | null {
  return p === null ? null : { p50: roundMs(p.p50), p90: roundMs(p.p90), p99: roundMs(p.p99), max: roundMs(p.max) };
}

function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}
