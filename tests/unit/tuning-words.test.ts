import { describe, expect, it } from "vitest";
import { describeNoApplyReason } from "@/app/(console)/tuning/tuning-access";
import {
  describeAuditEntry,
  describeBeforeAfter,
  describeChange,
  describeDelta,
  describeLambdaCall,
  describePcPlan,
  formatEffect,
  formatMonthlyCost,
  formatMonthlyDelta,
  formatMonthlyTotal,
  formatMonthlyUsd,
  formatPcPlanInput,
  formatRange,
} from "@/app/(console)/tuning/tuning-words";
import { currentWhatIfValues, groupWhatIfErrors, toWhatIfBody } from "@/app/(console)/tuning/[name]/whatif-model";
import type { PcPlan, TuningAuditEntry, TuningChange } from "@/lib/domain/sizing/tuning-types";

describe("formatMonthlyUsd", () => {
  it.each([
    [0, false, "$0"],
    [41.2, false, "$41"],
    [1234.5, false, "$1,235"],
    [4.5, false, "$4.50"],
    [0.0456, false, "$0.046"],
    [-12.4, false, "\u2212$12"],
    [18, true, "+$18"],
    [-3.25, true, "\u2212$3.25"],
    [Number.NaN, false, "—"],
  ])("%s (signed %s) → %s", (usd, signed, expected) => {
    expect(formatMonthlyUsd(usd, signed)).toBe(expected);
  });
});

describe("ranges", () => {
  it("reads a monthly delta as expected (lower … upper) /month, signed", () => {
    expect(formatMonthlyDelta({ lower: -55, expected: -41, upper: -12 })).toBe("\u2212$41 (\u2212$55 … \u2212$12) /month");
    expect(formatMonthlyDelta({ lower: 10, expected: 18.2, upper: 25 })).toBe("+$18 (+$10 … +$25) /month");
  });

  it("drops the bounds when they round to the expected value", () => {
    expect(formatMonthlyCost({ lower: 40.6, expected: 41, upper: 41.4 })).toBe("$41 /month");
    expect(formatRange({ lower: 1, expected: 1, upper: 1 }, String)).toBe("1");
  });

  it("reads a fleet total as positive whatever the sign convention", () => {
    expect(formatMonthlyTotal({ lower: 890, expected: 1204, upper: 1510 })).toBe("$1,204 ($890 … $1,510) /month");
    expect(formatMonthlyTotal({ lower: -1510, expected: -1204, upper: -890 })).toBe("$1,204 ($890 … $1,510) /month");
  });

  it("says what a delta means", () => {
    expect(describeDelta({ lower: -55, expected: -41, upper: -12 })).toBe("saves $41 a month");
    expect(describeDelta({ lower: 10, expected: 18, upper: 25 })).toBe("costs $18 more a month");
    expect(describeDelta({ lower: 0, expected: 0, upper: 0 })).toBe("no cost change");
  });

  it("formats an effect as now → lower … upper", () => {
    expect(formatEffect({ current: 180, projected: { lower: 95, expected: 110, upper: 140 } }, "ms")).toBe("180 ms → 95 ms … 140 ms");
    expect(formatEffect({ current: null, projected: { lower: 0, expected: 1, upper: 3 } }, "per-day")).toBe("not measured → 0 … 3");
    expect(formatEffect({ current: 0.42, projected: { lower: 0.05, expected: 0.05, upper: 0.05 } }, "ratio")).toBe("42% → 5%");
  });
});

describe("provisioned-concurrency plans", () => {
  const schedule: PcPlan = { kind: "schedule", baseline: 2, steps: [{ fromMinute: 9 * 60, toMinute: 18 * 60, executions: 20 }] };
  it.each<[PcPlan, string, string]>([
    [{ kind: "none" }, "none", "none"],
    [{ kind: "fixed", executions: 20 }, "20 all day", "20"],
    [schedule, "20 from 09:00 to 18:00 UTC, 2 otherwise", "09:00-18:00=20,base=2"],
    [{ kind: "target-tracking", targetUtilisation: 0.7, min: 2, max: 40 }, "target tracking at 70% utilisation, 2 to 40", "target=0.7,min=2,max=40"],
  ])("%o", (plan, words, input) => {
    expect(describePcPlan(plan)).toBe(words);
    expect(formatPcPlanInput(plan)).toBe(input);
  });

  it("writes several steps and a step to midnight", () => {
    const plan: PcPlan = {
      kind: "schedule",
      baseline: 0,
      steps: [
        { fromMinute: 480, toMinute: 720, executions: 10 },
        { fromMinute: 720, toMinute: 1440, executions: 30 },
      ],
    };
    expect(formatPcPlanInput(plan)).toBe("08:00-12:00=10,12:00-24:00=30,base=0");
  });
});

