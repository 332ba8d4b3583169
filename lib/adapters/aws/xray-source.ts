import { BatchGetTracesCommand, GetServiceGraphCommand, GetTraceSummariesCommand, type XRayClient } from "@aws-sdk/client-xray";
import { z } from "zod";
import type { TraceSummaryInfo } from "@/lib/domain/service-map/exemplars";
import { histogramFromEntries } from "@/lib/domain/service-map/latency-histogram";
import { summarizeTrace, type SegmentDocument, type TraceDetail } from "@/lib/domain/service-map/segment-summary";
import { LAMBDA_FUNCTION_TYPE, nodeIdOf, nodeKindOf, type ServiceEdge, type ServiceNode } from "@/lib/domain/service-map/service-graph-snapshot";
import { roundMs, type TrafficStats } from "@/lib/domain/service-map/traffic-stats";
import type { TimeWindow } from "@/lib/domain/shared/time";
import type { TraceSource } from "@/lib/ports/trace-source";
import { reachingAws } from "@/lib/adapters/aws/unreachable";

/**
 * X-Ray through the SDK: GetServiceGraph (every page), GetTraceSummaries (a bounded number of
 * pages) and BatchGetTraces (≤ 5 ids). Each response is parsed with zod piece by piece: a
 * service, edge, histogram entry, summary or segment document that does not have the shape
 * this code depends on is skipped and counted in a warning, never a crash; so is a node of a
 * type the product does not know (nodeKindOf).
 */

/** X-Ray's limit of trace ids per BatchGetTraces call (FACTS.md §6). */
export const MAX_TRACE_IDS_PER_CALL = 5;
/** Nesting of subsegments followed at most (documents are user-written; keep recursion bounded). */
const MAX_SUBSEGMENT_DEPTH = 32;
const TRACE_ID = /^1-([0-9a-f]{8})-[0-9a-f]{24}$/;

const count = z.number().int().nonnegative();

const StatisticsSchema = z.object({
  OkCount: count.optional(),
  ErrorStatistics: z.object({ ThrottleCount: count.optional(), OtherCount: count.optional(), TotalCount: count.optional() }).optional(),
  FaultStatistics: z.object({ OtherCount: count.optional(), TotalCount: count.optional() }).optional(),
  TotalCount: count.optional(),
  /** Seconds. */
  TotalResponseTime: z.number().nonnegative().optional(),
});

/** Value: a response time in seconds; Count: requests. */
const HistogramEntrySchema = z.object({ Value: z.number().nonnegative(), Count: count });

const EdgeSchema = z.object({
  ReferenceId: z.number().int(),
  SummaryStatistics: StatisticsSchema.optional(),
  ResponseTimeHistogram: z.array(z.unknown()).optional(),
});

const ServiceSchema = z.object({
  ReferenceId: z.number().int(),
  Name: z.string().min(1),
  Type: z.string().min(1),
  AccountId: z.string().optional(),
  Root: z.boolean().optional(),
  SummaryStatistics: StatisticsSchema.optional(),
  ResponseTimeHistogram: z.array(z.unknown()).optional(),
  Edges: z.array(z.unknown()).optional(),
});

const TraceSummarySchema = z.object({
  Id: z.string().regex(TRACE_ID),
  StartTime: z.date().optional(),
  /** Seconds. */
  ResponseTime: z.number().nonnegative(),
  Duration: z.number().nonnegative().optional(),
  HasFault: z.boolean().optional(),
  HasError: z.boolean().optional(),
  HasThrottle: z.boolean().optional(),
  ServiceIds: z.array(z.object({ Name: z.string().optional(), Type: z.string().optional() })).optional(),
  FaultRootCauses: z
    .array(z.object({ Services: z.array(z.object({ EntityPath: z.array(z.object({ Exceptions: z.array(z.object({ Name: z.string().optional(), Message: z.string().optional() })).optional() })).optional() })).optional() }))
    .optional(),
  Http: z.object({ HttpURL: z.string().optional(), HttpStatus: z.number().optional(), HttpMethod: z.string().optional() }).optional(),
});

