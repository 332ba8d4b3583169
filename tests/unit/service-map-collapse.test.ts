import { describe, expect, it } from "vitest";
import { AUTO_COLLAPSE_ABOVE_NODES, collapseByService, groupNodeIdOf, shouldCollapse } from "@/lib/domain/service-map/collapse-by-service";
import { serviceGroupOf, toMapGraph, type MapGraph } from "@/lib/domain/service-map/map-graph";
import type { ServiceNode } from "@/lib/domain/service-map/service-graph-snapshot";
import { aNode, traffic } from "@/tests/builders/service-graph";

const LAMBDA = "AWS::Lambda";
const FUNCTION = "AWS::Lambda::Function";
const TABLE = "AWS::DynamoDB::Table";
const STAGE = "AWS::ApiGateway::Stage";

/** client → stage → (Lambda → function) per API function, each function → its tables. */
function shop(): ServiceNode[] {
  const paymentsTable = aNode(TABLE, "payments-table", traffic({ ok: 300 }));
  const ordersTable = aNode(TABLE, "orders-table", traffic({ ok: 400, throttle: 100 }));
  const provider = aNode("remote", "api.payment-provider.example", traffic({ ok: 180, fault: 20 }));
  const paymentsFn = aNode(FUNCTION, "payments-api", traffic({ ok: 180, fault: 20 }), [
    { to: paymentsTable, stats: traffic({ ok: 200 }) },
    { to: provider, stats: traffic({ ok: 180, fault: 20 }) },
  ]);
  const sagaFn = aNode(FUNCTION, "order-saga-process-payment", traffic({ ok: 100 }), [{ to: paymentsTable, stats: traffic({ ok: 100 }) }]);
  const ordersFn = aNode(FUNCTION, "orders-api", traffic({ ok: 500 }), [{ to: ordersTable, stats: traffic({ ok: 400, throttle: 100 }) }]);
  const ordersWorker = aNode(FUNCTION, "orders-worker", traffic({ ok: 50 }));
  const paymentsLambda = aNode(LAMBDA, "payments-api", traffic({ ok: 180, fault: 20, latencyMs: 25 }), [{ to: paymentsFn, stats: traffic({ ok: 180, fault: 20 }) }]);
  const ordersLambda = aNode(LAMBDA, "orders-api", traffic({ ok: 500, latencyMs: 25 }), [
    { to: ordersFn, stats: traffic({ ok: 500 }) },
  ]);
  // orders-api invokes its worker synchronously: a call inside the service.
  ordersFn.edges.push({ toId: `${LAMBDA}|orders-worker|123456789012`, stats: traffic({ ok: 50 }) });
  const workerLambda = aNode(LAMBDA, "orders-worker", traffic({ ok: 50 }), [{ to: ordersWorker, stats: traffic({ ok: 50 }) }]);
  const sagaLambda = aNode(LAMBDA, "order-saga-process-payment", traffic({ ok: 100 }), [{ to: sagaFn, stats: traffic({ ok: 100 }) }], true);
  const stage = aNode(STAGE, "shop-api/prod", traffic({ ok: 680, fault: 20 }), [
    { to: paymentsLambda, stats: traffic({ ok: 180, fault: 20 }) },
    { to: ordersLambda, stats: traffic({ ok: 500 }) },
  ], true);
  const client = aNode("client", "shop-api/prod", traffic(), [{ to: stage, stats: traffic({ ok: 680, fault: 20 }) }]);
  return [client, stage, paymentsLambda, paymentsFn, ordersLambda, ordersFn, workerLambda, ordersWorker, sagaLambda, sagaFn, paymentsTable, ordersTable, provider];
}

const TAGS: Record<string, Record<string, string>> = {
  "payments-api": { service: "payments" },
  "orders-api": { service: "orders" },
  "orders-worker": { service: "orders" },
  "order-saga-process-payment": { service: "order-saga" },
};
const groupOf = (name: string) => serviceGroupOf(name, TAGS[name]);

describe("toMapGraph", () => {
  it("lists every edge once, gives client nodes the traffic they sent, and Lambda nodes their service", () => {
    const map = toMapGraph(shop(), groupOf);
    expect(map.nodes).toHaveLength(13);
    expect(map.edges).toHaveLength(12);
    const client = map.nodes.find((n) => n.kind === "client")!;
    expect(client.stats.totalCount).toBe(700);
    // 20 faults of the 700 requests it sent: 2.9 %.
    expect(client.health).toBe("critical");
    expect(map.nodes.find((n) => n.id === `${FUNCTION}|orders-worker|123456789012`)!.group).toEqual({ key: "service:orders", label: "orders", tagged: true });
    expect(map.nodes.find((n) => n.kind === "dynamodb-table")!.group).toBeNull();
    expect(map.nodes.find((n) => n.id === `${LAMBDA}|payments-api|123456789012`)!.functionNames).toEqual(["payments-api"]);
  });
});

