import type { CollectorRunsParams } from "@/lib/queries/collectors-view";

/** The order parameters appear in a Collectors URL, so equal filters give equal links. */
const ORDER = ["collector", "outcome", "account", "region", "since", "limit"] as const satisfies readonly (keyof CollectorRunsParams)[];

/**
 * The Collectors page URL for the current runs filter with `change` applied (undefined or
 * "" removes a parameter); `/collectors` when nothing is left.
 */
export function collectorsHref(current: CollectorRunsParams, change: CollectorRunsParams = {}): string {
  const merged: CollectorRunsParams = { ...current, ...change };
  const entries = ORDER.flatMap((key): [string, string][] => {
    const value = key in change ? change[key] : merged[key];
    return value === undefined || value === "" ? [] : [[key, value]];
  });
  return entries.length === 0 ? "/collectors" : `/collectors?${new URLSearchParams(entries).toString()}`;
}
