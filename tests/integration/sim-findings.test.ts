import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, GetQueryResultsCommand, StartQueryCommand, type ResultField } from "@aws-sdk/client-cloudwatch-logs";
import { CostExplorerClient, GetCostAndUsageCommand } from "@aws-sdk/client-cost-explorer";
import { LambdaClient, ListTagsCommand } from "@aws-sdk/client-lambda";
import { loadScenario } from "@/infra/local/sim/load-scenario";
import { startSimulator, type RunningSimulator } from "@/infra/local/sim/server";

/**
 * The ecommerce scenario hides findings the product will have to discover. Each is shown
 * here the way the product will see it: through the real AWS SDK clients, from the APIs'
 * answers only (thresholds from FACTS.md where there is one), never from the scenario file.
 */
const scenario = loadScenario("ecommerce");
const NOW = Date.UTC(2026, 10, 27, 12, 0, 30); // a Friday
const ANCHOR_DAY = Math.floor(NOW / 86_400_000);
const DAY_MS = 86_400_000;
const YESTERDAY = { start: Date.UTC(2026, 10, 26), end: Date.UTC(2026, 10, 27) };
const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "fake" };

let sim: RunningSimulator;
let cloudwatch: CloudWatchClient;
let logs: CloudWatchLogsClient;
let ce: CostExplorerClient;
let lambda: LambdaClient;

beforeAll(async () => {
  sim = await startSimulator({ scenario, port: 0, now: () => NOW, anchorDay: ANCHOR_DAY });
  const config = { endpoint: sim.url, region: "us-east-1", credentials, maxAttempts: 1 };
  cloudwatch = new CloudWatchClient(config);
  logs = new CloudWatchLogsClient(config);
  ce = new CostExplorerClient(config);
  lambda = new LambdaClient(config);
});

afterAll(async () => {
  for (const client of [cloudwatch, logs, ce, lambda]) client?.destroy();
  await sim?.close();
});

function metric(id: string, fn: string, name: string, stat: string, period: number): MetricDataQuery {
  return { Id: id, MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: name, Dimensions: [{ Name: "FunctionName", Value: fn }] }, Period: period, Stat: stat } };
}

async function series(queries: MetricDataQuery[], startMs: number, endMs: number): Promise<number[][]> {
  const output = await cloudwatch.send(
    new GetMetricDataCommand({ StartTime: new Date(startMs), EndTime: new Date(endMs), MetricDataQueries: queries, ScanBy: "TimestampAscending" }),
  );
  return output.MetricDataResults!.map((r) => r.Values ?? []);
}

