import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STSClient } from "@aws-sdk/client-sts";
import { createCollectorRuntime, type CollectorRuntime } from "@/collectors/_runtime/collector-runtime";
import { AwsLambdaTuner } from "@/lib/adapters/aws/lambda-tuner";
import { ensureTable } from "@/lib/adapters/dynamodb/table";
import { DynamoTuningAuditStore } from "@/lib/adapters/dynamodb/tuning-audit-repository";
import { applyTuning, TuningLambdaError } from "@/lib/use-cases/apply-tuning";
import { formatAccountsSetting, hostedAccounts } from "@/infra/local/sim/accounts";
import { runCollectionPass } from "@/infra/local/scheduler";
import { startCollectorStack } from "@/tests/support/collector-stack";

/**
 * SIGHTLINE_EXTERNAL_ID end to end: a simulated member whose role requires an external id (the
 * member template deployed with `ExternalId`) is read by the collectors and tuned by the
 * console only when they are configured with that id; otherwise STS refuses the assume with
 * AccessDenied and the run (or the apply) fails saying so. The id itself never shows in a log
 * line, a run error or a watermark.
 */
const EXTERNAL_ID = "sightline-7f3a:prod";
const NOW = Date.UTC(2026, 10, 27, 12, 0, 30);
const MEMBER = "210987654321";
const MEMBER_ROLE_ARN = `arn:aws:iam::${MEMBER}:role/SightlineReadOnly`;
const ASSUME_DENIED = new RegExp(
  `AccessDenied: User: arn:aws:iam::\\d{12}:user/sightline-local is not authorized to perform: sts:AssumeRole on resource: ${MEMBER_ROLE_ARN.replace(/[/.]/g, "\\$&")}`,
);
const engineer = { subject: "erin", role: "engineer" as const };

let dir: string;
let stack: Awaited<ReturnType<typeof startCollectorStack>>;
let HOME: string;
let region: string;
let tables = 0;

beforeAll(async () => {
  // The shipped ecommerce scenario with its staging member's role requiring EXTERNAL_ID.
  const yaml = readFileSync(fileURLToPath(new URL("../../infra/local/sim/scenarios/ecommerce.yaml", import.meta.url)), "utf8");
  const entry = "{ scenario: ecommerce-staging, role: SightlineReadOnly }";
  expect(yaml).toContain(entry);
  dir = mkdtempSync(join(tmpdir(), "sightline-external-id-"));
  const file = join(dir, "ecommerce-external-id.yaml");
  writeFileSync(file, yaml.replace(entry, `{ scenario: ecommerce-staging, role: SightlineReadOnly, externalId: "${EXTERNAL_ID}" }`));
  stack = await startCollectorStack({ scenario: file, now: () => NOW });
  HOME = stack.scenario.account.id;
  region = stack.scenario.account.region;
});

