import { describe, expect, it } from "vitest";
import type { TuningChange } from "@/lib/domain/sizing/tuning-types";
import { describeTuningSetting, sameSetting, tuningAuditId, validateTuningChange } from "@/lib/domain/sizing/tuning-change";
import { TuningInvalidError, TuningNotApplicableError, applyTuning } from "@/lib/use-cases/apply-tuning";
import { InMemoryLambdaTuner, InMemoryTuningAuditStore } from "@/tests/fakes/in-memory-tuning";

describe("validateTuningChange", () => {
  it.each<[TuningChange, string | null]>([
    [{ kind: "memory", memoryMb: 128 }, null],
    [{ kind: "memory", memoryMb: 10_240 }, null],
    [{ kind: "memory", memoryMb: 127 }, "memoryMb"],
    [{ kind: "memory", memoryMb: 10_241 }, "memoryMb"],
    [{ kind: "memory", memoryMb: 512.5 }, "memoryMb"],
    [{ kind: "provisioned-concurrency", qualifier: "live", executions: 0 }, null],
    [{ kind: "provisioned-concurrency", qualifier: "live", executions: -1 }, "executions"],
    [{ kind: "provisioned-concurrency", qualifier: "live", executions: 1.5 }, "executions"],
    [{ kind: "provisioned-concurrency", qualifier: "$LATEST", executions: 5 }, "qualifier"],
    [{ kind: "reserved-concurrency", executions: null }, null],
    [{ kind: "reserved-concurrency", executions: 0 }, null],
    [{ kind: "reserved-concurrency", executions: -3 }, "executions"],
  ])("%j → %s", (change, field) => {
    expect(validateTuningChange(change)?.field ?? null).toBe(field);
  });

  it("says the allowed range in the message", () => {
    expect(validateTuningChange({ kind: "memory", memoryMb: 64 })?.message).toBe("must be a whole number of MB from 128 to 10,240, got 64");
  });
});

describe("describeTuningSetting / sameSetting / tuningAuditId", () => {
  it.each<[TuningChange, string]>([
    [{ kind: "memory", memoryMb: 1024 }, "1,024 MB"],
    [{ kind: "provisioned-concurrency", qualifier: "live", executions: 50 }, "50 provisioned on live"],
    [{ kind: "provisioned-concurrency", qualifier: "live", executions: 0 }, "no provisioned concurrency on live"],
    [{ kind: "reserved-concurrency", executions: 100 }, "100 reserved"],
    [{ kind: "reserved-concurrency", executions: null }, "no reserved concurrency"],
  ])("%j reads %s", (setting, words) => {
    expect(describeTuningSetting(setting)).toBe(words);
  });

  it("compares kind, qualifier and value", () => {
    expect(sameSetting({ kind: "provisioned-concurrency", qualifier: "live", executions: 5 }, { kind: "provisioned-concurrency", qualifier: "blue", executions: 5 })).toBe(false);
    expect(sameSetting({ kind: "reserved-concurrency", executions: null }, { kind: "reserved-concurrency", executions: 0 })).toBe(false);
    expect(sameSetting({ kind: "memory", memoryMb: 512 }, { kind: "memory", memoryMb: 512 })).toBe(true);
  });

  it("makes time-sortable ids", () => {
    expect(tuningAuditId(1_795_000_000_000, "00ff")).toBe("1795000000000-00ff");
    expect(tuningAuditId(5, "ab") < tuningAuditId(1_795_000_000_000, "ab")).toBe(true);
  });
});

describe("applyTuning refuses before touching Lambda", () => {
  const ref = { accountId: "123456789012", region: "us-east-1", functionName: "users-api" };
  const principal = { subject: "erin", role: "engineer" as const };

  it("names the field of an invalid change", async () => {
    const deps = { lambdaTuner: new InMemoryLambdaTuner(), tuningAudit: new InMemoryTuningAuditStore() };
    const attempt = applyTuning(deps, { principal, ...ref, change: { kind: "memory", memoryMb: 20_000 }, expectedBefore: { kind: "memory", memoryMb: 1024 }, nowMs: 0 });
    await expect(attempt).rejects.toBeInstanceOf(TuningInvalidError);
    await expect(attempt).rejects.toThrow(/^change\.memoryMb: must be a whole number of MB from 128 to 10,240, got 20000$/);
    expect(deps.lambdaTuner.writes).toEqual([]);
  });

  it("refuses a change that changes nothing", async () => {
    const deps = { lambdaTuner: new InMemoryLambdaTuner(), tuningAudit: new InMemoryTuningAuditStore() };
    const attempt = applyTuning(deps, { principal, ...ref, change: { kind: "memory", memoryMb: 1024 }, expectedBefore: { kind: "memory", memoryMb: 1024 }, nowMs: 0 });
    await expect(attempt).rejects.toBeInstanceOf(TuningNotApplicableError);
    await expect(attempt).rejects.toThrow("nothing to change: users-api already has 1,024 MB");
    expect(deps.tuningAudit.entries).toEqual([]);
  });
});
