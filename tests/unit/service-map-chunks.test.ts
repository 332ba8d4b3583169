import { describe, expect, it } from "vitest";
import { histogramFromEntries } from "@/lib/domain/service-map/latency-histogram";
import { assembleSnapshot, nodeIdOf, type ServiceGraphSnapshot, type ServiceNode } from "@/lib/domain/service-map/service-graph-snapshot";
import {
  canonicalJson,
  chunkSnapshot,
  hashText,
  estimateItemBytes,
  MAX_CHUNK_BYTES,
  reassembleSnapshot,
  snapshotRevision,
  type SnapshotChunk,
} from "@/lib/domain/service-map/snapshot-chunks";
import type { TrafficStats } from "@/lib/domain/service-map/traffic-stats";

const HOUR = 3_600_000;
const H0 = Date.UTC(2026, 10, 26, 10);
const ACCOUNT = "123456789012";
/** DynamoDB's item size limit. */
const DYNAMODB_ITEM_LIMIT = 400 * 1024;

/** Realistic stats: ~40 populated bins, as X-Ray's histograms of a busy function have. */
function busyStats(seed: number): TrafficStats {
  const entries = Array.from({ length: 40 }, (_, i) => ({ valueMs: 0.5 * 1.26 ** i, count: 1000 + ((seed * 7919 + i * 104729) % 9000) }));
  const histogram = histogramFromEntries(entries);
  const total = entries.reduce((n, e) => n + e.count, 0);
  return { okCount: total - 37, errorCount: 11, throttleCount: 3, faultCount: 23, totalCount: total, responseTimeSumMs: total * 123.456, histogram };
}

/** A fleet of `n` nodes (functions with tables) where each node calls `edgesPerNode` others. */
function aLargeGraph(n: number, edgesPerNode: number): ServiceGraphSnapshot {
  const nodes: ServiceNode[] = Array.from({ length: n }, (_, i) => {
    const type = i % 2 === 0 ? "AWS::Lambda::Function" : "AWS::DynamoDB::Table";
    const name = `${type === "AWS::Lambda::Function" ? "service-function" : "service-table"}-${String(i).padStart(4, "0")}`;
    return { id: nodeIdOf({ type, name, accountId: ACCOUNT }), name, type, accountId: ACCOUNT, root: i < 3, stats: busyStats(i), edges: [] };
  });
  for (const [i, node] of nodes.entries()) {
    for (let k = 1; k <= edgesPerNode; k++) node.edges.push({ toId: nodes[(i + k * 17) % n]!.id, stats: busyStats(i * 31 + k) });
  }
  return assembleSnapshot({ accountId: ACCOUNT, region: "us-east-1", window: { fromMs: H0, toMs: H0 + HOUR }, complete: true, nodes }).snapshot;
}

/** The item the repository writes for a chunk (keys and metadata around the nodes). */
function itemOf(chunk: SnapshotChunk, snapshot: ServiceGraphSnapshot) {
  return {
    pk: `GRAPH#${ACCOUNT}#us-east-1`,
    sk: `2026-11-26T10#${String(chunk.index).padStart(3, "0")}`,
    accountId: ACCOUNT,
    region: "us-east-1",
    windowFromMs: snapshot.window.fromMs,
    windowToMs: snapshot.window.toMs,
    complete: snapshot.complete,
    chunk: chunk.index,
    chunkCount: chunk.count,
    revision: chunk.revision,
    nodes: chunk.nodes,
  };
}

/** Content fingerprints: equal content, equal fingerprint (and a readable failure message). */
const fingerprint = (value: unknown) => hashText(canonicalJson(value));

const meta = (s: ServiceGraphSnapshot) => ({ accountId: s.accountId, region: s.region, window: s.window, complete: s.complete });

describe("estimateItemBytes (DynamoDB's size rules)", () => {
  it.each([
    ["a string: its UTF-8 bytes", "héllo", 6],
    ["a number: a byte per two significant digits, plus one", 12345, 4],
    ["trailing zeros do not count", 1_000_000, 2],
    ["a boolean", true, 1],
    ["null", null, 1],
    ["a list: 3 + one per element + the elements", [1, 2], 3 + 2 * (1 + 2)],
    ["a map: 3 + one per entry + names + values", { ab: "xyz" }, 3 + 1 + 2 + 3],
  ])("%s", (_label, value, bytes) => {
    expect(estimateItemBytes(value)).toBe(bytes);
  });
});

