import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  GetProvisionedConcurrencyConfigCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { AwsLambdaTuner } from "@/lib/adapters/aws/lambda-tuner";
import { ensureTable } from "@/lib/adapters/dynamodb/table";
import { DynamoTuningAuditStore } from "@/lib/adapters/dynamodb/tuning-audit-repository";
import type { Recommendation, TuningChange } from "@/lib/domain/sizing/tuning-types";
import { loadScenario } from "@/infra/local/sim/load-scenario";
import { startSimulator, type RunningSimulator } from "@/infra/local/sim/server";
import {
  TuningConflictError,
  TuningLambdaError,
  TuningNotApplicableError,
  applyTuning,
  rollbackTuning,
  type TuningApplyDeps,
} from "@/lib/use-cases/apply-tuning";
import { startTestDynamo } from "@/tests/support/embedded-dynamo";

/**
 * The apply path end to end: the use cases, the Lambda adapter through the real SDK against
 * the simulated account (which validates like AWS), and the audit log in dynalite.
 */
const scenario = loadScenario("ecommerce");
const { region, id: HOME } = scenario.account;
const MEMBER = "210987654321";
/** Friday 2026-11-27 12:00:30 UTC. */
const T = Date.UTC(2026, 10, 27, 12, 0, 30);
/** Lambda refuses a second update for a few seconds (LastUpdateStatus InProgress); steps are longer. */
const STEP_MS = 30_000;
const engineer = { subject: "erin", role: "engineer" as const };
const admin = { subject: "ada", role: "admin" as const };

let clock = T;
let db: Awaited<ReturnType<typeof startTestDynamo>>;
let sim: RunningSimulator;
let lambda: LambdaClient;
let deps: TuningApplyDeps & { tuningAudit: DynamoTuningAuditStore };
let tables = 0;

beforeAll(async () => {
  db = await startTestDynamo();
});
afterAll(async () => {
  await db?.close();
});

beforeEach(async () => {
  clock = T;
  sim = await startSimulator({ scenario, host: "127.0.0.1", port: 0, seed: 1, now: () => clock });
  // The adapter's clients take the endpoint from the SDK's own convention, as in the console.
  process.env.AWS_ENDPOINT_URL = sim.url;
  lambda = new LambdaClient({ endpoint: sim.url, region, maxAttempts: 1 });
  const tableName = `tuning-apply-${++tables}`;
  await ensureTable(db.client, tableName);
  deps = {
    lambdaTuner: new AwsLambdaTuner({ homeRegion: region, roleName: "SightlineReadOnly", now: () => clock }),
    tuningAudit: new DynamoTuningAuditStore(db.doc, tableName),
  };
});
afterEach(async () => {
  delete process.env.AWS_ENDPOINT_URL;
  lambda.destroy();
  await sim.close();
});

async function memoryOf(functionName: string): Promise<number | undefined> {
  return (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }))).MemorySize;
}

/** Lambda write calls the simulator served, by operation. */
function writesServed(): Record<string, number> {
  const lambdaCounts = sim.requestCounts().services.lambda ?? {};
  return Object.fromEntries(Object.entries(lambdaCounts).filter(([op]) => /^(Update|Put|Delete)/.test(op)));
}

function aRecommendation(functionName: string, change: TuningChange, revert: TuningChange): Recommendation {
  return {
    id: `${HOME}/${region}/${functionName}/${change.kind}`,
    accountId: HOME,
    region,
    functionName,
    kind: change.kind,
    finding: change.kind === "memory" ? "over-provisioned-memory" : "idle-provisioned-concurrency",
    summary: "test recommendation",
    current: "",
    proposed: "",
    change,
    notAppliableReason: null,
    revert,
    monthlyCost: { currentUsd: 10, projectedUsd: { lower: 5, expected: 5, upper: 5 }, deltaUsd: { lower: -5, expected: -5, upper: -5 } },
    effects: {},
    confidence: "high",
    evidence: [],
    assumptions: [],
    riskUnits: 1,
  };
}

