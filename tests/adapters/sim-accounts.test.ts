import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CloudWatchClient, GetMetricDataCommand, InvalidParameterValueException } from "@aws-sdk/client-cloudwatch";
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  GetQueryResultsCommand,
  StartQueryCommand,
  UnrecognizedClientException,
} from "@aws-sdk/client-cloudwatch-logs";
import { CostExplorerClient, GetCostAndUsageCommand, type GetCostAndUsageCommandOutput } from "@aws-sdk/client-cost-explorer";
import {
  GetFunctionConcurrencyCommand,
  LambdaClient,
  ListFunctionsCommand,
  PutFunctionConcurrencyCommand,
  ResourceNotFoundException,
  TooManyRequestsException,
} from "@aws-sdk/client-lambda";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient, STSServiceException, type Credentials } from "@aws-sdk/client-sts";
import { GetServiceGraphCommand, XRayClient } from "@aws-sdk/client-xray";
import { formatAccountsSetting, hostedAccounts } from "@/infra/local/sim/accounts";
import { loadScenario } from "@/infra/local/sim/load-scenario";
import { startSimulator, type RunningSimulator } from "@/infra/local/sim/server";

/**
 * The second account, reached the way a multi-account collector reaches it: STS
 * GetCallerIdentity and AssumeRole through the real STS client, then the member account's
 * Lambda, CloudWatch, Logs, X-Ray and Cost Explorer with the temporary credentials, all on
 * the one simulator endpoint.
 */
const scenario = loadScenario("ecommerce");
const staging = loadScenario("ecommerce-staging");
const PRIMARY = scenario.account.id;
const MEMBER = staging.account.id;
const ROLE_ARN = `arn:aws:iam::${MEMBER}:role/SightlineReadOnly`;
const NOW = Date.UTC(2026, 10, 27, 12, 0, 30);
const ANCHOR_DAY = Math.floor(NOW / 86_400_000);
const DAY_START = Date.UTC(2026, 10, 26);
const DAY_END = DAY_START + 86_400_000;
const region = scenario.account.region;
const staticCredentials = { accessKeyId: "sightline-local", secretAccessKey: "sightline-local" };
const PRIMARY_FUNCTIONS = scenario.functions.map((f) => f.name).sort();
const MEMBER_FUNCTIONS = staging.functions.map((f) => f.name).sort();

interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

type SdkClient = { destroy(): void };
const clients: SdkClient[] = [];
let sim: RunningSimulator;
let memberCredentials: AwsCredentials;

/** A client of `sim` (default: the shared simulator) with explicit credentials and no retries. */
function client<T extends SdkClient>(Client: new (config: object) => T, credentials: AwsCredentials, on: RunningSimulator = sim): T {
  const created = new Client({ endpoint: on.url, region, credentials, maxAttempts: 1 });
  clients.push(created);
  return created;
}

function toAwsCredentials(credentials: Credentials | undefined): AwsCredentials {
  return { accessKeyId: credentials!.AccessKeyId!, secretAccessKey: credentials!.SecretAccessKey!, sessionToken: credentials!.SessionToken! };
}

async function assumeMemberRole(on: RunningSimulator = sim) {
  return client(STSClient, staticCredentials, on).send(
    new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: "sightline-collector", DurationSeconds: 3600 }),
  );
}

async function errorOf(promise: Promise<unknown>): Promise<Error & { $metadata: { httpStatusCode?: number }; Code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { $metadata: { httpStatusCode?: number }; Code?: string };
  }
  throw new Error("expected the call to fail");
}

async function functionNames(credentials: AwsCredentials, on: RunningSimulator = sim): Promise<string[]> {
  const out = await client(LambdaClient, credentials, on).send(new ListFunctionsCommand({}));
  return out.Functions!.map((f) => f.FunctionName!).sort();
}