describe("changes", () => {
  const memory: TuningChange = { kind: "memory", memoryMb: 1024 };
  const pc: TuningChange = { kind: "provisioned-concurrency", qualifier: "live", executions: 20 };
  const noPc: TuningChange = { kind: "provisioned-concurrency", qualifier: "live", executions: 0 };
  const reserved: TuningChange = { kind: "reserved-concurrency", executions: 50 };
  const noReserved: TuningChange = { kind: "reserved-concurrency", executions: null };

  it("reads each change in words", () => {
    expect(describeChange(memory)).toBe("memory 1,024 MB");
    expect(describeChange(pc)).toBe("provisioned concurrency 20 on live");
    expect(describeChange(noPc)).toBe("no provisioned concurrency on live");
    expect(describeChange(reserved)).toBe("reserved concurrency 50");
    expect(describeChange(noReserved)).toBe("no reserved concurrency");
    expect(describeBeforeAfter(memory, { kind: "memory", memoryMb: 512 })).toBe("1,024 MB → 512 MB");
  });

  it("names the Lambda call apply makes", () => {
    expect(describeLambdaCall({ kind: "memory", memoryMb: 512 }, "orders-api")).toBe("UpdateFunctionConfiguration(FunctionName=orders-api, MemorySize=512)");
    expect(describeLambdaCall(pc, "orders-api")).toBe("PutProvisionedConcurrencyConfig(FunctionName=orders-api, Qualifier=live, ProvisionedConcurrentExecutions=20)");
    expect(describeLambdaCall(noPc, "orders-api")).toBe("DeleteProvisionedConcurrencyConfig(FunctionName=orders-api, Qualifier=live)");
    expect(describeLambdaCall(reserved, "orders-api")).toBe("PutFunctionConcurrency(FunctionName=orders-api, ReservedConcurrentExecutions=50)");
    expect(describeLambdaCall(noReserved, "orders-api")).toBe("DeleteFunctionConcurrency(FunctionName=orders-api)");
  });

  it("reads an audit entry in one line", () => {
    const entry: TuningAuditEntry = {
      id: "1767607920000-ab12",
      atMs: Date.UTC(2026, 0, 5, 10, 12),
      actor: "ana",
      role: "engineer",
      accountId: "123456789012",
      region: "us-east-1",
      functionName: "orders-api",
      action: "apply",
      recommendationId: "123456789012/us-east-1/orders-api/memory",
      rollbackOf: null,
      before: memory,
      after: { kind: "memory", memoryMb: 512 },
      result: "failed",
      error: "TooManyRequestsException: Rate exceeded",
      operation: "UpdateFunctionConfiguration",
    };
    expect(describeAuditEntry(entry)).toBe("Apply by ana (engineer) at 2026-01-05 10:12 UTC: memory 1,024 MB → 512 MB, failed (TooManyRequestsException: Rate exceeded)");
  });

  it("says who may apply", () => {
    expect(describeNoApplyReason("viewer")).toBe("Your role (viewer) cannot apply changes: engineer or admin can");
  });
});

describe("what-if form", () => {
  const ref = { functionName: "orders-api", accountId: "123456789012", region: "us-east-1" };
  const values = currentWhatIfValues({ memoryMb: 1024, architecture: "x86_64", reservedConcurrency: null, provisionedConcurrency: [{ qualifier: "live", requested: 5 }] });

  it("starts from the current settings and sends them as the body", () => {
    expect(values).toEqual({ memoryMb: "1024", architecture: "x86_64", pc: "5", reservedConcurrency: "", hours: "24" });
    expect(toWhatIfBody(values, ref)).toEqual({
      ok: true,
      body: { ...ref, hours: 24, memoryMb: 1024, architecture: "x86_64", pc: "5", reservedConcurrency: null },
    });
  });

  it("marks fields the browser can check, and places the server's field errors", () => {
    expect(toWhatIfBody({ ...values, memoryMb: "64", reservedConcurrency: "x" }, ref)).toEqual({
      ok: false,
      errors: { memoryMb: "a whole number of MB from 128 to 10,240", reservedConcurrency: "a whole number, or blank for none" },
    });
    expect(groupWhatIfErrors({ pc: "bad step", "body.x": "?" })).toEqual({ byField: { pc: "bad step" }, elsewhere: [["body.x", "?"]] });
  });
});
