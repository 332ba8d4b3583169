import type { AccountConcurrency, FunctionDetails, FunctionSummary } from "@/lib/domain/inventory/function-config";

/** A function Lambda listed that could not be understood: skipped with a warning, never fatal. */
export interface UnreadableFunction {
  functionName: string;
  reason: string;
}

/** Reads the functions of one account and region (Lambda API). */
export interface FunctionInventorySource {
  readonly accountId: string;
  readonly region: string;
  /** Every function (ListFunctions), with the ones whose configuration did not parse set apart. */
  listFunctions(): Promise<{ functions: FunctionSummary[]; unreadable: UnreadableFunction[] }>;
  /** Tags, reserved and provisioned concurrency, aliases and published versions of one function. */
  describeFunction(summary: FunctionSummary): Promise<FunctionDetails>;
  /** The account's regional concurrency settings. */
  getAccountConcurrency(nowMs: number): Promise<AccountConcurrency>;
}