const TraceSchema = z.object({
  Id: z.string(),
  Segments: z.array(z.object({ Id: z.string().optional(), Document: z.string() })),
});

/** A segment or subsegment document: the fields the outline uses (segment-summary.ts). */
const DocumentSchema = z.object({
  id: z.string(),
  name: z.string(),
  start_time: z.number(),
  end_time: z.number().optional(),
  parent_id: z.string().optional(),
  origin: z.string().optional(),
  namespace: z.string().optional(),
  inferred: z.boolean().optional(),
  fault: z.boolean().optional(),
  error: z.boolean().optional(),
  throttle: z.boolean().optional(),
  aws: z.object({ operation: z.string().optional() }).optional(),
  /** An object with exceptions, or (in subsegments) the id of an exception recorded elsewhere. */
  cause: z.unknown().optional(),
  subsegments: z.array(z.unknown()).optional(),
});
const CauseSchema = z.object({ exceptions: z.array(z.object({ type: z.string().optional(), message: z.string().optional() })).min(1) });

/** Counts of skipped pieces of one response, turned into one warning each. */
class SkipCounter {
  private readonly counts = new Map<string, number>();
  add(what: string, n = 1): void {
    this.counts.set(what, (this.counts.get(what) ?? 0) + n);
  }
  warnings(context: string): string[] {
    return [...this.counts.entries()].map(([what, n]) => `${context}: skipped ${n} ${what}`);
  }
}

const isoMinute = (ms: number) => new Date(ms).toISOString().slice(0, 16) + "Z";
const windowLabel = (window: TimeWindow) => `${isoMinute(window.fromMs)}–${isoMinute(window.toMs)}`;

function toStats(raw: z.infer<typeof StatisticsSchema> | undefined, histogram: readonly unknown[] | undefined, skipped: SkipCounter): TrafficStats {
  const throttleCount = raw?.ErrorStatistics?.ThrottleCount ?? 0;
  const errorCount = raw?.ErrorStatistics?.OtherCount ?? Math.max(0, (raw?.ErrorStatistics?.TotalCount ?? 0) - throttleCount);
  const faultCount = raw?.FaultStatistics?.TotalCount ?? raw?.FaultStatistics?.OtherCount ?? 0;
  const okCount = raw?.OkCount ?? 0;
  const entries: { valueMs: number; count: number }[] = [];
  for (const entry of histogram ?? []) {
    const parsed = HistogramEntrySchema.safeParse(entry);
    if (parsed.success) entries.push({ valueMs: parsed.data.Value * 1000, count: parsed.data.Count });
    else skipped.add("malformed histogram entries");
  }
  return {
    okCount,
    errorCount,
    throttleCount,
    faultCount,
    totalCount: raw?.TotalCount ?? okCount + errorCount + throttleCount + faultCount,
    responseTimeSumMs: roundMs((raw?.TotalResponseTime ?? 0) * 1000),
    histogram: histogramFromEntries(entries),
  };
}

/** The first exception of X-Ray's fault root causes, `Name: Message`. */
function faultCauseOf(summary: z.infer<typeof TraceSummarySchema>): string | null {
  for (const cause of summary.FaultRootCauses ?? []) {
    for (const service of cause.Services ?? []) {
      for (const entity of service.EntityPath ?? []) {
        const exception = entity.Exceptions?.[0];
        if (exception?.Name !== undefined) return `${exception.Name}: ${exception.Message ?? ""}`.slice(0, 200);
      }
    }
  }
  return null;
}

