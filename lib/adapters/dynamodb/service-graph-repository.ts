import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import type { FunctionExemplars, TraceExemplar } from "@/lib/domain/service-map/exemplars";
import { mergeSnapshots, toHourRange, type MergedServiceGraph } from "@/lib/domain/service-map/merge-snapshots";
import type { ServiceGraphSnapshot } from "@/lib/domain/service-map/service-graph-snapshot";
import { chunkSnapshot, MAX_CHUNKS, reassembleSnapshot, type SnapshotChunk } from "@/lib/domain/service-map/snapshot-chunks";
import { floorToHourMs, HOUR_MS, type TimeWindow } from "@/lib/domain/shared/time";
import type { ServiceGraphStore } from "@/lib/ports/service-graph-store";
import { deleteItems, putItems } from "@/lib/adapters/dynamodb/batch-write";
import { parseItem } from "@/lib/adapters/dynamodb/item-error";
import { exemplarTracePk, exemplarTraceSk, hourKey, serviceGraphPk, serviceGraphSk } from "@/lib/adapters/dynamodb/keys";
import { queryAll } from "@/lib/adapters/dynamodb/query-all";

/**
 * Service-graph snapshots and exemplar traces (keys.ts: GRAPH# and TRACE# partitions).
 *
 * Graph items — pk GRAPH#<account>#<region>, sk <hour>#<chunk>: accountId, region,
 * windowFromMs, windowToMs, complete, chunk, chunkCount, revision, nodes (a list of nodes,
 * each with its stats, histogram and edges; snapshot-chunks.ts decides the split). A write
 * puts the chunks after the first, then chunk 0, then deletes chunks a previous version of
 * the hour had beyond the new count; a reader takes an hour only when all chunks of chunk 0's
 * revision are there (a torn write reads as "missing" until the rerun), never a mix.
 *
 * Exemplar items — pk TRACE#<account>#<region>, sk <function>#<hour>: accountId, region,
 * functionName, windowFromMs, windowToMs, exemplars (a list, ≤ 3 per kind, each with its
 * compact segment outline). Written for complete hours only, once; a rerun overwrites the same.
 *
 * No run timestamps in either: the same source data always gives the same bytes.
 */

const HistogramSchema = z.object({ firstBin: z.number().int().min(0), counts: z.array(z.number().int().nonnegative()) });
const StatsSchema = z.object({
  okCount: z.number(),
  errorCount: z.number(),
  throttleCount: z.number(),
  faultCount: z.number(),
  totalCount: z.number(),
  responseTimeSumMs: z.number(),
  histogram: HistogramSchema,
});
const NodeSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  accountId: z.string().nullable(),
  root: z.boolean(),
  stats: StatsSchema,
  edges: z.array(z.object({ toId: z.string(), stats: StatsSchema })),
});
const GraphChunkItemSchema = z.object({
  accountId: z.string(),
  region: z.string(),
  windowFromMs: z.number(),
  windowToMs: z.number(),
  complete: z.boolean(),
  chunk: z.number().int().min(0),
  chunkCount: z.number().int().min(1),
  revision: z.string(),
  nodes: z.array(NodeSchema),
});
type GraphChunkItem = z.infer<typeof GraphChunkItemSchema>;

const SpanSchema = z.object({
  name: z.string(),
  origin: z.string().nullable(),
  operation: z.string().nullable(),
  depth: z.number(),
  offsetMs: z.number(),
  durationMs: z.number().nullable(),
  status: z.enum(["ok", "error", "throttle", "fault"]),
});
const ExemplarSchema = z.object({
  traceId: z.string(),
  functionName: z.string(),
  kind: z.enum(["slowest", "faulted", "cold-start"]),
  startMs: z.number(),
  responseTimeMs: z.number(),
  durationMs: z.number(),
  hasFault: z.boolean(),
  hasError: z.boolean(),
  hasThrottle: z.boolean(),
  coldStart: z.boolean().nullable(),
  initDurationMs: z.number().nullable(),
  faultCause: z.string().nullable(),
  http: z.object({ method: z.string(), url: z.string(), status: z.number().nullable() }).nullable(),
  segments: z.array(SpanSchema).nullable(),
});
const ExemplarItemSchema = z.object({
  functionName: z.string(),
  windowFromMs: z.number(),
  windowToMs: z.number(),
  exemplars: z.array(ExemplarSchema),
});

type Scope = { accountId: string; region: string };

export class DynamoServiceGraphStore implements ServiceGraphStore {
  constructor(private readonly doc: DynamoDBDocumentClient, private readonly tableName: string) {}

