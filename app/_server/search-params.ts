/** URL query parameters as pages receive them: repeated keys arrive as arrays. */
export type SearchParams = Record<string, string | string[] | undefined>;

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
 * The single value of each of `keys` (absent or empty: left out). Every parameter the console
 * reads takes one value, so a repeated key is an error naming it (`range: given more than
 * once`) rather than a silent pick of the first or last.
 */
export function readSingleValued<K extends string>(
  params: SearchParams,
  keys: readonly K[],
): { ok: true; value: Partial<Record<K, string>> } | { ok: false; error: string } {
  const single: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const value = params[key];
    if (Array.isArray(value)) return { ok: false, error: `${key}: given more than once` };
    if (value !== undefined && value !== "") single[key] = value;
  }
  return { ok: true, value: single };
}
