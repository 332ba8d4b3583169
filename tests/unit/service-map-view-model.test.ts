import { describe, expect, it } from "vitest";
import type { ReportStats } from "@/lib/domain/cold-start/report-stats";
import type { TraceExemplar } from "@/lib/domain/service-map/exemplars";
import { binLowerEdgeMs, binOfMs } from "@/lib/domain/service-map/latency-histogram";
import { mergeSnapshots } from "@/lib/domain/service-map/merge-snapshots";
import type { ServiceGraphSnapshot, ServiceNode } from "@/lib/domain/service-map/service-graph-snapshot";
import type { FunctionRef } from "@/lib/domain/shared/ids";
import type { TimeWindow } from "@/lib/domain/shared/time";
import type { ServiceGraphReader } from "@/lib/ports/service-graph-store";
import type { Watermark } from "@/lib/ports/stores";
import { getServiceMapNodeDetail, getServiceMapView, UnknownMapNodeError, type ServiceMapViewDeps } from "@/lib/queries/service-map-view";
import { aFunction } from "@/tests/builders/function-config";
import { aNode, traffic } from "@/tests/builders/service-graph";
import { aReportStats } from "@/tests/builders/report-stats";
import { anSlo, aSloStatus } from "@/tests/builders/slo";

const HOUR = 3_600_000;
const OWN = { accountId: "123456789012", region: "us-east-1" };
const MEMBER = { accountId: "210987654321", region: "us-east-1" };
const T0 = Date.UTC(2026, 10, 25, 10);
const NOW = T0 + 3 * HOUR;
const WINDOW: TimeWindow = { fromMs: T0 + HOUR, toMs: T0 + 3 * HOUR };
const BASELINE: TimeWindow = { fromMs: T0 - HOUR, toMs: T0 + HOUR };

/** Snapshots per scope and hour, read the way the DynamoDB store reads them (mergeSnapshots). */
class FakeServiceGraph implements ServiceGraphReader {
  readonly snapshots: ServiceGraphSnapshot[] = [];
  readonly exemplars: TraceExemplar[] = [];
  readonly exemplarReads: string[] = [];
  hour(scope: { accountId: string; region: string }, hourStartMs: number, nodes: ServiceNode[]) {
    this.snapshots.push({ ...scope, window: { fromMs: hourStartMs, toMs: hourStartMs + HOUR }, complete: true, nodes: nodes.map((n) => ({ ...n, accountId: n.accountId === null ? null : scope.accountId })) });
  }
  async readSnapshots(scope: { accountId: string; region: string }, window: TimeWindow) {
    return this.snapshots.filter((s) => s.accountId === scope.accountId && s.region === scope.region && s.window.toMs > window.fromMs && s.window.fromMs < window.toMs);
  }
  async readServiceGraph(scope: { accountId: string; region: string }, window: TimeWindow) {
    return mergeSnapshots(scope, window, this.snapshots);
  }
  async readExemplars(_scope: { accountId: string; region: string }, functionName: string, window: TimeWindow) {
    this.exemplarReads.push(functionName);
    return this.exemplars.filter((e) => e.functionName === functionName && e.startMs >= window.fromMs - HOUR && e.startMs < window.toMs);
  }
}

function reportStats(ref: FunctionRef, hourStartMs: number, invocations: number, coldStarts: number): ReportStats {
  return aReportStats({ ...ref, hourStartMs, version: null, invocations, coldStarts });
}

function exemplar(functionName: string, kind: TraceExemplar["kind"], n: number, responseTimeMs: number, startMs = WINDOW.fromMs + n * 60_000): TraceExemplar {
  return {
    traceId: `1-${(0x6745f2a0 + n).toString(16)}-${String(n).padStart(24, "0")}`,
    functionName,
    kind,
    startMs,
    responseTimeMs,
    durationMs: responseTimeMs,
    hasFault: kind === "faulted",
    hasError: false,
    hasThrottle: false,
    coldStart: kind === "cold-start" ? true : null,
    initDurationMs: kind === "cold-start" ? 3200 : null,
    faultCause: kind === "faulted" ? "PaymentProviderError: 503" : null,
    http: null,
    segments: null,
  };
}