  async putSnapshot(snapshot: ServiceGraphSnapshot): Promise<number> {
    const pk = serviceGraphPk(snapshot.accountId, snapshot.region);
    const hourStartMs = floorToHourMs(snapshot.window.fromMs);
    const chunks = chunkSnapshot(snapshot);
    const items = chunks.map((chunk) => ({
      pk,
      sk: serviceGraphSk(hourStartMs, chunk.index),
      accountId: snapshot.accountId,
      region: snapshot.region,
      windowFromMs: snapshot.window.fromMs,
      windowToMs: snapshot.window.toMs,
      complete: snapshot.complete,
      chunk: chunk.index,
      chunkCount: chunk.count,
      revision: chunk.revision,
      nodes: chunk.nodes,
    }));
    const previous = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :hour)",
      ExpressionAttributeValues: { ":pk": pk, ":hour": `${hourKey(hourStartMs)}#` },
      ProjectionExpression: "pk, sk",
    });
    // Chunk 0 last: until it is written, readers keep seeing the previous revision whole (or
    // a mismatch they skip), never the new chunk 0 with old chunks.
    await putItems(this.doc, this.tableName, items.slice(1));
    await putItems(this.doc, this.tableName, items.slice(0, 1));
    const written = new Set(items.map((i) => i.sk));
    const stale = previous.map((i) => String(i.sk)).filter((sk) => !written.has(sk));
    if (stale.length > 0) await deleteItems(this.doc, this.tableName, stale.map((sk) => ({ pk, sk })));
    return items.length;
  }

  async putExemplars(scope: Scope, window: TimeWindow, exemplars: readonly FunctionExemplars[]): Promise<number> {
    const pk = exemplarTracePk(scope.accountId, scope.region);
    const hourStartMs = floorToHourMs(window.fromMs);
    const items = exemplars.map((f) => ({
      pk,
      sk: exemplarTraceSk(f.functionName, hourStartMs),
      accountId: scope.accountId,
      region: scope.region,
      functionName: f.functionName,
      windowFromMs: window.fromMs,
      windowToMs: window.toMs,
      exemplars: f.exemplars,
    }));
    return putItems(this.doc, this.tableName, items);
  }

  async readServiceGraph(scope: Scope, window: TimeWindow): Promise<MergedServiceGraph> {
    return mergeSnapshots(scope, toHourRange(window), await this.readSnapshots(scope, window));
  }

  async readSnapshots(scope: Scope, window: TimeWindow): Promise<ServiceGraphSnapshot[]> {
    const range = toHourRange(window);
    if (range.toMs <= range.fromMs) return [];
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
      ExpressionAttributeValues: {
        ":pk": serviceGraphPk(scope.accountId, scope.region),
        ":from": serviceGraphSk(range.fromMs, 0),
        ":to": serviceGraphSk(range.toMs - HOUR_MS, MAX_CHUNKS - 1),
      },
    });
    const byHour = new Map<number, GraphChunkItem[]>();
    for (const item of items) {
      const chunk = parseItem(GraphChunkItemSchema, item);
      const hour = floorToHourMs(chunk.windowFromMs);
      const list = byHour.get(hour) ?? [];
      list.push(chunk);
      byHour.set(hour, list);
    }
    const snapshots: ServiceGraphSnapshot[] = [];
    for (const chunks of byHour.values()) {
      const header = chunks.find((c) => c.chunk === 0);
      if (header === undefined) continue;
      const reassembled = reassembleSnapshot(
        { accountId: header.accountId, region: header.region, window: { fromMs: header.windowFromMs, toMs: header.windowToMs }, complete: header.complete },
        chunks.map((c): SnapshotChunk => ({ index: c.chunk, count: c.chunkCount, revision: c.revision, nodes: c.nodes })),
      );
      // An inconsistent hour (a write torn by a crash) reads as missing until the rerun.
      if (reassembled.kind === "snapshot") snapshots.push(reassembled.snapshot);
    }
    return snapshots.sort((a, b) => a.window.fromMs - b.window.fromMs);
  }

  async readExemplars(scope: Scope, functionName: string, window: TimeWindow): Promise<TraceExemplar[]> {
    const range = toHourRange(window);
    if (range.toMs <= range.fromMs) return [];
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
      ExpressionAttributeValues: {
        ":pk": exemplarTracePk(scope.accountId, scope.region),
        ":from": exemplarTraceSk(functionName, range.fromMs),
        ":to": exemplarTraceSk(functionName, range.toMs - HOUR_MS),
      },
    });
    return items.flatMap((item) => parseItem(ExemplarItemSchema, item).exemplars);
  }
}