describe("chunkSnapshot", () => {
  it("fits a 200-node graph (two edges per node, histograms everywhere) in items under 400 KB", () => {
    const snapshot = aLargeGraph(200, 2);
    const chunks = chunkSnapshot(snapshot);
    for (const chunk of chunks) {
      const item = itemOf(chunk, snapshot);
      expect(estimateItemBytes(item)).toBeLessThan(DYNAMODB_ITEM_LIMIT);
      // The estimate is no under-count: the item's JSON (a generous upper bound) is in the same range.
      expect(JSON.stringify(item).length).toBeLessThan(DYNAMODB_ITEM_LIMIT * 1.5);
    }
    expect(chunks.flatMap((c) => c.nodes)).toHaveLength(200);
  });

  it("spills a larger graph into several chunks, deterministically, and reassembles it exactly", () => {
    const snapshot = aLargeGraph(600, 3);
    const chunks = chunkSnapshot(snapshot);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((c) => c.count === chunks.length && c.revision === chunks[0]!.revision)).toBe(true);
    expect(chunks.map((c) => c.index)).toEqual(chunks.map((_, i) => i));
    for (const chunk of chunks) expect(estimateItemBytes(chunk.nodes)).toBeLessThanOrEqual(MAX_CHUNK_BYTES);
    expect(JSON.stringify(chunkSnapshot(snapshot))).toBe(JSON.stringify(chunks));
    const back = reassembleSnapshot(meta(snapshot), [...chunks].reverse());
    expect(back.kind).toBe("snapshot");
    expect(back.kind === "snapshot" && fingerprint(back.snapshot)).toBe(fingerprint(snapshot));
  });

  it("splits a node with too many edges for one item by edges; the parts merge back into one node", () => {
    const graph = aLargeGraph(400, 1);
    const hubId = graph.nodes[0]!.id;
    graph.nodes[0]!.edges = graph.nodes.slice(1).map((n, i) => ({ toId: n.id, stats: busyStats(i) }));
    const snapshot = assembleSnapshot({ ...graph }).snapshot;
    const chunks = chunkSnapshot(snapshot, 64 * 1024);
    expect(chunks.filter((c) => c.nodes.some((n) => n.id === hubId)).length).toBeGreaterThan(1);
    const back = reassembleSnapshot(meta(snapshot), chunks);
    expect(back.kind === "snapshot" && fingerprint(back.snapshot)).toBe(fingerprint(snapshot));
  });

  it("writes one chunk for an empty graph, so 'collected, no traffic' differs from 'not collected'", () => {
    const empty = assembleSnapshot({ accountId: ACCOUNT, region: "us-east-1", window: { fromMs: H0, toMs: H0 + HOUR }, complete: true, nodes: [] }).snapshot;
    expect(chunkSnapshot(empty)).toEqual([{ index: 0, count: 1, revision: snapshotRevision(empty), nodes: [] }]);
  });
});

describe("reassembleSnapshot refuses a torn write", () => {
  const snapshot = aLargeGraph(600, 3);
  const chunks = chunkSnapshot(snapshot);
  const older = chunkSnapshot({ ...snapshot, complete: false, window: { fromMs: H0, toMs: H0 + 40 * 60_000 } });

  it.each([
    ["chunk 0 missing", chunks.slice(1)],
    ["a chunk missing", chunks.slice(0, -1)],
    ["a chunk of another revision in place of the current one", [...chunks.slice(0, -1), { ...older.at(-1)!, index: chunks.length - 1 }]],
    ["chunk 0 of the new revision with the rest of the old", [chunks[0]!, ...older.slice(1)]],
  ])("%s", (_label, given) => {
    expect(reassembleSnapshot(meta(snapshot), given).kind).toBe("inconsistent");
  });

  it("ignores stale chunks beyond chunk 0's count", () => {
    const stale = { ...older[0]!, index: chunks.length + 2 };
    expect(reassembleSnapshot(meta(snapshot), [...chunks, stale]).kind).toBe("snapshot");
  });
});

describe("snapshotRevision", () => {
  it("depends on content only, not on key or node order", () => {
    const snapshot = aLargeGraph(20, 2);
    const reordered = { nodes: [...snapshot.nodes], complete: snapshot.complete, window: { toMs: snapshot.window.toMs, fromMs: snapshot.window.fromMs }, region: snapshot.region, accountId: snapshot.accountId };
    expect(snapshotRevision(reordered)).toBe(snapshotRevision(snapshot));
    expect(snapshotRevision({ ...snapshot, complete: false })).not.toBe(snapshotRevision(snapshot));
    expect(snapshotRevision(snapshot)).toMatch(/^[0-9a-f]{14}$/);
  });
});
