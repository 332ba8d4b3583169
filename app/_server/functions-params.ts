import { FunctionSortSchema, type FunctionSort } from "@/lib/queries/functions-view";
import { resolveTimeRange, type ResolvedTimeRange } from "@/lib/queries/time-range";

/** URL query parameters as pages receive them: repeated keys arrive as arrays. */
export type SearchParams = Record<string, string | string[] | undefined>;

export interface FunctionsParams {
  range: ResolvedTimeRange;
  sort: FunctionSort;
}

export type FunctionsParamsResult = { ok: true; value: FunctionsParams } | { ok: false; error: string };

const SINGLE_VALUED = ["range", "from", "to", "sort", "dir"] as const;

/** Reads URLSearchParams into the same shape pages get, keeping repeated keys. */
export function searchParamsToRecord(params: URLSearchParams): SearchParams {
  const record: SearchParams = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    record[key] = values.length === 1 ? values[0] : values;
  }
  return record;
}

/**
 * Parses the Functions page / API parameters (`range` or `from`+`to`, `sort`, `dir`).
 * Every error names the parameter, e.g. `sort: Invalid option: …`, so the page and the
 * API can show it verbatim.
 */
export function parseFunctionsParams(params: SearchParams, nowMs: number): FunctionsParamsResult {
  const single: Partial<Record<(typeof SINGLE_VALUED)[number], string>> = {};
  for (const key of SINGLE_VALUED) {
    const value = params[key];
    if (Array.isArray(value)) return { ok: false, error: `${key}: given more than once` };
    if (value !== undefined && value !== "") single[key] = value;
  }
  const range = resolveTimeRange({ range: single.range, from: single.from, to: single.to }, nowMs);
  if (!range.ok) return { ok: false, error: range.error };
  const sort = FunctionSortSchema.safeParse({ sort: single.sort, dir: single.dir });
  if (!sort.success) {
    const issue = sort.error.issues[0];
    return { ok: false, error: `${issue?.path.join(".") || "sort"}: ${issue?.message ?? "invalid"}` };
  }
  return { ok: true, value: { range: range.value, sort: sort.data } };
}
