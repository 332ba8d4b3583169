import { bucketId, type AllocationBucket, type FunctionUnitCost, type RouteUnitCost } from "@/lib/domain/cost/cost-types";
import { MICRO_USD_PER_USD, type MicroUsd } from "@/lib/domain/cost/micro-usd";
import { nodeKindOf, type NodeKind, type ServiceGraphSnapshot, type ServiceNode } from "@/lib/domain/service-map/service-graph-snapshot";

/**
 * Unit costs (issue 8): what one invocation of a function costs, and what one request of an
 * API route costs across everything it touches (API Gateway, the functions it runs — directly,
 * or later through queues, topics and buses — and the DynamoDB, SQS, SNS and EventBridge calls
 * they make): "cost per order".
 */

/** Cost Explorer's service name of API Gateway (its cost per request prices the route's entry). */
export const API_GATEWAY_SERVICE = "Amazon API Gateway";

/**
 * API Gateway REST list price per request (us-east-1, first 333 M a month: $3.50 per million),
 * used when the caller has no observed API Gateway cost per request.
 */
export const API_GATEWAY_REST_REQUEST_USD = 3.5 / 1_000_000;

/** The Cost Explorer service billing calls to a service-graph node of a kind. */
export const COST_EXPLORER_SERVICE_BY_NODE_KIND: Readonly<Partial<Record<NodeKind, string>>> = {
  "dynamodb-table": "Amazon DynamoDB",
  queue: "Amazon Simple Queue Service",
  topic: "Amazon Simple Notification Service",
  "event-bus": "Amazon EventBridge",
};

/** Longest call chain followed from a route's entry (deeper paths are cut: a guard, not a limit real graphs reach). */
export const MAX_ROUTE_DEPTH = 16;
/** Most path steps one route's walk may take (a guard against pathological fan-out). */
const MAX_ROUTE_STEPS = 100_000;

/**
 * Cost per invocation of each function over a window: its cost / its invocations (null without
 * invocations). Rows of the same function and bucket are added first. Largest cost first, then by name.
 */
export function functionUnitCosts(
  input: readonly { functionName: string; bucket: AllocationBucket; costMicroUsd: MicroUsd; invocations: number }[],
): FunctionUnitCost[] {
  const merged = new Map<string, { functionName: string; bucket: AllocationBucket; costMicroUsd: MicroUsd; invocations: number }>();
  for (const row of input) {
    const key = `${row.functionName}\u0000${bucketId(row.bucket)}`;
    const found = merged.get(key);
    if (found === undefined) merged.set(key, { ...row });
    else {
      found.costMicroUsd += row.costMicroUsd;
      found.invocations += row.invocations;
    }
  }
  return [...merged.values()]
    .map((row) => ({
      functionName: row.functionName,
      bucket: row.bucket,
      invocations: row.invocations,
      costMicroUsd: row.costMicroUsd,
      costPerInvocationUsd: row.invocations > 0 ? row.costMicroUsd / MICRO_USD_PER_USD / row.invocations : null,
    }))
    .sort((a, b) => b.costMicroUsd - a.costMicroUsd || compare(a.functionName, b.functionName) || compare(bucketId(a.bucket), bucketId(b.bucket)));
}

export interface RouteUnitCostsInput {
  graph: Pick<ServiceGraphSnapshot, "nodes">;
  /** Function name → cost per invocation (USD), e.g. from functionUnitCosts. */
  costPerInvocationUsd: ReadonlyMap<string, number>;
  /** Cost Explorer service name → cost per request (USD), e.g. "Amazon DynamoDB" → cost / requests. */
  costPerRequestUsdByService: ReadonlyMap<string, number>;
  /** Entry function → route name ("POST /orders"). */
  routeNames?: ReadonlyMap<string, string>;
}

/**
 * The cost of one request of every API route: each edge from an API Gateway stage node to a
 * Lambda node is a route (requests = that edge's count, as X-Ray counted it: sampled traces).
 *
 * Calls per request: the entry Lambda node gets m = 1; a node u reached with m(u) calls per
 * request passes m(u) × count(u→v) / count(u) to each v it calls, where count(u) = the calls
 * reaching u (Σ of its incoming edges; its own count when nothing calls it). That assumes every
 * call into u, whoever made it, causes the same downstream calls (uniform calls): a table
 * shared by two routes charges each by its share of the calls. Paths are followed to the end
 * through queues, topics and buses (their consumers are part of the request, e.g. the order
 * saga behind POST /orders); a node already on the current path is not entered again (cycles),
 * and paths stop at MAX_ROUTE_DEPTH. Where two paths reach one node their calls add up.
 *
 * X-Ray shows a function as two nodes, `AWS::Lambda` (the service, which also counts
 * throttled calls) and `AWS::Lambda::Function` (the code that ran): each function counts once,
 * with the function node's calls when reached, else the service node's.
 *
 * Cost per request = API Gateway's cost per request (the caller's observed figure for
 * "Amazon API Gateway", else the REST list price) + Σ functions m × cost per invocation + Σ
 * DynamoDB tables, queues, topics and buses m × their service's cost per request (0 when the
 * service has no figure). Sorted by requests, most first.
 */
