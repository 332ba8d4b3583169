import { LambdaInventorySource } from "@/lib/adapters/aws/lambda-inventory-source";
import { collectInventory } from "@/lib/use-cases/collect-inventory";
import type { CollectorDefinition } from "@/collectors/_runtime/collector-definition";
import { collectorHandler } from "@/collectors/_runtime/collector-handler";

/** Functions, versions, aliases, configuration, tags and concurrency of each account/region. */
export const inventoryCollector: CollectorDefinition = {
  name: "inventory",
  scope: "region",
  collect: (runtime, ctx) =>
    collectInventory(
      {
        source: new LambdaInventorySource(runtime.aws(ctx).lambda, ctx.accountId, ctx.region),
        functions: runtime.functions,
        watermarks: runtime.watermarks,
      },
      ctx,
    ),
};

/** Lambda entry point (EventBridge Scheduler, every 5 minutes). */
export const handler = collectorHandler(inventoryCollector);
