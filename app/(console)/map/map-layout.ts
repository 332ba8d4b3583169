import dagre from "@dagrejs/dagre";

/**
 * Where each node of the map goes: a layered left-to-right layout (dagre), so requests flow
 * from clients and entry points on the left to tables and remote calls on the right. Pure
 * and synchronous (a 200-node map lays out in a few milliseconds); used by the client canvas.
 */

/** Every node card has this size (px); the layout spaces them by it. */
export const NODE_WIDTH = 250;
export const NODE_HEIGHT = 104;

/** Top-left corners (React Flow's node position) by node id. */
export function layoutMap(nodes: readonly { id: string }[], edges: readonly { fromId: string; toId: string }[]): Map<string, { x: number; y: number }> {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: "LR", nodesep: 28, ranksep: 170, marginx: 16, marginy: 16 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) graph.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  const ids = new Set(nodes.map((n) => n.id));
  for (const edge of edges) {
    // A node calling itself does not change its rank; edges to filtered-out nodes have no place.
    if (edge.fromId !== edge.toId && ids.has(edge.fromId) && ids.has(edge.toId)) graph.setEdge(edge.fromId, edge.toId);
  }
  dagre.layout(graph);
  const positions = new Map<string, { x: number; y: number }>();
  for (const node of nodes) {
    const placed = graph.node(node.id) as { x: number; y: number };
    positions.set(node.id, { x: placed.x - NODE_WIDTH / 2, y: placed.y - NODE_HEIGHT / 2 });
  }
  return positions;
}
