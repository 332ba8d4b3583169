import { edgeIdOf, LAMBDA_KINDS, type MapEdge, type MapGraph, type MapNode, type MapNodeKind, type ServiceGroup } from "@/lib/domain/service-map/map-graph";
import { classifyHealth, worstHealth } from "@/lib/domain/service-map/node-health";
import { compareIds } from "@/lib/domain/service-map/service-graph-snapshot";
import { addTrafficStats, type TrafficStats } from "@/lib/domain/service-map/traffic-stats";

/**
 * Collapsing a map by service, so a fleet of 200 X-Ray nodes reads as a few dozen.
 *
 * - Lambda nodes (X-Ray's service and function node of each function) join their service
 *   (the `service` tag, else the name's first word: serviceGroupOf).
 * - A resource (table, queue, topic, bus, remote host, …) whose every neighbour is a Lambda
 *   node of one service is that service's own and joins it too; a resource shared by services,
 *   or touching an API stage or client, stays on its own, since that is where services meet.
 * - A collapsed service's traffic is the sum of its entry members — those no other member
 *   calls — i.e. the requests into the service. Adding every member would count one request
 *   at the Lambda service node, the function node and each table it touches. Its health is the
 *   worst of that traffic's and every member's, so a failing table inside stays visible.
 * - Edges between members disappear; edges from or to members merge by their ends, their
 *   traffic added up.
 */

/**
 * Above this many nodes the map collapses by service unless told otherwise: a layered layout
 * of more nodes no longer fits a screen at a zoom where node labels and edge rates are legible.
 */
export const AUTO_COLLAPSE_ABOVE_NODES = 50;

/** How the map is grouped: `auto` collapses above AUTO_COLLAPSE_ABOVE_NODES. */
export const MAP_GROUPINGS = ["auto", "service", "none"] as const;
export type MapGrouping = (typeof MAP_GROUPINGS)[number];

/** Whether a map of `nodeCount` X-Ray nodes is shown collapsed under `grouping`. */
export function shouldCollapse(grouping: MapGrouping, nodeCount: number): boolean {
  return grouping === "service" || (grouping === "auto" && nodeCount > AUTO_COLLAPSE_ABOVE_NODES);
}

/** The id of a collapsed service's node. */
export function groupNodeIdOf(group: ServiceGroup): string {
  return `group:${group.key}`;
}

/** Kinds that fold into the one service using them; entry points and clients never do. */
const FOLDABLE: ReadonlySet<MapNodeKind> = new Set<MapNodeKind>(["dynamodb-table", "queue", "topic", "event-bus", "aws-service", "database", "remote"]);

/** The service each node joins, by node id (nodes absent stay on their own). */
function assignGroups(graph: MapGraph): Map<string, ServiceGroup> {
  const groupOf = new Map<string, ServiceGroup>();
  for (const node of graph.nodes) if (LAMBDA_KINDS.has(node.kind) && node.group !== null) groupOf.set(node.id, node.group);
  const neighbours = new Map<string, string[]>();
  const link = (a: string, b: string) => neighbours.set(a, [...(neighbours.get(a) ?? []), b]);
  for (const edge of graph.edges) {
    link(edge.fromId, edge.toId);
    link(edge.toId, edge.fromId);
  }
  const folded = new Map<string, ServiceGroup>();
  for (const node of graph.nodes) {
    if (!FOLDABLE.has(node.kind)) continue;
    const around = neighbours.get(node.id) ?? [];
    const groups = around.map((id) => groupOf.get(id));
    const first = groups[0];
    if (first !== undefined && groups.every((g) => g !== undefined && g.key === first.key)) folded.set(node.id, first);
  }
  for (const [id, group] of folded) groupOf.set(id, group);
  return groupOf;
}

function collapseGroup(group: ServiceGroup, members: readonly MapNode[], internalCallees: ReadonlySet<string>): MapNode {
  const entries = members.filter((m) => !internalCallees.has(m.id));
  // Every member is called from inside (a cycle): the traffic of all is the best there is.
  const counted = entries.length > 0 ? entries : members;
  const stats: TrafficStats = addTrafficStats(...counted.map((m) => m.stats));
  const accounts = new Set(members.map((m) => m.accountId));
  return {
    id: groupNodeIdOf(group),
    name: group.label,
    kind: "service",
    type: "service",
    accountId: accounts.size === 1 ? members[0]!.accountId : null,
    root: counted.some((m) => m.root),
    group,
    stats,
    health: worstHealth([classifyHealth(stats), ...members.map((m) => m.health)]),
    memberIds: members.map((m) => m.id).sort(compareIds),
    functionNames: [...new Set(members.flatMap((m) => m.functionNames))].sort(compareIds),
  };
}

/**
 * The map with each service's Lambda nodes and own resources collapsed into one node (see
 * above). Nodes of no service pass through unchanged; the result is sorted like the input.
 */
export function collapseByService(graph: MapGraph): MapGraph {
  const groupOf = assignGroups(graph);
  const nodeIdOf = (id: string) => {
    const group = groupOf.get(id);
    return group === undefined ? id : groupNodeIdOf(group);
  };

  const membersByGroup = new Map<string, { group: ServiceGroup; members: MapNode[] }>();
  const nodes: MapNode[] = [];
  for (const node of graph.nodes) {
    const group = groupOf.get(node.id);
    if (group === undefined) {
      nodes.push(node);
      continue;
    }
    const entry = membersByGroup.get(group.key) ?? { group, members: [] };
    entry.members.push(node);
    membersByGroup.set(group.key, entry);
  }
  const sameGroup = (a: string, b: string) => {
    const group = groupOf.get(a);
    return group !== undefined && group.key === groupOf.get(b)?.key;
  };
  const internalCallees = new Set(graph.edges.filter((e) => e.fromId !== e.toId && sameGroup(e.fromId, e.toId)).map((e) => e.toId));
  for (const { group, members } of membersByGroup.values()) nodes.push(collapseGroup(group, members, internalCallees));

  const edgesByEnds = new Map<string, { fromId: string; toId: string; stats: TrafficStats[] }>();
  for (const edge of graph.edges) {
    const fromId = nodeIdOf(edge.fromId);
    const toId = nodeIdOf(edge.toId);
    // Calls inside a service vanish with it; a node calling itself stays as X-Ray drew it.
    if (fromId === toId && edge.fromId !== edge.toId) continue;
    const id = edgeIdOf(fromId, toId);
    const merged = edgesByEnds.get(id) ?? { fromId, toId, stats: [] };
    merged.stats.push(edge.stats);
    edgesByEnds.set(id, merged);
  }
  const edges = [...edgesByEnds.entries()].map(([id, { fromId, toId, stats }]): MapEdge => {
    const sum = stats.length === 1 ? stats[0]! : addTrafficStats(...stats);
    return { id, fromId, toId, stats: sum, health: classifyHealth(sum) };
  });
  return { nodes: nodes.sort((a, b) => compareIds(a.id, b.id)), edges: edges.sort((a, b) => compareIds(a.id, b.id)) };
}
