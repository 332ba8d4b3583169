import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";
import { refreshUnreservedPool, revisionAt, toLambdaTimestamp, type ConfigRevision, type FunctionSpec } from "./model/fleet";
import { toEpochMinute } from "./model/time";
import type { SimContext } from "./wire";

/**
 * The simulated account's own state: what API writes changed (provisioned and reserved
 * concurrency, memory, timeout, architecture) and the anchor day its history is counted from.
 * A write changes the model from the minute it happens on and never rewrites the past, so
 * telemetry already served stays the same. With a state file the account survives restarts
 * like a real one: writes are replayed in order on start.
 */

/** Minutes from PutProvisionedConcurrencyConfig to READY (allocation is not instant on AWS either). */
export const PROVISIONED_ALLOCATION_MINUTES = 2;
/** How long LastUpdateStatus stays InProgress after a configuration or code update. */
export const UPDATE_IN_PROGRESS_MS = 5_000;

const Base = { function: z.string().min(1), atMs: z.number().int() };

export const AccountWriteSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("put-function-concurrency"), ...Base, reservedConcurrentExecutions: z.number().int().min(0) }),
  z.strictObject({ kind: z.literal("delete-function-concurrency"), ...Base }),
  z.strictObject({ kind: z.literal("put-provisioned-concurrency"), ...Base, qualifier: z.string().min(1), executions: z.number().int().min(1) }),
  z.strictObject({ kind: z.literal("delete-provisioned-concurrency"), ...Base, qualifier: z.string().min(1) }),
  z.strictObject({
    kind: z.literal("update-configuration"),
    ...Base,
    memoryMb: z.number().int().optional(),
    timeoutSeconds: z.number().int().optional(),
  }),
  z.strictObject({ kind: z.literal("update-code"), ...Base, architecture: z.enum(["x86_64", "arm64"]).optional() }),
]);
export type AccountWrite = z.infer<typeof AccountWriteSchema>;

const StateFileSchema = z.strictObject({
  version: z.literal(1),
  scenario: z.string(),
  seed: z.number().int(),
  anchorDay: z.number().int().optional(),
  writes: z.array(AccountWriteSchema),
});
type StateFile = z.infer<typeof StateFileSchema>;

/** A state file that cannot be used: the message names the file and what is wrong. */
export class SimStateError extends Error {
  override readonly name = "SimStateError";
}

/** The persisted state of one simulated account. */
export interface SimState {
  anchorDay(): number | undefined;
  setAnchorDay(day: number): void;
  writes(): readonly AccountWrite[];
  append(write: AccountWrite): void;
}

/**
 * Opens (or creates) the state file for a scenario and seed. A file written for another
 * scenario or seed is refused rather than silently applied or overwritten.
 * @throws SimStateError for unreadable, invalid or mismatched files.
 */
export function openSimState(file: string, identity: { scenario: string; seed: number }): SimState {
  let state: StateFile = { version: 1, scenario: identity.scenario, seed: identity.seed, writes: [] };
  if (existsSync(file)) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      throw new SimStateError(`simulator state file ${file} is not valid JSON (${(error as Error).message}); move it away to start the account afresh`);
    }
    const parsed = StateFileSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SimStateError(`simulator state file ${file} is invalid at ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "unknown problem"}; move it away to start the account afresh`);
    }
    if (parsed.data.scenario !== identity.scenario || parsed.data.seed !== identity.seed) {
      throw new SimStateError(
        `simulator state file ${file} belongs to scenario ${parsed.data.scenario} with seed ${parsed.data.seed}, not ${identity.scenario} with seed ${identity.seed}`,
      );
    }
    state = parsed.data;
  }
  const save = () => {
    mkdirSync(dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
    renameSync(temporary, file);
  };
  return {
    anchorDay: () => state.anchorDay,
    setAnchorDay(day) {
      if (state.anchorDay === day) return;
      state.anchorDay = day;
      save();
    },
    writes: () => state.writes,
    append(write) {
      state.writes.push(write);
      save();
    },
  };
}

/** Applies writes to the model (and records them in the state, when there is one). */
export interface AccountWriter {
  /** Applies a write at `write.atMs` and persists it. */
  apply(write: AccountWrite): void;
  /** Re-applies the persisted writes (on start). */
  replay(): void;
  /** Writes applied since start (replayed ones included). */
  count(): number;
  /** When the function's last configuration or code update happened (epoch ms), if any. */
  lastUpdateAtMs(functionName: string): number | undefined;
}

