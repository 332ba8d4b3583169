import { readSingleValued, type SearchParams } from "@/app/_server/search-params";
import { FunctionSortSchema, type FunctionSort } from "@/lib/queries/functions-view";
import { resolveTimeRange, type ResolvedTimeRange } from "@/lib/queries/time-range";

export interface FunctionsParams {
  range: ResolvedTimeRange;
  sort: FunctionSort;
}

export type FunctionsParamsResult = { ok: true; value: FunctionsParams } | { ok: false; error: string };

const SINGLE_VALUED = ["range", "from", "to", "sort", "dir"] as const;

/**
 * Parses the Functions page / API parameters (`range` or `from`+`to`, `sort`, `dir`).
 * Every error names the parameter, e.g. `sort: Invalid option: …`, so the page and the
 * API can show it verbatim.
 */
export function parseFunctionsParams(params: SearchParams, nowMs: number): FunctionsParamsResult {
  const read = readSingleValued(params, SINGLE_VALUED);
  if (!read.ok) return read;
  const single = read.value;
  const range = resolveTimeRange({ range: single.range, from: single.from, to: single.to }, nowMs);
  if (!range.ok) return { ok: false, error: range.error };
  const sort = FunctionSortSchema.safeParse({ sort: single.sort, dir: single.dir });
  if (!sort.success) {
    const issue = sort.error.issues[0];
    return { ok: false, error: `${issue?.path.join(".") || "sort"}: ${issue?.message ?? "invalid"}` };
  }
  return { ok: true, value: { range: range.value, sort: sort.data } };
}
