import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import {
  BatchGetTracesCommand,
  GetServiceGraphCommand,
  GetTraceSummariesCommand,
  paginateGetServiceGraph,
  paginateGetTraceSummaries,
  XRayClient,
  type GetTraceSummariesCommandInput,
  type Service,
  type TraceSummary,
} from "@aws-sdk/client-xray";
import { loadScenario } from "@/infra/local/sim/load-scenario";
import { startSimulator } from "@/infra/local/sim/server";

/** The simulated X-Ray driven by the real SDK client, on the e-commerce scenario. */
const scenario = loadScenario("ecommerce");
const NOW = Date.UTC(2026, 10, 27, 12, 0, 30); // a Friday, 30 s into the minute
const END = new Date(Date.UTC(2026, 10, 27, 11, 0));
const HOUR_AGO = new Date(END.getTime() - 3_600_000);
const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "fake" };
const TRACED = scenario.functions.filter((fn) => fn.tracing === "Active").map((fn) => fn.name);

type Simulator = Awaited<ReturnType<typeof startSimulator>>;
let sim: Simulator;
let fullSim: Simulator;
let xray: XRayClient;
let fullXray: XRayClient;
let fullCloudWatch: CloudWatchClient;

const xrayClient = (url: string, region = scenario.account.region) => new XRayClient({ endpoint: url, region, credentials, maxAttempts: 1 });

beforeAll(async () => {
  sim = await startSimulator({ scenario, port: 0, now: () => NOW });
  // The same account with every request traced: X-Ray must then count what CloudWatch counts.
  const everyRequest = { ...scenario, xray: { sampling: { reservoirPerSecond: 0, fixedRate: 1 } } };
  fullSim = await startSimulator({ scenario: everyRequest, port: 0, now: () => NOW });
  xray = xrayClient(sim.url);
  fullXray = xrayClient(fullSim.url);
  fullCloudWatch = new CloudWatchClient({ endpoint: fullSim.url, region: scenario.account.region, credentials, maxAttempts: 1 });
});

afterAll(async () => {
  xray?.destroy();
  fullXray?.destroy();
  fullCloudWatch?.destroy();
  await sim?.close();
  await fullSim?.close();
});

const keyOf = (service: Service) => `${service.Type}|${service.Name}`;

/** The graph as a lookup: node by "Type|Name", and the edge from one node to another. */
function indexGraph(services: Service[]) {
  const byKey = new Map(services.map((s) => [keyOf(s), s]));
  const byId = new Map(services.map((s) => [s.ReferenceId!, s]));
  const edge = (from: string, to: string) => byKey.get(from)?.Edges?.find((e) => byId.get(e.ReferenceId!) !== undefined && keyOf(byId.get(e.ReferenceId!)!) === to);
  const targets = (from: string) => (byKey.get(from)?.Edges ?? []).map((e) => keyOf(byId.get(e.ReferenceId!)!)).sort();
  return { byKey, edge, targets };
}

