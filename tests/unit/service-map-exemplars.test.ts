import { describe, expect, it } from "vitest";
import {
  EXEMPLAR_BUDGET,
  groupCandidates,
  pickTopExemplars,
  planExemplarSearch,
  planTraceFetch,
  rankFaulted,
  selectExemplars,
  type ExemplarSearch,
  type TraceExemplar,
  type TraceSummaryInfo,
} from "@/lib/domain/service-map/exemplars";
import { summarizeTrace, type SegmentDocument, type TraceDetail } from "@/lib/domain/service-map/segment-summary";
import { assembleSnapshot, nodeIdOf, type ServiceNode } from "@/lib/domain/service-map/service-graph-snapshot";
import { emptyTrafficStats } from "@/lib/domain/service-map/traffic-stats";

const HOUR = 3_600_000;
const H0 = Date.UTC(2026, 10, 26, 10); // an even hour index: two functions keep their order
const ACCOUNT = "123456789012";

function fnNode(name: string, histogram: { firstBin: number; counts: number[] }, faultCount = 0): ServiceNode {
  const type = "AWS::Lambda::Function";
  return { id: nodeIdOf({ type, name, accountId: ACCOUNT }), name, type, accountId: ACCOUNT, root: false, stats: { ...emptyTrafficStats(), faultCount, histogram }, edges: [] };
}

function snapshotOf(hourStart: number, nodes: ServiceNode[]) {
  return assembleSnapshot({ accountId: ACCOUNT, region: "us-east-1", window: { fromMs: hourStart, toMs: hourStart + HOUR }, complete: true, nodes }).snapshot;
}

let sequence = 0;
function aSummary(over: Partial<TraceSummaryInfo> & { functionNames: string[] }): TraceSummaryInfo {
  sequence++;
  return {
    traceId: `1-6b080f8c-${String(sequence).padStart(24, "0")}`,
    startMs: H0 + sequence * 1000,
    responseTimeMs: 100,
    durationMs: 100,
    hasFault: false,
    hasError: false,
    hasThrottle: false,
    faultCause: null,
    http: null,
    ...over,
  };
}

function aDetail(traceId: string, coldFunction?: string): TraceDetail {
  return {
    traceId,
    coldStarts: coldFunction === undefined ? [] : [{ functionName: coldFunction, initDurationMs: 812.5 }],
    spans: [{ name: "x", origin: "AWS::Lambda::Function", operation: null, depth: 0, offsetMs: 0, durationMs: 1, status: "ok" }],
    spanCount: 1,
    exception: null,
  };
}

describe("planExemplarSearch", () => {
  // Bin 30 = [100, 125.9) ms; bin 35 = [316.2, 398.1) ms.
  const nodes = [
    fnNode("b-fn", { firstBin: 30, counts: [100, 0, 0, 0, 0, 6] }),
    fnNode("a-fn", { firstBin: 30, counts: [3] }, 2),
    fnNode("idle-fn", { firstBin: 0, counts: [] }),
  ];

  it("derives each function's tail threshold from its histogram and skips functions without traffic", () => {
    const search = planExemplarSearch(snapshotOf(H0, nodes));
    expect(search.functions).toEqual([
      { functionName: "a-fn", minResponseTimeMs: expect.closeTo(100, 6) },
      { functionName: "b-fn", minResponseTimeMs: expect.closeTo(316.2278, 3) },
    ]);
    expect(search.filters).toEqual([
      '(fault = true AND service(id(type: "AWS::Lambda::Function"))) OR ' +
        'service(id(name: "a-fn", type: "AWS::Lambda::Function")) { responsetime >= 0.1 } OR ' +
        'service(id(name: "b-fn", type: "AWS::Lambda::Function")) { responsetime >= 0.316 }',
    ]);
  });

  it("rotates the functions' order by hour, and asks for faults only when the graph shows some", () => {
    const noFaults = nodes.map((n) => ({ ...n, stats: { ...n.stats, faultCount: 0 } }));
    const next = planExemplarSearch(snapshotOf(H0 + HOUR, noFaults));
    expect(next.functions.map((f) => f.functionName)).toEqual(["b-fn", "a-fn"]);
    expect(next.filters[0]!.startsWith("service(")).toBe(true);
  });

  it("plans nothing for a graph without functions", () => {
    expect(planExemplarSearch(snapshotOf(H0, []))).toEqual({ functions: [], filters: [] });
  });
});

