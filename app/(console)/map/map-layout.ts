import dagre from "@dagrejs/dagre";

/**
 * Where each node of the map goes: a layered left-to-right layout (dagre), so requests flow
 * from clients and entry points on the left to tables and remote calls on the right. Pure
 * and synchronous (a 200-node map lays out in a few milliseconds); used by the client canvas.
 *
 * A fleet's graph falls apart into many unconnected pieces (services nobody calls through a
 * traced path, queue workers, cron jobs). Laid out as one graph, dagre stacks them into a
 * single column that zoom-to-fit shrinks to nothing; so each connected piece is laid out on
 * its own and the pieces are packed in rows towards a screen-shaped whole (PACK_ASPECT).
 */

/** Every node card has this size (px); the layout spaces them by it. */
export const NODE_WIDTH = 250;
export const NODE_HEIGHT = 104;
/** Space between packed pieces (px). */
const PIECE_GAP = 60;
/** Width / height the packing aims for: a wide screen. */
const PACK_ASPECT = 16 / 9;

type Position = { x: number; y: number };

interface Piece {
  ids: string[];
  /** Positions relative to the piece's top-left corner. */
  positions: Map<string, Position>;
  width: number;
  height: number;
}

/** The connected pieces of the graph (edges in either direction), in node order. */
function connectedPieces(nodes: readonly { id: string }[], edges: readonly { fromId: string; toId: string }[]): string[][] {
  const parent = new Map(nodes.map((n) => [n.id, n.id]));
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(id, root);
    return root;
  };
  for (const { fromId, toId } of edges) {
    if (parent.has(fromId) && parent.has(toId)) parent.set(find(fromId), find(toId));
  }
  const pieces = new Map<string, string[]>();
  for (const { id } of nodes) {
    const root = find(id);
    pieces.set(root, [...(pieces.get(root) ?? []), id]);
  }
  return [...pieces.values()];
}

function layoutPiece(ids: readonly string[], edges: readonly { fromId: string; toId: string }[]): Piece {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: "LR", nodesep: 28, ranksep: 170, marginx: 0, marginy: 0 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const id of ids) graph.setNode(id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  const inPiece = new Set(ids);
  for (const edge of edges) {
    // A node calling itself does not change its rank; edges to filtered-out nodes have no place.
    if (edge.fromId !== edge.toId && inPiece.has(edge.fromId) && inPiece.has(edge.toId)) graph.setEdge(edge.fromId, edge.toId);
  }
  dagre.layout(graph);
  const corners = ids.map((id) => {
    const placed = graph.node(id) as Position;
    return [id, { x: placed.x - NODE_WIDTH / 2, y: placed.y - NODE_HEIGHT / 2 }] as const;
  });
  const minX = Math.min(...corners.map(([, p]) => p.x));
  const minY = Math.min(...corners.map(([, p]) => p.y));
  const positions = new Map(corners.map(([id, p]) => [id, { x: p.x - minX, y: p.y - minY }]));
  const width = Math.max(...[...positions.values()].map((p) => p.x)) + NODE_WIDTH;
  const height = Math.max(...[...positions.values()].map((p) => p.y)) + NODE_HEIGHT;
  return { ids: [...ids], positions, width, height };
}

/** Top-left corners (React Flow's node position) by node id. */
export function layoutMap(nodes: readonly { id: string }[], edges: readonly { fromId: string; toId: string }[]): Map<string, Position> {
  // Biggest pieces first (ties in node order), so the connected heart of the system sits top-left.
  const pieces = connectedPieces(nodes, edges)
    .map((ids) => layoutPiece(ids, edges))
    .sort((a, b) => b.height * b.width - a.height * a.width);
  const area = pieces.reduce((sum, p) => sum + (p.width + PIECE_GAP) * (p.height + PIECE_GAP), 0);
  const rowWidth = Math.max(...pieces.map((p) => p.width), Math.sqrt(area * PACK_ASPECT));
  // Shelf packing: left to right, a new row when the next piece would pass the row width.
  const positions = new Map<string, Position>();
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const piece of pieces) {
    if (x > 0 && x + piece.width > rowWidth) {
      x = 0;
      y += rowHeight + PIECE_GAP;
      rowHeight = 0;
    }
    for (const [id, p] of piece.positions) positions.set(id, { x: x + p.x, y: y + p.y });
    x += piece.width + PIECE_GAP;
    rowHeight = Math.max(rowHeight, piece.height);
  }
  return positions;
}
