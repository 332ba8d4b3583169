import type { FunctionConfig } from "@/lib/domain/inventory/function-config";

/** Reads the functions of one account and region (Lambda API). */
export interface FunctionInventorySource {
  readonly accountId: string;
  readonly region: string;
  /** Every function with its tags and concurrency settings, as of `nowMs`. */
  listFunctions(nowMs: number): Promise<FunctionConfig[]>;
}
