import type { FunctionConfig } from "@/lib/domain/inventory/function-config";
import type { FunctionRef } from "@/lib/domain/shared/ids";
import type { FunctionStore } from "@/lib/ports/stores";

/** A function of the name asked for in one account/region: what an ambiguous or not-found answer offers. */
export interface FunctionChoice extends FunctionRef {
  runtime: string | null;
  memoryMb: number;
}

export type FunctionLookup =
  | { kind: "found"; fn: FunctionConfig; ref: FunctionRef }
  | { kind: "ambiguous"; functionName: string; choices: FunctionChoice[] }
  | {
      kind: "not-found";
      functionName: string;
      accountId: string | null;
      region: string | null;
      /** Functions of that name outside the account/region asked for. */
      elsewhere: FunctionChoice[];
      /** How many functions inventory holds: 0 means nothing has been collected yet. */
      known: number;
    };

function toChoice(fn: FunctionConfig): FunctionChoice {
  return { accountId: fn.accountId, region: fn.region, functionName: fn.functionName, runtime: fn.runtime, memoryMb: fn.memoryMb };
}

function compareChoices(a: FunctionChoice, b: FunctionChoice): number {
  return a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region);
}

/**
 * Finds a collected function by name, narrowed by account and/or region when given:
 * `ambiguous` when the name exists in several accounts/regions and nothing narrows it,
 * `not-found` (saying where else the name exists, and whether anything is collected at all)
 * when it exists nowhere asked. The one lookup behind every page, route and CLI command
 * that takes a function name.
 */
export async function lookupFunction(functions: Pick<FunctionStore, "listFunctions">, query: { functionName: string; accountId?: string; region?: string }): Promise<FunctionLookup> {
  const all = await functions.listFunctions();
  const named = all.filter((f) => f.functionName === query.functionName);
  const matches = named.filter((f) => (query.accountId === undefined || f.accountId === query.accountId) && (query.region === undefined || f.region === query.region));
  if (matches.length === 1) {
    const fn = matches[0]!;
    return { kind: "found", fn, ref: { accountId: fn.accountId, region: fn.region, functionName: fn.functionName } };
  }
  if (matches.length > 1) return { kind: "ambiguous", functionName: query.functionName, choices: matches.map(toChoice).sort(compareChoices) };
  return {
    kind: "not-found",
    functionName: query.functionName,
    accountId: query.accountId ?? null,
    region: query.region ?? null,
    elsewhere: named.map(toChoice).sort(compareChoices),
    known: all.length,
  };
}
