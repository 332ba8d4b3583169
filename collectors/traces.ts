import { XRayTraceSource } from "@/lib/adapters/aws/xray-source";
import { DynamoServiceGraphStore } from "@/lib/adapters/dynamodb/service-graph-repository";
import { collectTraces } from "@/lib/use-cases/collect-traces";
import type { CollectorDefinition } from "@/collectors/_runtime/collector-definition";
import { collectorHandler } from "@/collectors/_runtime/collector-handler";

/** X-Ray service-graph snapshots per hour (the current hour refreshed every run) and exemplar traces. */
export const tracesCollector: CollectorDefinition = {
  name: "traces",
  scope: "region",
  collect: (runtime, ctx) =>
    collectTraces(
      {
        source: new XRayTraceSource(runtime.aws(ctx).xray),
        store: new DynamoServiceGraphStore(runtime.doc, runtime.tableName),
        watermarks: runtime.watermarks,
      },
      ctx,
      { settleMinutes: runtime.config.SETTLE_MINUTES },
    ),
};

/** Lambda entry point (EventBridge Scheduler, every 5 minutes). */
export const handler = collectorHandler(tracesCollector);