describe("candidates, fetch plan and selection", () => {
  const search: ExemplarSearch = {
    functions: [
      { functionName: "users-api", minResponseTimeMs: 1000 },
      { functionName: "orders-api", minResponseTimeMs: 500 },
    ],
    filters: [],
  };

  it("rankFaulted puts one trace of each root cause first, newest first", () => {
    const a1 = aSummary({ functionNames: ["f"], hasFault: true, faultCause: "A", startMs: 5 });
    const a2 = aSummary({ functionNames: ["f"], hasFault: true, faultCause: "A", startMs: 9 });
    const b1 = aSummary({ functionNames: ["f"], hasFault: true, faultCause: "B", startMs: 7 });
    const none = aSummary({ functionNames: ["f"], hasFault: true, faultCause: null, startMs: 1 });
    expect(rankFaulted([a1, a2, b1, none]).map((t) => t.traceId)).toEqual([a2, b1, none, a1].map((t) => t.traceId));
  });

  it("groups summaries by function: slow ones at or above the threshold, slowest first; faulted ones apart", () => {
    const slow = [1500, 3000, 1200, 2000].map((responseTimeMs) => aSummary({ functionNames: ["users-api"], responseTimeMs }));
    const fastFault = aSummary({ functionNames: ["users-api"], responseTimeMs: 12, hasFault: true, faultCause: "Error: x" });
    const both = aSummary({ functionNames: ["orders-api", "users-api"], responseTimeMs: 900, hasFault: true });
    const [users, orders] = groupCandidates(search, [...slow, fastFault, both, slow[0]!]);
    expect(users!.slow.map((t) => t.responseTimeMs)).toEqual([3000, 2000, 1500, 1200]);
    // Different root causes, newest first (`both` started later).
    expect(users!.faulted.map((t) => t.traceId)).toEqual([both.traceId, fastFault.traceId]);
    expect(orders!.slow.map((t) => t.traceId)).toEqual([both.traceId]);
  });

  it("fetches rank by rank across functions, at most 6 calls of at most 5 ids, each id once", () => {
    const functions = Array.from({ length: 8 }, (_, i) => `fn-${i}`);
    const candidates = functions.map((functionName) => ({
      functionName,
      slow: Array.from({ length: 6 }, (_, r) => aSummary({ functionNames: [functionName], responseTimeMs: 1000 - r })),
      faulted: Array.from({ length: 4 }, () => aSummary({ functionNames: [functionName], hasFault: true })),
    }));
    const batches = planTraceFetch(candidates);
    expect(batches).toHaveLength(EXEMPLAR_BUDGET.traceBatches);
    expect(batches.every((b) => b.length <= 5)).toBe(true);
    const ids = batches.flat();
    expect(new Set(ids).size).toBe(30);
    // Rank 1 of every function comes before any rank 2.
    expect(ids.slice(0, 16)).toEqual(candidates.flatMap((c) => [c.slow[0]!.traceId, c.faulted[0]!.traceId]));
  });

  it("spends what ranks 1–3 leave on further tail candidates (cold-start hunting)", () => {
    const candidates = [{ functionName: "f", slow: Array.from({ length: 6 }, () => aSummary({ functionNames: ["f"] })), faulted: [] }];
    expect(planTraceFetch(candidates).flat()).toEqual(candidates[0]!.slow.map((t) => t.traceId));
    expect(planTraceFetch([])).toEqual([]);
  });

  it("selects slowest, faulted and cold-start exemplars; unknown where a trace was not fetched", () => {
    const slow = [3000, 2000, 1500, 1200].map((responseTimeMs) => aSummary({ functionNames: ["users-api"], responseTimeMs }));
    const fault = aSummary({ functionNames: ["users-api"], hasFault: true, faultCause: "Error: Unhandled error in handler" });
    const [users] = groupCandidates(search, [...slow, fault]);
    const details = new Map([
      [slow[0]!.traceId, aDetail(slow[0]!.traceId)],
      [slow[3]!.traceId, aDetail(slow[3]!.traceId, "users-api")],
      [fault.traceId, aDetail(fault.traceId)],
    ]);
    const [selected] = selectExemplars([users!], details);
    expect(selected!.functionName).toBe("users-api");
    expect(selected!.exemplars.map((e) => [e.kind, e.traceId, e.coldStart])).toEqual([
      ["slowest", slow[0]!.traceId, false],
      ["slowest", slow[1]!.traceId, null],
      ["slowest", slow[2]!.traceId, null],
      ["faulted", fault.traceId, false],
      ["cold-start", slow[3]!.traceId, true],
    ]);
    const cold = selected!.exemplars.at(-1)!;
    expect(cold).toMatchObject({ initDurationMs: 812.5, functionName: "users-api", responseTimeMs: 1200 });
    expect(cold.segments).toHaveLength(1);
    expect(selected!.exemplars[1]!.segments).toBeNull();
    expect(selected!.exemplars[3]!.faultCause).toBe("Error: Unhandled error in handler");
  });

  it("leaves out functions without any exemplar", () => {
    expect(selectExemplars([{ functionName: "quiet", slow: [], faulted: [] }], new Map())).toEqual([]);
  });
});