/** Invocations per hour of one day for a function, as CloudWatch serves them. */
async function hourlyInvocations(credentials: AwsCredentials, functionName: string, on: RunningSimulator = sim): Promise<number[]> {
  const out = await client(CloudWatchClient, credentials, on).send(
    new GetMetricDataCommand({
      MetricDataQueries: [
        {
          Id: "m0",
          MetricStat: {
            Metric: { Namespace: "AWS/Lambda", MetricName: "Invocations", Dimensions: [{ Name: "FunctionName", Value: functionName }] },
            Period: 3600,
            Stat: "Sum",
          },
        },
      ],
      StartTime: new Date(DAY_START),
      EndTime: new Date(DAY_END),
      ScanBy: "TimestampAscending",
    }),
  );
  return out.MetricDataResults![0]!.Values ?? [];
}

/** One day's unblended cost per linked account. */
async function costByAccount(credentials: AwsCredentials, on: RunningSimulator = sim): Promise<GetCostAndUsageCommandOutput> {
  return client(CostExplorerClient, credentials, on).send(
    new GetCostAndUsageCommand({
      TimePeriod: { Start: "2026-11-20", End: "2026-11-27" },
      Granularity: "DAILY",
      Metrics: ["UnblendedCost", "UsageQuantity"],
      GroupBy: [{ Type: "DIMENSION", Key: "LINKED_ACCOUNT" }],
    }),
  );
}

function accountsIn(costs: GetCostAndUsageCommandOutput): string[] {
  return [...new Set(costs.ResultsByTime!.flatMap((r) => (r.Groups ?? []).map((g) => g.Keys![0]!)))];
}

beforeAll(async () => {
  sim = await startSimulator({ scenario, port: 0, now: () => NOW, anchorDay: ANCHOR_DAY });
  memberCredentials = toAwsCredentials((await assumeMemberRole()).Credentials);
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await sim?.close();
});

beforeEach(() => {
  sim.faults.set([]);
});

describe("the hosted accounts", () => {
  it("are the scenario's own account and its staging member, reached through a role", () => {
    const expected = [
      { accountId: "123456789012", roleArn: null },
      { accountId: "210987654321", roleArn: "arn:aws:iam::210987654321:role/SightlineReadOnly" },
    ];
    expect(hostedAccounts(scenario)).toEqual(expected);
    expect(sim.accounts.map(({ accountId, roleArn }) => ({ accountId, roleArn }))).toEqual(expected);
    expect(sim.accounts[1]).toMatchObject({ scenario: "ecommerce-staging", region: "us-east-1", functions: MEMBER_FUNCTIONS.length, anchorDay: ANCHOR_DAY });
    expect(formatAccountsSetting(hostedAccounts(scenario))).toBe("123456789012,210987654321=arn:aws:iam::210987654321:role/SightlineReadOnly");
  });

  it("are one for a generated fleet", () => {
    expect(hostedAccounts(loadScenario("fleet:5"))).toEqual([{ accountId: loadScenario("fleet:5").account.id, roleArn: null }]);
  });

  it("have disjoint functions, and the staging ones are tagged env=staging", () => {
    expect(MEMBER_FUNCTIONS.length).toBeGreaterThanOrEqual(3);
    expect(MEMBER_FUNCTIONS.filter((name) => PRIMARY_FUNCTIONS.includes(name))).toEqual([]);
    for (const fn of staging.functions) {
      expect(fn.tags).toMatchObject({ env: "staging", team: expect.any(String), service: expect.any(String) });
    }
  });
});

