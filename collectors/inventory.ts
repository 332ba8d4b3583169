import { LambdaInventorySource } from "@/lib/adapters/aws/lambda-inventory-source";
import { collectInventory, type CollectInventoryResult } from "@/lib/use-cases/collect-inventory";
import { createCollectorRuntime, type CollectorRuntime } from "@/collectors/_runtime/collector-runtime";
import { resolveRunTime } from "@/collectors/_runtime/scheduled-event";
import { powertoolsLog } from "@/collectors/_runtime/log";

export type InventoryRunResult = CollectInventoryResult | { functionCount: 0; removedCount: 0; note: "no functions in region" };

/** One inventory run: list the region's functions and store them. */
export async function runInventory(runtime: CollectorRuntime, rawEvent: unknown): Promise<InventoryRunResult> {
  const nowMs = resolveRunTime(rawEvent, Date.now());
  const accountId = await runtime.accountId();
  if (accountId === null) {
    runtime.log.info("no Lambda functions in region", { region: runtime.config.AWS_REGION });
    return { functionCount: 0, removedCount: 0, note: "no functions in region" };
  }
  const source = new LambdaInventorySource(runtime.lambda, accountId, runtime.config.AWS_REGION);
  const result = await collectInventory({ source, functions: runtime.functions, watermarks: runtime.watermarks }, nowMs);
  runtime.log.info("inventory collected", { accountId, region: source.region, ...result });
  return result;
}

const log = powertoolsLog("inventory");
let runtime: CollectorRuntime | undefined;

/** Lambda entry point (EventBridge Scheduler). */
export const handler = async (event: unknown, context?: Parameters<typeof log.logger.addContext>[0]): Promise<InventoryRunResult> => {
  if (context) log.logger.addContext(context);
  runtime ??= createCollectorRuntime({ log });
  return runInventory(runtime, event);
};
