import { rangeEntries } from "@/app/(console)/_format/links";
import type { FunctionSort } from "@/lib/queries/functions-view";
import type { ResolvedTimeRange } from "@/lib/queries/time-range";

export type FunctionSortKey = FunctionSort["sort"];
export type SortDir = FunctionSort["dir"];

/** Text columns read best A→Z first; numbers biggest first. */
const TEXT_KEYS: ReadonlySet<FunctionSortKey> = new Set(["functionName", "runtime", "architecture"]);

/** The direction a column sorts in when it is first clicked. */
export function defaultSortDir(key: FunctionSortKey): SortDir {
  return TEXT_KEYS.has(key) ? "asc" : "desc";
}

function functionsHref(entries: [string, string][]): string {
  return `/functions?${new URLSearchParams(entries).toString()}`;
}

/** The link a column header points to: the same range, this column, flipped if already sorted by it. */
export function sortHref(range: ResolvedTimeRange, current: FunctionSort, key: FunctionSortKey): string {
  const dir = current.sort === key ? (current.dir === "asc" ? "desc" : "asc") : defaultSortDir(key);
  return functionsHref([...rangeEntries(range), ["sort", key], ["dir", dir]]);
}

/** The link a time-range preset points to, keeping the current sort. */
export function rangeHref(preset: string, sort: FunctionSort): string {
  return functionsHref([
    ["range", preset],
    ["sort", sort.sort],
    ["dir", sort.dir],
  ]);
}
