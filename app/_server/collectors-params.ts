import type { SearchParams } from "@/app/_server/functions-params";
import { parseCollectorRunsQuery, type CollectorRunsParams, type CollectorRunsQueryResult } from "@/lib/queries/collectors-view";

const SINGLE_VALUED = ["collector", "account", "region", "outcome", "since", "limit"] as const satisfies readonly (keyof CollectorRunsParams)[];

/**
 * Parses the Collectors page / runs API parameters (`collector`, `account`, `region`,
 * `outcome`, `since`, `limit`) as pages and routes receive them. A repeated parameter is an
 * error; every error names the parameter.
 */
export function parseCollectorRunsParams(params: SearchParams, nowMs: number): CollectorRunsQueryResult {
  const single: CollectorRunsParams = {};
  for (const key of SINGLE_VALUED) {
    const value = params[key];
    if (Array.isArray(value)) return { ok: false, error: `${key}: given more than once` };
    if (value !== undefined) single[key] = value;
  }
  return parseCollectorRunsQuery(single, nowMs);
}