describe("GetServiceGraph", () => {
  it("shows the API Gateway → Lambda → DynamoDB shape for one hour, with consistent counts", async () => {
    const graph = await xray.send(new GetServiceGraphCommand({ StartTime: HOUR_AGO, EndTime: END }));
    expect(graph.StartTime).toEqual(HOUR_AGO);
    expect(graph.EndTime).toEqual(END);
    const { byKey, edge, targets } = indexGraph(graph.Services!);

    expect(targets("client|shop-api/prod")).toEqual(["AWS::ApiGateway::Stage|shop-api/prod"]);
    expect(byKey.get("AWS::ApiGateway::Stage|shop-api/prod")!.Root).toBe(true);
    expect(targets("AWS::ApiGateway::Stage|shop-api/prod")).toEqual(
      ["inventory-api", "orders-api", "payments-api", "shipping-rates-api", "users-api"].map((name) => `AWS::Lambda|${name}`),
    );
    expect(targets("AWS::Lambda|orders-api")).toEqual(["AWS::Lambda::Function|orders-api"]);
    expect(targets("AWS::Lambda::Function|orders-api")).toEqual(["AWS::DynamoDB::Table|orders-table"]);
    // Untraced functions (PassThrough) are not in X-Ray at all.
    expect(byKey.has("AWS::Lambda|orders-stream-processor")).toBe(false);

    // Everything the client sent reached the stage, and the stage handed it to one of its functions.
    const clientEdge = edge("client|shop-api/prod", "AWS::ApiGateway::Stage|shop-api/prod")!.SummaryStatistics!;
    const stage = byKey.get("AWS::ApiGateway::Stage|shop-api/prod")!.SummaryStatistics!;
    const stageEdges = byKey.get("AWS::ApiGateway::Stage|shop-api/prod")!.Edges!.map((e) => e.SummaryStatistics!);
    expect(clientEdge.TotalCount).toBe(stage.TotalCount);
    expect(stageEdges.reduce((sum, s) => sum + s.TotalCount!, 0)).toBe(stage.TotalCount);
    expect(stageEdges.reduce((sum, s) => sum + s.FaultStatistics!.TotalCount!, 0)).toBe(stage.FaultStatistics!.TotalCount);

    // orders-api: the stage's edge into it counts its Lambda node; each invocation writes the orders table 3 times (scenario: perInvocation 3).
    const lambda = byKey.get("AWS::Lambda|orders-api")!.SummaryStatistics!;
    const fn = byKey.get("AWS::Lambda::Function|orders-api")!.SummaryStatistics!;
    expect(edge("AWS::ApiGateway::Stage|shop-api/prod", "AWS::Lambda|orders-api")!.SummaryStatistics!.TotalCount).toBe(lambda.TotalCount);
    expect(lambda.TotalCount).toBe(fn.TotalCount! + lambda.ErrorStatistics!.ThrottleCount!);
    expect(edge("AWS::Lambda::Function|orders-api", "AWS::DynamoDB::Table|orders-table")!.SummaryStatistics!.TotalCount).toBe(3 * fn.TotalCount!);
    expect(fn.OkCount! + fn.FaultStatistics!.TotalCount!).toBe(fn.TotalCount);
    expect(fn.TotalCount).toBeGreaterThan(60 * 60); // the 1/s reservoir alone samples 3,600 an hour

    // Response times: seconds, histograms that add up, a function faster than the stage in front of it.
    const fnNode = byKey.get("AWS::Lambda::Function|orders-api")!;
    expect(fnNode.ResponseTimeHistogram!.reduce((sum, e) => sum + e.Count!, 0)).toBe(fn.TotalCount);
    expect(fn.TotalResponseTime! / fn.TotalCount!).toBeLessThan(stage.TotalResponseTime! / stage.TotalCount!);
    expect(fn.TotalResponseTime! / fn.TotalCount!).toBeGreaterThan(0.005);
    expect(fn.TotalResponseTime! / fn.TotalCount!).toBeLessThan(5);
  });

  it("with 100 % sampling, the edge into each traced function over a day equals CloudWatch's Invocations Sum", async () => {
    const dayStart = new Date(Date.UTC(2026, 10, 26));
    const dayEnd = new Date(Date.UTC(2026, 10, 27));
    const graph = await fullXray.send(new GetServiceGraphCommand({ StartTime: dayStart, EndTime: dayEnd }));
    const { edge, byKey } = indexGraph(graph.Services!);
    const metrics = await fullCloudWatch.send(new GetMetricDataCommand({
      StartTime: dayStart,
      EndTime: dayEnd,
      MetricDataQueries: TRACED.flatMap((name, i) => ["Invocations", "Errors", "Throttles"].map((metric) => ({
        Id: `${metric.toLowerCase()}${i}`,
        MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: metric, Dimensions: [{ Name: "FunctionName", Value: name }] }, Period: 86_400, Stat: "Sum" },
      }))),
    }));
    const sumOf = (id: string) => metrics.MetricDataResults!.find((r) => r.Id === id)?.Values?.[0] ?? 0;
    expect(TRACED.length).toBeGreaterThanOrEqual(5);
    TRACED.forEach((name, i) => {
      const intoFunction = edge(`AWS::Lambda|${name}`, `AWS::Lambda::Function|${name}`)!.SummaryStatistics!;
      expect({ name, invocations: intoFunction.TotalCount, errors: intoFunction.FaultStatistics!.TotalCount })
        .toEqual({ name, invocations: sumOf(`invocations${i}`), errors: sumOf(`errors${i}`) });
      expect({ name, throttles: byKey.get(`AWS::Lambda|${name}`)!.SummaryStatistics!.ErrorStatistics!.ThrottleCount })
        .toEqual({ name, throttles: sumOf(`throttles${i}`) });
    });
    expect(sumOf("invocations0")).toBeGreaterThan(100_000);
  });

  it("pages by service under the truncated-pages fault, and the pages add up to the whole graph", async () => {
    const whole = await xray.send(new GetServiceGraphCommand({ StartTime: HOUR_AGO, EndTime: END }));
    sim.faults.set([{ kind: "truncated-pages", service: "xray", pageSize: 4 }]);
    try {
      const pages: Service[][] = [];
      for await (const page of paginateGetServiceGraph({ client: xray }, { StartTime: HOUR_AGO, EndTime: END })) pages.push(page.Services ?? []);
      expect(pages.length).toBe(Math.ceil(whole.Services!.length / 4));
      expect(pages.flat()).toEqual(whole.Services);
    } finally {
      sim.faults.set([]);
    }
  });

  it("answers per region and refuses a window longer than 24 hours", async () => {
    const elsewhere = xrayClient(sim.url, "eu-west-1");
    try {
      const graph = await elsewhere.send(new GetServiceGraphCommand({ StartTime: HOUR_AGO, EndTime: END }));
      expect(graph.Services).toEqual([]);
    } finally {
      elsewhere.destroy();
    }
    const tooLong = xray.send(new GetServiceGraphCommand({ StartTime: new Date(END.getTime() - 25 * 3_600_000), EndTime: END }));
    await expect(tooLong).rejects.toMatchObject({ name: "InvalidRequestException", $metadata: { httpStatusCode: 400 } });
  });

  it("answers a 6-hour window with the scenario's services (its timing is in npm run bench)", async () => {
    const graph = await xray.send(new GetServiceGraphCommand({ StartTime: new Date(END.getTime() - 6 * 3_600_000), EndTime: END }));
    expect(graph.Services!.length).toBeGreaterThan(10);
  });
});

