import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventWindows } from "@/infra/local/sim/model/events";
import { createSimModel } from "@/infra/local/sim/model/minute-stats";
import { DynamoReportStatsStore } from "@/lib/adapters/dynamodb/report-stats-repository";
import { DynamoSloStore } from "@/lib/adapters/dynamodb/slo-repository";
import { DynamoServiceGraphStore } from "@/lib/adapters/dynamodb/service-graph-repository";
import { floorToHourMs, type TimeWindow } from "@/lib/domain/shared/time";
import { getServiceMapNodeDetail, getServiceMapView, type ServiceMapView, type ServiceMapViewDeps } from "@/lib/queries/service-map-view";
import { collectEcommerce, type CollectedEcommerce } from "@/tests/support/collected-ecommerce";

/**
 * The service map over the ecommerce account as the real collectors stored it in dynalite:
 * 24 hours ending two hours after the payment provider's degradation. Expectations come from
 * the scenario (infra/local/sim/scenarios/ecommerce.yaml) and the simulator's event schedule.
 */
const HOUR = 3_600_000;
const MINUTE = 60_000;
const ACCOUNT = "123456789012";
const id = (type: string, name: string) => `${type}|${name}|${ACCOUNT}`;
const STAGE = id("AWS::ApiGateway::Stage", "shop-api/prod");
const PAYMENTS_LAMBDA = id("AWS::Lambda", "payments-api");
const PAYMENTS_FN = id("AWS::Lambda::Function", "payments-api");
const PAYMENTS_TABLE = id("AWS::DynamoDB::Table", "payments-table");

let collected: CollectedEcommerce;
let deps: ServiceMapViewDeps;
let day: ServiceMapView;
/** Whole hours before the burst without any payment-provider degradation, per the simulator. */
let calmWindow: TimeWindow;

function burstFreeWindowBefore(c: CollectedEcommerce): TimeWindow {
  const model = createSimModel(c.stack.scenario, { seed: c.stack.sim.seed, anchorDay: c.stack.sim.anchorDay });
  const degradation = model.fleet.events.find((e) => e.name === "payment-provider-degradation")!;
  // Two whole hours, stepping back from four hours before the burst until none overlaps them.
  for (let end = floorToHourMs(c.paymentBurst.fromMs) - 2 * HOUR; end - 2 * HOUR >= c.window.fromMs; end -= HOUR) {
    const window = { fromMs: end - 2 * HOUR, toMs: end };
    if (eventWindows([degradation], window.fromMs / MINUTE, window.toMs / MINUTE, model.seed).length === 0) return window;
  }
  throw new Error("no burst-free two hours in the collected day");
}

const node = (view: ServiceMapView, nodeId: string) => view.nodes.find((n) => n.id === nodeId);
const edge = (view: ServiceMapView, fromId: string, toId: string) => view.edges.find((e) => e.fromId === fromId && e.toId === toId);

beforeAll(async () => {
  collected = await collectEcommerce();
  const { runtime } = collected;
  deps = {
    functions: runtime.functions,
    serviceGraph: new DynamoServiceGraphStore(runtime.doc, runtime.tableName),
    reportStats: new DynamoReportStatsStore(runtime.doc, runtime.tableName),
    watermarks: runtime.watermarks,
    slos: new DynamoSloStore(runtime.doc, runtime.tableName),
  };
  calmWindow = burstFreeWindowBefore(collected);
  day = await getServiceMapView(deps, { scope: null, window: collected.window, compareWindow: null, grouping: "none", nowMs: collected.nowMs });
}, 600_000);

afterAll(async () => {
  await collected?.close();
});

