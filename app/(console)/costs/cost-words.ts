import type { Freshness } from "@/app/(console)/_format/freshness";
import { formatDateTimeUtc, formatPercent, formatRelativeTime } from "@/app/(console)/_format/format";
import { formatCostDay } from "@/app/(console)/costs/cost-format";
import type { AllocationSource, BucketSummary, BudgetStatus, CostView } from "@/lib/domain/cost/cost-types";

/** Words of the Costs page for view-model values; nothing here computes money. */

/**
 * Cost Explorer refreshes its data at least once a day; a collection older than a day and a
 * few hours of slack means at least one refresh was missed, so the page warns.
 */
export const COST_STALE_AFTER_MS = 30 * 3_600_000;

/** How an amount reached its bucket, in the column "Source". */
export const SOURCE_WORDS: Record<AllocationSource, string> = {
  tagged: "Tagged",
  shared: "Shared",
  untagged: "Untagged",
  idle: "Idle provisioned concurrency",
};

/** What each source means, for titles. */
export const SOURCE_MEANINGS: Record<AllocationSource, string> = {
  tagged: "Cost Explorer attributed it to the tag value (or service) directly",
  shared: "Untagged cost of a shared-cost pool's services, split by the pool's rule",
  untagged: "Untagged cost that no shared-cost pool takes",
  idle: "Provisioned concurrency paid for and not used, moved out of its function's bucket",
};

/** The freshness line of the Costs page: when costs were collected and which days are still estimated. */
export function describeCostFreshness(freshness: CostView["freshness"], nowMs: number): Freshness {
  const estimated =
    freshness.estimatedFromDayMs === null ? "" : ` Days from ${formatCostDay(freshness.estimatedFromDayMs)} on are still estimated by Cost Explorer and may change.`;
  if (freshness.collectedAtMs === null) {
    return { tone: "warning", message: `No cost collection has completed yet — the first collection is running.${estimated}` };
  }
  const when = `${formatDateTimeUtc(freshness.collectedAtMs)} (${formatRelativeTime(freshness.collectedAtMs, nowMs)})`;
  if (nowMs - freshness.collectedAtMs > COST_STALE_AFTER_MS) {
    return { tone: "warning", message: `Cost data is stale: the last collection finished ${when}.${estimated}` };
  }
  return { tone: "ok", message: `Costs collected ${when}.${estimated}` };
}

/** The name of an anomaly's series: the bucket's label, or "Unit cost of <function>". */
export function describeSeries(seriesId: string, buckets: readonly Pick<BucketSummary, "id" | "label">[]): string {
  const bucket = buckets.find((b) => b.id === seriesId);
  if (bucket) return bucket.label;
  if (seriesId.startsWith("function:")) return `Cost per invocation of ${seriesId.slice("function:".length)}`;
  if (seriesId.startsWith("value:")) return seriesId.slice("value:".length);
  return seriesId;
}

export type BudgetTone = "ok" | "warning" | "over";

/**
 * A budget's status: over when actual cost has reached the limit; warning when actual cost
 * has reached an alert threshold below it, or the forecast reaches a threshold; else on track.
 */
export function describeBudgetStatus(status: Pick<BudgetStatus, "actualRatio" | "forecastRatio" | "actualCrossed" | "forecastCrossed">): { tone: BudgetTone; text: string } {
  if (status.actualRatio >= 1) return { tone: "over", text: `Over budget: ${formatPercent(status.actualRatio)} spent` };
  if (status.actualCrossed !== null) return { tone: "warning", text: `Spent past ${formatPercent(status.actualCrossed)} of the budget` };
  if (status.forecastCrossed !== null) {
    return { tone: status.forecastCrossed >= 1 ? "over" : "warning", text: `Forecast to reach ${formatPercent(status.forecastRatio)} by month end` };
  }
  return { tone: "ok", text: "On track" };
}