describe("STS", () => {
  it("GetCallerIdentity names the primary account for static keys, whatever they are", async () => {
    for (const accessKeyId of ["sightline-local", "test", "AKIDEXAMPLE"]) {
      const identity = await client(STSClient, { accessKeyId, secretAccessKey: "x" }).send(new GetCallerIdentityCommand({}));
      expect(identity).toMatchObject({ Account: PRIMARY, Arn: `arn:aws:iam::${PRIMARY}:user/sightline-local`, UserId: expect.stringMatching(/^AIDA[A-Z2-7]{17}$/) });
    }
  });

  it("AssumeRole issues credentials for the member account that expire DurationSeconds after the simulator's now", async () => {
    const out = await assumeMemberRole();
    expect(out.Credentials!.AccessKeyId).toMatch(new RegExp(`^ASIA${MEMBER}[A-Z2-7]{4}$`));
    expect(out.Credentials!.AccessKeyId).toHaveLength(20);
    expect(out.Credentials!.SecretAccessKey).toHaveLength(40);
    expect(out.Credentials!.SessionToken!.length).toBeGreaterThan(20);
    expect(out.Credentials!.Expiration).toEqual(new Date(Math.floor(NOW / 1000) * 1000 + 3_600_000));
    expect(out.AssumedRoleUser).toEqual({
      Arn: `arn:aws:sts::${MEMBER}:assumed-role/SightlineReadOnly/sightline-collector`,
      AssumedRoleId: expect.stringMatching(/^AROA[A-Z2-7]{17}:sightline-collector$/),
    });
    // Deterministic: the same request at the same time gives the same keys.
    expect(toAwsCredentials(out.Credentials)).toEqual(memberCredentials);
  });

  it("GetCallerIdentity with the assumed role's credentials names the member account and the session", async () => {
    const identity = await client(STSClient, memberCredentials).send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({
      Account: MEMBER,
      Arn: `arn:aws:sts::${MEMBER}:assumed-role/SightlineReadOnly/sightline-collector`,
      UserId: expect.stringMatching(/:sightline-collector$/),
    });
  });

  it("refuses a wrong role name, an account it does not host and the primary account with AccessDenied", async () => {
    const sts = client(STSClient, staticCredentials);
    const cases = [
      [`arn:aws:iam::${MEMBER}:role/OrganizationAccountAccessRole`, /declares the role SightlineReadOnly, not OrganizationAccountAccessRole/],
      ["arn:aws:iam::999999999999:role/SightlineReadOnly", /hosts no account 999999999999; it hosts 210987654321 \(role SightlineReadOnly\)/],
      [`arn:aws:iam::${PRIMARY}:role/SightlineReadOnly`, /account 123456789012 is the caller's own/],
    ] as const;
    for (const [roleArn, why] of cases) {
      const error = await errorOf(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "sightline-collector" })));
      expect(error, roleArn).toBeInstanceOf(STSServiceException);
      expect(error.name).toBe("AccessDenied");
      expect(error.$metadata.httpStatusCode).toBe(403);
      expect(error.message).toContain(`is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
      expect(error.message).toMatch(why);
    }
  });

  it("refuses role chaining from the member session, and sessions longer than the role allows", async () => {
    const chained = await errorOf(
      client(STSClient, memberCredentials).send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: "again" })),
    );
    expect(chained).toMatchObject({ name: "AccessDenied" });
    const tooLong = await errorOf(
      client(STSClient, staticCredentials).send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: "long", DurationSeconds: 7200 })),
    );
    expect(tooLong).toMatchObject({ name: "ValidationError", message: expect.stringContaining("MaxSessionDuration") });
    const badName = await errorOf(
      client(STSClient, staticCredentials).send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: "has spaces" })),
    );
    expect(badName).toMatchObject({ name: "ValidationError", message: expect.stringContaining("roleSessionName") });
  });
});

describe("requests act in the account their credentials name", () => {
  it("ListFunctions lists only the member's functions with the member's credentials, and none of them with static keys", async () => {
    const member = await client(LambdaClient, memberCredentials).send(new ListFunctionsCommand({}));
    expect(member.Functions!.map((f) => f.FunctionName).sort()).toEqual(MEMBER_FUNCTIONS);
    for (const fn of member.Functions!) expect(fn.FunctionArn).toBe(`arn:aws:lambda:us-east-1:${MEMBER}:function:${fn.FunctionName}`);
    const primary = await functionNames(staticCredentials);
    expect(primary).toEqual(PRIMARY_FUNCTIONS);
    expect(primary.filter((name) => MEMBER_FUNCTIONS.includes(name))).toEqual([]);
  });

  it("CloudWatch serves the member's metrics to the member and nothing of them to the primary", async () => {
    const member = await hourlyInvocations(memberCredentials, "orders-api-staging");
    expect(member).toHaveLength(24);
    expect(member.reduce((a, b) => a + b, 0)).toBeGreaterThan(1000);
    expect(await hourlyInvocations(staticCredentials, "orders-api-staging")).toEqual([]);
    expect(await hourlyInvocations(memberCredentials, "orders-api")).toEqual([]);
    // Metric ids are validated per request, in whichever account: the error type survives.
    const invalid = await errorOf(
      client(CloudWatchClient, memberCredentials).send(
        new GetMetricDataCommand({ MetricDataQueries: [{ Id: "Bad-Id", Expression: "1" }], StartTime: new Date(DAY_START), EndTime: new Date(DAY_END) }),
      ),
    );
    expect(invalid).toBeInstanceOf(InvalidParameterValueException);
  });

  it("Logs has the member's log groups, and its REPORT lines count the invocations CloudWatch reports", async () => {
    const logs = client(CloudWatchLogsClient, memberCredentials);
    const groups = await logs.send(new DescribeLogGroupsCommand({}));
    expect(groups.logGroups!.map((g) => g.logGroupName).sort()).toEqual(MEMBER_FUNCTIONS.map((name) => `/aws/lambda/${name}`));
    const hour = 14;
    const { queryId } = await logs.send(
      new StartQueryCommand({
        logGroupNames: ["/aws/lambda/orders-api-staging"],
        startTime: (DAY_START + hour * 3_600_000) / 1000,
        endTime: (DAY_START + (hour + 1) * 3_600_000) / 1000 - 1,
        queryString: 'filter @type = "REPORT" | stats count(*) as reports',
      }),
    );
    let status = "Scheduled";
    let reports = Number.NaN;
    while (status === "Scheduled" || status === "Running") {
      const out = await logs.send(new GetQueryResultsCommand({ queryId }));
      status = out.status!;
      reports = Number(out.results?.[0]?.find((field) => field.field === "reports")?.value);
      if (status === "Scheduled" || status === "Running") await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(status).toBe("Complete");
    expect(reports).toBe((await hourlyInvocations(memberCredentials, "orders-api-staging"))[hour]);
    // The primary account has no such log group.
    const missing = await errorOf(
      client(CloudWatchLogsClient, staticCredentials).send(
        new StartQueryCommand({ logGroupNames: ["/aws/lambda/orders-api-staging"], startTime: DAY_START / 1000, endTime: DAY_END / 1000, queryString: "fields @message" }),
      ),
    );
    expect(missing.name).toBe("ResourceNotFoundException");
  });

  it("X-Ray draws the member's service graph, in the member account", async () => {
    const graph = await client(XRayClient, memberCredentials).send(
      new GetServiceGraphCommand({ StartTime: new Date(DAY_START + 14 * 3_600_000), EndTime: new Date(DAY_START + 15 * 3_600_000) }),
    );
    const names = graph.Services!.map((s) => s.Name!);
    expect(names).toContain("orders-api-staging");
    expect(names.filter((name) => PRIMARY_FUNCTIONS.includes(name))).toEqual([]);
    const accounts = new Set(graph.Services!.flatMap((s) => (s.AccountId === undefined ? [] : [s.AccountId])));
    expect([...accounts]).toEqual([MEMBER]);
  });

  it("Cost Explorer shows each caller its own account's costs only", async () => {
    const member = await costByAccount(memberCredentials);
    const primary = await costByAccount(staticCredentials);
    expect(accountsIn(member)).toEqual([MEMBER]);
    expect(accountsIn(primary)).toEqual([PRIMARY]);
    const total = (costs: GetCostAndUsageCommandOutput) =>
      costs.ResultsByTime!.reduce((sum, r) => sum + Number(r.Groups?.[0]?.Metrics?.UnblendedCost?.Amount ?? 0), 0);
    expect(total(member)).toBeGreaterThan(0);
    // Staging is a fraction of production.
    expect(total(member)).toBeLessThan(total(primary) / 20);
  });
});

describe("a member account is a complete account of its own", () => {
  it("serves exactly what the same scenario serves as a standalone simulator, and the primary what it serves without the member", async () => {
    const alone = await startSimulator({ scenario: staging, port: 0, now: () => NOW, anchorDay: ANCHOR_DAY });
    const { members: _members, ...account } = scenario.account;
    const withoutMember = await startSimulator({
      scenario: { ...scenario, account: { ...account, members: [] }, memberAccounts: [] },
      port: 0,
      now: () => NOW,
      anchorDay: ANCHOR_DAY,
    });
    try {
      expect(withoutMember.accounts).toHaveLength(1);
      expect(await hourlyInvocations(memberCredentials, "payments-api-staging")).toEqual(await hourlyInvocations(staticCredentials, "payments-api-staging", alone));
      expect(strip(await costByAccount(memberCredentials))).toEqual(strip(await costByAccount(staticCredentials, alone)));
      expect(await hourlyInvocations(staticCredentials, "orders-api")).toEqual(await hourlyInvocations(staticCredentials, "orders-api", withoutMember));
      expect(strip(await costByAccount(staticCredentials))).toEqual(strip(await costByAccount(staticCredentials, withoutMember)));
    } finally {
      await alone.close();
      await withoutMember.close();
    }
  });

  it("takes writes in the member account only, and keeps them in its own state file across a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sim-accounts-"));
    try {
      const stateFile = join(dir, `ecommerce-${scenario.seed}.json`);
      const first = await startSimulator({ scenario, port: 0, now: () => NOW, stateFile });
      const credentials = toAwsCredentials((await assumeMemberRole(first)).Credentials);
      await client(LambdaClient, credentials, first).send(
        new PutFunctionConcurrencyCommand({ FunctionName: "payments-api-staging", ReservedConcurrentExecutions: 7 }),
      );
      const inPrimary = await errorOf(
        client(LambdaClient, staticCredentials, first).send(new PutFunctionConcurrencyCommand({ FunctionName: "payments-api-staging", ReservedConcurrentExecutions: 7 })),
      );
      expect(inPrimary).toBeInstanceOf(ResourceNotFoundException);
      expect(first.accounts.map((a) => a.stateFile)).toEqual([stateFile, join(dir, `ecommerce-staging-${staging.seed}.json`)]);
      await first.close();
      expect(readdirSync(dir).sort()).toEqual([`ecommerce-${scenario.seed}.json`, `ecommerce-staging-${staging.seed}.json`]);

      // Credentials issued before the restart still name the member account afterwards.
      const second = await startSimulator({ scenario, port: 0, now: () => NOW + 60_000, stateFile });
      try {
        const concurrency = await client(LambdaClient, credentials, second).send(new GetFunctionConcurrencyCommand({ FunctionName: "payments-api-staging" }));
        expect(concurrency.ReservedConcurrentExecutions).toBe(7);
        const state = (await (await fetch(`${second.url}/__sim/state`)).json()) as { writes: number; accounts: { accountId: string; writes: number }[] };
        expect(state.writes).toBe(0);
        expect(state.accounts.map((a) => [a.accountId, a.writes])).toEqual([[PRIMARY, 0], [MEMBER, 1]]);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("credentials the simulator did not issue", () => {
  const unknownAccount = { accessKeyId: "ASIA999999999999ABCD", secretAccessKey: "x", sessionToken: "token" };

  it("a session key of an account it does not host is refused by every service with its own auth error", async () => {
    const lambda = await errorOf(client(LambdaClient, unknownAccount).send(new ListFunctionsCommand({})));
    expect(lambda).toMatchObject({ name: "UnrecognizedClientException", $metadata: { httpStatusCode: 403 } });
    expect(lambda.message).toMatch(/names account 999999999999, which this simulator does not host/);
    const sts = await errorOf(client(STSClient, unknownAccount).send(new GetCallerIdentityCommand({})));
    expect(sts).toBeInstanceOf(STSServiceException);
    expect(sts).toMatchObject({ name: "InvalidClientTokenId", $metadata: { httpStatusCode: 403 } });
    const cloudwatch = await errorOf(
      client(CloudWatchClient, unknownAccount).send(new GetMetricDataCommand({ MetricDataQueries: [], StartTime: new Date(DAY_START), EndTime: new Date(DAY_END) })),
    );
    expect(cloudwatch).toMatchObject({ name: "InvalidClientTokenId", Code: "InvalidClientTokenId", $metadata: { httpStatusCode: 403 } });
    const logs = await errorOf(client(CloudWatchLogsClient, unknownAccount).send(new DescribeLogGroupsCommand({})));
    expect(logs).toBeInstanceOf(UnrecognizedClientException);
    const xray = await errorOf(
      client(XRayClient, unknownAccount).send(new GetServiceGraphCommand({ StartTime: new Date(DAY_START), EndTime: new Date(DAY_START + 3_600_000) })),
    );
    expect(xray.name).toBe("UnrecognizedClientException");
    const ce = await errorOf(costByAccount(unknownAccount));
    expect(ce.name).toBe("UnrecognizedClientException");
  });

  it("a member session key without its session token, or with another session's, is refused", async () => {
    const { sessionToken: _token, ...withoutToken } = memberCredentials;
    const missing = await errorOf(client(LambdaClient, withoutToken).send(new ListFunctionsCommand({})));
    expect(missing).toMatchObject({ name: "UnrecognizedClientException", message: expect.stringContaining("without its session token") });
    const forged = { ...memberCredentials, accessKeyId: `ASIA${MEMBER}ZZZZ` };
    const mismatch = await errorOf(client(LambdaClient, forged).send(new ListFunctionsCommand({})));
    expect(mismatch).toMatchObject({ name: "UnrecognizedClientException", message: expect.stringContaining("does not belong to access key") });
  });
});

describe("admin and faults across accounts", () => {
  it("counts requests per account on request, keeping the plain shape by default", async () => {
    sim.resetRequestCounts();
    await functionNames(memberCredentials);
    await functionNames(memberCredentials);
    await functionNames(staticCredentials);
    await client(STSClient, staticCredentials).send(new GetCallerIdentityCommand({}));
    const expected = { total: 4, services: { lambda: { ListFunctions: 3 }, sts: { GetCallerIdentity: 1 } } };
    expect(sim.requestCounts()).toEqual(expected);
    const byAccount = {
      [PRIMARY]: { total: 2, services: { lambda: { ListFunctions: 1 }, sts: { GetCallerIdentity: 1 } } },
      [MEMBER]: { total: 2, services: { lambda: { ListFunctions: 2 } } },
    };
    expect(sim.requestCountsByAccount()).toEqual(byAccount);
    expect(await (await fetch(`${sim.url}/__sim/requests`)).json()).toEqual(expected);
    expect(await (await fetch(`${sim.url}/__sim/requests?by=account`)).json()).toEqual({ ...expected, accounts: byAccount });
    sim.resetRequestCounts();
    expect(sim.requestCountsByAccount()).toEqual({});
  });

  it("applies faults to every account, STS included", async () => {
    sim.faults.set([{ kind: "throttle", service: "lambda", operation: "ListFunctions" }, { kind: "throttle", service: "sts" }]);
    expect(await errorOf(functionNames(memberCredentials))).toBeInstanceOf(TooManyRequestsException);
    expect(await errorOf(functionNames(staticCredentials))).toBeInstanceOf(TooManyRequestsException);
    const sts = await errorOf(client(STSClient, staticCredentials).send(new GetCallerIdentityCommand({})));
    expect(sts).toMatchObject({ name: "Throttling", $metadata: { httpStatusCode: 400 } });
  });

  it("GET /__sim/state lists every hosted account", async () => {
    const state = (await (await fetch(`${sim.url}/__sim/state`)).json()) as Record<string, unknown>;
    expect(state).toMatchObject({
      scenario: "ecommerce",
      accountId: PRIMARY,
      accounts: [
        { accountId: PRIMARY, roleArn: null, scenario: "ecommerce", functions: PRIMARY_FUNCTIONS.length, writes: 0 },
        { accountId: MEMBER, roleArn: ROLE_ARN, scenario: "ecommerce-staging", functions: MEMBER_FUNCTIONS.length, regions: ["us-east-1"], writes: 0 },
      ],
    });
  });
});

/** An SDK output without `$metadata` (request ids differ between simulators). */
function strip<T extends { $metadata?: unknown }>(output: T): Omit<T, "$metadata"> {
  const { $metadata: _metadata, ...rest } = output;
  return rest;
}