describe("the service map of the collected ecommerce day", () => {
  it("shows the one collected account, with the graph of every hour of the day", () => {
    expect(day.scope).toEqual(collected.scope);
    expect(day.scopes.map((s) => `${s.accountId}/${s.region}`)).toEqual([`${ACCOUNT}/us-east-1`]);
    expect(day.coverage!.hourCount).toBeGreaterThanOrEqual(24);
    // The collector has written every hour of the day it was asked for (the first may start before it).
    expect(day.coverage!.missingHourStarts.filter((h) => h >= collected.window.fromMs)).toEqual([]);
    expect(day.collection?.lastError).toBeNull();
  });

  it("draws the API Gateway stage, the traced functions and the DynamoDB tables they call", () => {
    expect(node(day, STAGE)?.kind).toBe("api-stage");
    expect(node(day, "client|shop-api/prod")?.kind).toBe("client");
    // Active tracing in the scenario: users-api, orders-api, inventory-api, shipping-rates-api,
    // payments-api, order-saga-process-payment; untraced functions are not on the map.
    const functions = day.nodes.filter((n) => n.kind === "lambda-function").map((n) => n.name).sort();
    expect(functions).toEqual(["inventory-api", "order-saga-process-payment", "orders-api", "payments-api", "shipping-rates-api", "users-api"]);
    const tables = day.nodes.filter((n) => n.kind === "dynamodb-table").map((n) => n.name).sort();
    expect(tables).toEqual(["inventory-table", "orders-table", "payments-table", "users-table"]);
    expect(node(day, "remote|api.payment-provider.example")?.kind).toBe("remote");
  });

  it("edges carry calls per minute consistent with the nodes they join", () => {
    // Every request of payments-api's Lambda node came through the stage …
    const lambda = node(day, PAYMENTS_LAMBDA)!;
    const fromStage = edge(day, STAGE, PAYMENTS_LAMBDA)!;
    expect(fromStage.totalCount).toBe(lambda.totalCount);
    expect(fromStage.traffic.requestsPerMinute).toBeCloseTo(lambda.traffic.requestsPerMinute, 9);
    // … every request of the stage came from its client, and went on to exactly one function.
    const stage = node(day, STAGE)!;
    expect(edge(day, "client|shop-api/prod", STAGE)!.totalCount).toBe(stage.totalCount);
    const outOfStage = day.edges.filter((e) => e.fromId === STAGE).reduce((sum, e) => sum + e.totalCount, 0);
    expect(outOfStage).toBe(stage.totalCount);
    // payments-api writes payments-table once per invocation (perInvocation: 1).
    expect(edge(day, PAYMENTS_FN, PAYMENTS_TABLE)!.totalCount).toBe(node(day, PAYMENTS_FN)!.totalCount);
    // X-Ray samples 1 request/s, then 5 % of the rest; payments-api never drops below 1/s
    // (mean 13.9/s, trough a fifth of the peak), so at least 60 sampled per minute, and on
    // average about 60 + 5 % × (833 − 60) ≈ 99.
    expect(lambda.traffic.requestsPerMinute).toBeGreaterThan(60);
    expect(lambda.traffic.requestsPerMinute).toBeLessThan(140);
  });

  it("shows the error burst as faults on payments-api, and a non-ok health over the burst", async () => {
    const dayFn = node(day, PAYMENTS_FN)!;
    expect(dayFn.outcomes.find((o) => o.outcome === "fault")!.count).toBeGreaterThan(0);
    const burst = await getServiceMapView(deps, { scope: collected.scope, window: collected.paymentBurst, compareWindow: null, grouping: "none", nowMs: collected.nowMs });
    const fn = node(burst, PAYMENTS_FN)!;
    // 8 % of payments fail for 25 minutes: diluted over the one or two whole hours around it,
    // still above the 0.5 % a warning takes.
    expect(fn.traffic.faultRatio!).toBeGreaterThan(0.005);
    expect(["warning", "critical"]).toContain(fn.health);
    expect(fn.healthCauses).toContain("faults");
    // The saga's payment step goes through the same provider.
    expect(node(burst, id("AWS::Lambda::Function", "order-saga-process-payment"))!.health).not.toBe("ok");
  });

  it("compared with calm hours before, the burst's fault ratio rises", async () => {
    const view = await getServiceMapView(deps, { scope: collected.scope, window: collected.paymentBurst, compareWindow: calmWindow, grouping: "none", nowMs: collected.nowMs });
    const change = node(view, PAYMENTS_FN)!.change!;
    expect(change.presence).toBe("both");
    expect(change.faultRatioDelta!).toBeGreaterThan(0.005);
    expect(change.verdict).toBe("worse");
    expect(change.reasons).toContain("faults");
    expect(edge(view, STAGE, PAYMENTS_LAMBDA)!.change!.faultRatioDelta!).toBeGreaterThan(0);
  });

  it("badges the cold-start-heavy function of the scenario (sparse java17 shipping-rates-api), not payments-api", () => {
    expect(node(day, id("AWS::Lambda::Function", "shipping-rates-api"))!.badges.map((b) => b.kind)).toEqual(["cold-start-heavy"]);
    expect(node(day, PAYMENTS_FN)!.badges).toEqual([]);
  });

  it("collapses by service: payments-table, shared by payments and the saga, stays between them", async () => {
    const view = await getServiceMapView(deps, { scope: null, window: collected.window, compareWindow: null, grouping: "service", nowMs: collected.nowMs });
    const ids = view.nodes.map((n) => n.id);
    expect(ids).toEqual(expect.arrayContaining(["group:service:payments", "group:service:order-saga", "group:service:users", PAYMENTS_TABLE, STAGE]));
    // users-table is used by users-api only: part of the users service.
    expect(ids).not.toContain(id("AWS::DynamoDB::Table", "users-table"));
    expect(edge(view, "group:service:payments", PAYMENTS_TABLE)).toBeDefined();
    expect(edge(view, "group:service:order-saga", PAYMENTS_TABLE)).toBeDefined();
    expect(view.nodes.length).toBeLessThan(day.nodes.length);
  });

  it("the side panel of payments-api has its histogram and exemplar traces linked to the X-Ray console", async () => {
    const detail = await getServiceMapNodeDetail(deps, { scope: collected.scope, window: collected.window, grouping: "none", nodeId: PAYMENTS_FN });
    expect(detail.histogram.reduce((sum, bin) => sum + bin.count, 0)).toBe(detail.node.totalCount);
    expect(detail.exemplars.length).toBeGreaterThan(0);
    for (const exemplar of detail.exemplars) {
      expect(exemplar.functionName).toBe("payments-api");
      expect(exemplar.xrayConsoleUrl).toBe(`https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#xray:traces/${exemplar.traceId}`);
      expect(exemplar.traceId).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    }
    // The burst's faults give faulted exemplars, newest first.
    const faulted = detail.exemplars.filter((e) => e.kind === "faulted");
    expect(faulted.length).toBeGreaterThan(0);
    expect(faulted.every((e) => e.hasFault)).toBe(true);
    expect(faulted.map((e) => e.startMs)).toEqual([...faulted.map((e) => e.startMs)].sort((a, b) => b - a));
    expect(detail.functions).toEqual([{ ...collected.scope, functionName: "payments-api" }]);
  });
});