describe("apply and roll back a memory change", () => {
  it("applies, records who/what/before/after, and rolls back to the value it replaced", async () => {
    const fn = "inventory-api";
    expect(await memoryOf(fn)).toBe(768);
    const recommendation = aRecommendation(fn, { kind: "memory", memoryMb: 512 }, { kind: "memory", memoryMb: 768 });

    const applied = await applyTuning(deps, { principal: engineer, recommendation, expectedBefore: { kind: "memory", memoryMb: 768 }, nowMs: clock });
    expect(await memoryOf(fn)).toBe(512);
    expect(applied).toMatchObject({
      atMs: T,
      actor: "erin",
      role: "engineer",
      accountId: HOME,
      region,
      functionName: fn,
      action: "apply",
      recommendationId: recommendation.id,
      rollbackOf: null,
      before: { kind: "memory", memoryMb: 768 },
      after: { kind: "memory", memoryMb: 512 },
      result: "succeeded",
      error: null,
      operation: "UpdateFunctionConfiguration",
    });
    expect(applied.id).toMatch(new RegExp(`^${T}-[0-9a-f]{16}$`));
    expect(await deps.tuningAudit.get(applied.id)).toEqual(applied);

    clock += STEP_MS;
    const rolledBack = await rollbackTuning(deps, { principal: admin, auditId: applied.id, nowMs: clock });
    expect(await memoryOf(fn)).toBe(768);
    expect(rolledBack).toMatchObject({
      actor: "ada",
      role: "admin",
      action: "rollback",
      rollbackOf: applied.id,
      recommendationId: null,
      before: { kind: "memory", memoryMb: 512 },
      after: { kind: "memory", memoryMb: 768 },
      result: "succeeded",
      operation: "UpdateFunctionConfiguration",
    });
    expect((await deps.tuningAudit.list({ functionName: fn, limit: 10 })).map((e) => e.id)).toEqual([rolledBack.id, applied.id]);

    // Once is enough: a second rollback of the same entry, or a rollback of the rollback, is refused.
    clock += STEP_MS;
    await expect(rollbackTuning(deps, { principal: admin, auditId: applied.id, nowMs: clock })).rejects.toThrow(/already rolled back by ada/);
    await expect(rollbackTuning(deps, { principal: admin, auditId: rolledBack.id, nowMs: clock })).rejects.toBeInstanceOf(TuningNotApplicableError);
    expect(await deps.tuningAudit.list({ limit: 10 })).toHaveLength(2);
  });

  it("refuses a stale expectedBefore with a conflict naming the current value, and leaves Lambda untouched", async () => {
    const fn = "inventory-api";
    sim.resetRequestCounts();
    const stale = applyTuning(deps, {
      principal: engineer,
      recommendation: aRecommendation(fn, { kind: "memory", memoryMb: 512 }, { kind: "memory", memoryMb: 1024 }),
      expectedBefore: { kind: "memory", memoryMb: 1024 },
      nowMs: clock,
    });
    await expect(stale).rejects.toBeInstanceOf(TuningConflictError);
    await expect(stale).rejects.toThrow("inventory-api changed since you looked: now 768 MB, you saw 1,024 MB");
    await expect(stale).rejects.toMatchObject({ current: { kind: "memory", memoryMb: 768 } });
    expect(writesServed()).toEqual({});
    expect(await memoryOf(fn)).toBe(768);
    expect(await deps.tuningAudit.list({ limit: 10 })).toEqual([]);
  });

  it("refuses to roll back when the setting changed after the apply, naming what it is now", async () => {
    const fn = "users-api";
    const applied = await applyTuning(deps, {
      principal: engineer,
      accountId: HOME,
      region,
      functionName: fn,
      change: { kind: "memory", memoryMb: 1024 },
      expectedBefore: { kind: "memory", memoryMb: 512 },
      nowMs: clock,
    });
    expect(applied.recommendationId).toBeNull();
    clock += STEP_MS;
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn, MemorySize: 1536 }));
    clock += STEP_MS;
    const refused = rollbackTuning(deps, { principal: engineer, auditId: applied.id, nowMs: clock });
    await expect(refused).rejects.toBeInstanceOf(TuningConflictError);
    await expect(refused).rejects.toThrow(/now 1,536 MB/);
    expect(await memoryOf(fn)).toBe(1536);
  });
});