async function allSummaries(client: XRayClient, input: GetTraceSummariesCommandInput): Promise<TraceSummary[][]> {
  const pages: TraceSummary[][] = [];
  // The SDK paginator writes NextToken into the input it is given: hand it a copy.
  for await (const page of paginateGetTraceSummaries({ client }, { ...input })) pages.push(page.TraceSummaries ?? []);
  return pages;
}

describe("GetTraceSummaries", () => {
  const from = new Date(END.getTime() - 10 * 60_000);

  it("filters and pages (≤ 100 a page, newest first, no repeats) and finds what the graph counts", async () => {
    const pages = await allSummaries(xray, { StartTime: from, EndTime: END, FilterExpression: 'service("orders-api") AND http.method = "POST"' });
    const summaries = pages.flat();
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(100);
    expect(new Set(summaries.map((s) => s.Id)).size).toBe(summaries.length);
    for (const summary of summaries) {
      expect(summary.Http?.HttpMethod).toBe("POST");
      expect(summary.ServiceIds!.some((s) => s.Name === "orders-api" && s.Type === "AWS::Lambda::Function")).toBe(true);
      expect(summary.StartTime!.getTime()).toBeGreaterThanOrEqual(from.getTime());
      expect(summary.StartTime!.getTime()).toBeLessThan(END.getTime());
    }
    const minutes = summaries.map((s) => Math.floor(s.StartTime!.getTime() / 60_000));
    expect(minutes).toEqual([...minutes].sort((a, b) => b - a));

    const graph = indexGraph((await xray.send(new GetServiceGraphCommand({ StartTime: from, EndTime: END }))).Services!);
    expect(summaries.length).toBe(graph.edge("AWS::ApiGateway::Stage|shop-api/prod", "AWS::Lambda|orders-api")!.SummaryStatistics!.TotalCount);
  });

  it("counts faults the way the graph does", async () => {
    const faults = (await allSummaries(xray, { StartTime: HOUR_AGO, EndTime: END, FilterExpression: "fault" })).flat();
    const graph = indexGraph((await xray.send(new GetServiceGraphCommand({ StartTime: HOUR_AGO, EndTime: END }))).Services!);
    const rootFaults = [...graph.byKey.values()]
      .filter((s) => s.Root === true)
      .reduce((sum, s) => sum + s.SummaryStatistics!.FaultStatistics!.TotalCount!, 0);
    expect(faults.length).toBe(rootFaults);
    expect(faults.length).toBeGreaterThan(0);
    for (const summary of faults) expect(summary.HasFault).toBe(true);
  });

  it("rejects unsupported filter syntax naming the position, and windows over 24 hours", async () => {
    const badFilter = xray.send(new GetTraceSummariesCommand({ StartTime: from, EndTime: END, FilterExpression: 'fault AND annotation.customer = "x"' }));
    await expect(badFilter).rejects.toMatchObject({ name: "InvalidRequestException", message: expect.stringContaining("position 10") });
    const tooLong = xray.send(new GetTraceSummariesCommand({ StartTime: new Date(END.getTime() - 24 * 3_600_000 - 1_000), EndTime: END }));
    await expect(tooLong).rejects.toMatchObject({ name: "InvalidRequestException" });
  });

  it("walks a 24-hour window lazily: one page builds one page of traces", async () => {
    const page = await xray.send(new GetTraceSummariesCommand({ StartTime: new Date(END.getTime() - 24 * 3_600_000), EndTime: END }));
    expect(page.TraceSummaries).toHaveLength(100);
    expect(page.TracesProcessedCount).toBe(100);
    expect(page.NextToken).toBeTypeOf("string");
    expect(page.ApproximateTime).toEqual(END);
  });
});