function toSummaryInfo(summary: z.infer<typeof TraceSummarySchema>): TraceSummaryInfo {
  const startMs = summary.StartTime?.getTime() ?? Number.parseInt(TRACE_ID.exec(summary.Id)![1]!, 16) * 1000;
  const functionNames = [...new Set((summary.ServiceIds ?? []).filter((s) => s.Type === LAMBDA_FUNCTION_TYPE && s.Name !== undefined).map((s) => s.Name!))].sort();
  const http = summary.Http;
  return {
    traceId: summary.Id,
    startMs,
    responseTimeMs: roundMs(summary.ResponseTime * 1000),
    durationMs: roundMs((summary.Duration ?? summary.ResponseTime) * 1000),
    hasFault: summary.HasFault ?? false,
    hasError: summary.HasError ?? false,
    hasThrottle: summary.HasThrottle ?? false,
    functionNames,
    faultCause: faultCauseOf(summary),
    http: http?.HttpMethod !== undefined && http.HttpURL !== undefined ? { method: http.HttpMethod, url: http.HttpURL, status: http.HttpStatus ?? null } : null,
  };
}

function exceptionOf(cause: unknown): SegmentDocument["exception"] {
  const parsed = CauseSchema.safeParse(cause);
  if (!parsed.success) return null;
  const first = parsed.data.exceptions[0]!;
  return { type: first.type ?? "Exception", message: first.message ?? "" };
}

/** A parsed (sub)segment document, its malformed subsegments skipped and counted. */
function toSegmentDocument(raw: unknown, parentId: string | null, depth: number, skipped: SkipCounter): SegmentDocument | null {
  const parsed = DocumentSchema.safeParse(raw);
  if (!parsed.success) {
    skipped.add(depth === 0 ? "malformed segment documents" : "malformed subsegments");
    return null;
  }
  const doc = parsed.data;
  const subsegments: SegmentDocument[] = [];
  if (depth < MAX_SUBSEGMENT_DEPTH) {
    for (const sub of doc.subsegments ?? []) {
      const child = toSegmentDocument(sub, doc.id, depth + 1, skipped);
      if (child !== null) subsegments.push(child);
    }
  } else if ((doc.subsegments ?? []).length > 0) skipped.add("subsegments nested too deep");
  return {
    id: doc.id,
    parentId: doc.parent_id ?? parentId,
    name: doc.name,
    startSec: doc.start_time,
    endSec: doc.end_time ?? null,
    origin: depth === 0 ? (doc.origin ?? null) : null,
    namespace: doc.namespace ?? null,
    inferred: doc.inferred ?? false,
    fault: doc.fault ?? false,
    error: doc.error ?? false,
    throttle: doc.throttle ?? false,
    operation: doc.aws?.operation ?? null,
    exception: exceptionOf(doc.cause),
    subsegments,
  };
}

function parseDocument(text: string, skipped: SkipCounter): SegmentDocument | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    skipped.add("segment documents that are not JSON");
    return null;
  }
  return toSegmentDocument(raw, null, 0, skipped);
}

/** X-Ray of one account/region, through a (metered) SDK client. */
export class XRayTraceSource implements TraceSource {
  constructor(private readonly client: XRayClient) {}

  async getServiceGraph(window: TimeWindow): Promise<{ nodes: ServiceNode[]; warnings: string[] }> {
    const services: unknown[] = [];
    await reachingAws("X-Ray", async () => {
      let nextToken: string | undefined;
      do {
        const page = await this.client.send(
          new GetServiceGraphCommand({ StartTime: new Date(window.fromMs), EndTime: new Date(window.toMs), NextToken: nextToken }),
        );
        services.push(...(page.Services ?? []));
        nextToken = page.NextToken;
      } while (nextToken);
    });
    const skipped = new SkipCounter();
    const parsed: z.infer<typeof ServiceSchema>[] = [];
    for (const raw of services) {
      const service = ServiceSchema.safeParse(raw);
      if (!service.success) skipped.add("malformed services");
      else if (nodeKindOf(service.data.Type) === null) skipped.add(`services of unknown type "${service.data.Type}"`);
      else parsed.push(service.data);
    }
    const idByReference = new Map(parsed.map((s) => [s.ReferenceId, nodeIdOf({ type: s.Type, name: s.Name, accountId: s.AccountId ?? null })]));
    const nodes = parsed.map((service): ServiceNode => {
      const edges: ServiceEdge[] = [];
      for (const raw of service.Edges ?? []) {
        const edge = EdgeSchema.safeParse(raw);
        if (!edge.success) {
          skipped.add("malformed edges");
          continue;
        }
        const toId = idByReference.get(edge.data.ReferenceId);
        if (toId === undefined) {
          skipped.add("edges to services not in the graph");
          continue;
        }
        edges.push({ toId, stats: toStats(edge.data.SummaryStatistics, edge.data.ResponseTimeHistogram, skipped) });
      }
      return {
        id: idByReference.get(service.ReferenceId)!,
        name: service.Name,
        type: service.Type,
        accountId: service.AccountId ?? null,
        root: service.Root ?? false,
        stats: toStats(service.SummaryStatistics, service.ResponseTimeHistogram, skipped),
        edges,
      };
    });
    return { nodes, warnings: skipped.warnings(`X-Ray service graph ${windowLabel(window)}`) };
  }

