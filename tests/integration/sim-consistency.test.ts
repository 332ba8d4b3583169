import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, GetQueryResultsCommand, StartQueryCommand, type ResultField } from "@aws-sdk/client-cloudwatch-logs";
import { CostExplorerClient, GetCostAndUsageWithResourcesCommand, type ResultByTime } from "@aws-sdk/client-cost-explorer";
import { GetServiceGraphCommand, XRayClient, type Service } from "@aws-sdk/client-xray";
import { loadScenario } from "@/infra/local/sim/load-scenario";
import { MinuteSeriesCache, createSimModel } from "@/infra/local/sim/model/minute-stats";
import type { Scenario } from "@/infra/local/sim/scenario-schema";
import { startSimulator, type RunningSimulator } from "@/infra/local/sim/server";

/**
 * One model behind every API: for one whole day, per function, the invocations CloudWatch
 * reports equal the REPORT lines Logs Insights counts, the requests on the X-Ray edge into
 * the function (traced functions, 100 % sampling), and the request units Cost Explorer
 * bills; the cold starts Logs counts equal the model's.
 */
const base = loadScenario("ecommerce");
// Sample every request so X-Ray sees every invocation of a traced function.
const scenario: Scenario = { ...base, xray: { sampling: { reservoirPerSecond: 0, fixedRate: 1 } } };
const NOW = Date.UTC(2026, 10, 27, 12, 0, 30);
const DAY_START = Date.UTC(2026, 10, 26);
const DAY_END = DAY_START + 86_400_000;
const ANCHOR_DAY = Math.floor(NOW / 86_400_000);
const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "fake" };
/** A spread of triggers, runtimes, traced and untraced, busy and sparse functions. */
const FUNCTIONS = ["orders-api", "payments-api", "shipping-rates-api", "notifications-worker", "order-saga-process-payment", "legacy-report-generator"];

let sim: RunningSimulator;
let cloudwatch: CloudWatchClient;
let logs: CloudWatchLogsClient;
let xray: XRayClient;
let ce: CostExplorerClient;

beforeAll(async () => {
  sim = await startSimulator({ scenario, port: 0, now: () => NOW, anchorDay: ANCHOR_DAY });
  const config = { endpoint: sim.url, region: scenario.account.region, credentials, maxAttempts: 1 };
  cloudwatch = new CloudWatchClient(config);
  logs = new CloudWatchLogsClient(config);
  xray = new XRayClient(config);
  ce = new CostExplorerClient(config);
});

afterAll(async () => {
  for (const client of [cloudwatch, logs, xray, ce]) client?.destroy();
  await sim?.close();
});

/** The model's own totals for the day, straight from the minute series. */
function modelTotals(name: string): { invocations: number; coldStarts: number } {
  const model = createSimModel(scenario, { anchorDay: ANCHOR_DAY });
  const series = new MinuteSeriesCache(model, DAY_START / 60_000, 1440).series(name)!;
  const sum = (values: Float64Array) => values.reduce((a, b) => a + b, 0);
  return { invocations: sum(series.invocations), coldStarts: sum(series.coldStarts) };
}

async function cloudWatchInvocations(name: string): Promise<number> {
  const output = await cloudwatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(DAY_START),
      EndTime: new Date(DAY_END),
      MetricDataQueries: [
        {
          Id: "inv",
          MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: "Invocations", Dimensions: [{ Name: "FunctionName", Value: name }] }, Period: 86_400, Stat: "Sum" },
        },
      ],
    }),
  );
  return output.MetricDataResults![0]!.Values![0] ?? 0;
}

