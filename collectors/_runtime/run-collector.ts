import { ApiUsageRecorder, meterApiUsage } from "@/lib/adapters/aws/api-meter";
import { estimateApiCostUsd } from "@/lib/domain/collection/api-usage";
import { capWarnings, type CollectorRun } from "@/lib/domain/collection/collector-run";
import { mapWithConcurrency } from "@/lib/domain/shared/concurrency";
import { HOUR_MS } from "@/lib/domain/shared/time";
import type { CollectorContext, CollectorResult } from "@/lib/use-cases/collector-context";
import { describeError } from "@/lib/use-cases/describe-error";
import { GLOBAL_REGION, type CollectorRuntime, type Scope } from "@/collectors/_runtime/collector-runtime";
import type { CollectorDefinition } from "@/collectors/_runtime/collector-definition";

export interface RunOptions {
  /** The instant to collect up to (the schedule's time). */
  nowMs: number;
  /** Overrides BACKFILL_HOURS for a first run (`--since`). */
  backfillHours?: number;
  onProgress?: (update: { collector: string; scope: Scope; done: number; total: number; unit: string }) => void;
  /** The wall clock for the ledger's start/end times (tests pin it). */
  clock?: () => number;
}

/**
 * Runs one collector for one account/region: meters every AWS call it makes, records the
 * outcome on its watermark (success, or the error) and writes a run ledger entry. Never
 * throws for a collector failure: the failure is in the returned entry (outcome `failed`).
 */
export async function runCollector(
  runtime: CollectorRuntime,
  definition: CollectorDefinition,
  scope: Scope,
  options: RunOptions,
): Promise<CollectorRun> {
  const clock = options.clock ?? Date.now;
  const startedAtMs = clock();
  const recorder = new ApiUsageRecorder();
  const warnings: string[] = [];
  const backfillHours = options.backfillHours ?? runtime.config.BACKFILL_HOURS;
  const ctx: CollectorContext = {
    collector: definition.name,
    accountId: scope.accountId,
    region: scope.region,
    nowMs: options.nowMs,
    backfillFromMs: options.nowMs - backfillHours * HOUR_MS,
    warn: (message) => {
      warnings.push(message);
      runtime.log.info(`warning: ${message}`, { collector: definition.name, ...scope });
    },
    progress: (update) => options.onProgress?.({ collector: definition.name, scope, ...update }),
  };
  let result: CollectorResult | null = null;
  let error: string | null = null;
  try {
    result = await meterApiUsage(recorder, () => definition.collect(runtime, ctx));
  } catch (caught) {
    error = describeError(caught);
  }
  const run: CollectorRun = {
    collector: definition.name,
    accountId: scope.accountId,
    region: scope.region,
    nowMs: options.nowMs,
    window: result?.window ?? null,
    startedAtMs,
    endedAtMs: clock(),
    apiUsage: recorder.usage,
    estimatedCostUsd: estimateApiCostUsd(recorder.usage),
    itemsWritten: result?.itemsWritten ?? 0,
    warnings: capWarnings(warnings),
    error,
    outcome: result?.outcome ?? "failed",
    note: result?.note ?? null,
  };
  try {
    await runtime.watermarks.recordOutcome(definition.name, scope.accountId, scope.region, { nowMs: options.nowMs, error });
    await runtime.ledger.record(run);
  } catch (bookkeeping) {
    // The table itself is failing: say so, but keep the collector's own outcome.
    const message = describeError(bookkeeping);
    run.error = run.error ?? `could not record the run: ${message}`;
    run.outcome = "failed";
  }
  const fields = { ...scope, outcome: run.outcome, items: run.itemsWritten, requests: totalRequests(run), costUsd: Number(run.estimatedCostUsd.toFixed(6)) };
  if (run.error) runtime.log.error(`${definition.name} failed: ${run.error}`, fields);
  else runtime.log.info(`${definition.name} ${run.outcome}${run.note ? `: ${run.note}` : ""}`, fields);
  return run;
}

export function totalRequests(run: CollectorRun): number {
  return Object.values(run.apiUsage).reduce((n, u) => n + u.requests, 0);
}

/** The account/region pairs a collector runs for: every account × region, or every account once. */
export async function scopesFor(runtime: CollectorRuntime, definition: Pick<CollectorDefinition, "scope">): Promise<Scope[]> {
  const accounts = await runtime.accounts();
  if (definition.scope === "account") return accounts.map((a) => ({ accountId: a.accountId, region: GLOBAL_REGION }));
  return accounts.flatMap((a) => runtime.regions().map((region) => ({ accountId: a.accountId, region })));
}

/** Runs one collector for every scope, COLLECT_CONCURRENCY at a time. */
export async function runCollectorEverywhere(
  runtime: CollectorRuntime,
  definition: CollectorDefinition,
  options: RunOptions,
): Promise<CollectorRun[]> {
  const scopes = await scopesFor(runtime, definition);
  return mapWithConcurrency(scopes, runtime.config.COLLECT_CONCURRENCY, (scope) => runCollector(runtime, definition, scope, options));
}