afterAll(async () => {
  await stack?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A collector runtime reading both hosted accounts, on a fresh table, its log lines kept. */
async function collectorsWith(extraEnv: Record<string, string>): Promise<{ runtime: CollectorRuntime; logged: string[] }> {
  const tableName = `external-id-${++tables}`;
  await ensureTable(stack.db.client, tableName);
  const logged: string[] = [];
  const log = { info: (message: string, fields?: object) => logged.push(`${message} ${JSON.stringify(fields ?? {})}`), error: (message: string, fields?: object) => logged.push(`${message} ${JSON.stringify(fields ?? {})}`) };
  const env = { ...stack.env(tableName), SIGHTLINE_ACCOUNTS: formatAccountsSetting(hostedAccounts(stack.scenario)), BACKFILL_HOURS: "6", ...extraEnv };
  return { runtime: createCollectorRuntime({ env, log }), logged };
}

describe("the collectors reading a member whose role requires an external id", () => {
  it("read it with the right SIGHTLINE_EXTERNAL_ID, and the id shows in no log line", async () => {
    const { runtime, logged } = await collectorsWith({ SIGHTLINE_EXTERNAL_ID: EXTERNAL_ID });
    const pass = await runCollectionPass(runtime, { nowMs: NOW, force: true, only: ["inventory"] });
    expect(pass.runs.map((r) => [r.accountId, r.error])).toEqual(expect.arrayContaining([[HOME, null], [MEMBER, null]]));
    expect(pass.ok).toBe(true);
    const memberFunctions = (await runtime.functions.listFunctions()).filter((f) => f.accountId === MEMBER);
    const declared = stack.scenario.memberAccounts![0]!.scenario.functions.map((f) => f.name);
    expect(declared.length).toBeGreaterThan(0);
    expect(memberFunctions.map((f) => f.functionName).sort()).toEqual([...declared].sort());
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.join("\n")).not.toContain(EXTERNAL_ID);
  });

  it.each([
    ["without SIGHTLINE_EXTERNAL_ID", {}],
    ["with another SIGHTLINE_EXTERNAL_ID", { SIGHTLINE_EXTERNAL_ID: "sightline-other" }],
  ])("fail the member's run %s with STS's AccessDenied, and still read the own account", async (_label, extraEnv: Record<string, string>) => {
    const { runtime, logged } = await collectorsWith(extraEnv);
    const pass = await runCollectionPass(runtime, { nowMs: NOW, force: true, only: ["inventory"] });
    expect(pass.ok).toBe(false);
    const byAccount = new Map(pass.runs.map((r) => [r.accountId, r.error]));
    expect(byAccount.get(HOME)).toBeNull();
    expect(byAccount.get(MEMBER)).toMatch(ASSUME_DENIED);
    const watermark = await runtime.watermarks.get("inventory", MEMBER, region);
    expect(watermark?.lastError).toMatch(ASSUME_DENIED);
    expect((await runtime.functions.listFunctions()).filter((f) => f.accountId === MEMBER)).toEqual([]);
    expect(logged.join("\n")).toMatch(ASSUME_DENIED);
    for (const text of [...logged, byAccount.get(MEMBER)!]) {
      expect(text).not.toContain(EXTERNAL_ID);
      expect(text).not.toContain("sightline-other");
    }
  });
});

describe("the console tuning a function in that member", () => {
  const ref = () => ({ accountId: MEMBER, region, functionName: "payments-api-staging" });

  async function applyDeps(externalId: string | undefined) {
    const tableName = `external-id-apply-${++tables}`;
    await ensureTable(stack.db.client, tableName);
    return {
      lambdaTuner: new AwsLambdaTuner({ homeRegion: region, homeAccountId: HOME, roleName: "SightlineReadOnly", externalId, now: () => NOW }),
      tuningAudit: new DynamoTuningAuditStore(stack.db.doc, tableName),
    };
  }

  it("without the external id, is refused by STS before any Lambda call, and records nothing", async () => {
    const deps = await applyDeps(undefined);
    stack.sim.resetRequestCounts();
    const attempt = applyTuning(deps, { principal: engineer, ...ref(), change: { kind: "memory", memoryMb: 1024 }, expectedBefore: { kind: "memory", memoryMb: 2048 }, nowMs: NOW });
    await expect(attempt).rejects.toThrow(TuningLambdaError);
    await expect(attempt).rejects.toThrow(ASSUME_DENIED);
    expect(stack.sim.requestCountsByAccount()[MEMBER]?.services.lambda ?? {}).toEqual({});
    expect(await deps.tuningAudit.list({ limit: 10 })).toEqual([]);
  });

  it("with the external id, applies the change there and records it", async () => {
    const deps = await applyDeps(EXTERNAL_ID);
    const before = await deps.lambdaTuner.readSetting(ref(), { kind: "memory" });
    expect(before).toEqual({ kind: "memory", memoryMb: 2048 });
    stack.sim.resetRequestCounts();
    const applied = await applyTuning(deps, { principal: engineer, ...ref(), change: { kind: "memory", memoryMb: 1024 }, expectedBefore: before, nowMs: NOW });
    expect(applied.result).toBe("succeeded");
    expect(await deps.lambdaTuner.readSetting(ref(), { kind: "memory" })).toEqual({ kind: "memory", memoryMb: 1024 });
    expect(stack.sim.requestCountsByAccount()[MEMBER]?.services.lambda?.UpdateFunctionConfiguration).toBe(1);
    expect(JSON.stringify(await deps.tuningAudit.list({ limit: 10 }))).not.toContain(EXTERNAL_ID);
  });

  it("sends the external id to member roles only, not to the home account's apply role (homeViaRole)", async () => {
    const sent: { RoleArn?: string; ExternalId?: string }[] = [];
    const sts = new STSClient({ region, endpoint: stack.sim.url, maxAttempts: 1 });
    sts.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "AssumeRoleCommand") sent.push({ ...(args.input as { RoleArn?: string; ExternalId?: string }) });
        return next(args);
      },
      { step: "initialize", name: "recordAssumeRole" },
    );
    try {
      const tuner = new AwsLambdaTuner({ homeRegion: region, homeAccountId: HOME, roleName: "SightlineReadOnly", homeViaRole: true, externalId: EXTERNAL_ID, sts, now: () => NOW });
      expect(await tuner.readSetting(ref(), { kind: "reserved-concurrency" })).toMatchObject({ kind: "reserved-concurrency" });
      // The simulator declares no role in its primary account, so the home assume is refused; what matters is what was sent.
      await expect(tuner.readSetting({ accountId: HOME, region, functionName: "orders-api" }, { kind: "memory" })).rejects.toThrow(/AccessDenied/);
      expect(sent.map((input) => [input.RoleArn, input.ExternalId])).toEqual([
        [MEMBER_ROLE_ARN, EXTERNAL_ID],
        [`arn:aws:iam::${HOME}:role/SightlineReadOnly`, undefined],
      ]);
    } finally {
      sts.destroy();
    }
  });
});
