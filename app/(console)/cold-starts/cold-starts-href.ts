import type { FunctionRef } from "@/lib/domain/shared/ids";
import type { ResolvedTimeRange } from "@/lib/queries/time-range";

/** The range part of the URL: a preset as `range=…`, a custom window as `from=…&to=…` (ISO). */
function rangeEntries(range: ResolvedTimeRange): [string, string][] {
  if (range.label === "custom") {
    return [
      ["from", new Date(range.window.fromMs).toISOString()],
      ["to", new Date(range.window.toMs).toISOString()],
    ];
  }
  return [["range", range.label]];
}

function targetEntries(target: FunctionRef | null): [string, string][] {
  if (target === null) return [];
  return [
    ["function", target.functionName],
    ["account", target.accountId],
    ["region", target.region],
  ];
}

/** The Cold starts page over a range, with a function's details open when `target` is given. */
export function coldStartsHref(range: ResolvedTimeRange, target: FunctionRef | null): string {
  return `/cold-starts?${new URLSearchParams([...rangeEntries(range), ...targetEntries(target)]).toString()}`;
}

/** A preset range on the Cold starts page, keeping the open function. */
export function coldStartsPresetHref(preset: string, target: FunctionRef | null): string {
  return `/cold-starts?${new URLSearchParams([["range", preset], ...targetEntries(target)]).toString()}`;
}

/** The function's own page: `/functions/<name>?account=<id>&region=<r>`. */
export function functionPageHref(ref: FunctionRef): string {
  return `/functions/${encodeURIComponent(ref.functionName)}?${new URLSearchParams([
    ["account", ref.accountId],
    ["region", ref.region],
  ]).toString()}`;
}
