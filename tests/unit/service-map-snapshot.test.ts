import { describe, expect, it } from "vitest";
import { mergeSnapshots, toHourRange } from "@/lib/domain/service-map/merge-snapshots";
import { assembleSnapshot, nodeIdOf, nodeKindOf, type ServiceGraphSnapshot, type ServiceNode } from "@/lib/domain/service-map/service-graph-snapshot";
import { emptyTrafficStats, summarizeTraffic, type TrafficStats } from "@/lib/domain/service-map/traffic-stats";

const HOUR = 3_600_000;
const H0 = Date.UTC(2026, 10, 26, 10);
const scope = { accountId: "123456789012", region: "us-east-1" };

function stats(over: Partial<TrafficStats> = {}): TrafficStats {
  const base = { ...emptyTrafficStats(), okCount: 10, totalCount: 10, responseTimeSumMs: 500, histogram: { firstBin: 20, counts: [10] } };
  return { ...base, ...over };
}

function aNode(type: string, name: string, over: Partial<ServiceNode> = {}): ServiceNode {
  const accountId = type === "client" || type === "remote" ? null : scope.accountId;
  return { id: nodeIdOf({ type, name, accountId }), name, type, accountId, root: false, stats: stats(), edges: [], ...over };
}

const fn = (name: string, over: Partial<ServiceNode> = {}) => aNode("AWS::Lambda::Function", name, over);
const table = (name: string) => aNode("AWS::DynamoDB::Table", name);

function aSnapshot(hourStart: number, nodes: ServiceNode[], over: Partial<ServiceGraphSnapshot> = {}): ServiceGraphSnapshot {
  return assembleSnapshot({ ...scope, window: { fromMs: hourStart, toMs: hourStart + HOUR }, complete: true, nodes, ...over }).snapshot;
}

describe("node ids and kinds", () => {
  it("are stable strings of type, name and account", () => {
    expect(nodeIdOf({ type: "AWS::Lambda::Function", name: "orders-api", accountId: "123456789012" })).toBe("AWS::Lambda::Function|orders-api|123456789012");
    expect(nodeIdOf({ type: "client", name: "shop-api/prod", accountId: null })).toBe("client|shop-api/prod");
  });

  it.each([
    ["client", "client"],
    ["remote", "remote"],
    ["AWS::ApiGateway::Stage", "api-stage"],
    ["AWS::Lambda", "lambda-service"],
    ["AWS::Lambda::Function", "lambda-function"],
    ["AWS::DynamoDB::Table", "dynamodb-table"],
    ["AWS::SQS::Queue", "queue"],
    ["AWS::SNS", "topic"],
    ["AWS::Events", "event-bus"],
    ["AWS::S3::Bucket", "aws-service"],
    ["AWS::StepFunctions::StateMachine", "aws-service"],
    ["database::SQL", "database"],
    ["Custom Thing", null],
    ["", null],
    ["AWS::", null],
  ])("%s is %s", (type, kind) => {
    expect(nodeKindOf(type)).toBe(kind);
  });
});

describe("assembleSnapshot", () => {
  it("sorts nodes and edges, merges duplicate nodes and drops edges to unknown nodes", () => {
    const orders = fn("orders-api", { edges: [{ toId: table("orders-table").id, stats: stats() }, { toId: "AWS::SNS|gone|123456789012", stats: stats() }] });
    const ordersAgain = fn("orders-api", { root: true, stats: stats({ okCount: 5, totalCount: 6, faultCount: 1 }), edges: [{ toId: table("orders-table").id, stats: stats({ okCount: 1, totalCount: 1 }) }] });
    const { snapshot, danglingEdges } = assembleSnapshot({ ...scope, window: { fromMs: H0, toMs: H0 + HOUR }, complete: true, nodes: [table("orders-table"), orders, ordersAgain] });
    expect(danglingEdges).toBe(1);
    expect(snapshot.nodes.map((n) => n.id)).toEqual(["AWS::DynamoDB::Table|orders-table|123456789012", "AWS::Lambda::Function|orders-api|123456789012"]);
    const merged = snapshot.nodes[1]!;
    expect(merged.root).toBe(true);
    expect(merged.stats).toMatchObject({ okCount: 15, faultCount: 1, totalCount: 16, responseTimeSumMs: 1000, histogram: { firstBin: 20, counts: [20] } });
    expect(merged.edges).toEqual([{ toId: table("orders-table").id, stats: expect.objectContaining({ okCount: 11, totalCount: 11 }) }]);
  });

  it("gives the same representation whatever order the nodes came in", () => {
    const nodes = [fn("b"), table("t"), fn("a", { edges: [{ toId: table("t").id, stats: stats() }] })];
    const one = aSnapshot(H0, nodes);
    const other = aSnapshot(H0, [...nodes].reverse());
    expect(JSON.stringify(other)).toBe(JSON.stringify(one));
  });
});

