import { classifyHealth, type HealthClass } from "@/lib/domain/service-map/node-health";
import { compareIds, nodeKindOf, type NodeKind, type ServiceNode } from "@/lib/domain/service-map/service-graph-snapshot";
import { addTrafficStats, type TrafficStats } from "@/lib/domain/service-map/traffic-stats";

/**
 * The graph the service map draws: the merged X-Ray nodes with their edges pulled out into a
 * list, each node and edge with its health, Lambda nodes with the service they belong to.
 * Collapsing by service (collapse-by-service.ts) and comparing windows (graph-diff.ts) work on
 * this shape.
 */

/** What the map draws a node as: an X-Ray kind, or a collapsed service. */
export type MapNodeKind = NodeKind | "service";

/** The kinds that stand for a Lambda function (X-Ray shows a service node and a function node). */
export const LAMBDA_KINDS: ReadonlySet<MapNodeKind> = new Set<MapNodeKind>(["lambda-service", "lambda-function"]);

/** The service a Lambda function belongs to on the map. */
export interface ServiceGroup {
  /** `service:<tag>` or, untagged, `prefix:<first word of the name>`; never equal for the two. */
  key: string;
  label: string;
  /** False when guessed from the name (no `service` tag). */
  tagged: boolean;
}

export interface MapNode {
  /** The X-Ray node id (nodeIdOf), or `group:<ServiceGroup.key>` for a collapsed service. */
  id: string;
  name: string;
  kind: MapNodeKind;
  /** X-Ray's type; `service` for a collapsed service. */
  type: string;
  accountId: string | null;
  root: boolean;
  /** The service of a Lambda node or collapsed service; null for other nodes. */
  group: ServiceGroup | null;
  /**
   * The node's traffic. X-Ray reports none for `client` nodes, so theirs is what they sent
   * (their edges). A collapsed service's is the traffic into it (collapse-by-service.ts).
   */
  stats: TrafficStats;
  health: HealthClass;
  /** The X-Ray node ids it stands for (itself, or a service's members), sorted. */
  memberIds: string[];
  /** The Lambda functions among them, sorted: for badges, exemplars and links. */
  functionNames: string[];
}

export interface MapEdge {
  /** `<fromId>-><toId>`. */
  id: string;
  fromId: string;
  toId: string;
  stats: TrafficStats;
  health: HealthClass;
}

export interface MapGraph {
  /** Sorted by id. */
  nodes: MapNode[];
  /** Sorted by id. */
  edges: MapEdge[];
}

/** The id of the edge from one node to another. */
export function edgeIdOf(fromId: string, toId: string): string {
  return `${fromId}->${toId}`;
}

/**
 * The service group of a function: its `service` tag, else the first word of its name.
 * Teams name functions after their service (`orders-api`, `orders-worker`), so the prefix is
 * the best guess without a tag; the label (`orders-*`) shows it is one.
 */
export function serviceGroupOf(functionName: string, tags: Readonly<Record<string, string>> | undefined): ServiceGroup {
  const tag = tags?.service?.trim();
  if (tag) return { key: `service:${tag}`, label: tag, tagged: true };
  const prefix = functionName.split(/[-_.]/)[0] || functionName;
  return { key: `prefix:${prefix}`, label: `${prefix}-*`, tagged: false };
}

/** The kind a node is drawn as; a type the product does not know is drawn as a remote call. */
function kindOf(type: string): NodeKind {
  return nodeKindOf(type) ?? "remote";
}

/**
 * The map graph of merged X-Ray nodes. `groupOf` names the service of a Lambda function
 * (serviceGroupOf with the function's tags). Edges to nodes not in the list are dropped.
 */
export function toMapGraph(nodes: readonly ServiceNode[], groupOf: (functionName: string) => ServiceGroup): MapGraph {
  const ids = new Set(nodes.map((n) => n.id));
  const edges: MapEdge[] = [];
  const mapNodes = nodes.map((node): MapNode => {
    const kind = kindOf(node.type);
    const outgoing = node.edges.filter((e) => ids.has(e.toId));
    for (const edge of outgoing) {
      edges.push({ id: edgeIdOf(node.id, edge.toId), fromId: node.id, toId: edge.toId, stats: edge.stats, health: classifyHealth(edge.stats) });
    }
    const stats = kind === "client" ? addTrafficStats(...outgoing.map((e) => e.stats)) : node.stats;
    const isLambda = LAMBDA_KINDS.has(kind);
    return {
      id: node.id,
      name: node.name,
      kind,
      type: node.type,
      accountId: node.accountId,
      root: node.root,
      group: isLambda ? groupOf(node.name) : null,
      stats,
      health: classifyHealth(stats),
      memberIds: [node.id],
      functionNames: isLambda ? [node.name] : [],
    };
  });
  return { nodes: mapNodes.sort((a, b) => compareIds(a.id, b.id)), edges: edges.sort((a, b) => compareIds(a.id, b.id)) };
}
