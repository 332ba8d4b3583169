import { LAMBDA_FUNCTION_TYPE } from "@/lib/domain/service-map/service-graph-snapshot";
import { roundMs } from "@/lib/domain/service-map/traffic-stats";

/**
 * A compact outline of a trace from its segment documents (BatchGetTraces), small enough to
 * store with every exemplar: one line per segment and subsegment, depth-first, with timing
 * relative to the trace start and a status — not the documents themselves.
 *
 * Cold starts: Lambda records the INIT phase as an `Initialization` subsegment of the
 * function's segment (origin AWS::Lambda::Function), present only on the first invocation of
 * an execution environment — the same fact as `Init Duration` in the REPORT line (FACTS §3).
 */

export type SpanStatus = "ok" | "error" | "throttle" | "fault";

/** A segment or subsegment document, as much of it as the outline uses (parsed by the adapter). */
export interface SegmentDocument {
  id: string;
  /** The parent's id (segments: the calling segment or subsegment); null for a root. */
  parentId: string | null;
  name: string;
  startSec: number;
  /** Null while in progress. */
  endSec: number | null;
  /** Segments: the resource type (`AWS::Lambda::Function`); null for subsegments. */
  origin: string | null;
  /** Subsegments: `aws` or `remote`. */
  namespace: string | null;
  /** X-Ray generated it from a downstream call's subsegment (same id). */
  inferred: boolean;
  fault: boolean;
  error: boolean;
  throttle: boolean;
  /** The AWS operation called (`PutItem`, `Invoke`), if any. */
  operation: string | null;
  /** The first recorded exception, if any. */
  exception: { type: string; message: string } | null;
  subsegments: SegmentDocument[];
}

/** One line of the outline. */
export interface SegmentSpan {
  name: string;
  /** Origin of a segment, else namespace of a subsegment (`aws`, `remote`), else null. */
  origin: string | null;
  operation: string | null;
  /** 0 for a root segment; children one deeper. */
  depth: number;
  /** Start relative to the trace's first segment (ms). */
  offsetMs: number;
  /** Null while in progress. */
  durationMs: number | null;
  status: SpanStatus;
}

export interface TraceDetail {
  traceId: string;
  /** Function segments with an Initialization subsegment: cold starts. */
  coldStarts: { functionName: string; initDurationMs: number | null }[];
  /** The outline, at most MAX_OUTLINE_SPANS lines. */
  spans: SegmentSpan[];
  /** Lines before the cap (spans.length < spanCount when cut). */
  spanCount: number;
  /** The first exception recorded on a faulted or errored segment: `Type: message`. */
  exception: string | null;
}

/** Lines kept per trace outline (~100 bytes each stored). */
export const MAX_OUTLINE_SPANS = 24;
/** Characters kept of an exception text. */
const MAX_EXCEPTION_CHARS = 200;
export const INITIALIZATION_SUBSEGMENT = "Initialization";

function statusOf(doc: SegmentDocument): SpanStatus {
  if (doc.fault) return "fault";
  if (doc.throttle) return "throttle";
  if (doc.error) return "error";
  return "ok";
}

const durationMsOf = (doc: SegmentDocument) => (doc.endSec === null ? null : roundMs(Math.max(0, doc.endSec - doc.startSec) * 1000));
const byStart = (a: SegmentDocument, b: SegmentDocument) => a.startSec - b.startSec || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Outlines a trace from its segment documents. Segments are nested under the segment or
 * subsegment that called them (parent ids); an inferred segment (a downstream resource) is
 * folded into the call subsegment it was made from, so each call appears once, named by the
 * resource (`orders-table`) rather than the SDK client (`DynamoDB`).
 */
export function summarizeTrace(traceId: string, segments: readonly SegmentDocument[], maxSpans = MAX_OUTLINE_SPANS): TraceDetail {
  const inferredById = new Map(segments.filter((s) => s.inferred).map((s) => [s.id, s]));
  const subsegmentIds = new Set<string>();
  const collectIds = (doc: SegmentDocument) => doc.subsegments.forEach((sub) => {
    subsegmentIds.add(sub.id);
    collectIds(sub);
  });
  segments.forEach(collectIds);
  // Inferred segments shadowing a call subsegment are shown through that subsegment.
  const shown = segments.filter((s) => !(s.inferred && subsegmentIds.has(s.id)));
  const ids = new Set([...shown.map((s) => s.id), ...subsegmentIds]);
  const childrenOf = new Map<string, SegmentDocument[]>();
  const roots: SegmentDocument[] = [];
  for (const segment of shown) {
    if (segment.parentId !== null && ids.has(segment.parentId)) {
      const list = childrenOf.get(segment.parentId) ?? [];
      list.push(segment);
      childrenOf.set(segment.parentId, list);
    } else roots.push(segment);
  }
  const traceStartSec = Math.min(...segments.map((s) => s.startSec));
  const spans: SegmentSpan[] = [];
  const coldStarts: TraceDetail["coldStarts"] = [];
  let exception: string | null = null;
  let spanCount = 0;

  const visit = (doc: SegmentDocument, depth: number) => {
    const inferred = doc.origin === null ? inferredById.get(doc.id) : undefined;
    spanCount++;
    if (spans.length < maxSpans) {
      spans.push({
        name: inferred?.name ?? doc.name,
        origin: inferred?.origin ?? doc.origin ?? doc.namespace,
        operation: doc.operation ?? inferred?.operation ?? null,
        depth,
        offsetMs: roundMs((doc.startSec - traceStartSec) * 1000),
        durationMs: durationMsOf(doc),
        status: statusOf(doc),
      });
    }
    if (exception === null && doc.exception !== null && (doc.fault || doc.error)) {
      exception = `${doc.exception.type}: ${doc.exception.message}`.slice(0, MAX_EXCEPTION_CHARS);
    }
    if (doc.origin === LAMBDA_FUNCTION_TYPE) {
      const init = doc.subsegments.find((sub) => sub.name === INITIALIZATION_SUBSEGMENT);
      if (init !== undefined) coldStarts.push({ functionName: doc.name, initDurationMs: durationMsOf(init) });
    }
    const children = [...doc.subsegments, ...(childrenOf.get(doc.id) ?? [])].sort(byStart);
    for (const child of children) visit(child, depth + 1);
  };
  for (const root of [...roots].sort(byStart)) visit(root, 0);
  return { traceId, coldStarts, spans, spanCount, exception };
}