async function runInsights(logGroupName: string, queryString: string): Promise<ResultField[][]> {
  const { queryId } = await logs.send(
    // endTime is inclusive; no log line falls exactly on a minute boundary, so midnight ends the day.
    new StartQueryCommand({ logGroupName, startTime: DAY_START / 1000, endTime: DAY_END / 1000, queryString }),
  );
  for (let attempt = 0; attempt < 600; attempt++) {
    const output = await logs.send(new GetQueryResultsCommand({ queryId }));
    if (output.status === "Complete") return output.results ?? [];
    if (output.status !== "Running" && output.status !== "Scheduled") throw new Error(`query ended ${output.status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("query did not complete");
}

function field(row: ResultField[] | undefined, name: string): number {
  return Number(row?.find((f) => f.field === name)?.value ?? Number.NaN);
}

/** Requests on the X-Ray edges into the function's node over the day, in 6-hour slices. */
async function xrayEdgeRequests(name: string): Promise<number> {
  let total = 0;
  for (let start = DAY_START; start < DAY_END; start += 6 * 3_600_000) {
    const services: Service[] = [];
    let nextToken: string | undefined;
    do {
      const page = await xray.send(new GetServiceGraphCommand({ StartTime: new Date(start), EndTime: new Date(start + 6 * 3_600_000), NextToken: nextToken }));
      services.push(...(page.Services ?? []));
      nextToken = page.NextToken;
    } while (nextToken !== undefined);
    const node = services.find((s) => s.Name === name && s.Type === "AWS::Lambda::Function");
    if (node === undefined) continue;
    for (const service of services) {
      for (const edge of service.Edges ?? []) if (edge.ReferenceId === node.ReferenceId) total += edge.SummaryStatistics?.TotalCount ?? 0;
    }
  }
  return total;
}

async function billedRequests(): Promise<Map<string, number>> {
  const results: ResultByTime[] = [];
  let token: string | undefined;
  do {
    const page = await ce.send(
      new GetCostAndUsageWithResourcesCommand({
        TimePeriod: { Start: "2026-11-26", End: "2026-11-27" },
        Granularity: "DAILY",
        Metrics: ["UsageQuantity"],
        Filter: {
          And: [
            { Dimensions: { Key: "SERVICE", Values: ["AWS Lambda"] } },
            // us-east-1 Lambda usage types carry no region prefix (other regions do: USE2-Request, ...).
            { Dimensions: { Key: "USAGE_TYPE", Values: ["Request", "Request-ARM"] } },
          ],
        },
        GroupBy: [{ Type: "DIMENSION", Key: "RESOURCE_ID" }],
        NextPageToken: token,
      }),
    );
    results.push(...(page.ResultsByTime ?? []));
    token = page.NextPageToken;
  } while (token !== undefined);
  const byArn = new Map<string, number>();
  for (const period of results) {
    for (const group of period.Groups ?? []) {
      const arn = group.Keys![0]!;
      byArn.set(arn, (byArn.get(arn) ?? 0) + Number(group.Metrics!.UsageQuantity!.Amount));
    }
  }
  return byArn;
}

describe("one model behind every API, per function per day", () => {
  it.each(FUNCTIONS)("%s: CloudWatch invocations = REPORT lines = billed requests (= X-Ray edge requests when traced)", async (name) => {
    const expected = modelTotals(name);
    expect(expected.invocations).toBeGreaterThan(0);
    expect(await cloudWatchInvocations(name)).toBe(expected.invocations);

    const [row] = await runInsights(
      `/aws/lambda/${name}`,
      'filter @type = "REPORT" | stats count(*) as invocations, sum(strcontains(@message, "Init Duration")) as coldStarts',
    );
    expect(field(row, "invocations")).toBe(expected.invocations);
    expect(field(row, "coldStarts")).toBe(expected.coldStarts);

    const arn = `arn:aws:lambda:us-east-1:${scenario.account.id}:function:${name}`;
    expect((await billedRequests()).get(arn)).toBe(expected.invocations);

    const fn = scenario.functions.find((f) => f.name === name)!;
    if (fn.tracing === "Active") expect(await xrayEdgeRequests(name)).toBe(expected.invocations);
  });
});