const LAMBDA = "AWS::Lambda";
const FUNCTION = "AWS::Lambda::Function";
const STAGE = "AWS::ApiGateway::Stage";
const TABLE = "AWS::DynamoDB::Table";

/** An hour of the shop: stage → payments and shipping; payments → table and provider; `faults` payment faults. */
function shopHour(options: { payments: number; faults: number; shipping?: number; withProvider?: boolean }): ServiceNode[] {
  const table = aNode(TABLE, "payments-table", traffic({ ok: options.payments }));
  const provider = aNode("remote", "api.payment-provider.example", traffic({ ok: options.payments - options.faults, fault: options.faults, latencyMs: 110 }));
  const paymentsFn = aNode(FUNCTION, "payments-api", traffic({ ok: options.payments - options.faults, fault: options.faults, latencyMs: 200 }), [
    { to: table, stats: traffic({ ok: options.payments, latencyMs: 8 }) },
    ...(options.withProvider === false ? [] : [{ to: provider, stats: traffic({ ok: options.payments - options.faults, fault: options.faults, latencyMs: 110 }) }]),
  ]);
  const paymentsLambda = aNode(LAMBDA, "payments-api", traffic({ ok: options.payments - options.faults, fault: options.faults, latencyMs: 205 }), [
    { to: paymentsFn, stats: traffic({ ok: options.payments - options.faults, fault: options.faults, latencyMs: 200 }) },
  ]);
  const shipping = options.shipping ?? 0;
  const shippingFn = aNode(FUNCTION, "shipping-rates-api", traffic({ ok: shipping, latencyMs: 3000 }));
  const shippingLambda = aNode(LAMBDA, "shipping-rates-api", traffic({ ok: shipping, latencyMs: 3000 }), [{ to: shippingFn, stats: traffic({ ok: shipping, latencyMs: 3000 }) }]);
  const stage = aNode(STAGE, "shop-api/prod", traffic({ ok: options.payments - options.faults + shipping, fault: options.faults, latencyMs: 210 }), [
    { to: paymentsLambda, stats: traffic({ ok: options.payments - options.faults, fault: options.faults, latencyMs: 205 }) },
    ...(shipping > 0 ? [{ to: shippingLambda, stats: traffic({ ok: shipping, latencyMs: 3000 }) }] : []),
  ], true);
  const client = aNode("client", "shop-api/prod", traffic(), [{ to: stage, stats: traffic({ ok: options.payments - options.faults + shipping, fault: options.faults, latencyMs: 210 }) }]);
  const nodes = [client, stage, paymentsLambda, paymentsFn, table, ...(options.withProvider === false ? [] : [provider])];
  return shipping > 0 ? [...nodes, shippingLambda, shippingFn] : nodes;
}

function world() {
  const graph = new FakeServiceGraph();
  // Baseline hours: calm, no shipping traffic, no provider calls yet.
  graph.hour(OWN, T0 - HOUR, shopHour({ payments: 600, faults: 0, withProvider: false }));
  graph.hour(OWN, T0, shopHour({ payments: 600, faults: 1, withProvider: false }));
  // Current window: the burst hour and a calm one, with sparse shipping traffic.
  graph.hour(OWN, T0 + HOUR, shopHour({ payments: 1200, faults: 96, shipping: 6 }));
  graph.hour(OWN, T0 + 2 * HOUR, shopHour({ payments: 1200, faults: 0, shipping: 6 }));
  // The member account is quieter.
  graph.hour(MEMBER, T0 + HOUR, shopHour({ payments: 30, faults: 0 }));
  const functions = [
    aFunction({ ...OWN, functionName: "payments-api", tags: { service: "payments", team: "payments" } }),
    aFunction({ ...OWN, functionName: "shipping-rates-api", tags: { service: "shipping" } }),
    aFunction({ ...OWN, functionName: "legacy-report-generator", tags: {}, tracingMode: "PassThrough" }),
    aFunction({ ...MEMBER, functionName: "payments-api" }),
  ];
  const stats = [
    // Two hours of a sparse function that starts cold a third of the time: 8 of 24.
    reportStats({ ...OWN, functionName: "shipping-rates-api" }, T0 + HOUR, 12, 4),
    reportStats({ ...OWN, functionName: "shipping-rates-api" }, T0 + 2 * HOUR, 12, 4),
    reportStats({ ...OWN, functionName: "payments-api" }, T0 + HOUR, 50_000, 30),
  ];
  const watermarks: Watermark[] = [
    { collector: "traces", ...OWN, throughMs: T0 + 3 * HOUR, sinceMs: null, lastAttemptMs: NOW, lastSuccessMs: NOW, lastError: null },
    { collector: "metrics", ...OWN, throughMs: NOW, sinceMs: null, lastAttemptMs: NOW, lastSuccessMs: NOW, lastError: "ignored: not the traces collector" },
  ];
  const deps: ServiceMapViewDeps = {
    functions: { listFunctions: async () => functions },
    serviceGraph: graph,
    reportStats: { readStats: async (ref, window) => stats.filter((s) => s.functionName === ref.functionName && s.accountId === ref.accountId && s.hourStartMs >= window.fromMs - HOUR && s.hourStartMs < window.toMs) },
    watermarks: { list: async () => watermarks },
    // payments-api's availability SLO pages; users-api's is fine.
    slos: {
      list: async () => [anSlo(), anSlo({ id: "users-availability", target: { kind: "function", functionName: "users-api" } })],
      listStatuses: async () => [aSloStatus({ level: "page" }), aSloStatus({ sloId: "users-availability" })],
    },
  };
  return { graph, deps };
}