describe("BatchGetTraces", () => {
  it("resolves trace ids from the summaries into segment documents, and reports unknown ids", async () => {
    const page = await xray.send(new GetTraceSummariesCommand({ StartTime: HOUR_AGO, EndTime: END, FilterExpression: 'service("payments-api")' }));
    const ids = page.TraceSummaries!.slice(0, 3).map((s) => s.Id!);
    const unknown = "1-6b0970a0-000000000000000000000000";
    const result = await xray.send(new BatchGetTracesCommand({ TraceIds: [...ids, unknown] }));
    expect(result.Traces!.map((t) => t.Id)).toEqual(ids);
    expect(result.UnprocessedTraceIds).toEqual([unknown]);
    const trace = result.Traces![0]!;
    const docs = trace.Segments!.map((s) => JSON.parse(s.Document!) as { id: string; trace_id: string; origin?: string; name: string });
    expect(docs.every((d) => d.trace_id === trace.Id)).toBe(true);
    expect(trace.Segments!.map((s) => s.Id)).toEqual(docs.map((d) => d.id));
    expect(docs.filter((d) => d.origin === "AWS::Lambda::Function").map((d) => d.name)).toEqual(["payments-api"]);
    expect(docs.map((d) => d.origin)).toContain("AWS::DynamoDB::Table");
    expect(trace.Duration).toBeCloseTo(page.TraceSummaries![0]!.Duration!, 3);
  });

  it("refuses more than 5 trace ids, as X-Ray does", async () => {
    const ids = Array.from({ length: 6 }, (_, i) => `1-6b097000-00000000000000000000000${i}`);
    await expect(xray.send(new BatchGetTracesCommand({ TraceIds: ids }))).rejects.toMatchObject({
      name: "InvalidRequestException",
      $metadata: { httpStatusCode: 400 },
    });
  });
});
