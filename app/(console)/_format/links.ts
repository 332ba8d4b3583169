import type { ResolvedTimeRange } from "@/lib/queries/time-range";

/**
 * Links between the console's pages, in one place so every page points to another the same
 * way (what a page keeps in its URL is documented with the page's params parser).
 */

/** Which function a link points to; account and region may be left out when the name is unique. */
export interface FunctionLinkTarget {
  functionName: string;
  accountId?: string;
  region?: string;
}

/** The range part of the URL: a preset as `range=…`, a custom window as `from=…&to=…` (ISO). */
export function rangeEntries(range: ResolvedTimeRange | string): [string, string][] {
  if (typeof range === "string") return [["range", range]];
  if (range.label === "custom") {
    return [
      ["from", new Date(range.window.fromMs).toISOString()],
      ["to", new Date(range.window.toMs).toISOString()],
    ];
  }
  return [["range", range.label]];
}

/**
 * The detail page of a function: `/functions/<name>?account=…&region=…&range=…`, keeping the
 * range when given (a resolved range, or a preset name such as "7d"; else the page's default).
 */
export function functionDetailHref(target: FunctionLinkTarget, range?: ResolvedTimeRange | string): string {
  const entries: [string, string][] = [];
  if (target.accountId !== undefined) entries.push(["account", target.accountId]);
  if (target.region !== undefined) entries.push(["region", target.region]);
  if (range !== undefined) entries.push(...rangeEntries(range));
  return `/functions/${encodeURIComponent(target.functionName)}?${new URLSearchParams(entries).toString()}`;
}
