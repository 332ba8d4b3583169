import { describe, expect, it } from "vitest";
import { API_GATEWAY_REST_REQUEST_USD, functionUnitCosts, routeUnitCosts } from "@/lib/domain/cost/unit-costs";
import type { ServiceNode } from "@/lib/domain/service-map/service-graph-snapshot";
import { aNode, traffic } from "@/tests/builders/service-graph";

describe("functionUnitCosts", () => {
  it("divides cost by invocations (USD), adds rows of one function and bucket, largest cost first", () => {
    const payments = { kind: "value", value: "payments" } as const;
    const rows = functionUnitCosts([
      { functionName: "orders-api", bucket: { kind: "value", value: "commerce" }, costMicroUsd: 2_000_000, invocations: 1_000_000 },
      { functionName: "payments-api", bucket: payments, costMicroUsd: 18_000_000, invocations: 400_000 },
      { functionName: "payments-api", bucket: payments, costMicroUsd: 2_000_000, invocations: 100_000 },
      { functionName: "idle-fn", bucket: { kind: "unallocated" }, costMicroUsd: 500, invocations: 0 },
    ]);
    expect(rows.map((r) => r.functionName)).toEqual(["payments-api", "orders-api", "idle-fn"]);
    expect(rows[0]).toMatchObject({ costMicroUsd: 20_000_000, invocations: 500_000, costPerInvocationUsd: 0.00004 });
    expect(rows[1]!.costPerInvocationUsd).toBeCloseTo(0.000002, 15);
    expect(rows[2]!.costPerInvocationUsd).toBeNull();
  });
});

/**
 * POST /orders: client → stage → AWS::Lambda orders-api (100, 2 throttled) → AWS::Lambda::Function
 * orders-api (98) → orders table (2 reads per invocation) and the order-events queue (1 each) →
 * AWS::Lambda order-saga → AWS::Lambda::Function order-saga → orders table (1 each).
 * GET /users: 300 requests → users-api → users table.
 */
function shop(options: { cycle?: boolean } = {}): ServiceNode[] {
  const ordersTable = aNode("AWS::DynamoDB::Table", "orders", traffic({ ok: 294 }));
  const usersTable = aNode("AWS::DynamoDB::Table", "users", traffic({ ok: 300 }));
  const sagaFn = aNode("AWS::Lambda::Function", "order-saga", traffic({ ok: 98 }), [{ to: ordersTable, stats: traffic({ ok: 98 }) }]);
  const sagaSvc = aNode("AWS::Lambda", "order-saga", traffic({ ok: 98 }), [{ to: sagaFn, stats: traffic({ ok: 98 }) }]);
  const queue = aNode("AWS::SQS::Queue", "order-events", traffic({ ok: 196 }), [{ to: sagaSvc, stats: traffic({ ok: 98 }) }]);
  const ordersFn = aNode("AWS::Lambda::Function", "orders-api", traffic({ ok: 98 }), [
    { to: ordersTable, stats: traffic({ ok: 196 }) },
    { to: queue, stats: traffic({ ok: 98 }) },
  ]);
  const ordersSvc = aNode("AWS::Lambda", "orders-api", traffic({ ok: 98, throttle: 2 }), [{ to: ordersFn, stats: traffic({ ok: 98 }) }]);
  const usersFn = aNode("AWS::Lambda::Function", "users-api", traffic({ ok: 300 }), [{ to: usersTable, stats: traffic({ ok: 300 }) }]);
  const usersSvc = aNode("AWS::Lambda", "users-api", traffic({ ok: 300 }), [{ to: usersFn, stats: traffic({ ok: 300 }) }]);
  const stage = aNode("AWS::ApiGateway::Stage", "shop/prod", traffic({ ok: 398, throttle: 2 }), [
    { to: ordersSvc, stats: traffic({ ok: 98, throttle: 2 }) },
    { to: usersSvc, stats: traffic({ ok: 300 }) },
  ]);
  const client = aNode("client", "shop/prod", traffic(), [{ to: stage, stats: traffic({ ok: 398, throttle: 2 }) }]);
  if (options.cycle) sagaFn.edges.push({ toId: ordersSvc.id, stats: traffic({ ok: 10 }) });
  return [client, stage, ordersSvc, ordersFn, queue, sagaSvc, sagaFn, ordersTable, usersSvc, usersFn, usersTable];
}

