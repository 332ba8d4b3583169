import type { CollectorContext } from "@/lib/use-cases/collector-context";

/** A collector context for use-case tests; warnings and progress are kept for assertions. */
export function aCollectorContext(overrides: Partial<CollectorContext> = {}): CollectorContext & { warnings: string[]; progressUpdates: { done: number; total: number; unit: string }[] } {
  const warnings: string[] = [];
  const progressUpdates: { done: number; total: number; unit: string }[] = [];
  const nowMs = overrides.nowMs ?? Date.UTC(2026, 10, 26, 12, 0, 30);
  return {
    collector: "metrics",
    accountId: "123456789012",
    region: "us-east-1",
    nowMs,
    backfillFromMs: nowMs - 14 * 86_400_000,
    warn: (message) => warnings.push(message),
    progress: (update) => progressUpdates.push(update),
    ...overrides,
    warnings,
    progressUpdates,
  };
}
