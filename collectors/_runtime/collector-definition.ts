import type { CollectorName } from "@/lib/domain/collection/collector-run";
import type { CollectorContext, CollectorResult } from "@/lib/use-cases/collector-context";
import type { CollectorRuntime } from "@/collectors/_runtime/collector-runtime";

/**
 * A collector: one use case over one account and region. Each file in collectors/ exports one
 * definition and a Lambda `handler` made from it (collectorHandler); the local scheduler runs
 * the same definitions. How often it runs is not here: it depends on the configuration
 * (METRICS_CADENCE_MINUTES), so the scheduler and the CDK stack ask collectorCadenceMinutes.
 */
export interface CollectorDefinition {
  name: CollectorName;
  /** `region`: once per account and region; `account`: once per account (Cost Explorer). */
  scope: "region" | "account";
  /** Collects one account/region; the runner meters its API calls, records the outcome and the ledger entry. */
  collect(runtime: CollectorRuntime, ctx: CollectorContext): Promise<CollectorResult>;
}
