import type { AnsweredPeriod } from "@/lib/domain/cost/cost-finality";
import type { CostLine } from "@/lib/domain/cost/cost-line";
import type { CostQuery } from "@/lib/domain/cost/cost-read-plan";

/** One query's answer, every page merged. */
export interface CostAnswer {
  /** Every result period the answer contained (a period split across pages appears once). */
  periods: AnsweredPeriod[];
  /** The groups that parsed, as lines; malformed groups were warned about and left out. */
  lines: CostLine[];
  /** Pages requested (each a billed request, $0.01 on Cost Explorer). */
  pagesRequested: number;
}

/**
 * Cost Explorer (GetCostAndUsage / GetCostAndUsageWithResources): runs one query built by the
 * domain and follows NextPageToken to the last page.
 */
export interface CostSource {
  getCostAndUsage(query: CostQuery): Promise<CostAnswer>;
}

/**
 * Cost Explorer has no data for a query (`DataUnavailableException`): on AWS, typically
 * resource-level data not enabled in Cost Explorer's settings (an opt-in), or Cost Explorer
 * not yet enabled for the account. The use case skips that grouping with a warning instead of
 * failing every run.
 */
export class CostDataUnavailableError extends Error {
  override readonly name = "CostDataUnavailableError";
}
