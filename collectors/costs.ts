import { COLLECTOR_CADENCE_MINUTES } from "@/lib/domain/collection/collector-cadence";
import { CostExplorerSource } from "@/lib/adapters/aws/cost-explorer-source";
import { DynamoCostLineStore } from "@/lib/adapters/dynamodb/cost-repository";
import { collectCosts } from "@/lib/use-cases/collect-costs";
import type { CollectorDefinition } from "@/collectors/_runtime/collector-definition";
import { collectorHandler } from "@/collectors/_runtime/collector-handler";

/**
 * Cost Explorer lines per account (account-wide: region "global", the client in us-east-1).
 * Every 6 hours: each run costs one $0.01 request per grouping and page, and re-reads only the
 * days Cost Explorer still marks Estimated.
 */
export const costsCollector: CollectorDefinition = {
  name: "costs",
  scope: "account",
  everyMinutes: COLLECTOR_CADENCE_MINUTES.costs,
  collect(runtime, ctx) {
    const source = new CostExplorerSource(runtime.aws(ctx).costExplorer, ctx.warn);
    const store = new DynamoCostLineStore(runtime.doc, runtime.tableName);
    return collectCosts({ source, store, watermarks: runtime.watermarks }, ctx, {
      allocationTagKeys: runtime.config.COST_ALLOCATION_TAG_KEYS,
      hourly: runtime.config.COST_HOURLY,
    });
  },
};

/** Lambda entry point (EventBridge Scheduler). */
export const handler = collectorHandler(costsCollector);
