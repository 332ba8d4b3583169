import { needsDetails, type FunctionConfig } from "@/lib/domain/inventory/function-config";
import { mapWithConcurrency } from "@/lib/domain/shared/concurrency";
import type { FunctionInventorySource } from "@/lib/ports/function-inventory-source";
import type { FunctionStore, WatermarkStore } from "@/lib/ports/stores";
import type { CollectorContext, CollectorResult } from "@/lib/use-cases/collector-context";

export const INVENTORY_COLLECTOR = "inventory";

/** Per-function detail reads in flight at once; the Lambda control plane throttles bursts. */
const DETAIL_CONCURRENCY = 4;

export interface CollectInventoryDeps {
  source: FunctionInventorySource;
  functions: FunctionStore;
  watermarks: WatermarkStore;
}

/**
 * Reads every function of one account/region and stores its configuration, tags, versions,
 * aliases and concurrency, plus the account's concurrency settings. Details (five calls per
 * function) are re-read only for new or changed functions and hourly otherwise, so a fleet
 * of thousands costs one ListFunctions pass per run. Functions that disappeared are marked
 * removed, not deleted, so their history stays readable; a function Lambda lists but whose
 * configuration cannot be read is skipped with a warning and keeps its stored record.
 */
export async function collectInventory(deps: CollectInventoryDeps, ctx: CollectorContext): Promise<CollectorResult> {
  const { accountId, region, nowMs } = ctx;
  const [{ functions: summaries, unreadable }, stored] = await Promise.all([
    deps.source.listFunctions(),
    deps.functions.listFunctions().then((all) => new Map(all.filter((f) => f.accountId === accountId && f.region === region).map((f) => [f.functionName, f]))),
  ]);
  for (const u of unreadable) ctx.warn(`skipped function ${u.functionName}: unexpected configuration (${u.reason})`);
  let described = 0;
  const configs = await mapWithConcurrency(summaries, DETAIL_CONCURRENCY, async (summary): Promise<FunctionConfig> => {
    const previous = stored.get(summary.functionName);
    if (previous && !needsDetails(summary, previous, nowMs)) {
      const { tags, reservedConcurrency, provisionedConcurrency, aliases, versions, detailsCollectedAtMs } = previous;
      return { ...summary, tags, reservedConcurrency, provisionedConcurrency, aliases, versions, detailsCollectedAtMs, collectedAtMs: nowMs };
    }
    const details = await deps.source.describeFunction(summary);
    described += 1;
    ctx.progress({ done: described, total: summaries.length, unit: "functions described" });
    return { ...summary, ...details, collectedAtMs: nowMs, detailsCollectedAtMs: nowMs };
  });
  const account = await deps.source.getAccountConcurrency(nowMs);
  await deps.functions.putFunctions(configs);
  await deps.functions.putAccountConcurrency(account);
  const keep = new Set([...configs.map((f) => f.functionName), ...unreadable.map((u) => u.functionName)]);
  const removed = await deps.functions.markRemoved(accountId, region, keep, nowMs);
  await deps.watermarks.advance(INVENTORY_COLLECTOR, accountId, region, nowMs, nowMs);
  return {
    outcome: configs.length === 0 && unreadable.length === 0 ? "skipped" : "collected",
    window: null,
    itemsWritten: configs.length + 1 + removed,
    note: `${configs.length} functions (${described} described${removed > 0 ? `, ${removed} removed` : ""})`,
  };
}
