import { readSingleValued, type SearchParams } from "@/app/_server/search-params";
import { FunctionNameSchema, AccountIdSchema, RegionSchema } from "@/lib/domain/shared/ids";
import { resolveTimeRange, type ResolvedTimeRange } from "@/lib/queries/time-range";

/** Which function to show in depth: by name, narrowed by account and region when the name is not unique. */
export interface ColdStartsTarget {
  functionName: string;
  accountId?: string;
  region?: string;
}

export interface ColdStartsParams {
  range: ResolvedTimeRange;
  /** null: the fleet ranking alone. */
  target: ColdStartsTarget | null;
}

export type ColdStartsParamsResult = { ok: true; value: ColdStartsParams } | { ok: false; error: string };

const SINGLE_VALUED = ["range", "from", "to", "function", "account", "region"] as const;

/**
 * Parses the Cold starts page / API parameters: `range` or `from`+`to`, and optionally
 * `function` (with `account` and `region` to pick one of several of that name). Every error
 * names the parameter, e.g. `account: must be 12 digits`.
 */
export function parseColdStartsParams(params: SearchParams, nowMs: number): ColdStartsParamsResult {
  const read = readSingleValued(params, SINGLE_VALUED);
  if (!read.ok) return read;
  const single = read.value;
  const range = resolveTimeRange({ range: single.range, from: single.from, to: single.to }, nowMs);
  if (!range.ok) return { ok: false, error: range.error };
  if (single.function === undefined) {
    for (const key of ["account", "region"] as const) {
      if (single[key] !== undefined) return { ok: false, error: `${key}: only together with function` };
    }
    return { ok: true, value: { range: range.value, target: null } };
  }
  const checks = [
    ["function", FunctionNameSchema, single.function],
    ["account", AccountIdSchema, single.account],
    ["region", RegionSchema, single.region],
  ] as const;
  for (const [key, schema, value] of checks) {
    if (value === undefined) continue;
    const parsed = schema.safeParse(value);
    if (!parsed.success) return { ok: false, error: `${key}: ${parsed.error.issues[0]?.message ?? "invalid"}` };
  }
  const target: ColdStartsTarget = { functionName: single.function };
  if (single.account !== undefined) target.accountId = single.account;
  if (single.region !== undefined) target.region = single.region;
  return { ok: true, value: { range: range.value, target } };
}
