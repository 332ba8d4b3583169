import { addTrafficStats, type TrafficStats } from "@/lib/domain/service-map/traffic-stats";
import type { TimeWindow } from "@/lib/domain/shared/time";

/**
 * A service-graph snapshot: the X-Ray service graph of one account/region over one UTC hour
 * (or the part of the current hour collected so far), with stable node ids so hours merge.
 */

/** Edges of a node to the nodes it called, with what crossed them. */
export interface ServiceEdge {
  /** The called node's id. */
  toId: string;
  stats: TrafficStats;
}

export interface ServiceNode {
  /** Stable across windows: `<type>|<name>` plus `|<account>` when X-Ray names one (nodeIdOf). */
  id: string;
  name: string;
  /** X-Ray's type: `AWS::Lambda::Function`, `AWS::ApiGateway::Stage`, `client`, `remote`, … */
  type: string;
  accountId: string | null;
  /** X-Ray marks the first service of traces as root (an entry point of the map). */
  root: boolean;
  /** The node's own statistics; zero for `client` nodes (X-Ray reports none for them). */
  stats: TrafficStats;
  /** Sorted by toId. */
  edges: ServiceEdge[];
}

export interface ServiceGraphSnapshot {
  accountId: string;
  region: string;
  /** An hour [H, H + 1 h), or [H, last complete minute) while the hour is not complete. */
  window: TimeWindow;
  /** False while the hour is still being collected; the complete snapshot replaces it. */
  complete: boolean;
  /** Sorted by id. */
  nodes: ServiceNode[];
}

/** The stable id of a node: X-Ray's ReferenceIds are only valid within one response. */
export function nodeIdOf(node: { type: string; name: string; accountId: string | null }): string {
  return node.accountId === null ? `${node.type}|${node.name}` : `${node.type}|${node.name}|${node.accountId}`;
}

export const LAMBDA_FUNCTION_TYPE = "AWS::Lambda::Function";

/** What the map draws a node as. */
export type NodeKind = "client" | "api-stage" | "lambda-service" | "lambda-function" | "dynamodb-table" | "queue" | "topic" | "event-bus" | "aws-service" | "database" | "remote";

/** X-Ray types taken as they are; any other `AWS::…` type is an AWS service the map shows generically. */
const KNOWN_TYPES: Readonly<Record<string, NodeKind>> = {
  client: "client",
  remote: "remote",
  "database::SQL": "database",
  "AWS::ApiGateway::Stage": "api-stage",
  "AWS::Lambda": "lambda-service",
  "AWS::Lambda::Function": "lambda-function",
  "AWS::DynamoDB::Table": "dynamodb-table",
  "AWS::SQS::Queue": "queue",
  "AWS::SNS": "topic",
  "AWS::Events": "event-bus",
};

/** `AWS::Service` or `AWS::Service::Resource` (X-Ray's naming for AWS resources). */
const AWS_TYPE = /^AWS::[A-Za-z0-9]+(::[A-Za-z0-9]+)*$/;

/** The kind of an X-Ray node type, or null for a type this product does not know (skipped with a warning). */
export function nodeKindOf(type: string): NodeKind | null {
  return KNOWN_TYPES[type] ?? (AWS_TYPE.test(type) ? "aws-service" : null);
}

/** Code-point order, independent of the runtime's locale, so stored order never varies. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function mergeEdges(edges: readonly ServiceEdge[]): ServiceEdge[] {
  const byTarget = new Map<string, TrafficStats[]>();
  for (const edge of edges) {
    const list = byTarget.get(edge.toId) ?? [];
    list.push(edge.stats);
    byTarget.set(edge.toId, list);
  }
  return [...byTarget.entries()]
    .sort(([a], [b]) => compareIds(a, b))
    .map(([toId, stats]) => ({ toId, stats: addTrafficStats(...stats) }));
}

/**
 * Merges nodes with the same id (their stats add up, their edges merge by target, root if
 * any is) and sorts nodes and edges, so equal graphs always have the same representation.
 * Edges to ids not among the nodes are dropped and counted (`danglingEdges`) — unless
 * `keepDangling`, for a chunk of a snapshot whose targets live in other chunks.
 */
export function mergeNodes(nodes: readonly ServiceNode[], options: { keepDangling?: boolean } = {}): { nodes: ServiceNode[]; danglingEdges: number } {
  const byId = new Map<string, ServiceNode[]>();
  for (const node of nodes) {
    const list = byId.get(node.id) ?? [];
    list.push(node);
    byId.set(node.id, list);
  }
  let danglingEdges = 0;
  const merged = [...byId.entries()]
    .sort(([a], [b]) => compareIds(a, b))
    .map(([id, same]): ServiceNode => {
      const first = same[0]!;
      const edges = mergeEdges(same.flatMap((n) => n.edges)).filter((edge) => {
        if (options.keepDangling || byId.has(edge.toId)) return true;
        danglingEdges++;
        return false;
      });
      return {
        id,
        name: first.name,
        type: first.type,
        accountId: first.accountId,
        root: same.some((n) => n.root),
        stats: same.length === 1 ? first.stats : addTrafficStats(...same.map((n) => n.stats)),
        edges,
      };
    });
  return { nodes: merged, danglingEdges };
}

/** Builds the snapshot of a window from the nodes read (normalised by mergeNodes). */
export function assembleSnapshot(input: {
  accountId: string;
  region: string;
  window: TimeWindow;
  complete: boolean;
  nodes: readonly ServiceNode[];
}): { snapshot: ServiceGraphSnapshot; danglingEdges: number } {
  const { nodes, danglingEdges } = mergeNodes(input.nodes);
  return {
    snapshot: { accountId: input.accountId, region: input.region, window: { ...input.window }, complete: input.complete, nodes },
    danglingEdges,
  };
}

/** The Lambda function nodes of a snapshot (where exemplar traces are looked for). */
export function functionNodesOf(snapshot: ServiceGraphSnapshot): ServiceNode[] {
  return snapshot.nodes.filter((node) => node.type === LAMBDA_FUNCTION_TYPE);
}
