import { rangeEntries } from "@/app/(console)/_format/links";
import type { FunctionRef } from "@/lib/domain/shared/ids";
import type { ResolvedTimeRange } from "@/lib/queries/time-range";

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
