import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CostExplorerClient, GetCostAndUsageCommand } from "@aws-sdk/client-cost-explorer";
import { LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { parseScenario } from "@/infra/local/sim/load-scenario";
import { startSimulator, type RunningSimulator } from "@/infra/local/sim/server";

/** An account in two regions: each regional API sees only its own functions; Cost Explorer sees both. */
const scenario = parseScenario(`
version: 1
name: two-regions
account: { id: "111122223333", region: us-east-1, otherRegions: [eu-west-1] }
services:
  - name: shop
    team: commerce
    functions:
      - name: shop-us
        runtime: nodejs22.x
        memoryMb: 512
        timeoutSeconds: 10
        traffic: { meanRatePerSecond: 2 }
        duration: { cpuMs: 10, ioMs: 30 }
      - name: shop-eu
        region: eu-west-1
        runtime: nodejs22.x
        architecture: arm64
        memoryMb: 512
        timeoutSeconds: 10
        traffic: { meanRatePerSecond: 1 }
        duration: { cpuMs: 10, ioMs: 30 }
`);
const NOW = Date.UTC(2026, 10, 27, 12, 0, 30);
const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "fake" };
let sim: RunningSimulator;
const clients: { destroy(): void }[] = [];

function client<T extends { destroy(): void }>(Client: new (config: object) => T, region: string): T {
  const created = new Client({ endpoint: sim.url, region, credentials, maxAttempts: 1 });
  clients.push(created);
  return created;
}

beforeAll(async () => {
  sim = await startSimulator({ scenario, port: 0, now: () => NOW });
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await sim?.close();
});

describe("a scenario with functions in two regions", () => {
  it("Lambda and Logs list only the region's own functions", async () => {
    for (const [region, name] of [["us-east-1", "shop-us"], ["eu-west-1", "shop-eu"]] as const) {
      const functions = await client(LambdaClient, region).send(new ListFunctionsCommand({}));
      expect(functions.Functions!.map((f) => f.FunctionName)).toEqual([name]);
      expect(functions.Functions![0]!.FunctionArn).toBe(`arn:aws:lambda:${region}:111122223333:function:${name}`);
      const groups = await client(CloudWatchLogsClient, region).send(new DescribeLogGroupsCommand({}));
      expect(groups.logGroups!.map((g) => g.logGroupName)).toEqual([`/aws/lambda/${name}`]);
    }
  });

  it("CloudWatch answers for a function only in its own region", async () => {
    const input = {
      StartTime: new Date(Date.UTC(2026, 10, 27, 9)),
      EndTime: new Date(Date.UTC(2026, 10, 27, 11)),
      MetricDataQueries: [
        { Id: "eu", MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: "Invocations", Dimensions: [{ Name: "FunctionName", Value: "shop-eu" }] }, Period: 3600, Stat: "Sum" } },
      ],
    };
    const inEu = await client(CloudWatchClient, "eu-west-1").send(new GetMetricDataCommand(input));
    const inUs = await client(CloudWatchClient, "us-east-1").send(new GetMetricDataCommand(input));
    expect(inEu.MetricDataResults![0]!.Values!.length).toBe(2);
    expect(inEu.MetricDataResults![0]!.Values![0]).toBeGreaterThan(0);
    expect(inUs.MetricDataResults![0]!.Values).toEqual([]);
  });

  it("Cost Explorer bills both regions, with eu-west-1's usage types prefixed", async () => {
    const output = await client(CostExplorerClient, "us-east-1").send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: "2026-11-26", End: "2026-11-27" },
        Granularity: "DAILY",
        Metrics: ["UsageQuantity"],
        Filter: { Dimensions: { Key: "SERVICE", Values: ["AWS Lambda"] } },
        GroupBy: [{ Type: "DIMENSION", Key: "REGION" }, { Type: "DIMENSION", Key: "USAGE_TYPE" }],
      }),
    );
    const keys = output.ResultsByTime![0]!.Groups!.map((g) => g.Keys!.join(" "));
    expect(keys).toContain("us-east-1 Request");
    expect(keys).toContain("eu-west-1 EU-Request-ARM");
  });
});
