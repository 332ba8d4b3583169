import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCollectorRuntime, type CollectorRuntime } from "@/collectors/_runtime/collector-runtime";
import { ALL_COLLECTORS } from "@/collectors/_runtime/registry";
import { runCollectorEverywhere } from "@/collectors/_runtime/run-collector";
import { COLLECTOR_PERMISSIONS, assumesMemberRoles } from "@/infra/collector-permissions";
import { formatAccountsSetting, hostedAccounts } from "@/infra/local/sim/accounts";
import { ensureTable } from "@/lib/adapters/dynamodb/table";
import { DynamoSloStore } from "@/lib/adapters/dynamodb/slo-repository";
import { COLLECTOR_NAMES, type CollectorName } from "@/lib/domain/collection/collector-run";
import { importSlos } from "@/lib/use-cases/manage-slos";
import { quietLog, startCollectorStack } from "@/tests/support/collector-stack";

/**
 * infra/collector-permissions.ts is the truth of each collector's IAM role, so it is checked
 * against the calls each collector really makes: every collector runs through the simulator
 * and dynalite with a runtime of its own (as its Lambda function has), twice — a first run that
 * backfills and a later incremental one — in two configurations: the collectors' own account
 * found through STS (as with SIGHTLINE_ACCOUNTS empty), and the own account plus a member read
 * through its role (STS AssumeRole). The AWS operations come from each run's ledger entry
 * (apiUsage, metered inside the SDK's retry loop); the DynamoDB commands from a middleware on
 * the runtime's document client.
 */
const NOW = Date.UTC(2026, 10, 26, 12, 0, 30);
const LATER = NOW + 6 * 3_600_000 + 60_000;

/** The IAM service prefix of each metered client (lib/adapters/aws/clients.ts names them). */
const IAM_PREFIX: Record<string, string> = { CloudWatch: "cloudwatch", CloudWatchLogs: "logs", XRay: "xray", CostExplorer: "ce", Lambda: "lambda", STS: "sts" };

/** lib-dynamodb command (and the low-level command it becomes) → the IAM action it needs. */
const DYNAMODB_ACTION: Record<string, string> = {
  GetCommand: "dynamodb:GetItem",
  GetItemCommand: "dynamodb:GetItem",
  PutCommand: "dynamodb:PutItem",
  PutItemCommand: "dynamodb:PutItem",
  UpdateCommand: "dynamodb:UpdateItem",
  UpdateItemCommand: "dynamodb:UpdateItem",
  DeleteCommand: "dynamodb:DeleteItem",
  DeleteItemCommand: "dynamodb:DeleteItem",
  QueryCommand: "dynamodb:Query",
  ScanCommand: "dynamodb:Scan",
  BatchWriteCommand: "dynamodb:BatchWriteItem",
  BatchWriteItemCommand: "dynamodb:BatchWriteItem",
  BatchGetCommand: "dynamodb:BatchGetItem",
  BatchGetItemCommand: "dynamodb:BatchGetItem",
};

/** Operations that need no IAM permission (GetCallerIdentity works for any principal). */
const NEEDS_NO_PERMISSION = new Set(["sts:GetCallerIdentity"]);

/**
 * Table actions a fault-free simulated run does not reach, each kept for a path real AWS takes
 * (commented in infra/collector-permissions.ts). An entry here must not be recorded: once the
 * simulator reaches it, it moves back to the proof.
 * - logs-insights logs:StopQuery: abandoning the queries in flight when one of them fails.
 */
const UNREACHED_IN_SIMULATION: Partial<Record<CollectorName, readonly string[]>> = { "logs-insights": ["logs:StopQuery"] };

type Recorded = Record<CollectorName, { aws: Set<string>; dynamodb: Set<string>; unmapped: Set<string> }>;

let stack: Awaited<ReturnType<typeof startCollectorStack>>;
let clockMs = NOW;
const recorded = {} as Recorded;
for (const name of COLLECTOR_NAMES) recorded[name] = { aws: new Set(), dynamodb: new Set(), unmapped: new Set() };
const assumedRoleRuns = new Set<CollectorName>();

/** A fresh runtime on `tableName` whose DynamoDB commands land in `collector`'s record. */
function recordingRuntime(tableName: string, env: Record<string, string>, collector: CollectorName): CollectorRuntime {
  const runtime = createCollectorRuntime({ env: { ...stack.env(tableName), ...env }, log: quietLog });
  (runtime.doc.middlewareStack as unknown as { add(m: unknown, o: object): void }).add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      const action = DYNAMODB_ACTION[context.commandName ?? ""];
      if (action) recorded[collector].dynamodb.add(action);
      else recorded[collector].unmapped.add(`DynamoDB ${context.commandName}`);
      return next(args);
    },
    { step: "initialize", name: "recordDynamoCommands" },
  );
  return runtime;
}

