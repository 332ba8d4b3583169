import type { ReportStats } from "@/lib/domain/cold-start/report-stats";

/**
 * One function-hour of REPORT-line stats (one version × memory size) with quiet defaults:
 * 10 warm invocations of 100 ms at 1,024 MB using ~80 MB, no cold starts, no failures.
 * Override what the test is about.
 */
export function aReportStats(overrides: Partial<ReportStats> = {}): ReportStats {
  return {
    accountId: "123456789012",
    region: "us-east-1",
    functionName: "orders-api",
    hourStartMs: Date.UTC(2026, 10, 26, 10),
    version: "$LATEST",
    memorySizeMb: 1024,
    invocations: 10,
    coldStarts: 0,
    snapStartRestores: 0,
    initDurationMs: null,
    initDurationMsSum: 0,
    restoreDurationMs: null,
    restoreDurationMsSum: 0,
    billedRestoreDurationMsSum: 0,
    billedDurationMsSum: 1_000,
    durationMsSum: 995,
    maxMemoryUsedMb: { p50: 80, p90: 90, p99: 95, max: 100 },
    timeouts: 0,
    outOfMemory: 0,
    ...overrides,
  };
}