describe("pickTopExemplars (side panel over several hours)", () => {
  const ex = (kind: TraceExemplar["kind"], traceId: string, responseTimeMs: number, startMs: number): TraceExemplar => ({
    traceId, functionName: "f", kind, startMs, responseTimeMs, durationMs: responseTimeMs, hasFault: kind === "faulted", hasError: false, hasThrottle: false,
    coldStart: kind === "cold-start" ? true : null, initDurationMs: null, faultCause: null, http: null, segments: null,
  });

  it("keeps the n slowest (slowest, cold-start) and the n most recent (faulted) of all hours, each trace once", () => {
    const picked = pickTopExemplars([
      ex("slowest", "s1", 100, 1), ex("slowest", "s2", 300, 2), ex("slowest", "s3", 200, 3), ex("slowest", "s2", 300, 2),
      ex("faulted", "f1", 10, 50), ex("faulted", "f2", 10, 90), ex("faulted", "f3", 10, 70),
      ex("cold-start", "c1", 900, 1),
    ], 2);
    expect(picked.map((e) => `${e.kind}:${e.traceId}`)).toEqual(["slowest:s2", "slowest:s3", "faulted:f2", "faulted:f3", "cold-start:c1"]);
  });
});

describe("summarizeTrace (segment documents → compact outline)", () => {
  const doc = (over: Partial<SegmentDocument> & { id: string; name: string; startSec: number; endSec: number }): SegmentDocument => ({
    parentId: null, origin: null, namespace: null, inferred: false, fault: false, error: false, throttle: false, operation: null, exception: null, subsegments: [], ...over,
  });
  const t0 = 1_795_690_746;
  // An API Gateway → Lambda → function trace with a cold start and one DynamoDB call, shaped
  // like the simulator's and AWS's documents (the inferred table segment repeats the call's id).
  const segments: SegmentDocument[] = [
    doc({ id: "inferred-call", parentId: "fn-seg", name: "orders-table", startSec: t0 + 0.9, endSec: t0 + 0.909, origin: "AWS::DynamoDB::Table", inferred: true, operation: "PutItem" }),
    doc({ id: "fn-seg", parentId: "lambda-seg", name: "orders-api", startSec: t0 + 0.005, endSec: t0 + 0.95, origin: "AWS::Lambda::Function", fault: true,
      exception: { type: "Error", message: "Unhandled error in handler" },
      subsegments: [
        doc({ id: "init", name: "Initialization", startSec: t0 + 0.005, endSec: t0 + 0.805 }),
        doc({ id: "invocation", name: "Invocation", startSec: t0 + 0.805, endSec: t0 + 0.95, fault: true,
          subsegments: [doc({ id: "inferred-call", name: "DynamoDB", namespace: "aws", startSec: t0 + 0.9, endSec: t0 + 0.909, operation: "PutItem" })] }),
      ] }),
    doc({ id: "stage", name: "shop-api/prod", startSec: t0, endSec: t0 + 0.96, origin: "AWS::ApiGateway::Stage", fault: true,
      subsegments: [doc({ id: "invoke", name: "Lambda", namespace: "aws", startSec: t0 + 0.004, endSec: t0 + 0.956, operation: "Invoke" })] }),
    doc({ id: "lambda-seg", parentId: "invoke", name: "orders-api", startSec: t0 + 0.004, endSec: t0 + 0.956, origin: "AWS::Lambda", fault: true }),
  ];

  it("nests segments under their callers, folds inferred segments into their calls, and finds the cold start", () => {
    const detail = summarizeTrace("1-6b0810fa-76926971a373c5fb1d166ab6", segments);
    expect(detail.coldStarts).toEqual([{ functionName: "orders-api", initDurationMs: 800 }]);
    expect(detail.exception).toBe("Error: Unhandled error in handler");
    expect(detail.spans.map((s) => [s.depth, s.name, s.origin, s.operation, s.status])).toEqual([
      [0, "shop-api/prod", "AWS::ApiGateway::Stage", null, "fault"],
      [1, "Lambda", "aws", "Invoke", "ok"],
      [2, "orders-api", "AWS::Lambda", null, "fault"],
      [3, "orders-api", "AWS::Lambda::Function", null, "fault"],
      [4, "Initialization", null, null, "ok"],
      [4, "Invocation", null, null, "fault"],
      [5, "orders-table", "AWS::DynamoDB::Table", "PutItem", "ok"],
    ]);
    expect(detail.spans[6]).toMatchObject({ offsetMs: 900, durationMs: 9 });
    expect(detail.spanCount).toBe(7);
  });

  it("has no cold start without an Initialization subsegment, and caps the outline", () => {
    const warm = segments.map((s) => ({ ...s, subsegments: s.subsegments.filter((sub) => sub.name !== "Initialization") }));
    const detail = summarizeTrace("t", warm, 3);
    expect(detail.coldStarts).toEqual([]);
    expect(detail.spans).toHaveLength(3);
    expect(detail.spanCount).toBe(6);
  });

  it("outlines nothing for no documents", () => {
    expect(summarizeTrace("t", [])).toEqual({ traceId: "t", coldStarts: [], spans: [], spanCount: 0, exception: null });
  });
});