describe("Lambda refuses the change", () => {
  it("records a failed entry with the AWS error when PutFunctionConcurrency would leave < 100 unreserved", async () => {
    const fn = "inventory-api";
    expect((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: fn }))).ReservedConcurrentExecutions).toBeUndefined();
    const attempt = applyTuning(deps, {
      principal: engineer,
      accountId: HOME,
      region,
      functionName: fn,
      change: { kind: "reserved-concurrency", executions: 900 },
      expectedBefore: { kind: "reserved-concurrency", executions: null },
      nowMs: clock,
    });
    await expect(attempt).rejects.toBeInstanceOf(TuningLambdaError);
    const error = (await attempt.catch((e: unknown) => e)) as TuningLambdaError;
    expect(error.message).toMatch(/^Lambda refused to apply 900 reserved on inventory-api \(PutFunctionConcurrency\); recorded as failed in entry \d{13}-[0-9a-f]+: InvalidParameterValueException: /);
    expect(error.message).not.toMatch(/\n\s+at /);
    const [entry] = await deps.tuningAudit.list({ limit: 10 });
    expect(error.entry).toEqual(entry);
    expect(entry).toMatchObject({
      action: "apply",
      result: "failed",
      operation: "PutFunctionConcurrency",
      before: { kind: "reserved-concurrency", executions: null },
      after: { kind: "reserved-concurrency", executions: 900 },
      error: "InvalidParameterValueException: Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].",
    });
    expect((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: fn }))).ReservedConcurrentExecutions).toBeUndefined();
    // A failed apply changed nothing, so it cannot be rolled back.
    await expect(rollbackTuning(deps, { principal: engineer, auditId: entry!.id, nowMs: clock })).rejects.toThrow(/failed .*nothing to roll back/);
  });

  it("sets and removes reserved concurrency (null → DeleteFunctionConcurrency)", async () => {
    const fn = "inventory-api";
    const set = await applyTuning(deps, {
      principal: engineer,
      accountId: HOME,
      region,
      functionName: fn,
      change: { kind: "reserved-concurrency", executions: 40 },
      expectedBefore: { kind: "reserved-concurrency", executions: null },
      nowMs: clock,
    });
    expect(set.operation).toBe("PutFunctionConcurrency");
    expect((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: fn }))).ReservedConcurrentExecutions).toBe(40);
    clock += STEP_MS;
    const undone = await rollbackTuning(deps, { principal: engineer, auditId: set.id, nowMs: clock });
    expect(undone.operation).toBe("DeleteFunctionConcurrency");
    expect((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: fn }))).ReservedConcurrentExecutions).toBeUndefined();
  });
});

