import { readSingleValued, type SearchParams } from "@/app/_server/search-params";
import { resolveTimeRange, type ResolvedTimeRange } from "@/lib/queries/time-range";

export type SloDetailParamsResult = { ok: true; value: { range: ResolvedTimeRange } } | { ok: false; error: string };

/** The SLO page / API parameters: `range` or `from`+`to` for the contributors (default 24 h). */
export function parseSloDetailParams(params: SearchParams, nowMs: number): SloDetailParamsResult {
  const read = readSingleValued(params, ["range", "from", "to"] as const);
  if (!read.ok) return read;
  const range = resolveTimeRange(read.value, nowMs);
  return range.ok ? { ok: true, value: { range: range.value } } : range;
}
