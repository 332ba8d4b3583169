import { describe, expect, it } from "vitest";
import type { GetServiceGraphCommand, GetTraceSummariesCommand, XRayClient } from "@aws-sdk/client-xray";
import { XRayTraceSource } from "@/lib/adapters/aws/xray-source";

/**
 * The X-Ray adapter's parsing, with a stub client answering canned (SDK-shaped) outputs:
 * unexpected pieces are skipped and counted, never a crash.
 */
const H0 = Date.UTC(2026, 10, 26, 10);
const window = { fromMs: H0, toMs: H0 + 3_600_000 };

function stubClient(answers: (command: unknown) => unknown) {
  const sent: unknown[] = [];
  const client = {
    send: async (command: unknown) => {
      sent.push(command);
      return answers(command);
    },
  } as unknown as XRayClient;
  return { client, sent };
}

const statistics = (ok: number, fault = 0) => ({
  OkCount: ok,
  ErrorStatistics: { ThrottleCount: 1, OtherCount: 2, TotalCount: 3 },
  FaultStatistics: { OtherCount: fault, TotalCount: fault },
  TotalCount: ok + 3 + fault,
  TotalResponseTime: 1.5,
});

describe("XRayTraceSource.getServiceGraph", () => {
  it("maps services to stable ids, follows pages, and skips unknown types, malformed pieces and dangling edges", async () => {
    const page1 = {
      Services: [
        { ReferenceId: 0, Name: "shop-api/prod", Type: "client", Edges: [{ ReferenceId: 1, SummaryStatistics: statistics(10), ResponseTimeHistogram: [{ Value: 0.05, Count: 10 }] }] },
        { ReferenceId: 1, Name: "shop-api/prod", Type: "AWS::ApiGateway::Stage", AccountId: "123456789012", Root: true, SummaryStatistics: statistics(10), ResponseTimeHistogram: [{ Value: 0.05, Count: 9 }, { Value: -1, Count: 1 }], Edges: [{ ReferenceId: 2 }, { ReferenceId: 9 }, { ReferenceId: "x" }] },
      ],
      NextToken: "page-2",
    };
    const page2 = {
      Services: [
        { ReferenceId: 2, Name: "orders-api", Type: "AWS::Lambda::Function", AccountId: "123456789012", SummaryStatistics: statistics(5, 2), ResponseTimeHistogram: [{ Value: 0.2, Count: 7 }, { Value: 1.1, Count: 3 }], Edges: [{ ReferenceId: 3 }] },
        { ReferenceId: 3, Name: "mystery", Type: "Custom Thing", Edges: [] },
        { ReferenceId: 4, Type: "AWS::SQS::Queue" },
      ],
    };
    const { client, sent } = stubClient((command) => ((command as GetServiceGraphCommand).input.NextToken === "page-2" ? page2 : page1));
    const { nodes, warnings } = await new XRayTraceSource(client).getServiceGraph(window);

    expect(sent).toHaveLength(2);
    expect((sent[0] as GetServiceGraphCommand).input).toEqual({ StartTime: new Date(window.fromMs), EndTime: new Date(window.toMs), NextToken: undefined });
    expect(nodes.map((n) => n.id)).toEqual(["client|shop-api/prod", "AWS::ApiGateway::Stage|shop-api/prod|123456789012", "AWS::Lambda::Function|orders-api|123456789012"]);
    const stage = nodes[1]!;
    expect(stage.root).toBe(true);
    expect(stage.edges.map((e) => e.toId)).toEqual(["AWS::Lambda::Function|orders-api|123456789012"]);
    expect(stage.stats).toMatchObject({ okCount: 10, errorCount: 2, throttleCount: 1, faultCount: 0, totalCount: 13, responseTimeSumMs: 1500 });
    expect(stage.stats.histogram.counts.reduce((a, b) => a + b, 0)).toBe(9);
    const fn = nodes[2]!;
    expect(fn.stats).toMatchObject({ faultCount: 2, totalCount: 10 });
    expect(fn.edges).toEqual([]);
    expect(nodes[0]!.stats.totalCount).toBe(0);
    expect(warnings.sort()).toEqual([
      "X-Ray service graph 2026-11-26T10:00Z–2026-11-26T11:00Z: skipped 1 malformed edges",
      "X-Ray service graph 2026-11-26T10:00Z–2026-11-26T11:00Z: skipped 1 malformed histogram entries",
      "X-Ray service graph 2026-11-26T10:00Z–2026-11-26T11:00Z: skipped 1 malformed services",
      'X-Ray service graph 2026-11-26T10:00Z–2026-11-26T11:00Z: skipped 1 services of unknown type "Custom Thing"',
      "X-Ray service graph 2026-11-26T10:00Z–2026-11-26T11:00Z: skipped 2 edges to services not in the graph",
    ]);
  });
});

