import { readSingleValued, type SearchParams } from "@/app/_server/search-params";
import { FunctionNameSchema, AccountIdSchema, RegionSchema } from "@/lib/domain/shared/ids";
import { resolveTimeRange, type ResolvedTimeRange } from "@/lib/queries/time-range";

export interface FunctionDetailParams {
  name: string;
  /** `account=`: narrows the lookup when the name exists in several accounts. */
  accountId?: string;
  /** `region=`: narrows the lookup when the name exists in several regions. */
  regionId?: string;
  range: ResolvedTimeRange;
}

export type FunctionDetailParamsResult = { ok: true; value: FunctionDetailParams } | { ok: false; error: string };

const SINGLE_VALUED = ["account", "region", "range", "from", "to"] as const;

/**
 * Parses the function detail page / API address: the name from the path, `account`,
 * `region` and the time range (`range` or `from`+`to`) from the query. Errors name the
 * parameter (`account: must be 12 digits`), so the page and the API can show them verbatim.
 */
export function parseFunctionDetailParams(name: string, params: SearchParams, nowMs: number): FunctionDetailParamsResult {
  const parsedName = FunctionNameSchema.safeParse(name);
  if (!parsedName.success) return { ok: false, error: `name: ${parsedName.error.issues[0]?.message ?? "invalid"}` };
  const read = readSingleValued(params, SINGLE_VALUED);
  if (!read.ok) return read;
  const single = read.value;
  if (single.account !== undefined) {
    const account = AccountIdSchema.safeParse(single.account);
    if (!account.success) return { ok: false, error: `account: ${account.error.issues[0]?.message ?? "invalid"}` };
  }
  if (single.region !== undefined) {
    const region = RegionSchema.safeParse(single.region);
    if (!region.success) return { ok: false, error: `region: ${region.error.issues[0]?.message ?? "invalid"}` };
  }
  const range = resolveTimeRange({ range: single.range, from: single.from, to: single.to }, nowMs);
  if (!range.ok) return { ok: false, error: range.error };
  return {
    ok: true,
    value: {
      name: parsedName.data,
      ...(single.account !== undefined ? { accountId: single.account } : {}),
      ...(single.region !== undefined ? { regionId: single.region } : {}),
      range: range.value,
    },
  };
}