describe("provisioned concurrency", () => {
  it("lowers payments-api's idle 50 on live to 20, and rolls back to 50", async () => {
    const fn = "payments-api";
    const pc = async () => (await lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: fn, Qualifier: "live" }))).RequestedProvisionedConcurrentExecutions;
    expect(await pc()).toBe(50);
    const recommendation = aRecommendation(
      fn,
      { kind: "provisioned-concurrency", qualifier: "live", executions: 20 },
      { kind: "provisioned-concurrency", qualifier: "live", executions: 50 },
    );
    const applied = await applyTuning(deps, {
      principal: engineer,
      recommendation,
      expectedBefore: { kind: "provisioned-concurrency", qualifier: "live", executions: 50 },
      nowMs: clock,
    });
    expect(applied).toMatchObject({ operation: "PutProvisionedConcurrencyConfig", result: "succeeded", before: { executions: 50 }, after: { executions: 20 } });
    expect(await pc()).toBe(20);
    clock += STEP_MS;
    await rollbackTuning(deps, { principal: engineer, auditId: applied.id, nowMs: clock });
    expect(await pc()).toBe(50);
  });

  it("removes provisioned concurrency with 0 (DeleteProvisionedConcurrencyConfig) and reads none as 0", async () => {
    const fn = "orders-api";
    const applied = await applyTuning(deps, {
      principal: engineer,
      accountId: HOME,
      region,
      functionName: fn,
      change: { kind: "provisioned-concurrency", qualifier: "live", executions: 0 },
      expectedBefore: { kind: "provisioned-concurrency", qualifier: "live", executions: 4 },
      nowMs: clock,
    });
    expect(applied.operation).toBe("DeleteProvisionedConcurrencyConfig");
    expect(await deps.lambdaTuner.readSetting({ accountId: HOME, region, functionName: fn }, { kind: "provisioned-concurrency", qualifier: "live" })).toEqual({
      kind: "provisioned-concurrency",
      qualifier: "live",
      executions: 0,
    });
  });
});

describe("account routing", () => {
  it("changes a member account's function through the assumed role, and only there", async () => {
    const fn = "payments-api-staging";
    const ref = { accountId: MEMBER, region, functionName: fn };
    const before = await deps.lambdaTuner.readSetting(ref, { kind: "memory" });
    expect(before).toEqual({ kind: "memory", memoryMb: 2048 });
    sim.resetRequestCounts();
    const applied = await applyTuning(deps, { principal: engineer, ...ref, change: { kind: "memory", memoryMb: 1024 }, expectedBefore: before, nowMs: clock });
    expect(applied.result).toBe("succeeded");
    expect(await deps.lambdaTuner.readSetting(ref, { kind: "memory" })).toEqual({ kind: "memory", memoryMb: 1024 });
    const byAccount = sim.requestCountsByAccount();
    expect(byAccount[MEMBER]?.services.lambda?.UpdateFunctionConfiguration).toBe(1);
    expect(byAccount[HOME]?.services.lambda?.UpdateFunctionConfiguration).toBeUndefined();
  });

  it("with homeViaRole, reaches a home-account function only through the apply role in the home account", async () => {
    // As deployed by the CDK app: the console's own role holds no Lambda action. The simulator
    // declares no role in its primary account, so STS refuses — which shows the call went there.
    const viaRole = new AwsLambdaTuner({ homeRegion: region, homeAccountId: HOME, roleName: "SightlineTuningApply", homeViaRole: true, now: () => clock });
    sim.resetRequestCounts();
    const read = viaRole.readSetting({ accountId: HOME, region, functionName: "orders-api" }, { kind: "memory" });
    await expect(read).rejects.toThrow(new RegExp(`AccessDenied: .*sts:AssumeRole on resource: arn:aws:iam::${HOME}:role/SightlineTuningApply`));
    const counts = sim.requestCounts().services;
    expect(counts.sts?.AssumeRole).toBeGreaterThanOrEqual(1);
    expect(counts.lambda ?? {}).toEqual({});
  });

  it("names the function that does not exist, as Lambda says, and records nothing (nothing was attempted)", async () => {
    const attempt = applyTuning(deps, {
      principal: engineer,
      accountId: HOME,
      region,
      functionName: "no-such-function",
      change: { kind: "memory", memoryMb: 512 },
      expectedBefore: { kind: "memory", memoryMb: 1024 },
      nowMs: clock,
    });
    await expect(attempt).rejects.toThrow(
      /could not read the current memory size of no-such-function \(GetFunctionConfiguration\); nothing was changed: ResourceNotFoundException: Function not found: arn:aws:lambda:us-east-1:123456789012:function:no-such-function/,
    );
    expect(await deps.tuningAudit.list({ limit: 10 })).toEqual([]);
  });
});
