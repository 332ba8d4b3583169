import { addApiUsage, estimateApiCostUsd, type ApiUsage } from "@/lib/domain/collection/api-usage";
import type { CollectorRun } from "@/lib/domain/collection/collector-run";

/** One AWS operation's share of some runs' API usage. */
export interface OperationCost {
  /** `<Service>.<Operation>`, e.g. `CloudWatch.GetMetricData`. */
  operation: string;
  requests: number;
  /** Billable units (see API_PRICES); 0 for free operations. */
  units: number;
  /** units × the published price; 0 for operations that are free. */
  estimatedCostUsd: number;
}

/** What a set of runs did in total. */
export interface RunUsageSummary {
  runs: number;
  failedRuns: number;
  /** HTTP requests to AWS, retries included. */
  requests: number;
  /** The sum of the runs' own estimates (priced when each ran). */
  estimatedCostUsd: number;
  itemsWritten: number;
  warnings: number;
  /** Per operation, costliest first, then most requested, then by name. */
  operations: OperationCost[];
}

/**
 * Splits API usage per operation with its estimated cost, costliest first (ties: most
 * requests, then name, so the order is stable).
 */
export function costPerOperation(usage: ApiUsage): OperationCost[] {
  return Object.entries(usage)
    .map(([operation, { requests, units }]) => ({ operation, requests, units, estimatedCostUsd: estimateApiCostUsd({ [operation]: { requests, units } }) }))
    .sort((a, b) => b.estimatedCostUsd - a.estimatedCostUsd || b.requests - a.requests || a.operation.localeCompare(b.operation));
}

/** The total requests of one run's usage. */
export function totalRequests(usage: ApiUsage): number {
  return Object.values(usage).reduce((sum, u) => sum + u.requests, 0);
}

/**
 * Sums runs: counts, requests, the runs' estimated API cost, items written and warnings, and
 * the usage per operation. The total cost is the sum of the ledger's own estimates, so it
 * matches what each run recorded even if prices change later; the per-operation split uses
 * today's prices.
 */
export function summarizeRunUsage(runs: readonly CollectorRun[]): RunUsageSummary {
  let usage: ApiUsage = {};
  let failedRuns = 0;
  let estimatedCostUsd = 0;
  let itemsWritten = 0;
  let warnings = 0;
  for (const run of runs) {
    usage = addApiUsage(usage, run.apiUsage);
    if (run.outcome === "failed") failedRuns++;
    estimatedCostUsd += run.estimatedCostUsd;
    itemsWritten += run.itemsWritten;
    warnings += run.warnings.length;
  }
  return { runs: runs.length, failedRuns, requests: totalRequests(usage), estimatedCostUsd, itemsWritten, warnings, operations: costPerOperation(usage) };
}