/** Two passes (first run, then 6 hours later) of every collector, each on a runtime of its own, on one table. */
async function runPasses(tableName: string, env: Record<string, string>): Promise<void> {
  for (const nowMs of [NOW, LATER]) {
    clockMs = nowMs;
    for (const definition of ALL_COLLECTORS) {
      const runtime = recordingRuntime(tableName, env, definition.name);
      const runs = await runCollectorEverywhere(runtime, definition, { nowMs });
      for (const run of runs) {
        expect(run.error, `${definition.name} ${run.accountId} at ${new Date(nowMs).toISOString()}`).toBeNull();
        for (const operation of Object.keys(run.apiUsage)) {
          const [service = "", name = ""] = operation.split(".");
          const prefix = IAM_PREFIX[service];
          if (prefix === undefined) recorded[definition.name].unmapped.add(operation);
          else recorded[definition.name].aws.add(`${prefix}:${name}`);
          if (operation === "STS.AssumeRole") assumedRoleRuns.add(definition.name);
        }
      }
    }
  }
}

async function freshTableWithSlos(name: string): Promise<string> {
  await ensureTable(stack.db.client, name);
  const runtime = createCollectorRuntime({ env: stack.env(name), log: quietLog });
  const imported = await importSlos(new DynamoSloStore(runtime.doc, name), {
    yaml: readFileSync("infra/local/sim/scenarios/ecommerce.slos.yaml", "utf8"),
    defaults: { accountId: stack.scenario.account.id, region: stack.scenario.account.region },
    by: "test",
    nowMs: NOW,
  });
  if (!imported.ok) throw new Error(`the scenario's SLOs did not import: ${JSON.stringify(imported.errors)}`);
  return name;
}

beforeAll(async () => {
  stack = await startCollectorStack({ now: () => clockMs });
  const accounts = hostedAccounts(stack.scenario);
  expect(accounts.some((a) => a.roleArn !== null)).toBe(true);
  // Short backfills keep the runs quick; every code path of a first run is still taken.
  await runPasses(await freshTableWithSlos("permissions-own"), { BACKFILL_HOURS: "6" });
  await runPasses(await freshTableWithSlos("permissions-members"), { BACKFILL_HOURS: "6", SIGHTLINE_ACCOUNTS: formatAccountsSetting(accounts) });
}, 300_000);

afterAll(async () => {
  await stack?.close();
});

describe("each collector's IAM actions are exactly the calls it makes", () => {
  it("maps every recorded call to an IAM action", () => {
    for (const name of COLLECTOR_NAMES) expect([...recorded[name].unmapped], name).toEqual([]);
  });

  it.each(COLLECTOR_NAMES.map((n) => [n]))("%s: AWS reads on the watched accounts = its `aws` row (+ sts:AssumeRole for members)", (name) => {
    const permissions = COLLECTOR_PERMISSIONS[name];
    const made = [...recorded[name].aws].filter((a) => !NEEDS_NO_PERMISSION.has(a));
    const unreached = UNREACHED_IN_SIMULATION[name] ?? [];
    expect(made.filter((a) => unreached.includes(a)), "an unreached action was reached: take it off the list").toEqual([]);
    const expected = [...permissions.aws.filter((a) => !unreached.includes(a)), ...(assumesMemberRoles(permissions) ? ["sts:AssumeRole"] : [])];
    expect(made.sort()).toEqual(expected.sort());
    // Reading watched accounts and assuming their roles go together.
    expect(assumedRoleRuns.has(name)).toBe(assumesMemberRoles(permissions));
  });

  it.each(COLLECTOR_NAMES.map((n) => [n]))("%s: DynamoDB item actions = its `dynamodb` row", (name) => {
    const unreached = UNREACHED_IN_SIMULATION[name] ?? [];
    const made = [...recorded[name].dynamodb];
    expect(made.filter((a) => unreached.includes(a)), "an unreached action was reached: take it off the list").toEqual([]);
    expect(made.sort()).toEqual(COLLECTOR_PERMISSIONS[name].dynamodb.filter((a) => !unreached.includes(a)).sort());
  });

  it("grants no write action on a watched account", () => {
    const reads = /^(lambda|cloudwatch|logs|xray|ce):(List|Get|Describe|BatchGet|StartQuery|StopQuery)/;
    for (const name of COLLECTOR_NAMES) {
      for (const action of COLLECTOR_PERMISSIONS[name].aws) expect(action, name).toMatch(reads);
    }
  });
});
