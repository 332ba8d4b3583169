import type { FunctionRef } from "@/lib/domain/shared/ids";
import type { TuningAuditEntry, TuningChange } from "@/lib/domain/sizing/tuning-types";
import type { TuningTarget } from "@/lib/domain/sizing/tuning-change";

export type { TuningTarget };

/** The Lambda operations the apply path calls (TuningChange says which call makes which change). */
export type TuningOperation =
  | "UpdateFunctionConfiguration"
  | "PutProvisionedConcurrencyConfig"
  | "DeleteProvisionedConcurrencyConfig"
  | "PutFunctionConcurrency"
  | "DeleteFunctionConcurrency";

/**
 * Lambda refused or could not be reached. `message` is `<Code>: <AWS message>` (never a stack),
 * `operation` the call that failed (a read: GetFunctionConfiguration, …), `retryable` when the
 * failure was AWS's side or the network rather than the change itself.
 */
export class LambdaTuningError extends Error {
  override readonly name = "LambdaTuningError";
  constructor(
    readonly operation: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** Reads and writes the tunable settings of one function through the Lambda API (its own account's credentials or an assumed role). */
export interface LambdaTuner {
  /**
   * The setting `target` names as Lambda reports it now, as a TuningChange of the same kind:
   * memory from GetFunctionConfiguration; provisioned concurrency *requested* on the qualifier
   * (0 when none is configured); reserved concurrency (null when none). Throws LambdaTuningError.
   */
  readSetting(ref: FunctionRef, target: TuningTarget): Promise<TuningChange>;
  /** Makes `change` with one Lambda call; returns which. Throws LambdaTuningError when Lambda refuses it. */
  write(ref: FunctionRef, change: TuningChange): Promise<{ operation: TuningOperation }>;
}

/** Which entries to list; absent filters match everything. Newest first, at most `limit`. */
export interface TuningAuditQuery {
  accountId?: string;
  region?: string;
  functionName?: string;
  limit: number;
}

/** The append-only record of every apply and rollback (no update, no delete). */
export interface TuningAuditStore {
  /** Adds an entry; an entry with the same id is never overwritten (TuningAuditExistsError). */
  append(entry: TuningAuditEntry): Promise<void>;
  list(query: TuningAuditQuery): Promise<TuningAuditEntry[]>;
  get(id: string): Promise<TuningAuditEntry | null>;
}

/** An audit entry with this id is already recorded: the log is append-only. */
export class TuningAuditExistsError extends Error {
  override readonly name = "TuningAuditExistsError";
  constructor(readonly id: string) {
    super(`a tuning audit entry with id "${id}" is already recorded; entries are never overwritten`);
  }
}