  async getTraceSummaries(
    window: TimeWindow,
    filterExpression: string,
    maxPages: number,
    maxSummaries = Number.POSITIVE_INFINITY,
  ): Promise<{ summaries: TraceSummaryInfo[]; pagesRead: number; complete: boolean; warnings: string[] }> {
    let raws: unknown[] = [];
    let pagesRead = 0;
    let nextToken: string | undefined;
    await reachingAws("X-Ray", async () => {
      do {
        const page = await this.client.send(
          new GetTraceSummariesCommand({
            StartTime: new Date(window.fromMs),
            EndTime: new Date(window.toMs),
            TimeRangeType: "TraceId",
            Sampling: false,
            FilterExpression: filterExpression,
            NextToken: nextToken,
          }),
        );
        pagesRead++;
        raws.push(...(page.TraceSummaries ?? []));
        nextToken = page.NextToken;
      } while (nextToken && pagesRead < maxPages && raws.length < maxSummaries);
    });
    // A page may overshoot the summary budget; the summaries past it are not used, so the
    // answer is the same however X-Ray cut its pages (newest first throughout).
    const complete = nextToken === undefined && raws.length <= maxSummaries;
    if (raws.length > maxSummaries) raws = raws.slice(0, maxSummaries);
    const skipped = new SkipCounter();
    const summaries: TraceSummaryInfo[] = [];
    for (const raw of raws) {
      const parsed = TraceSummarySchema.safeParse(raw);
      if (parsed.success) summaries.push(toSummaryInfo(parsed.data));
      else skipped.add("malformed trace summaries");
    }
    return { summaries, pagesRead, complete, warnings: skipped.warnings(`X-Ray trace summaries ${windowLabel(window)}`) };
  }

  async batchGetTraces(traceIds: readonly string[]): Promise<{ traces: TraceDetail[]; unprocessedIds: string[]; warnings: string[] }> {
    if (traceIds.length > MAX_TRACE_IDS_PER_CALL) throw new RangeError(`BatchGetTraces takes at most ${MAX_TRACE_IDS_PER_CALL} trace ids, got ${traceIds.length}`);
    if (traceIds.length === 0) return { traces: [], unprocessedIds: [], warnings: [] };
    // One call per batch: a trace too large for one response comes with a NextToken for the
    // rest of its segments, which is not followed (the outline is then partial) to keep the
    // per-window call budget.
    const out = await reachingAws("X-Ray", () => this.client.send(new BatchGetTracesCommand({ TraceIds: [...traceIds] })));
    const skipped = new SkipCounter();
    const traces: TraceDetail[] = [];
    for (const raw of out.Traces ?? []) {
      const trace = TraceSchema.safeParse(raw);
      if (!trace.success) {
        skipped.add("malformed traces");
        continue;
      }
      const documents = trace.data.Segments.map((s) => parseDocument(s.Document, skipped)).filter((d): d is SegmentDocument => d !== null);
      traces.push(summarizeTrace(trace.data.Id, documents));
    }
    return { traces, unprocessedIds: out.UnprocessedTraceIds ?? [], warnings: skipped.warnings(`X-Ray BatchGetTraces of ${traceIds.length} traces`) };
  }
}
