import { mergeNodes, type ServiceGraphSnapshot, type ServiceNode } from "@/lib/domain/service-map/service-graph-snapshot";
import { emptyTrafficStats } from "@/lib/domain/service-map/traffic-stats";

/**
 * Splitting a snapshot into items under DynamoDB's 400 KB item limit, deterministically.
 *
 * Nodes (each with its outgoing edges) are packed in id order into chunks of at most
 * MAX_CHUNK_BYTES by DynamoDB's own size rules (estimateItemBytes), leaving room for the keys
 * and the other attributes. A 200-node graph with histograms on every node and edge is about
 * 150–250 KB, so it usually fits one item; larger graphs spill into more. A single node too
 * big for one chunk (hundreds of edges) is split by edges: its first part carries its stats,
 * the others zero stats — reassembly merges parts by id, so the zeros add nothing.
 *
 * Every chunk carries the chunk count and the snapshot's revision (a hash of its content):
 * a reader accepts a window only when all chunks of one revision are present, so a write torn
 * by a crash (some chunks of the new snapshot, some of the old) is seen as "being rewritten"
 * and never mixed.
 */

/** Budget for the nodes of one chunk (DynamoDB's limit is 409,600 bytes per item). */
export const MAX_CHUNK_BYTES = 300 * 1024;
/** Chunk numbers are three digits in sort keys. */
export const MAX_CHUNKS = 1000;

export interface SnapshotChunk {
  index: number;
  count: number;
  revision: string;
  nodes: ServiceNode[];
}

/** UTF-8 length of a string, computed from its code points. */
function utf8Bytes(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** Significant digits of a number as DynamoDB stores it (leading and trailing zeros trimmed). */
function significantDigits(value: number): number {
  const digits = Math.abs(value).toExponential().split("e")[0]!.replace(".", "").replace(/0+$/, "");
  return Math.max(1, digits.length);
}

/**
 * DynamoDB's size of a value, per its documented rules: strings in UTF-8 bytes, numbers about
 * one byte per two significant digits plus one, booleans and null one byte, lists and maps 3
 * bytes plus one per element (and, for maps, the names' bytes).
 */
export function estimateItemBytes(value: unknown): number {
  if (value === null || value === undefined || typeof value === "boolean") return 1;
  if (typeof value === "string") return utf8Bytes(value);
  if (typeof value === "number") return Math.ceil(significantDigits(value) / 2) + 1;
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + 1 + estimateItemBytes(v), 3);
  if (typeof value === "object") {
    let sum = 3;
    for (const [name, v] of Object.entries(value)) {
      if (v === undefined) continue;
      sum += 1 + utf8Bytes(name) + estimateItemBytes(v);
    }
    return sum;
  }
  return 0;
}

/** Splits one node's edges so every part fits the budget (the first part keeps the stats). */
function splitNode(node: ServiceNode, maxBytes: number): ServiceNode[] {
  if (estimateItemBytes(node) <= maxBytes) return [node];
  const parts: ServiceNode[] = [];
  let current: ServiceNode = { ...node, edges: [] };
  let size = estimateItemBytes(current);
  for (const edge of node.edges) {
    const edgeBytes = 1 + estimateItemBytes(edge);
    if (current.edges.length > 0 && size + edgeBytes > maxBytes) {
      parts.push(current);
      current = { ...node, stats: emptyTrafficStats(), edges: [] };
      size = estimateItemBytes(current);
    }
    current.edges.push(edge);
    size += edgeBytes;
  }
  parts.push(current);
  return parts;
}

/** A deterministic 53-bit hash (cyrb53) of a string, as 14 hex digits. Not for security. */
export function hashText(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const value = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  return value.toString(16).padStart(14, "0");
}

/** JSON with object keys sorted, so equal values always serialise alike. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** The revision of a snapshot: a hash of its content (window, completeness, nodes). */
export function snapshotRevision(snapshot: ServiceGraphSnapshot): string {
  return hashText(canonicalJson(snapshot));
}

/**
 * Splits a snapshot into chunks of at most `maxBytes` of nodes each (at least one chunk, even
 * for an empty graph, so "collected, no traffic" differs from "not collected").
 * @throws RangeError when the graph would need more than MAX_CHUNKS chunks.
 */
export function chunkSnapshot(snapshot: ServiceGraphSnapshot, maxBytes = MAX_CHUNK_BYTES): SnapshotChunk[] {
  const revision = snapshotRevision(snapshot);
  const groups: ServiceNode[][] = [[]];
  let size = 3;
  for (const part of snapshot.nodes.flatMap((node) => splitNode(node, maxBytes))) {
    const partBytes = 1 + estimateItemBytes(part);
    if (groups.at(-1)!.length > 0 && size + partBytes > maxBytes) {
      groups.push([]);
      size = 3;
    }
    groups.at(-1)!.push(part);
    size += partBytes;
  }
  if (groups.length > MAX_CHUNKS) throw new RangeError(`a service graph of ${snapshot.nodes.length} nodes needs ${groups.length} chunks (at most ${MAX_CHUNKS})`);
  return groups.map((nodes, index) => ({ index, count: groups.length, revision, nodes }));
}

export type ReassembledSnapshot =
  | { kind: "snapshot"; snapshot: ServiceGraphSnapshot }
  | { kind: "inconsistent"; reason: string };

/**
 * Puts a snapshot back together from its chunks. The chunk numbered 0 names the revision and
 * count; only chunks of that revision count, and all of them must be there.
 */
export function reassembleSnapshot(
  meta: Omit<ServiceGraphSnapshot, "nodes">,
  chunks: readonly SnapshotChunk[],
): ReassembledSnapshot {
  const header = chunks.find((c) => c.index === 0);
  if (header === undefined) return { kind: "inconsistent", reason: "chunk 0 is missing" };
  const current = chunks.filter((c) => c.revision === header.revision && c.count === header.count && c.index < header.count);
  const indices = new Set(current.map((c) => c.index));
  if (indices.size !== header.count) {
    return { kind: "inconsistent", reason: `${indices.size} of ${header.count} chunks of revision ${header.revision}` };
  }
  const ordered = [...current].sort((a, b) => a.index - b.index);
  return { kind: "snapshot", snapshot: { ...meta, window: { ...meta.window }, nodes: mergeNodes(ordered.flatMap((c) => c.nodes)).nodes } };
}
