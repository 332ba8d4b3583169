import type { FunctionRef } from "@/lib/domain/shared/ids";
import type { TuningAuditEntry, TuningChange } from "@/lib/domain/sizing/tuning-types";
import type { TuningTarget } from "@/lib/domain/sizing/tuning-change";
import {
  LambdaTuningError,
  TuningAuditExistsError,
  type LambdaTuner,
  type TuningAuditQuery,
  type TuningAuditStore,
  type TuningOperation,
} from "@/lib/ports/tuning-apply";

function settingKey(ref: FunctionRef, target: TuningTarget): string {
  return `${ref.accountId}#${ref.region}#${ref.functionName}#${target.kind}${target.kind === "provisioned-concurrency" ? `#${target.qualifier}` : ""}`;
}

/**
 * Lambda settings in a map. Unset settings read as 1,024 MB / no provisioned concurrency / no
 * reservation; `refuseNext` makes the next write fail as Lambda would.
 */
export class InMemoryLambdaTuner implements LambdaTuner {
  readonly settings = new Map<string, TuningChange>();
  readonly writes: { ref: FunctionRef; change: TuningChange }[] = [];
  refuseNext: string | null = null;

  set(ref: FunctionRef, setting: TuningChange): void {
    this.settings.set(settingKey(ref, targetOfChange(setting)), setting);
  }

  async readSetting(ref: FunctionRef, target: TuningTarget): Promise<TuningChange> {
    const stored = this.settings.get(settingKey(ref, target));
    if (stored) return stored;
    switch (target.kind) {
      case "memory":
        return { kind: "memory", memoryMb: 1024 };
      case "provisioned-concurrency":
        return { kind: "provisioned-concurrency", qualifier: target.qualifier, executions: 0 };
      case "reserved-concurrency":
        return { kind: "reserved-concurrency", executions: null };
    }
  }

  async write(ref: FunctionRef, change: TuningChange): Promise<{ operation: TuningOperation }> {
    const operation: TuningOperation =
      change.kind === "memory"
        ? "UpdateFunctionConfiguration"
        : change.kind === "provisioned-concurrency"
          ? change.executions === 0
            ? "DeleteProvisionedConcurrencyConfig"
            : "PutProvisionedConcurrencyConfig"
          : change.executions === null
            ? "DeleteFunctionConcurrency"
            : "PutFunctionConcurrency";
    if (this.refuseNext !== null) {
      const message = this.refuseNext;
      this.refuseNext = null;
      throw new LambdaTuningError(operation, message, false);
    }
    this.writes.push({ ref, change });
    this.set(ref, change);
    return { operation };
  }
}

function targetOfChange(change: TuningChange): TuningTarget {
  return change.kind === "provisioned-concurrency" ? { kind: change.kind, qualifier: change.qualifier } : { kind: change.kind };
}

/** The audit log in an array, append-only like the real one. */
export class InMemoryTuningAuditStore implements TuningAuditStore {
  readonly entries: TuningAuditEntry[] = [];

  async append(entry: TuningAuditEntry): Promise<void> {
    if (this.entries.some((e) => e.id === entry.id)) throw new TuningAuditExistsError(entry.id);
    this.entries.push(structuredClone(entry));
  }

  async list(query: TuningAuditQuery): Promise<TuningAuditEntry[]> {
    return this.entries
      .filter((e) => (query.accountId === undefined || e.accountId === query.accountId) && (query.region === undefined || e.region === query.region))
      .filter((e) => query.functionName === undefined || e.functionName === query.functionName)
      .sort((a, b) => b.id.localeCompare(a.id))
      .slice(0, query.limit);
  }

  async get(id: string): Promise<TuningAuditEntry | null> {
    return this.entries.find((e) => e.id === id) ?? null;
  }
}