/** One Insights query over yesterday, polled to completion; rows as field → number. */
async function insights(fn: string, queryString: string): Promise<Record<string, number>[]> {
  const { queryId } = await logs.send(
    new StartQueryCommand({ logGroupName: `/aws/lambda/${fn}`, startTime: YESTERDAY.start / 1000, endTime: YESTERDAY.end / 1000, queryString }),
  );
  for (let attempt = 0; attempt < 600; attempt++) {
    const output = await logs.send(new GetQueryResultsCommand({ queryId }));
    if (output.status === "Complete") {
      return (output.results ?? []).map((row: ResultField[]) => Object.fromEntries(row.map((f) => [f.field!, Number(f.value)])));
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("query did not complete");
}

describe("findings built into the ecommerce scenario, as the APIs show them", () => {
  it("over-provisioned memory: the inventory queue worker uses under a fifth of its memory", async () => {
    const [row] = await insights("inventory-queue-worker", 'filter @type = "REPORT" | stats max(@maxMemoryUsed) / max(@memorySize) as usedShare');
    expect(row!.usedShare).toBeGreaterThan(0);
    expect(row!.usedShare).toBeLessThan(0.2);
  });

  it("starved of memory: notifications-worker runs near its memory, is killed for it, and throttles at peak", async () => {
    const [memory] = await insights("notifications-worker", 'filter @type = "REPORT" | stats max(@maxMemoryUsed) / max(@memorySize) as usedShare');
    expect(memory!.usedShare).toBeGreaterThan(0.95);
    const [oom] = await insights("notifications-worker", 'filter @message like /Runtime.OutOfMemory/ | stats count(*) as kills');
    expect(oom!.kills).toBeGreaterThan(10);
    const [throttles] = await series([metric("t", "notifications-worker", "Throttles", "Sum", 86_400)], YESTERDAY.start, YESTERDAY.end);
    expect(throttles![0]).toBeGreaterThan(0);
  });

  it("cold-start heavy on a slow runtime: shipping-rates-api starts cold on a fifth of its calls, for seconds", async () => {
    // AWS's own cold-start query (FACTS §3), over the whole day.
    const [row] = await insights(
      "shipping-rates-api",
      'filter @type = "REPORT" | stats sum(strcontains(@message, "Init Duration")) / count(*) * 100 as coldStartPct, avg(@initDuration) as initMs',
    );
    expect(row!.coldStartPct).toBeGreaterThan(20);
    expect(row!.initMs).toBeGreaterThan(2000);
  });

  it("idle provisioned concurrency on payments-api, and spillover at peak on orders-api", async () => {
    const [payments, ordersSpill] = await series(
      [metric("u", "payments-api", "ProvisionedConcurrencyUtilization", "Maximum", 86_400), metric("s", "orders-api", "ProvisionedConcurrencySpilloverInvocations", "Sum", 86_400)],
      YESTERDAY.start,
      YESTERDAY.end,
    );
    // FACTS §4: provisioned concurrency pays off above ~60 % utilisation; this never reaches half.
    expect(payments![0]).toBeLessThan(0.5);
    expect(ordersSpill![0]).toBeGreaterThan(0);
  });

  it("an error burst burns payments-api's 99.9 % availability SLO faster than the 1-hour page threshold", async () => {
    const start = NOW - 14 * DAY_MS;
    const [errors, invocations] = await series(
      [metric("e", "payments-api", "Errors", "Sum", 3600), metric("i", "payments-api", "Invocations", "Sum", 3600)],
      start,
      NOW - 3_600_000,
    );
    // FACTS §1: burn rate = error ratio / (1 − objective); the 1-hour page fires at 14.4.
    const burnRates = errors!.map((e, h) => e / invocations![h]! / (1 - 0.999));
    expect(Math.max(...burnRates)).toBeGreaterThan(14.4);
    // Outside the bursts the service is healthy: the median hour burns about the baseline.
    const sorted = [...burnRates].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]!).toBeLessThan(2);
  });

  it("a deploy two days ago regresses users-api's p99 far more than its median", async () => {
    const deploy = (ANCHOR_DAY - 2) * DAY_MS + (14 * 60 + 20) * 60_000;
    const before = await series([metric("p99", "users-api", "Duration", "p99", 3600), metric("p50", "users-api", "Duration", "p50", 3600)], deploy - 6 * 3_600_000, deploy);
    const after = await series([metric("p99", "users-api", "Duration", "p99", 3600), metric("p50", "users-api", "Duration", "p50", 3600)], deploy + 3_600_000, deploy + 7 * 3_600_000);
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean(after[0]!) / mean(before[0]!)).toBeGreaterThan(2);
    expect(mean(after[1]!) / mean(before[1]!)).toBeLessThan(1.4);
  });

  it("an untagged function: legacy-report-generator has no tags at all", async () => {
    const tags = await lambda.send(new ListTagsCommand({ Resource: `arn:aws:lambda:us-east-1:${scenario.account.id}:function:legacy-report-generator` }));
    expect(tags.Tags).toEqual({});
  });

  it("a team whose cost jumps on one day: catalog's bill multiplies on the re-index day", async () => {
    const output = await ce.send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: new Date(NOW - 12 * DAY_MS).toISOString().slice(0, 10), End: new Date(NOW).toISOString().slice(0, 10) },
        Granularity: "DAILY",
        Metrics: ["UnblendedCost"],
        GroupBy: [{ Type: "TAG", Key: "team" }],
      }),
    );
    const catalogDaily = output.ResultsByTime!.map((day) => Number(day.Groups!.find((g) => g.Keys![0] === "team$catalog")?.Metrics!.UnblendedCost!.Amount ?? 0));
    const sorted = [...catalogDaily].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    expect(median).toBeGreaterThan(0);
    expect(Math.max(...catalogDaily) / median).toBeGreaterThan(5);
    // Exactly one such day.
    expect(catalogDaily.filter((cost) => cost > 5 * median)).toHaveLength(1);
  });
});