export function routeUnitCosts(input: RouteUnitCostsInput): RouteUnitCost[] {
  const byId = new Map(input.graph.nodes.map((node) => [node.id, node]));
  const incoming = new Map<string, number>();
  for (const node of input.graph.nodes) {
    for (const edge of node.edges) incoming.set(edge.toId, (incoming.get(edge.toId) ?? 0) + edge.stats.totalCount);
  }
  const callsInto = (node: ServiceNode) => {
    const fromEdges = incoming.get(node.id) ?? 0;
    return fromEdges > 0 ? fromEdges : node.stats.totalCount;
  };
  const apiGatewayUsd = input.costPerRequestUsdByService.get(API_GATEWAY_SERVICE) ?? API_GATEWAY_REST_REQUEST_USD;

  const routes: RouteUnitCost[] = [];
  for (const stage of input.graph.nodes) {
    if (nodeKindOf(stage.type) !== "api-stage") continue;
    for (const edge of stage.edges) {
      const entry = byId.get(edge.toId);
      if (entry === undefined || !isLambda(entry) || edge.stats.totalCount <= 0) continue;
      const calls = walk(entry, byId, callsInto);
      routes.push(priceRoute(stage, entry, edge.stats.totalCount, calls, byId, apiGatewayUsd, input));
    }
  }
  return routes.sort((a, b) => b.requests - a.requests || compare(a.route, b.route));
}

function isLambda(node: ServiceNode): boolean {
  const kind = nodeKindOf(node.type);
  return kind === "lambda-service" || kind === "lambda-function";
}

/** Calls per root request of every node reachable from `entry` (entry = 1), summed over paths. */
function walk(entry: ServiceNode, byId: ReadonlyMap<string, ServiceNode>, callsInto: (node: ServiceNode) => number): Map<string, number> {
  const calls = new Map<string, number>();
  const onPath = new Set<string>();
  let steps = 0;
  const visit = (node: ServiceNode, m: number, depth: number) => {
    calls.set(node.id, (calls.get(node.id) ?? 0) + m);
    if (depth >= MAX_ROUTE_DEPTH || steps >= MAX_ROUTE_STEPS) return;
    const into = callsInto(node);
    if (into <= 0) return;
    onPath.add(node.id);
    for (const edge of node.edges) {
      const next = byId.get(edge.toId);
      if (next === undefined || onPath.has(next.id) || edge.stats.totalCount <= 0) continue;
      steps++;
      visit(next, (m * edge.stats.totalCount) / into, depth + 1);
    }
    onPath.delete(node.id);
  };
  visit(entry, 1, 0);
  return calls;
}

function priceRoute(
  stage: ServiceNode,
  entry: ServiceNode,
  requests: number,
  calls: ReadonlyMap<string, number>,
  byId: ReadonlyMap<string, ServiceNode>,
  apiGatewayUsd: number,
  input: RouteUnitCostsInput,
): RouteUnitCost {
  // One figure per function: the function node's calls when reached, else the service node's.
  const functionCalls = new Map<string, { m: number; fromFunctionNode: boolean }>();
  const services: RouteUnitCost["touches"] = [];
  for (const [id, m] of calls) {
    const node = byId.get(id)!;
    const kind = nodeKindOf(node.type);
    if (kind === "lambda-function" || kind === "lambda-service") {
      const fromFunctionNode = kind === "lambda-function";
      const found = functionCalls.get(node.name);
      if (found === undefined || (fromFunctionNode && !found.fromFunctionNode)) functionCalls.set(node.name, { m, fromFunctionNode });
      continue;
    }
    const service = kind === null ? undefined : COST_EXPLORER_SERVICE_BY_NODE_KIND[kind];
    if (service === undefined) continue;
    const usdPerCall = input.costPerRequestUsdByService.get(service) ?? 0;
    services.push({ name: node.name, kind: "service", callsPerRequest: m, costPerRequestUsd: m * usdPerCall });
  }
  const lambdas: RouteUnitCost["touches"] = [...functionCalls.entries()].map(([name, { m }]) => ({
    name,
    kind: "lambda",
    callsPerRequest: m,
    costPerRequestUsd: m * (input.costPerInvocationUsd.get(name) ?? 0),
  }));
  const byName = (a: { name: string }, b: { name: string }) => compare(a.name, b.name);
  const touches: RouteUnitCost["touches"] = [
    { name: stage.name, kind: "api-gateway", callsPerRequest: 1, costPerRequestUsd: apiGatewayUsd },
    ...lambdas.sort(byName),
    ...services.sort(byName),
  ];
  return {
    route: input.routeNames?.get(entry.name) ?? `${stage.name} → ${entry.name}`,
    apiStage: stage.name,
    entryFunction: entry.name,
    requests,
    costPerRequestUsd: touches.reduce((sum, t) => sum + t.costPerRequestUsd, 0),
    touches,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
