import type { CollectorRun } from "@/lib/domain/collection/collector-run";

/**
 * A ledger entry: a successful metrics run that started a minute before `nowMs` (default
 * 2026-11-26 12:30 UTC) and took 2 s; override what the test is about.
 */
export function aCollectorRun(overrides: Partial<CollectorRun> = {}, nowMs = Date.UTC(2026, 10, 26, 12, 30)): CollectorRun {
  const startedAtMs = overrides.startedAtMs ?? nowMs - 60_000;
  return {
    collector: "metrics",
    accountId: "123456789012",
    region: "us-east-1",
    nowMs: startedAtMs,
    window: { fromMs: startedAtMs - 60_000, toMs: startedAtMs },
    startedAtMs,
    endedAtMs: startedAtMs + 2_000,
    apiUsage: { "CloudWatch.GetMetricData": { requests: 2, units: 100 } },
    estimatedCostUsd: 0.001,
    itemsWritten: 10,
    warnings: [],
    error: null,
    outcome: "collected",
    note: null,
    ...overrides,
  };
}
