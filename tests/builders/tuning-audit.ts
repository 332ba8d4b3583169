import type { TuningAuditEntry } from "@/lib/domain/sizing/tuning-types";
import { tuningAuditId } from "@/lib/domain/sizing/tuning-change";

let counter = 0;

/** A succeeded memory apply on payments-api by an engineer; override what the test is about. */
export function aTuningAuditEntry(overrides: Partial<TuningAuditEntry> = {}): TuningAuditEntry {
  const atMs = overrides.atMs ?? Date.UTC(2026, 10, 27, 12);
  counter += 1;
  return {
    id: tuningAuditId(atMs, counter.toString(16).padStart(8, "0")),
    atMs,
    actor: "erin",
    role: "engineer",
    accountId: "123456789012",
    region: "us-east-1",
    functionName: "payments-api",
    action: "apply",
    recommendationId: "123456789012/us-east-1/payments-api/memory",
    rollbackOf: null,
    before: { kind: "memory", memoryMb: 2048 },
    after: { kind: "memory", memoryMb: 1024 },
    result: "succeeded",
    error: null,
    operation: "UpdateFunctionConfiguration",
    ...overrides,
  };
}
