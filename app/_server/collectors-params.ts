import { readSingleValued, type SearchParams } from "@/app/_server/search-params";
import { parseCollectorRunsQuery, type CollectorRunsParams, type CollectorRunsQueryResult } from "@/lib/queries/collectors-view";

const SINGLE_VALUED = ["collector", "account", "region", "outcome", "since", "limit"] as const satisfies readonly (keyof CollectorRunsParams)[];

/**
 * Parses the Collectors page / runs API parameters (`collector`, `account`, `region`,
 * `outcome`, `since`, `limit`) as pages and routes receive them. A repeated parameter is an
 * error; every error names the parameter.
 */
export function parseCollectorRunsParams(params: SearchParams, nowMs: number): CollectorRunsQueryResult {
  const read = readSingleValued(params, SINGLE_VALUED);
  if (!read.ok) return read;
  return parseCollectorRunsQuery(read.value, nowMs);
}
