import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, GetQueryResultsCommand, StartQueryCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CostExplorerClient, GetCostAndUsageWithResourcesCommand } from "@aws-sdk/client-cost-explorer";
import { LambdaClient, PutProvisionedConcurrencyConfigCommand } from "@aws-sdk/client-lambda";
import { loadScenario } from "@/infra/local/sim/load-scenario";
import { startSimulator, type RunningSimulator } from "@/infra/local/sim/server";

/**
 * A write changes the future in every API at once. Two simulators of the same account share a
 * clock; one gets `PutProvisionedConcurrencyConfig orders-api:live 4 → 20` at noon. Three hours
 * later the written one has no spillover and no cold starts on orders-api, the same traffic,
 * and Cost Explorer bills 20 provisioned executions an hour instead of 4; before the write
 * both accounts are identical.
 */
const scenario = loadScenario("ecommerce");
const WRITE_AT = Date.UTC(2026, 10, 27, 12, 0, 30);
const AFTER = { start: Date.UTC(2026, 10, 27, 12, 10), end: Date.UTC(2026, 10, 27, 15, 0) };
const BEFORE = { start: Date.UTC(2026, 10, 27, 9, 0), end: Date.UTC(2026, 10, 27, 11, 58) };
const ORDERS_API_ARN = `arn:aws:lambda:us-east-1:${scenario.account.id}:function:orders-api`;
const orders = scenario.functions.find((fn) => fn.name === "orders-api")!;
const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "fake" };

let clock = WRITE_AT;
interface Account {
  sim: RunningSimulator;
  cloudwatch: CloudWatchClient;
  logs: CloudWatchLogsClient;
  ce: CostExplorerClient;
  lambda: LambdaClient;
}
let fresh: Account;
let written: Account;

async function account(): Promise<Account> {
  const sim = await startSimulator({ scenario, port: 0, now: () => clock });
  const config = { endpoint: sim.url, region: "us-east-1", credentials, maxAttempts: 1 };
  return { sim, cloudwatch: new CloudWatchClient(config), logs: new CloudWatchLogsClient(config), ce: new CostExplorerClient(config), lambda: new LambdaClient(config) };
}

beforeAll(async () => {
  fresh = await account();
  written = await account();
  await written.lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: "orders-api", Qualifier: "live", ProvisionedConcurrentExecutions: 20 }));
  clock = AFTER.end + 90_000;
});

afterAll(async () => {
  for (const a of [fresh, written]) {
    if (a === undefined) continue;
    for (const client of [a.cloudwatch, a.logs, a.ce, a.lambda]) client.destroy();
    await a.sim.close();
  }
});

const resourceQuery = (id: string, metric: string): MetricDataQuery => ({
  Id: id,
  MetricStat: {
    Metric: { Namespace: "AWS/Lambda", MetricName: metric, Dimensions: [{ Name: "FunctionName", Value: "orders-api" }, { Name: "Resource", Value: "orders-api:live" }] },
    Period: 60,
    Stat: "Sum",
  },
});

async function sums(a: Account, window: { start: number; end: number }): Promise<{ invocations: number; spillover: number }> {
  const output = await a.cloudwatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(window.start),
      EndTime: new Date(window.end),
      MetricDataQueries: [resourceQuery("inv", "Invocations"), resourceQuery("spill", "ProvisionedConcurrencySpilloverInvocations")],
    }),
  );
  const total = (i: number) => output.MetricDataResults![i]!.Values!.reduce((x, y) => x + y, 0);
  return { invocations: total(0), spillover: total(1) };
}

async function coldStarts(a: Account, window: { start: number; end: number }): Promise<number> {
  const { queryId } = await a.logs.send(
    new StartQueryCommand({
      logGroupName: "/aws/lambda/orders-api",
      startTime: window.start / 1000,
      endTime: window.end / 1000,
      queryString: 'filter @type = "REPORT" | stats sum(strcontains(@message, "Init Duration")) as cold',
    }),
  );
  for (let attempt = 0; attempt < 600; attempt++) {
    const output = await a.logs.send(new GetQueryResultsCommand({ queryId }));
    if (output.status === "Complete") return Number(output.results?.[0]?.find((f) => f.field === "cold")?.value ?? 0);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("query did not complete");
}

/** Provisioned-concurrency GB-seconds billed for orders-api in one hour. */
async function provisionedGbSeconds(a: Account, hourStart: number): Promise<number> {
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  const output = await a.ce.send(
    new GetCostAndUsageWithResourcesCommand({
      TimePeriod: { Start: iso(hourStart), End: iso(hourStart + 3_600_000) },
      Granularity: "HOURLY",
      Metrics: ["UsageQuantity"],
      Filter: {
        And: [
          { Dimensions: { Key: "SERVICE", Values: ["AWS Lambda"] } },
          { Dimensions: { Key: "USAGE_TYPE", Values: ["Lambda-Provisioned-Concurrency"] } },
        ],
      },
      GroupBy: [{ Type: "DIMENSION", Key: "RESOURCE_ID" }],
    }),
  );
  const group = output.ResultsByTime![0]!.Groups!.find((g) => g.Keys![0] === ORDERS_API_ARN);
  return Number(group?.Metrics!.UsageQuantity!.Amount ?? 0);
}

describe("PutProvisionedConcurrencyConfig changes the future of every API, not the past", () => {
  it("before the write both accounts answer identically", async () => {
    expect(await sums(written, BEFORE)).toEqual(await sums(fresh, BEFORE));
    expect(await coldStarts(written, BEFORE)).toBe(await coldStarts(fresh, BEFORE));
  });

  it("after it, traffic is the same but nothing spills over to on-demand", async () => {
    const before = await sums(fresh, AFTER);
    const after = await sums(written, AFTER);
    expect(after.invocations).toBe(before.invocations);
    expect(before.spillover).toBeGreaterThan(0);
    expect(after.spillover).toBe(0);
  });

  it("after it, Logs shows no cold start on orders-api", async () => {
    expect(await coldStarts(written, AFTER)).toBe(0);
  });

  it("Cost Explorer bills 20 provisioned executions an hour instead of 4 (× 1 GB × 3,600 s)", async () => {
    const hour = Date.UTC(2026, 10, 27, 13);
    const gb = orders.memoryMb / 1024;
    expect(await provisionedGbSeconds(fresh, hour)).toBeCloseTo(4 * gb * 3600, 3);
    expect(await provisionedGbSeconds(written, hour)).toBeCloseTo(20 * gb * 3600, 3);
  });
});