const PER_INVOCATION = new Map([["orders-api", 0.00001], ["order-saga", 0.000002], ["users-api", 0.000001]]);
const PER_REQUEST = new Map([["Amazon DynamoDB", 0.00000125], ["Amazon Simple Queue Service", 0.0000012]]);

describe("routeUnitCosts", () => {
  it("walks every route from its API stage through functions, queues and tables, counting each function once", () => {
    const routes = routeUnitCosts({
      graph: { nodes: shop() },
      costPerInvocationUsd: PER_INVOCATION,
      costPerRequestUsdByService: PER_REQUEST,
      routeNames: new Map([["orders-api", "POST /orders"]]),
    });
    expect(routes.map((r) => [r.route, r.requests])).toEqual([["shop/prod → users-api", 300], ["POST /orders", 100]]);
    const orders = routes[1]!;
    expect(orders).toMatchObject({ apiStage: "shop/prod", entryFunction: "orders-api" });
    const calls = Object.fromEntries(orders.touches.map((t) => [`${t.kind}:${t.name}`, t.callsPerRequest]));
    // 98 of 100 requests ran the function (2 throttled); 2 table reads each; the saga's table
    // write reached through the queue adds 1 per message.
    expect(calls["api-gateway:shop/prod"]).toBe(1);
    expect(calls["lambda:orders-api"]).toBeCloseTo(0.98, 12);
    expect(calls["lambda:order-saga"]).toBeCloseTo(0.98, 12);
    expect(calls["service:order-events"]).toBeCloseTo(0.98, 12);
    expect(calls["service:orders"]).toBeCloseTo(0.98 * 2 + 0.98, 12);
    expect(orders.touches.filter((t) => t.kind === "lambda")).toHaveLength(2);
    const expected = API_GATEWAY_REST_REQUEST_USD + 0.98 * 0.00001 + 0.98 * 0.000002 + 2.94 * 0.00000125 + 0.98 * 0.0000012;
    expect(orders.costPerRequestUsd).toBeCloseTo(expected, 15);
  });

  it("prices API Gateway from the observed cost per request when given", () => {
    const [users] = routeUnitCosts({
      graph: { nodes: shop() },
      costPerInvocationUsd: PER_INVOCATION,
      costPerRequestUsdByService: new Map([...PER_REQUEST, ["Amazon API Gateway", 0.000004]]),
    });
    expect(users!.costPerRequestUsd).toBeCloseTo(0.000004 + 0.000001 + 0.00000125, 15);
  });

  it("stops at a cycle instead of looping", () => {
    const routes = routeUnitCosts({ graph: { nodes: shop({ cycle: true }) }, costPerInvocationUsd: PER_INVOCATION, costPerRequestUsdByService: PER_REQUEST });
    const orders = routes.find((r) => r.entryFunction === "orders-api")!;
    expect(Number.isFinite(orders.costPerRequestUsd)).toBe(true);
    // The callback is not followed (orders-api is on the path), but it is one of the 110 calls
    // into orders-api, of which 98 ran: uniform calls give 98 / 110 per request.
    expect(orders.touches.find((t) => t.name === "orders-api")!.callsPerRequest).toBeCloseTo(98 / 110, 12);
    expect(orders.touches.filter((t) => t.name === "orders-api")).toHaveLength(1);
  });

  it("has no route without an API stage", () => {
    const fn = aNode("AWS::Lambda::Function", "worker", traffic({ ok: 5 }));
    const queue = aNode("AWS::SQS::Queue", "jobs", traffic({ ok: 5 }), [{ to: fn, stats: traffic({ ok: 5 }) }], true);
    expect(routeUnitCosts({ graph: { nodes: [queue, fn] }, costPerInvocationUsd: new Map(), costPerRequestUsdByService: new Map() })).toEqual([]);
  });
});