describe("serviceGroupOf", () => {
  it.each([
    ["payments-api", { service: "payments" }, { key: "service:payments", label: "payments", tagged: true }],
    ["legacy-report-generator", undefined, { key: "prefix:legacy", label: "legacy-*", tagged: false }],
    ["legacy_cleanup", {}, { key: "prefix:legacy", label: "legacy-*", tagged: false }],
    ["solo", { team: "x" }, { key: "prefix:solo", label: "solo-*", tagged: false }],
  ])("%s with tags %j", (name, tags, expected) => {
    expect(serviceGroupOf(name, tags)).toEqual(expected);
  });

  it("a service tag never shares a group with an untagged name prefix of the same word", () => {
    expect(serviceGroupOf("legacy-a", { service: "legacy" }).key).not.toBe(serviceGroupOf("legacy-b", undefined).key);
  });
});

describe("collapseByService", () => {
  const collapsed = () => collapseByService(toMapGraph(shop(), groupOf));
  const byId = (map: MapGraph, id: string) => map.nodes.find((n) => n.id === id);

  it("folds each service's Lambda nodes and private resources into one node; shared resources and entry points stay", () => {
    const map = collapsed();
    // The payment provider is called by payments only: folded into it. The payments table is
    // shared with the saga: it stays, like the stage and client where services meet.
    expect(map.nodes.map((n) => n.id)).toEqual(
      [
        "client|shop-api/prod",
        `${STAGE}|shop-api/prod|123456789012`,
        `${TABLE}|payments-table|123456789012`,
        "group:service:order-saga",
        "group:service:orders",
        "group:service:payments",
      ].sort(),
    );
    expect(byId(map, "group:service:payments")!.memberIds).toContain("remote|api.payment-provider.example");
    expect(byId(map, "group:service:orders")!.memberIds).toEqual(
      [`${LAMBDA}|orders-api|123456789012`, `${LAMBDA}|orders-worker|123456789012`, `${FUNCTION}|orders-api|123456789012`, `${FUNCTION}|orders-worker|123456789012`, `${TABLE}|orders-table|123456789012`].sort(),
    );
    expect(byId(map, "group:service:payments")!.functionNames).toEqual(["payments-api"]);
  });

  it("a service's traffic is the requests into it, not every member's added up", () => {
    const map = collapsed();
    // orders: only the orders-api Lambda node is reached from outside (500); the function,
    // the worker (called by orders-api) and the table would count the same requests again.
    expect(byId(map, "group:service:orders")!.stats.totalCount).toBe(500);
    expect(byId(map, "group:service:payments")!.stats.faultCount).toBe(20);
    // The saga step is a root (Step Functions is not traced): its Lambda node is the entry.
    expect(byId(map, "group:service:order-saga")!.stats.totalCount).toBe(100);
    expect(byId(map, "group:service:order-saga")!.root).toBe(true);
  });

  it("a service is as unhealthy as its worst member", () => {
    const map = collapsed();
    // orders' own traffic is clean, but its table throttles 20 % of calls.
    expect(byId(map, "group:service:orders")!.health).toBe("critical");
    // payments faults 10 % of its requests.
    expect(byId(map, "group:service:payments")!.health).toBe("critical");
    expect(byId(map, "group:service:order-saga")!.health).toBe("ok");
  });

  it("drops calls inside a service and merges edges by their new ends, adding their traffic", () => {
    const map = collapsed();
    expect(map.edges.map((e) => e.id)).toEqual(
      [
        `client|shop-api/prod->${STAGE}|shop-api/prod|123456789012`,
        `${STAGE}|shop-api/prod|123456789012->group:service:orders`,
        `${STAGE}|shop-api/prod|123456789012->group:service:payments`,
        `group:service:order-saga->${TABLE}|payments-table|123456789012`,
        `group:service:payments->${TABLE}|payments-table|123456789012`,
      ].sort(),
    );
    const stageToPayments = map.edges.find((e) => e.toId === "group:service:payments")!;
    expect(stageToPayments.stats.totalCount).toBe(200);
    expect(stageToPayments.health).toBe("critical");
  });

  it("merges parallel edges into one with the sum of their calls", () => {
    const table = aNode(TABLE, "shared", traffic({ ok: 30 }));
    const other = aNode(FUNCTION, "other-fn", traffic({ ok: 5 }), [{ to: table, stats: traffic({ ok: 5 }) }]);
    const a = aNode(FUNCTION, "svc-a", traffic({ ok: 10 }), [{ to: table, stats: traffic({ ok: 10 }) }]);
    const b = aNode(FUNCTION, "svc-b", traffic({ ok: 15, fault: 5 }), [{ to: table, stats: traffic({ ok: 15, fault: 5 }) }]);
    const map = collapseByService(toMapGraph([a, b, other, table], (name) => serviceGroupOf(name, undefined)));
    const edge = map.edges.find((e) => e.fromId === "group:prefix:svc")!;
    expect(edge.stats).toMatchObject({ totalCount: 30, okCount: 25, faultCount: 5 });
    expect(edge.stats.histogram.counts.reduce((s, c) => s + c, 0)).toBe(30);
  });

  it("keeps a node that calls itself, and nodes of no service unchanged", () => {
    const remote = aNode("remote", "loop.example", traffic({ ok: 4 }));
    remote.edges.push({ toId: remote.id, stats: traffic({ ok: 2 }) });
    const map = collapseByService(toMapGraph([remote], groupOf));
    expect(map.nodes).toHaveLength(1);
    expect(map.edges.map((e) => e.id)).toEqual([`${remote.id}->${remote.id}`]);
  });
});

