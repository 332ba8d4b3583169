import type { FunctionInventorySource } from "@/lib/ports/function-inventory-source";
import type { FunctionStore, WatermarkStore } from "@/lib/ports/stores";
import { describeError } from "@/lib/use-cases/describe-error";

export const INVENTORY_COLLECTOR = "inventory";

export interface CollectInventoryDeps {
  source: FunctionInventorySource;
  functions: FunctionStore;
  watermarks: WatermarkStore;
}

export interface CollectInventoryResult {
  functionCount: number;
  removedCount: number;
}

/**
 * Reads every function of one account/region and stores its configuration. Functions that
 * disappeared are marked removed, not deleted, so their history stays readable.
 * Records the attempt (and any error) on the collector's watermark, then rethrows.
 */
export async function collectInventory(deps: CollectInventoryDeps, nowMs: number): Promise<CollectInventoryResult> {
  const { accountId, region } = deps.source;
  const previous = await deps.watermarks.get(INVENTORY_COLLECTOR, accountId, region);
  try {
    const functions = await deps.source.listFunctions(nowMs);
    await deps.functions.putFunctions(functions);
    const removedCount = await deps.functions.markRemoved(
      accountId,
      region,
      new Set(functions.map((f) => f.functionName)),
      nowMs,
    );
    await deps.watermarks.put({
      collector: INVENTORY_COLLECTOR,
      accountId,
      region,
      throughMs: nowMs,
      lastAttemptMs: nowMs,
      lastSuccessMs: nowMs,
      lastError: null,
    });
    return { functionCount: functions.length, removedCount };
  } catch (error) {
    await deps.watermarks.put({
      collector: INVENTORY_COLLECTOR,
      accountId,
      region,
      throughMs: previous?.throughMs ?? null,
      lastAttemptMs: nowMs,
      lastSuccessMs: previous?.lastSuccessMs ?? null,
      lastError: describeError(error),
    });
    throw error;
  }
}