export function createAccountWriter(ctx: SimContext, state: SimState | undefined): AccountWriter {
  let applied = 0;
  const lastUpdate = new Map<string, number>();
  const applyToModel = (write: AccountWrite) => {
    const fn = ctx.model.fleet.byName.get(write.function);
    // A write for a function the scenario no longer has cannot apply; skip it.
    if (fn === undefined) return;
    changeFrom(fn, toEpochMinute(write.atMs), (revision) => applyWrite(revision, write));
    if (write.kind === "put-function-concurrency" || write.kind === "delete-function-concurrency") refreshUnreservedPool(ctx.model.fleet);
    if (write.kind === "update-configuration" || write.kind === "update-code") lastUpdate.set(write.function, write.atMs);
    applied++;
  };
  return {
    apply(write) {
      applyToModel(write);
      state?.append(write);
    },
    replay() {
      for (const write of state?.writes() ?? []) applyToModel(write);
    },
    count: () => applied,
    lastUpdateAtMs: (name) => lastUpdate.get(name),
  };
}

/**
 * Changes the function's configuration from `minute` on: a new revision starts at that minute
 * (or the one starting there is changed), and later revisions (scheduled deploys) get the
 * same change so they keep it.
 */
function changeFrom(fn: FunctionSpec, minute: number, change: (revision: ConfigRevision, minute: number) => ConfigRevision): void {
  const current = revisionAt(fn, minute);
  const index = fn.revisions.indexOf(current);
  if (current.fromMinute === minute) {
    fn.revisions[index] = change(current, minute);
  } else {
    fn.revisions.splice(index + 1, 0, change({ ...current, fromMinute: minute }, minute));
  }
  for (let i = fn.revisions.indexOf(revisionAt(fn, minute)) + 1; i < fn.revisions.length; i++) {
    const later = fn.revisions[i]!;
    fn.revisions[i] = { ...change(later, later.fromMinute), lastModified: later.lastModified, codeRevision: later.codeRevision, cause: later.cause };
  }
}

function applyWrite(revision: ConfigRevision, write: AccountWrite): ConfigRevision {
  const minute = toEpochMinute(write.atMs);
  const lastModified = toLambdaTimestamp(new Date(write.atMs).toISOString());
  switch (write.kind) {
    case "put-function-concurrency":
      return { ...revision, reservedConcurrency: write.reservedConcurrentExecutions, cause: "PutFunctionConcurrency" };
    case "delete-function-concurrency":
      return { ...revision, reservedConcurrency: undefined, cause: "DeleteFunctionConcurrency" };
    case "put-provisioned-concurrency": {
      const others = revision.provisioned.filter((pc) => pc.qualifier !== write.qualifier);
      // An update keeps the environments already allocated serving until the new ones are ready.
      const previous = revision.provisioned.find((pc) => pc.qualifier === write.qualifier);
      const servingBeforeReady = previous === undefined ? 0 : previous.readyMinute <= minute ? previous.requestedExecutions : previous.servingBeforeReady;
      return {
        ...revision,
        provisioned: [
          ...others,
          {
            qualifier: write.qualifier,
            requestedExecutions: write.executions,
            requestedMinute: minute,
            requestedAtMs: write.atMs,
            readyMinute: minute + PROVISIONED_ALLOCATION_MINUTES,
            servingBeforeReady: Math.min(servingBeforeReady, write.executions),
          },
        ],
        cause: "PutProvisionedConcurrencyConfig",
      };
    }
    case "delete-provisioned-concurrency":
      return { ...revision, provisioned: revision.provisioned.filter((pc) => pc.qualifier !== write.qualifier), cause: "DeleteProvisionedConcurrencyConfig" };
    case "update-configuration":
      return {
        ...revision,
        memoryMb: write.memoryMb ?? revision.memoryMb,
        timeoutSeconds: write.timeoutSeconds ?? revision.timeoutSeconds,
        lastModified,
        cause: "UpdateFunctionConfiguration",
      };
    case "update-code":
      return {
        ...revision,
        architecture: write.architecture ?? revision.architecture,
        codeRevision: revision.codeRevision + 1,
        lastModified,
        cause: "UpdateFunctionCode",
      };
  }
}