describe("mergeSnapshots", () => {
  const edgeTo = (id: string, totalCount: number) => ({ toId: id, stats: stats({ okCount: totalCount, totalCount, histogram: { firstBin: 25, counts: [totalCount] } }) });

  it("adds counts and histograms over hours; an edge present in one hour only counts there", () => {
    const hour1 = aSnapshot(H0, [table("t"), fn("a", { edges: [edgeTo(table("t").id, 3)] })]);
    const hour2 = aSnapshot(H0 + HOUR, [table("t"), table("u"), fn("a", { stats: stats({ okCount: 7, errorCount: 1, throttleCount: 2, totalCount: 10 }), edges: [edgeTo(table("t").id, 4), edgeTo(table("u").id, 1)] })]);
    const merged = mergeSnapshots(scope, { fromMs: H0, toMs: H0 + 2 * HOUR }, [hour2, hour1]);
    const a = merged.nodes.find((n) => n.name === "a")!;
    expect(a.stats).toMatchObject({ okCount: 17, errorCount: 1, throttleCount: 2, totalCount: 20, responseTimeSumMs: 1000, histogram: { firstBin: 20, counts: [20] } });
    expect(a.edges.map((e) => [e.toId, e.stats.totalCount, e.stats.histogram.counts])).toEqual([
      [table("t").id, 7, [7]],
      [table("u").id, 1, [1]],
    ]);
    expect(merged).toMatchObject({ hourCount: 2, coveredMs: 2 * HOUR, includesPartialHour: false, missingHourStarts: [] });
  });

  it("widens the range to whole hours, lists missing hours and flags a partial hour", () => {
    const partial = aSnapshot(H0 + 2 * HOUR, [fn("a")], { complete: false, window: { fromMs: H0 + 2 * HOUR, toMs: H0 + 2 * HOUR + 25 * 60_000 } });
    const merged = mergeSnapshots(scope, { fromMs: H0 + 10 * 60_000, toMs: H0 + 2 * HOUR + 30 * 60_000 }, [aSnapshot(H0, [fn("a")]), partial]);
    expect(merged.window).toEqual({ fromMs: H0, toMs: H0 + 3 * HOUR });
    expect(merged.missingHourStarts).toEqual([H0 + HOUR]);
    expect(merged.includesPartialHour).toBe(true);
    expect(merged.coveredMs).toBe(HOUR + 25 * 60_000);
  });

  it("ignores other scopes and hours outside the range, and counts one snapshot per hour (the complete one)", () => {
    const partial = aSnapshot(H0, [fn("a", { stats: stats({ okCount: 1, totalCount: 1 }) })], { complete: false, window: { fromMs: H0, toMs: H0 + 59 * 60_000 } });
    const complete = aSnapshot(H0, [fn("a")]);
    const elsewhere = assembleSnapshot({ accountId: scope.accountId, region: "eu-west-1", window: { fromMs: H0, toMs: H0 + HOUR }, complete: true, nodes: [fn("a")] }).snapshot;
    const merged = mergeSnapshots(scope, { fromMs: H0, toMs: H0 + HOUR }, [partial, complete, elsewhere, aSnapshot(H0 + HOUR, [fn("a")])]);
    expect(merged.hourCount).toBe(1);
    expect(merged.nodes[0]!.stats.totalCount).toBe(10);
    expect(merged.includesPartialHour).toBe(false);
  });

  it("hour ranges: an empty range stays empty", () => {
    expect(toHourRange({ fromMs: H0 + 1, toMs: H0 + 1 })).toEqual({ fromMs: H0, toMs: H0 });
    expect(toHourRange({ fromMs: H0, toMs: H0 + HOUR })).toEqual({ fromMs: H0, toMs: H0 + HOUR });
    expect(toHourRange({ fromMs: H0, toMs: H0 + HOUR + 1 })).toEqual({ fromMs: H0, toMs: H0 + 2 * HOUR });
  });
});

describe("summarizeTraffic", () => {
  it("gives rates per covered minute, ratios of the total and percentiles from the histogram", () => {
    const summary = summarizeTraffic(stats({ okCount: 90, errorCount: 4, throttleCount: 2, faultCount: 4, totalCount: 100, responseTimeSumMs: 2500, histogram: { firstBin: 20, counts: [100] } }), 50 * 60_000);
    expect(summary).toMatchObject({ requestsPerMinute: 2, errorRatio: 0.04, throttleRatio: 0.02, faultRatio: 0.04, meanResponseTimeMs: 25 });
    expect(summary.p50ResponseTimeMs).toBeCloseTo(10 * 10 ** 0.05, 9);
    expect(summary.p99ResponseTimeMs).toBeCloseTo(10 * 10 ** (0.1 * 0.99), 9);
  });

  it("says null, not zero, where there were no requests", () => {
    expect(summarizeTraffic(emptyTrafficStats(), 0)).toEqual({
      requestsPerMinute: 0,
      errorRatio: null,
      throttleRatio: null,
      faultRatio: null,
      meanResponseTimeMs: null,
      p50ResponseTimeMs: null,
      p99ResponseTimeMs: null,
    });
  });
});