describe("XRayTraceSource.getTraceSummaries", () => {
  it("reads at most maxPages pages and parses what it depends on", async () => {
    const summary = (id: string, over: Record<string, unknown> = {}) => ({
      Id: id,
      StartTime: new Date(H0 + 1234),
      ResponseTime: 1.25,
      Duration: 1.3,
      HasFault: true,
      ServiceIds: [{ Name: "shop-api/prod", Type: "AWS::ApiGateway::Stage" }, { Name: "orders-api", Type: "AWS::Lambda::Function" }, { Name: "orders-api", Type: "AWS::Lambda" }],
      FaultRootCauses: [{ Services: [{ EntityPath: [{ Name: "orders-api", Exceptions: [{ Name: "Error", Message: "Unhandled error in handler" }] }] }] }],
      Http: { HttpURL: "https://x/prod/orders", HttpStatus: 502, HttpMethod: "POST" },
      ...over,
    });
    const { client, sent } = stubClient(() => ({
      TraceSummaries: [summary("1-6b080f8c-bfa8ad30318136e5992acfbd"), summary("not-a-trace-id"), summary("1-6b080f8c-000000000000000000000001", { StartTime: undefined, ResponseTime: 0.01 })],
      NextToken: "more",
    }));
    const result = await new XRayTraceSource(client).getTraceSummaries(window, "fault = true", 2);
    expect(sent).toHaveLength(2);
    expect((sent[0] as GetTraceSummariesCommand).input).toMatchObject({ TimeRangeType: "TraceId", Sampling: false, FilterExpression: "fault = true" });
    expect(result.pagesRead).toBe(2);
    expect(result.complete).toBe(false);
    expect(result.summaries).toHaveLength(4);
    expect(result.summaries[0]).toEqual({
      traceId: "1-6b080f8c-bfa8ad30318136e5992acfbd",
      startMs: H0 + 1234,
      responseTimeMs: 1250,
      durationMs: 1300,
      hasFault: true,
      hasError: false,
      hasThrottle: false,
      functionNames: ["orders-api"],
      faultCause: "Error: Unhandled error in handler",
      http: { method: "POST", url: "https://x/prod/orders", status: 502 },
    });
    // Without StartTime, the trace id's epoch seconds.
    expect(result.summaries[1]!.startMs).toBe(0x6b080f8c * 1000);
    expect(result.warnings).toEqual(["X-Ray trace summaries 2026-11-26T10:00Z–2026-11-26T11:00Z: skipped 2 malformed trace summaries"]);
  });
});

describe("XRayTraceSource.batchGetTraces", () => {
  it("outlines each trace from its documents, skipping documents that are not JSON or lack what it needs", async () => {
    const doc = (over: Record<string, unknown>) => JSON.stringify({ id: "a1", name: "orders-api", start_time: 100, end_time: 101, origin: "AWS::Lambda::Function", ...over });
    const { client } = stubClient(() => ({
      Traces: [
        {
          Id: "1-6b080f8c-bfa8ad30318136e5992acfbd",
          Segments: [
            { Id: "a1", Document: doc({ subsegments: [{ id: "i", name: "Initialization", start_time: 100, end_time: 100.5 }, { name: "no id" }] }) },
            { Id: "bad", Document: "{not json" },
            { Id: "b2", Document: JSON.stringify({ id: "b2", start_time: 1 }) },
          ],
        },
        { Segments: "nope" },
      ],
      UnprocessedTraceIds: ["1-6b080f8c-000000000000000000000009"],
    }));
    const result = await new XRayTraceSource(client).batchGetTraces(["1-6b080f8c-bfa8ad30318136e5992acfbd", "1-6b080f8c-000000000000000000000009"]);
    expect(result.traces).toHaveLength(1);
    expect(result.traces[0]!.coldStarts).toEqual([{ functionName: "orders-api", initDurationMs: 500 }]);
    expect(result.unprocessedIds).toEqual(["1-6b080f8c-000000000000000000000009"]);
    expect(result.warnings.sort()).toEqual([
      "X-Ray BatchGetTraces of 2 traces: skipped 1 malformed segment documents",
      "X-Ray BatchGetTraces of 2 traces: skipped 1 malformed subsegments",
      "X-Ray BatchGetTraces of 2 traces: skipped 1 malformed traces",
      "X-Ray BatchGetTraces of 2 traces: skipped 1 segment documents that are not JSON",
    ]);
  });

  it("refuses more than 5 ids (X-Ray's limit) before calling", async () => {
    const { client, sent } = stubClient(() => ({}));
    await expect(new XRayTraceSource(client).batchGetTraces(["1", "2", "3", "4", "5", "6"])).rejects.toThrow(RangeError);
    expect(sent).toEqual([]);
  });
});
