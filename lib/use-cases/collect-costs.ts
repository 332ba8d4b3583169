import { DAY_MS } from "@/lib/domain/shared/time";
import { costGroupings } from "@/lib/domain/cost/cost-groupings";
import { nextCostWatermark, settleCostAnswer, type CostSettlement } from "@/lib/domain/cost/cost-finality";
import { costLineId, sameCostLine, type CostLine } from "@/lib/domain/cost/cost-line";
import { planCostReads, type CostQuery } from "@/lib/domain/cost/cost-read-plan";
import { CostDataUnavailableError, type CostAnswer, type CostSource } from "@/lib/ports/cost-source";
import type { CostLineStore } from "@/lib/ports/cost-store";
import type { WatermarkStore } from "@/lib/ports/stores";
import type { CollectorContext, CollectorResult } from "@/lib/use-cases/collector-context";

export const COSTS_COLLECTOR = "costs";

export interface CollectCostsDeps {
  source: CostSource;
  store: CostLineStore;
  watermarks: Pick<WatermarkStore, "get" | "advance">;
}

export interface CollectCostsOptions {
  /** Tag keys that allocate cost (COST_ALLOCATION_TAG_KEYS): one [SERVICE, TAG:key] grouping each. */
  allocationTagKeys: readonly string[];
  /** Also read HOURLY [SERVICE, USAGE_TYPE] for the last 14 days (COST_HOURLY). */
  hourly: boolean;
}

/**
 * Collects an account's Cost Explorer lines (account-wide, region "global"): per grouping ONE
 * request from the first non-final day to tomorrow, every page followed. Each answered period
 * replaces its stored lines completely — new lines are put first, then lines the answer no
 * longer has are deleted — and only then does the watermark move to the first day still
 * estimated. A crash anywhere leaves the watermark where it was, so the rerun asks the same
 * periods again and converges to the same table; days before the watermark are final and
 * never requested again (every page is a $0.01 request).
 */
export async function collectCosts(deps: CollectCostsDeps, ctx: CollectorContext, options: CollectCostsOptions): Promise<CollectorResult> {
  const { accountId, region } = ctx;
  const previous = await deps.watermarks.get(COSTS_COLLECTOR, accountId, region);
  const plan = planCostReads({
    watermarkMs: previous?.throughMs ?? null,
    backfillFromMs: ctx.backfillFromMs,
    nowMs: ctx.nowMs,
    groupings: costGroupings(options),
  });
  if (plan.queries.length === 0) {
    return { outcome: "up-to-date", window: null, itemsWritten: 0, note: "no open day to read" };
  }
  const settlements: CostSettlement[] = [];
  let itemsWritten = 0;
  let requests = 0;
  let unavailable = 0;
  for (const [index, query] of plan.queries.entries()) {
    const done = index + 1;
    let answer: CostAnswer;
    try {
      answer = await deps.source.getCostAndUsage(query);
    } catch (error) {
      if (!(error instanceof CostDataUnavailableError)) throw error;
      // Not this grouping's data (e.g. resource-level data not enabled): the others still count,
      // and a grouping without an answer has no say over the watermark.
      ctx.warn(`${query.grouping.id} skipped: ${error.message}${query.grouping.withResources ? " (is resource-level data enabled in Cost Explorer's settings?)" : ""}`);
      unavailable++;
      ctx.progress({ done, total: plan.queries.length, unit: "queries" });
      continue;
    }
    requests += answer.pagesRequested;
    itemsWritten += await replaceAnsweredPeriods(deps.store, accountId, query, answer, ctx.warn);
    settlements.push(settleCostAnswer({ window: query.window, granularity: query.grouping.granularity }, answer.periods));
    ctx.progress({ done, total: plan.queries.length, unit: "queries" });
  }
  if (unavailable === plan.queries.length) {
    return { outcome: "skipped", window: null, itemsWritten: 0, note: "Cost Explorer has no data for this account" };
  }
  const throughMs = nextCostWatermark(plan, settlements);
  await deps.watermarks.advance(COSTS_COLLECTOR, accountId, region, throughMs, ctx.backfillFromMs);
  const daysRead = (plan.window.toMs - plan.window.fromMs) / DAY_MS;
  const stillEstimated = Math.max(0, (plan.window.toMs - throughMs) / DAY_MS);
  return {
    outcome: "collected",
    window: plan.window,
    itemsWritten,
    note:
      `${daysRead} ${daysRead === 1 ? "day" : "days"} read, ${stillEstimated} still estimated, ${requests} Cost Explorer requests` +
      (unavailable > 0 ? `, ${unavailable} of ${plan.queries.length} groupings without data` : ""),
  };
}

/**
 * Makes the stored lines of every period the answer has equal to the answer's lines: puts the
 * lines that are new or changed, then deletes stored lines of those periods the answer no
 * longer has. Periods not in the answer are left alone. Returns the items put.
 */
async function replaceAnsweredPeriods(
  store: CostLineStore,
  accountId: string,
  query: CostQuery,
  answer: CostAnswer,
  warn: (message: string) => void,
): Promise<number> {
  const { grouping, window } = query;
  const answeredPeriods = new Set(answer.periods.filter((p) => p.startMs >= window.fromMs && p.startMs < window.toMs).map((p) => p.startMs));
  const fresh = new Map<string, CostLine>();
  for (const line of answer.lines) {
    if (!answeredPeriods.has(line.periodStartMs)) continue;
    const id = costLineId(line);
    if (fresh.has(id)) {
      warn(`Cost Explorer returned ${grouping.id} line ${id} twice; kept the first`);
      continue;
    }
    fresh.set(id, line);
  }
  const stored = await store.readLines({ accountId, groupingId: grouping.id, granularity: grouping.granularity, window });
  const storedById = new Map(stored.map((line) => [costLineId(line), line]));
  const changed = [...fresh.entries()].filter(([id, line]) => {
    const before = storedById.get(id);
    return before === undefined || !sameCostLine(before, line);
  });
  const stale = stored.filter((line) => answeredPeriods.has(line.periodStartMs) && !fresh.has(costLineId(line)));
  const written = changed.length > 0 ? await store.writeLines(accountId, changed.map(([, line]) => line)) : 0;
  if (stale.length > 0) await store.deleteLines(accountId, stale);
  return written;
}
