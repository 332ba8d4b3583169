import { z } from "zod";
import { AccountIdSchema, FunctionNameSchema, RegionSchema } from "@/lib/domain/shared/ids";
import { MAX_MEMORY_MB, MIN_MEMORY_MB, type TuningAuditEntry, type TuningChange } from "@/lib/domain/sizing/tuning-types";

/**
 * Rules and words for the changes the apply path makes (TuningChange, tuning-types.ts): what
 * Lambda would accept, how a setting reads to a person, and the audit entry's stored shape.
 */

/** The setting a change targets: its kind, and for provisioned concurrency the alias or version. */
export type TuningTarget =
  | { kind: "memory" }
  | { kind: "provisioned-concurrency"; qualifier: string }
  | { kind: "reserved-concurrency" };

/** An alias name or a version number (Lambda's Qualifier rule; `$LATEST` cannot carry provisioned concurrency). */
const QUALIFIER = /^[a-zA-Z0-9_-]{1,128}$/;

/**
 * The shape of a TuningChange (types only; the ranges are `validateTuningChange`'s, so a
 * reading Lambda reports is never refused for being out of range).
 */
export const TuningChangeSchema: z.ZodType<TuningChange> = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("memory"), memoryMb: z.number().int("must be a whole number of MB") }),
  z.strictObject({
    kind: z.literal("provisioned-concurrency"),
    qualifier: z.string().regex(QUALIFIER, "must be an alias name or version number"),
    executions: z.number().int("must be a whole number"),
  }),
  z.strictObject({ kind: z.literal("reserved-concurrency"), executions: z.number().int("must be a whole number").nullable() }),
]);

/** A field of a change that Lambda would refuse, named by its path (`memoryMb`, `executions`, …). */
export interface TuningChangeProblem {
  field: string;
  message: string;
}

/**
 * Checks a change against Lambda's limits: memory a whole number of MB in 128..10,240,
 * provisioned executions a whole number ≥ 0 (0 removes the config) on an alias or version,
 * reserved executions a whole number ≥ 0 or null (no reservation). Null when it is valid.
 */
export function validateTuningChange(change: TuningChange): TuningChangeProblem | null {
  switch (change.kind) {
    case "memory":
      if (!Number.isInteger(change.memoryMb) || change.memoryMb < MIN_MEMORY_MB || change.memoryMb > MAX_MEMORY_MB) {
        return { field: "memoryMb", message: `must be a whole number of MB from ${MIN_MEMORY_MB} to ${MAX_MEMORY_MB.toLocaleString("en-US")}, got ${change.memoryMb}` };
      }
      return null;
    case "provisioned-concurrency":
      if (!QUALIFIER.test(change.qualifier) || change.qualifier === "$LATEST") {
        return { field: "qualifier", message: `must be an alias name or a published version number, got "${change.qualifier}"` };
      }
      if (!Number.isInteger(change.executions) || change.executions < 0) {
        return { field: "executions", message: `must be a whole number ≥ 0 (0 removes the provisioned concurrency), got ${change.executions}` };
      }
      return null;
    case "reserved-concurrency":
      if (change.executions !== null && (!Number.isInteger(change.executions) || change.executions < 0)) {
        return { field: "executions", message: `must be a whole number ≥ 0, or null for no reserved concurrency, got ${change.executions}` };
      }
      return null;
  }
}

/** The target a change (or a reading of one) is about. */
export function targetOf(change: TuningChange): TuningTarget {
  switch (change.kind) {
    case "memory":
      return { kind: "memory" };
    case "provisioned-concurrency":
      return { kind: "provisioned-concurrency", qualifier: change.qualifier };
    case "reserved-concurrency":
      return { kind: "reserved-concurrency" };
  }
}

/** Whether two changes name the same setting (kind, and qualifier for provisioned concurrency). */
export function sameTarget(a: TuningChange, b: TuningChange): boolean {
  if (a.kind !== b.kind) return false;
  return a.kind !== "provisioned-concurrency" || a.qualifier === (b as typeof a).qualifier;
}

/** Whether two changes name the same setting with the same value. */
export function sameSetting(a: TuningChange, b: TuningChange): boolean {
  if (!sameTarget(a, b)) return false;
  switch (a.kind) {
    case "memory":
      return a.memoryMb === (b as typeof a).memoryMb;
    case "provisioned-concurrency":
      return a.executions === (b as typeof a).executions;
    case "reserved-concurrency":
      return a.executions === (b as typeof a).executions;
  }
}

/** A setting in words: "1,024 MB", "50 provisioned on live", "none on live", "100 reserved", "no reserved concurrency". */
export function describeTuningSetting(setting: TuningChange): string {
  switch (setting.kind) {
    case "memory":
      return `${setting.memoryMb.toLocaleString("en-US")} MB`;
    case "provisioned-concurrency":
      return setting.executions === 0 ? `no provisioned concurrency on ${setting.qualifier}` : `${setting.executions.toLocaleString("en-US")} provisioned on ${setting.qualifier}`;
    case "reserved-concurrency":
      return setting.executions === null ? "no reserved concurrency" : `${setting.executions.toLocaleString("en-US")} reserved`;
  }
}

/** The stored shape of an audit entry (what the audit store writes and parses back). */
export const TuningAuditEntrySchema = z.object({
  id: z.string().regex(/^\d{13}-[0-9a-f]{8,32}$/, "must be <atMs, 13 digits>-<hex>"),
  atMs: z.number().int(),
  actor: z.string().min(1),
  role: z.string().min(1),
  accountId: AccountIdSchema,
  region: RegionSchema,
  functionName: FunctionNameSchema,
  action: z.enum(["apply", "rollback"]),
  recommendationId: z.string().nullable(),
  rollbackOf: z.string().nullable(),
  before: TuningChangeSchema,
  after: TuningChangeSchema,
  result: z.enum(["succeeded", "failed"]),
  error: z.string().nullable(),
  operation: z.string(),
}) satisfies z.ZodType<TuningAuditEntry>;

/** A time-sortable audit id: `<atMs, 13 digits>-<hex>` (ids sort as their entries happened). */
export function tuningAuditId(atMs: number, randomHex: string): string {
  return `${String(Math.max(0, Math.trunc(atMs))).padStart(13, "0")}-${randomHex}`;
}
