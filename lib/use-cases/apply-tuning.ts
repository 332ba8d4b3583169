import type { FunctionRef } from "@/lib/domain/shared/ids";
import type { Recommendation, TuningAuditEntry, TuningChange } from "@/lib/domain/sizing/tuning-types";
import { describeTuningSetting, sameSetting, sameTarget, targetOf, tuningAuditId, validateTuningChange } from "@/lib/domain/sizing/tuning-change";
import { LambdaTuningError, type LambdaTuner, type TuningAuditStore } from "@/lib/ports/tuning-apply";
import type { Principal } from "@/lib/use-cases/authenticate";

/**
 * Applying a tuning change, and rolling one back, safely: the setting is read first and must
 * still be what the person saw (else nothing is written), the change is one Lambda call, and
 * every attempt that reached Lambda's write is recorded in the append-only audit log —
 * including the ones Lambda refused.
 */

export interface TuningApplyDeps {
  lambdaTuner: LambdaTuner;
  tuningAudit: TuningAuditStore;
  /** Random hex for audit ids; default 16 hex digits from the platform's CSPRNG. */
  randomHex?: () => string;
}

type Actor = Pick<Principal, "subject" | "role">;

export type ApplyTuningRequest = {
  principal: Actor;
  /** The setting as the person saw it in the diff; the apply is refused when Lambda now reports otherwise. */
  expectedBefore: TuningChange;
  nowMs: number;
} & ({ recommendation: Recommendation } | (FunctionRef & { change: TuningChange }));

export interface RollbackTuningRequest {
  principal: Actor;
  auditId: string;
  nowMs: number;
}

// ─── Errors (mapped to HTTP once, in app/_server/tuning-api.ts) ──────────────────────────

/** The request names a setting Lambda would refuse or that does not fit the change (`field` names it). */
export class TuningInvalidError extends Error {
  override readonly name = "TuningInvalidError";
  constructor(readonly field: string, readonly problem: string) {
    super(`${field}: ${problem}`);
  }
}

/** The setting is no longer what the person saw (or no longer what a change set): nothing was written. */
export class TuningConflictError extends Error {
  override readonly name = "TuningConflictError";
  constructor(message: string, readonly current: TuningChange) {
    super(message);
  }
}

/** There is nothing to apply or roll back: no single Lambda call makes the recommendation, the entry failed, was a rollback, … */
export class TuningNotApplicableError extends Error {
  override readonly name = "TuningNotApplicableError";
}

export class TuningAuditNotFoundError extends Error {
  override readonly name = "TuningAuditNotFoundError";
  constructor(readonly auditId: string) {
    super(`no tuning audit entry with id "${auditId}"`);
  }
}

/**
 * Lambda (or STS, or the network) failed. `entry` is the failed audit entry when the write was
 * attempted; null when already reading the current setting failed (then nothing was attempted).
 * The message ends with `<Code>: <AWS message>`.
 */
