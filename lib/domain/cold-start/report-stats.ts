import type { FunctionRef } from "@/lib/domain/shared/ids";

/**
 * What the REPORT lines of one function say about one UTC hour, for one (version, memory
 * size) combination: the facts behind cold-start views (by hour, version, memory size),
 * INIT cost (billed init GB-seconds), memory recommendations (max-memory-used distribution
 * against the configured size) and the usage-based cost model (GB-seconds from billed
 * duration × memory size). One REPORT line is one invocation (FACTS §3).
 */
export interface ReportStats extends FunctionRef {
  /** Start of the UTC hour (epoch ms). */
  hourStartMs: number;
  /**
   * The version that ran (`$LATEST`, `12`), from the log stream name `2026/11/27/[12]…`;
   * null when the hour was collected without splitting by version.
   */
  version: string | null;
  /** Memory Size of the REPORT lines (configured memory, MB). */
  memorySizeMb: number;
  invocations: number;
  /** Invocations that began in a new execution environment: Init Duration or (SnapStart) Restore Duration present. */
  coldStarts: number;
  /** Of the cold starts, those restored from a SnapStart snapshot (Restore Duration instead of Init Duration). */
  snapStartRestores: number;
  /** Init Duration of the cold starts that had one; null when none had. */
  initDurationMs: Percentiles | null;
  /** Sum of Init Duration (ms): with memory size, the INIT GB-seconds. */
  initDurationMsSum: number;
  /** Restore Duration of SnapStart cold starts; null when none. */
  restoreDurationMs: Percentiles | null;
  restoreDurationMsSum: number;
  /** Sum of Billed Restore Duration (ms); SnapStart bills it on top of Billed Duration (FACTS §2). */
  billedRestoreDurationMsSum: number;
  /** Sum of Billed Duration (ms), as the REPORT lines state it. */
  billedDurationMsSum: number;
  /** Sum of Duration (ms). */
  durationMsSum: number;
  /** Max Memory Used per invocation (MB). */
  maxMemoryUsedMb: Percentiles;
  /** Invocations that ended `Status: timeout`. */
  timeouts: number;
  /** Invocations killed for memory (`Error Type: Runtime.OutOfMemory`). */
  outOfMemory: number;
}

/** A distribution summarised by its 50th, 90th and 99th percentiles and maximum, in the unit of the field holding it. */
export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/**
 * Orders stats the way they are stored and returned: by function, hour, version (null
 * first), then memory size. A stable order keeps rewritten items byte-identical.
 */
export function compareReportStats(a: ReportStats, b: ReportStats): number {
  return (
    compareStrings(a.accountId, b.accountId) ||
    compareStrings(a.region, b.region) ||
    compareStrings(a.functionName, b.functionName) ||
    a.hourStartMs - b.hourStartMs ||
    compareStrings(a.version ?? "", b.version ?? "") ||
    (a.version === null ? 0 : 1) - (b.version === null ? 0 : 1) ||
    a.memorySizeMb - b.memorySizeMb
  );
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