const input = { scope: null, window: WINDOW, compareWindow: null, grouping: "none" as const, nowMs: NOW };
const id = (type: string, name: string, accountId: string | null = OWN.accountId) => (accountId === null ? `${type}|${name}` : `${type}|${name}|${accountId}`);

describe("getServiceMapView", () => {
  it("shows the busiest scope by default and lists every scope with its functions", async () => {
    const view = await getServiceMapView(world().deps, input);
    expect(view.scope).toEqual(OWN);
    expect(view.scopes).toEqual([
      { ...OWN, functionCount: 3, tracedFunctionCount: 2 },
      { ...MEMBER, functionCount: 1, tracedFunctionCount: 1 },
    ]);
    expect(view.collection).toEqual({ throughMs: T0 + 3 * HOUR, lastSuccessMs: NOW, lastError: null });
  });

  it("shows the scope asked for", async () => {
    const view = await getServiceMapView(world().deps, { ...input, scope: MEMBER });
    expect(view.scope).toEqual(MEMBER);
    expect(view.nodes.find((n) => n.name === "payments-api" && n.kind === "lambda-function")!.totalCount).toBe(30);
  });

  it("gives every node and edge its rate over the collected time, its health and its outcomes", async () => {
    const view = await getServiceMapView(world().deps, input);
    expect(view.coverage).toEqual({ hourWindow: WINDOW, coveredMs: 2 * HOUR, hourCount: 2, missingHourStarts: [], includesPartialHour: false });
    const payments = view.nodes.find((n) => n.id === id(FUNCTION, "payments-api"))!;
    // 2,400 requests over 120 minutes; 96 faults = 4 %.
    expect(payments.traffic.requestsPerMinute).toBe(20);
    expect(payments.traffic.faultRatio).toBeCloseTo(0.04, 12);
    expect(payments.health).toBe("critical");
    expect(payments.healthCauses).toEqual(["faults"]);
    expect(payments.service).toEqual({ key: "service:payments", label: "payments", tagged: true });
    expect(payments.outcomes).toEqual([
      { outcome: "ok", count: 2304, ratio: 0.96 },
      { outcome: "error", count: 0, ratio: 0 },
      { outcome: "throttle", count: 0, ratio: 0 },
      { outcome: "fault", count: 96, ratio: 0.04 },
    ]);
    expect(view.nodes.find((n) => n.id === id(TABLE, "payments-table"))!.health).toBe("ok");
    // The client's numbers are what it sent to the stage.
    expect(view.nodes.find((n) => n.kind === "client")!.totalCount).toBe(2412);
    const edge = view.edges.find((e) => e.fromId === id(STAGE, "shop-api/prod") && e.toId === id(LAMBDA, "payments-api"))!;
    expect(edge.traffic.requestsPerMinute).toBe(20);
    expect(edge.health).toBe("critical");
    expect(view.compare).toBeNull();
    expect(view.nodes.every((n) => n.change === null)).toBe(true);
  });

  it("badges the Lambda nodes of a cold-start-heavy function, from REPORT stats summed over the window", async () => {
    const view = await getServiceMapView(world().deps, input);
    const badged = view.nodes.filter((n) => n.badges.some((b) => b.kind === "cold-start-heavy")).map((n) => n.id);
    expect(badged.sort()).toEqual([id(LAMBDA, "shipping-rates-api"), id(FUNCTION, "shipping-rates-api")].sort());
    expect(view.nodes.find((n) => n.id === id(FUNCTION, "shipping-rates-api"))!.badges).toEqual([
      { kind: "cold-start-heavy", functionNames: ["shipping-rates-api"], invocations: 24, coldStarts: 8, coldStartRatio: 8 / 24 },
    ]);
  });

  it("badges the nodes of a function whose SLO pages now, and not those whose SLO is fine", async () => {
    const view = await getServiceMapView(world().deps, input);
    const burning = view.nodes.filter((n) => n.badges.some((b) => b.kind === "slo-burning")).map((n) => n.id);
    expect(burning.sort()).toEqual([id(LAMBDA, "payments-api"), id(FUNCTION, "payments-api")].sort());
    expect(view.nodes.find((n) => n.id === id(FUNCTION, "payments-api"))!.badges).toEqual([
      { kind: "slo-burning", level: "page", slos: [{ id: "payments-availability", name: "Payments API availability", level: "page" }] },
    ]);
  });

  it("compared with a baseline, marks what is new and gone and how the rest moved", async () => {
    const { graph, deps } = world();
    // The payments table is not called in the current window: gone.
    graph.snapshots.forEach((s) => {
      if (s.window.fromMs >= WINDOW.fromMs && s.accountId === OWN.accountId) {
        s.nodes = s.nodes.filter((n) => n.name !== "payments-table").map((n) => ({ ...n, edges: n.edges.filter((e) => !e.toId.includes("payments-table")) }));
      }
    });
    const view = await getServiceMapView(deps, { ...input, compareWindow: BASELINE });
    expect(view.compare?.window).toEqual(BASELINE);
    const byId = (nodeId: string) => view.nodes.find((n) => n.id === nodeId)!;
    expect(byId(id("remote", "api.payment-provider.example", null)).change?.presence).toBe("new");
    expect(byId(id(FUNCTION, "shipping-rates-api")).change?.presence).toBe("new");
    const table = byId(id(TABLE, "payments-table"));
    expect(table.change).toMatchObject({ presence: "gone", requestsPerMinuteDelta: -10, requestsPerMinuteChangeRatio: -1 });
    expect(table.health).toBe("idle");
    expect(table.traffic.requestsPerMinute).toBe(0);
    const payments = byId(id(FUNCTION, "payments-api")).change!;
    // 10/min with 1 fault of 1,200 before; 20/min with 96 of 2,400 now.
    expect(payments.presence).toBe("both");
    expect(payments.requestsPerMinuteChangeRatio).toBeCloseTo(1, 12);
    expect(payments.faultRatioDelta).toBeCloseTo(0.04 - 1 / 1200, 12);
    expect(payments.verdict).toBe("worse");
    const goneEdge = view.edges.find((e) => e.toId === id(TABLE, "payments-table"))!;
    expect(goneEdge.change?.presence).toBe("gone");
  });

  it("collapses by service when asked, and automatically only above the node threshold", async () => {
    const auto = await getServiceMapView(world().deps, { ...input, grouping: "auto" });
    expect(auto.grouping).toEqual({ requested: "auto", collapsed: false, xrayNodeCount: 8, autoCollapseAboveNodes: 50 });
    const collapsed = await getServiceMapView(world().deps, { ...input, grouping: "service" });
    expect(collapsed.grouping.collapsed).toBe(true);
    expect(collapsed.nodes.map((n) => n.id)).toEqual(["client|shop-api/prod", id(STAGE, "shop-api/prod"), "group:service:payments", "group:service:shipping"].sort());
    const shipping = collapsed.nodes.find((n) => n.id === "group:service:shipping")!;
    expect(shipping.badges.map((b) => b.kind)).toEqual(["cold-start-heavy"]);
    expect(shipping.memberCount).toBe(2);
  });

  it("tells which hours are missing", async () => {
    const { deps } = world();
    const view = await getServiceMapView(deps, { ...input, window: { fromMs: T0 + HOUR, toMs: T0 + 5 * HOUR } });
    expect(view.coverage?.missingHourStarts).toEqual([T0 + 3 * HOUR, T0 + 4 * HOUR]);
    expect(view.coverage?.hourCount).toBe(2);
  });

  it("is empty, without a scope, before anything is collected", async () => {
    const deps: ServiceMapViewDeps = {
      functions: { listFunctions: async () => [] },
      serviceGraph: new FakeServiceGraph(),
      reportStats: { readStats: async () => [] },
      watermarks: { list: async () => [] },
      slos: { list: async () => [], listStatuses: async () => [] },
    };
    const view = await getServiceMapView(deps, input);
    expect(view).toMatchObject({ scope: null, scopes: [], coverage: null, nodes: [], edges: [], collection: null });
  });
});