describe("a 200-node fleet", () => {
  /**
   * 20 services × 4 functions (Lambda + function node each = 160 nodes), each service with a
   * private table (20), 10 tables shared by pairs of services, 6 remote hosts shared by
   * several, an API stage with its client, and 2 queues feeding one service each: 200 nodes.
   */
  function fleet(): ServiceNode[] {
    const nodes: ServiceNode[] = [];
    const shared = Array.from({ length: 10 }, (_, i) => aNode(TABLE, `shared-${i}`, traffic({ ok: 10 })));
    const remotes = Array.from({ length: 6 }, (_, i) => aNode("remote", `host-${i}.example`, traffic({ ok: 10 })));
    const stageEdges: { to: ServiceNode; stats: ReturnType<typeof traffic> }[] = [];
    for (let s = 0; s < 20; s++) {
      const own = aNode(TABLE, `svc${s}-table`, traffic({ ok: 40 }));
      nodes.push(own);
      for (let f = 0; f < 4; f++) {
        const name = `svc${s}-fn${f}`;
        const fn = aNode(FUNCTION, name, traffic({ ok: 10 }), [
          { to: own, stats: traffic({ ok: 10 }) },
          { to: shared[(s + f) % 10]!, stats: traffic({ ok: 1 }) },
          { to: remotes[(s * 4 + f) % 6]!, stats: traffic({ ok: 1 }) },
        ]);
        const lambda = aNode(LAMBDA, name, traffic({ ok: 10 }), [{ to: fn, stats: traffic({ ok: 10 }) }], f > 0);
        if (f === 0) stageEdges.push({ to: lambda, stats: traffic({ ok: 10 }) });
        nodes.push(fn, lambda);
      }
    }
    const queues = [0, 1].map((q) => aNode("AWS::SQS::Queue", `queue-${q}`, traffic({ ok: 10 }), [{ to: `${LAMBDA}|svc${q}-fn1|123456789012`, stats: traffic({ ok: 10 }) }], true));
    const stage = aNode(STAGE, "api/prod", traffic({ ok: 200 }), stageEdges, true);
    const client = aNode("client", "api/prod", traffic(), [{ to: stage, stats: traffic({ ok: 200 }) }]);
    return [...nodes, ...shared, ...remotes, ...queues, stage, client];
  }

  it("collapses automatically to a readable map, with no edge lost or doubled", () => {
    const nodes = fleet();
    expect(nodes).toHaveLength(200);
    expect(shouldCollapse("auto", nodes.length)).toBe(true);
    const map = toMapGraph(nodes, (name) => serviceGroupOf(name, { service: name.split("-")[0]! }));
    const collapsed = collapseByService(map);
    // 20 services (own tables and queues folded in), 10 shared tables, 6 shared hosts, stage, client.
    expect(collapsed.nodes).toHaveLength(38);
    expect(collapsed.nodes.length).toBeLessThanOrEqual(AUTO_COLLAPSE_ABOVE_NODES);
    // Each edge appears once per pair of ends …
    expect(new Set(collapsed.edges.map((e) => `${e.fromId}|${e.toId}`)).size).toBe(collapsed.edges.length);
    // … and every call between services or to shared resources is still counted.
    const crossing = map.edges.filter((e) => {
      const group = (id: string) => collapsed.nodes.find((n) => n.memberIds.includes(id))!.id;
      return group(e.fromId) !== group(e.toId);
    });
    const sum = (edges: { stats: { totalCount: number } }[]) => edges.reduce((s, e) => s + e.stats.totalCount, 0);
    expect(sum(collapsed.edges)).toBe(sum(crossing));
    expect(collapsed.edges.find((e) => e.fromId === "group:service:svc3" && e.toId.includes("shared-3"))?.stats.totalCount).toBe(1);
    // svc0 gets the requests into it: 10 from the stage to fn0, 10 through its queue to fn1,
    // 10 each for the root functions fn2 and fn3.
    const svc0 = collapsed.nodes.find((n) => n.id === groupNodeIdOf({ key: "service:svc0", label: "svc0", tagged: true }))!;
    expect(svc0.memberIds).toContain("AWS::SQS::Queue|queue-0|123456789012");
    expect(svc0.stats.totalCount).toBe(40);
  });

  it("leaves a map at the threshold alone under auto, and collapses any size when asked", () => {
    expect(shouldCollapse("auto", AUTO_COLLAPSE_ABOVE_NODES)).toBe(false);
    expect(shouldCollapse("auto", AUTO_COLLAPSE_ABOVE_NODES + 1)).toBe(true);
    expect(shouldCollapse("service", 3)).toBe(true);
    expect(shouldCollapse("none", 500)).toBe(false);
  });
});