export class TuningLambdaError extends Error {
  override readonly name = "TuningLambdaError";
  constructor(
    message: string,
    readonly entry: TuningAuditEntry | null,
    readonly operation: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

// ─── Use cases ──────────────────────────────────────────────────────────────────────────

/**
 * Applies a change (a recommendation's, or one given directly): validates it, reads the
 * current setting, refuses with TuningConflictError when it differs from `expectedBefore`
 * (no write), else makes the one Lambda call and appends the audit entry — `failed`, with
 * the AWS error, when Lambda refuses (then TuningLambdaError carries that entry).
 */
export async function applyTuning(deps: TuningApplyDeps, request: ApplyTuningRequest): Promise<TuningAuditEntry> {
  const { ref, change, recommendationId } = resolveChange(request);
  const problem = validateTuningChange(change);
  if (problem) throw new TuningInvalidError(`change.${problem.field}`, problem.message);
  if (!sameTarget(request.expectedBefore, change)) {
    throw new TuningInvalidError("expectedBefore", `must describe the same setting as the change (${describeTarget(change)}), got ${describeTarget(request.expectedBefore)}`);
  }
  const current = await readCurrent(deps, ref, change);
  if (!sameSetting(current, request.expectedBefore)) {
    throw new TuningConflictError(
      `${ref.functionName} changed since you looked: now ${describeTuningSetting(current)}, you saw ${describeTuningSetting(request.expectedBefore)}; review the change again`,
      current,
    );
  }
  if (sameSetting(current, change)) {
    throw new TuningNotApplicableError(`nothing to change: ${ref.functionName} already has ${describeTuningSetting(current)}`);
  }
  return writeAndRecord(deps, {
    ref,
    principal: request.principal,
    nowMs: request.nowMs,
    action: "apply",
    recommendationId,
    rollbackOf: null,
    before: current,
    after: change,
  });
}

/**
 * Undoes an applied change: the entry must be a succeeded apply not rolled back yet, and the
 * setting must still be what it set (else TuningConflictError naming the current value — a
 * later change would be silently reverted). Writes `before` back and appends a `rollback`
 * entry with `rollbackOf` = the entry's id.
 */
export async function rollbackTuning(deps: TuningApplyDeps, request: RollbackTuningRequest): Promise<TuningAuditEntry> {
  const original = await deps.tuningAudit.get(request.auditId);
  if (original === null) throw new TuningAuditNotFoundError(request.auditId);
  if (original.action !== "apply") {
    throw new TuningNotApplicableError(`entry ${original.id} is itself a rollback (of ${original.rollbackOf ?? "?"}); to redo the change, apply it again`);
  }
  if (original.result !== "succeeded") {
    throw new TuningNotApplicableError(`entry ${original.id} failed (${original.error ?? "no error recorded"}); it changed nothing, so there is nothing to roll back`);
  }
  const ref: FunctionRef = { accountId: original.accountId, region: original.region, functionName: original.functionName };
  const history = await deps.tuningAudit.list({ ...ref, limit: 1000 });
  const earlier = history.find((e) => e.action === "rollback" && e.rollbackOf === original.id && e.result === "succeeded");
  if (earlier) throw new TuningNotApplicableError(`entry ${original.id} was already rolled back by ${earlier.actor} (entry ${earlier.id})`);
  const current = await readCurrent(deps, ref, original.after);
  if (!sameSetting(current, original.after)) {
    throw new TuningConflictError(
      `${ref.functionName} changed since entry ${original.id} set ${describeTuningSetting(original.after)}: now ${describeTuningSetting(current)}; rolling back would undo that later change too`,
      current,
    );
  }
  return writeAndRecord(deps, {
    ref,
    principal: request.principal,
    nowMs: request.nowMs,
    action: "rollback",
    recommendationId: null,
    rollbackOf: original.id,
    before: current,
    after: original.before,
  });
}

// ─── Steps ──────────────────────────────────────────────────────────────────────────────

function resolveChange(request: ApplyTuningRequest): { ref: FunctionRef; change: TuningChange; recommendationId: string | null } {
  if ("recommendation" in request) {
    const r = request.recommendation;
    if (r.change === null) {
      throw new TuningNotApplicableError(`recommendation ${r.id} cannot be applied from the console: ${r.notAppliableReason ?? "no single Lambda call makes it"}`);
    }
    return { ref: { accountId: r.accountId, region: r.region, functionName: r.functionName }, change: r.change, recommendationId: r.id };
  }
  return { ref: { accountId: request.accountId, region: request.region, functionName: request.functionName }, change: request.change, recommendationId: null };
}

async function readCurrent(deps: TuningApplyDeps, ref: FunctionRef, like: TuningChange): Promise<TuningChange> {
  try {
    return await deps.lambdaTuner.readSetting(ref, targetOf(like));
  } catch (error) {
    const failure = asLambdaError(error, readOperationFor(like));
    throw new TuningLambdaError(
      `could not read the current ${describeTarget(like)} of ${ref.functionName} (${failure.operation}); nothing was changed: ${failure.message}`,
      null,
      failure.operation,
      failure.retryable,
    );
  }
}

interface Attempt {
  ref: FunctionRef;
  principal: Actor;
  nowMs: number;
  action: TuningAuditEntry["action"];
  recommendationId: string | null;
  rollbackOf: string | null;
  before: TuningChange;
  after: TuningChange;
}

async function writeAndRecord(deps: TuningApplyDeps, attempt: Attempt): Promise<TuningAuditEntry> {
  const base = {
    id: tuningAuditId(attempt.nowMs, (deps.randomHex ?? randomHex)()),
    atMs: attempt.nowMs,
    actor: attempt.principal.subject,
    role: attempt.principal.role,
    ...attempt.ref,
    action: attempt.action,
    recommendationId: attempt.recommendationId,
    rollbackOf: attempt.rollbackOf,
    before: attempt.before,
    after: attempt.after,
  };
  let entry: TuningAuditEntry;
  let failure: LambdaTuningError | null = null;
  try {
    const { operation } = await deps.lambdaTuner.write(attempt.ref, attempt.after);
    entry = { ...base, result: "succeeded", error: null, operation };
  } catch (error) {
    failure = asLambdaError(error, operationFor(attempt.after));
    entry = { ...base, result: "failed", error: failure.message, operation: failure.operation };
  }
  // Recorded whether or not Lambda took it; a failure to record after a change surfaces as an error.
  await deps.tuningAudit.append(entry);
  if (failure) {
    const verb = attempt.action === "apply" ? "apply" : "roll back";
    throw new TuningLambdaError(
      `Lambda refused to ${verb} ${describeTuningSetting(attempt.after)} on ${attempt.ref.functionName} (${failure.operation}); recorded as failed in entry ${entry.id}: ${failure.message}`,
      entry,
      failure.operation,
      failure.retryable,
    );
  }
  return entry;
}

/** The Lambda call a change makes (the adapter's answer when it succeeds; recorded as-is when it fails before saying). */
function operationFor(change: TuningChange): string {
  switch (change.kind) {
    case "memory":
      return "UpdateFunctionConfiguration";
    case "provisioned-concurrency":
      return change.executions === 0 ? "DeleteProvisionedConcurrencyConfig" : "PutProvisionedConcurrencyConfig";
    case "reserved-concurrency":
      return change.executions === null ? "DeleteFunctionConcurrency" : "PutFunctionConcurrency";
  }
}

function readOperationFor(change: TuningChange): string {
  switch (change.kind) {
    case "memory":
      return "GetFunctionConfiguration";
    case "provisioned-concurrency":
      return "GetProvisionedConcurrencyConfig";
    case "reserved-concurrency":
      return "GetFunctionConcurrency";
  }
}

function asLambdaError(error: unknown, fallbackOperation: string): LambdaTuningError {
  if (error instanceof LambdaTuningError) return error;
  const e = error as { name?: unknown; message?: unknown };
  const name = typeof e.name === "string" && e.name !== "" ? e.name : "Error";
  const message = typeof e.message === "string" ? e.message.split("\n")[0] : String(error);
  return new LambdaTuningError(fallbackOperation, `${name}: ${message}`, false);
}

function describeTarget(change: TuningChange): string {
  switch (change.kind) {
    case "memory":
      return "memory size";
    case "provisioned-concurrency":
      return `provisioned concurrency on ${change.qualifier}`;
    case "reserved-concurrency":
      return "reserved concurrency";
  }
}

function randomHex(): string {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