describe("getServiceMapNodeDetail", () => {
  it("gives a Lambda node its histogram on the grid, the top exemplars per kind with X-Ray links, and its function", async () => {
    const { graph, deps } = world();
    graph.exemplars.push(
      ...[1, 2, 3, 4].map((n) => exemplar("payments-api", "slowest", n, 1000 * n)),
      ...[5, 6, 7, 8].map((n) => exemplar("payments-api", "faulted", n, 300)),
      exemplar("payments-api", "cold-start", 9, 4200),
      exemplar("shipping-rates-api", "slowest", 10, 9000),
    );
    const detail = await getServiceMapNodeDetail(deps, { scope: OWN, window: WINDOW, grouping: "none", nodeId: id(FUNCTION, "payments-api") });
    expect(detail.node.totalCount).toBe(2400);
    // Every request took 200 ms: one bin, the one holding 200 ms.
    expect(detail.histogram).toEqual([{ lowerMs: binLowerEdgeMs(binOfMs(200)), upperMs: binLowerEdgeMs(binOfMs(200) + 1), count: 2400, peakRatio: 1 }]);
    expect(detail.hasExemplarSource).toBe(true);
    // Three per kind: the slowest, the newest faulted, the cold start.
    expect(detail.exemplars.map((e) => [e.kind, e.responseTimeMs, e.startMs - WINDOW.fromMs])).toEqual([
      ["slowest", 4000, 4 * 60_000],
      ["slowest", 3000, 3 * 60_000],
      ["slowest", 2000, 2 * 60_000],
      ["faulted", 300, 8 * 60_000],
      ["faulted", 300, 7 * 60_000],
      ["faulted", 300, 6 * 60_000],
      ["cold-start", 4200, 9 * 60_000],
    ]);
    expect(detail.exemplars[0]!.xrayConsoleUrl).toBe(`https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#xray:traces/${detail.exemplars[0]!.traceId}`);
    expect(detail.functions).toEqual([{ ...OWN, functionName: "payments-api" }]);
    expect(graph.exemplarReads).toEqual(["payments-api"]);
  });

  it("a collapsed service gathers the exemplars of all its functions", async () => {
    const { graph, deps } = world();
    graph.exemplars.push(exemplar("shipping-rates-api", "cold-start", 1, 6500));
    const detail = await getServiceMapNodeDetail(deps, { scope: OWN, window: WINDOW, grouping: "service", nodeId: "group:service:shipping" });
    expect(detail.exemplars.map((e) => e.traceId)).toEqual([exemplar("shipping-rates-api", "cold-start", 1, 6500).traceId]);
    expect(detail.node.badges).toHaveLength(1);
  });

  it("reads no exemplars for nodes that are not Lambda functions", async () => {
    const { graph, deps } = world();
    const detail = await getServiceMapNodeDetail(deps, { scope: OWN, window: WINDOW, grouping: "none", nodeId: id(TABLE, "payments-table") });
    expect(detail).toMatchObject({ hasExemplarSource: false, exemplars: [], functions: [] });
    expect(graph.exemplarReads).toEqual([]);
  });

  it("refuses a node that is not on that map", async () => {
    const { deps } = world();
    await expect(getServiceMapNodeDetail(deps, { scope: OWN, window: WINDOW, grouping: "service", nodeId: id(FUNCTION, "payments-api") })).rejects.toBeInstanceOf(UnknownMapNodeError);
  });
});
