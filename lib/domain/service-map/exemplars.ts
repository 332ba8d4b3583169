import { tailThresholdMs } from "@/lib/domain/service-map/latency-histogram";
import { compareIds, functionNodesOf, type ServiceGraphSnapshot } from "@/lib/domain/service-map/service-graph-snapshot";
import type { SegmentSpan, TraceDetail } from "@/lib/domain/service-map/segment-summary";
import { exemplarFilters } from "@/lib/domain/service-map/trace-filters";
import { HOUR_MS } from "@/lib/domain/shared/time";

/**
 * Exemplar traces: for each Lambda function of an hour, a few of its slowest, faulted and
 * cold-start traces, so the map's side panel can link straight to them in the X-Ray console.
 *
 * Strategy, within a fixed budget per hour window (EXEMPLAR_BUDGET: ≤ 5 GetTraceSummaries
 * pages, ≤ 6 BatchGetTraces calls of ≤ 5 ids — at most 30 full traces):
 *  1. One query finds both faulted and slow traces, because X-Ray bills every trace a query
 *     scans ($0.50 per million) and two queries would scan the hour twice:
 *       (fault = true AND service(id(type: "AWS::Lambda::Function")))
 *       OR service(id(name: F, type: "AWS::Lambda::Function")) { responsetime >= t_F } OR …
 *     The fault clause is left out when the hour's graph shows no function fault. t_F comes
 *     from the function's response-time histogram in the hour's graph: the tightest bin edge
 *     with tailPool requests above it (tailThresholdMs), so each function contributes a
 *     handful of matches. Split only at X-Ray's 2,000-character limit (about 18 functions per
 *     expression); pages are read newest first while the budget lasts.
 *  2. Per function: slowest = the tail matches by response time; faulted = the faulted
 *     matches, different root causes first, then the most recent.
 *  3. Cold starts have no filter keyword (summaries do not say; Powertools' ColdStart
 *     annotation is not universal), so they are recognised in fetched segment documents (an
 *     `Initialization` subsegment). Fetch order: rank 1 slowest and faulted of every
 *     function, rank 2, rank 3, then further tail candidates while the budget lasts. INIT time
 *     lands in the response time, so cold invocations concentrate in the tail exactly where
 *     they hurt (Java, .NET, sparse traffic); a function whose init is shorter than its warm
 *     tail may get no cold-start exemplar in an hour — an honest "none found", not a guess.
 * Exemplars found in summaries but not fetched within the budget are kept with
 * `coldStart: null` and `segments: null` (unknown), never invented.
 *
 * With many functions the budget cannot cover all of them in one hour: their order rotates
 * by hour (hour index mod function count), so over a day each gets its turn first.
 */

export type ExemplarKind = "slowest" | "faulted" | "cold-start";
export const EXEMPLAR_KINDS: readonly ExemplarKind[] = ["slowest", "faulted", "cold-start"];

/** What GetTraceSummaries says about one trace (parsed by the adapter). */
export interface TraceSummaryInfo {
  traceId: string;
  startMs: number;
  /** The root segment's response time (ms). */
  responseTimeMs: number;
  /** First segment start to last segment end (ms). */
  durationMs: number;
  hasFault: boolean;
  hasError: boolean;
  hasThrottle: boolean;
  /** Names of the AWS::Lambda::Function services the trace went through. */
  functionNames: string[];
  /** The first fault root cause, `Type: message`, if X-Ray named one. */
  faultCause: string | null;
  http: { method: string; url: string; status: number | null } | null;
}

export interface TraceExemplar
  extends Pick<TraceSummaryInfo, "traceId" | "startMs" | "responseTimeMs" | "durationMs" | "hasFault" | "hasError" | "hasThrottle" | "http"> {
  functionName: string;
  kind: ExemplarKind;
  /** From the segment documents; null when the trace was not fetched (budget). */
  coldStart: boolean | null;
  initDurationMs: number | null;
  /** Root cause from the summary, else the first exception in the documents. */
  faultCause: string | null;
  /** Compact outline (segment-summary.ts); null when not fetched. */
  segments: SegmentSpan[] | null;
}

/** The exemplars of one function in one window, in kind order (slowest, faulted, cold-start). */
export interface FunctionExemplars {
  functionName: string;
  exemplars: TraceExemplar[];
}

export interface ExemplarBudget {
  /** GetTraceSummaries pages per window, all expressions together. */
  summaryPages: number;
  /** BatchGetTraces calls per window. */
  traceBatches: number;
  /** X-Ray's limit of ids per BatchGetTraces call (FACTS §6). */
  idsPerBatch: number;
  /** Exemplars per function and kind. */
  perKind: number;
  /** Slow candidates per function (the tail threshold leaves about this many; the extra ones are cold-start candidates). */
  tailPool: number;
}

export const EXEMPLAR_BUDGET: ExemplarBudget = {
  summaryPages: 5,
  traceBatches: 6,
  idsPerBatch: 5,
  perKind: 3,
  tailPool: 6,
};

/** What to ask X-Ray for in one window. */
export interface ExemplarSearch {
  /** Functions in this window's (rotated) order, with their tail thresholds. */
  functions: { functionName: string; minResponseTimeMs: number }[];
  /** Filter expressions to run in order (exemplarFilters). */
  filters: string[];
}

/**
 * Plans the exemplar query of a window from its service-graph snapshot: each function node
 * with traffic and its tail threshold, in an order rotated by the hour's index so large
 * fleets take turns; the fault clause only when some function faulted.
 */
export function planExemplarSearch(snapshot: ServiceGraphSnapshot, budget: ExemplarBudget = EXEMPLAR_BUDGET): ExemplarSearch {
  const nodes = functionNodesOf(snapshot);
  const withTraffic = nodes
    .map((node) => ({ functionName: node.name, minResponseTimeMs: tailThresholdMs(node.stats.histogram, budget.tailPool) }))
    .filter((f): f is { functionName: string; minResponseTimeMs: number } => f.minResponseTimeMs !== null)
    .sort((a, b) => compareIds(a.functionName, b.functionName));
  const unique = withTraffic.filter((f, i) => i === 0 || withTraffic[i - 1]!.functionName !== f.functionName);
  const offset = unique.length === 0 ? 0 : Math.floor(snapshot.window.fromMs / HOUR_MS) % unique.length;
  const functions = [...unique.slice(offset), ...unique.slice(0, offset)];
  const anyFaults = nodes.some((node) => node.stats.faultCount > 0);
  return { functions, filters: functions.length === 0 ? [] : exemplarFilters(functions, anyFaults) };
}

/** Candidate traces of one function, each list in pick order. */
export interface FunctionCandidates {
  functionName: string;
  /** Slowest first (response time, then trace id), at most tailPool. */
  slow: TraceSummaryInfo[];
  /** Different root causes first, then most recent. */
  faulted: TraceSummaryInfo[];
}

const bySlowest = (a: TraceSummaryInfo, b: TraceSummaryInfo) => b.responseTimeMs - a.responseTimeMs || compareIds(a.traceId, b.traceId);
const byNewest = (a: TraceSummaryInfo, b: TraceSummaryInfo) => b.startMs - a.startMs || compareIds(a.traceId, b.traceId);

/** Orders faulted traces: the newest of each root cause first (causes by their newest trace), then the rest, newest first. */
export function rankFaulted(traces: readonly TraceSummaryInfo[]): TraceSummaryInfo[] {
  const sorted = [...traces].sort(byNewest);
  const seenCauses = new Set<string>();
  const firsts: TraceSummaryInfo[] = [];
  const rest: TraceSummaryInfo[] = [];
  for (const trace of sorted) {
    const cause = trace.faultCause ?? "";
    if (seenCauses.has(cause)) rest.push(trace);
    else {
      seenCauses.add(cause);
      firsts.push(trace);
    }
  }
  return [...firsts, ...rest];
}

function dedupe(traces: readonly TraceSummaryInfo[]): TraceSummaryInfo[] {
  const byId = new Map<string, TraceSummaryInfo>();
  for (const trace of traces) if (!byId.has(trace.traceId)) byId.set(trace.traceId, trace);
  return [...byId.values()];
}

/**
 * Sorts the summaries read into candidates per function (a trace through several functions
 * is a candidate of each): slow ones are those at or above the function's threshold (the
 * fault clause also brings fast faulted traces), faulted ones those with a fault.
 */
export function groupCandidates(search: ExemplarSearch, summaries: readonly TraceSummaryInfo[], budget: ExemplarBudget = EXEMPLAR_BUDGET): FunctionCandidates[] {
  const unique = dedupe(summaries);
  return search.functions.map(({ functionName, minResponseTimeMs }) => {
    const ofFunction = unique.filter((t) => t.functionNames.includes(functionName));
    return {
      functionName,
      // Filters compare whole milliseconds (formatFilterSeconds), so compare alike here.
      slow: ofFunction.filter((t) => t.responseTimeMs >= Math.floor(minResponseTimeMs)).sort(bySlowest).slice(0, budget.tailPool),
      faulted: rankFaulted(ofFunction.filter((t) => t.hasFault)),
    };
  });
}

/**
 * The trace ids to fetch, in batches of ≤ idsPerBatch, at most traceBatches batches: rank by
 * rank across functions (slowest r, faulted r for each function), then the remaining tail
 * candidates (cold-start hunting).
 */
export function planTraceFetch(candidates: readonly FunctionCandidates[], budget: ExemplarBudget = EXEMPLAR_BUDGET): string[][] {
  const limit = budget.traceBatches * budget.idsPerBatch;
  const ids: string[] = [];
  const seen = new Set<string>();
  const add = (trace: TraceSummaryInfo | undefined) => {
    if (trace === undefined || ids.length >= limit || seen.has(trace.traceId)) return;
    seen.add(trace.traceId);
    ids.push(trace.traceId);
  };
  for (let rank = 0; rank < budget.perKind; rank++) {
    for (const c of candidates) {
      add(c.slow[rank]);
      add(c.faulted[rank]);
    }
  }
  for (let rank = budget.perKind; rank < budget.tailPool; rank++) for (const c of candidates) add(c.slow[rank]);
  const batches: string[][] = [];
  for (let i = 0; i < ids.length; i += budget.idsPerBatch) batches.push(ids.slice(i, i + budget.idsPerBatch));
  return batches;
}

function toExemplar(trace: TraceSummaryInfo, functionName: string, kind: ExemplarKind, detail: TraceDetail | undefined): TraceExemplar {
  const cold = detail?.coldStarts.find((c) => c.functionName === functionName);
  return {
    traceId: trace.traceId,
    functionName,
    kind,
    startMs: trace.startMs,
    responseTimeMs: trace.responseTimeMs,
    durationMs: trace.durationMs,
    hasFault: trace.hasFault,
    hasError: trace.hasError,
    hasThrottle: trace.hasThrottle,
    coldStart: detail === undefined ? null : cold !== undefined,
    initDurationMs: cold?.initDurationMs ?? null,
    faultCause: trace.faultCause ?? detail?.exception ?? null,
    http: trace.http,
    segments: detail?.spans ?? null,
  };
}

/**
 * Picks each function's exemplars: its perKind slowest and faulted candidates, and the
 * slowest of its fetched candidates whose documents show a cold start of that function.
 * Functions without any exemplar are left out.
 */
export function selectExemplars(
  candidates: readonly FunctionCandidates[],
  details: ReadonlyMap<string, TraceDetail>,
  budget: ExemplarBudget = EXEMPLAR_BUDGET,
): FunctionExemplars[] {
  const result: FunctionExemplars[] = [];
  for (const c of [...candidates].sort((a, b) => compareIds(a.functionName, b.functionName))) {
    const exemplars: TraceExemplar[] = [
      ...c.slow.slice(0, budget.perKind).map((t) => toExemplar(t, c.functionName, "slowest", details.get(t.traceId))),
      ...c.faulted.slice(0, budget.perKind).map((t) => toExemplar(t, c.functionName, "faulted", details.get(t.traceId))),
      ...dedupe([...c.slow, ...c.faulted])
        .filter((t) => details.get(t.traceId)?.coldStarts.some((cold) => cold.functionName === c.functionName))
        .sort(bySlowest)
        .slice(0, budget.perKind)
        .map((t) => toExemplar(t, c.functionName, "cold-start", details.get(t.traceId))),
    ];
    if (exemplars.length > 0) result.push({ functionName: c.functionName, exemplars });
  }
  return result;
}

/**
 * The side panel's exemplars over a range of hours: per kind, the n slowest (slowest and
 * cold-start) or most recent (faulted) of all hours, each trace once per kind.
 */
export function pickTopExemplars(exemplars: readonly TraceExemplar[], perKind: number): TraceExemplar[] {
  const picked: TraceExemplar[] = [];
  for (const kind of EXEMPLAR_KINDS) {
    const seen = new Set<string>();
    const ofKind = exemplars
      .filter((e) => e.kind === kind)
      .sort((a, b) =>
        kind === "faulted"
          ? b.startMs - a.startMs || compareIds(a.traceId, b.traceId)
          : b.responseTimeMs - a.responseTimeMs || compareIds(a.traceId, b.traceId),
      )
      .filter((e) => (seen.has(e.traceId) ? false : (seen.add(e.traceId), true)));
    picked.push(...ofKind.slice(0, perKind));
  }
  return picked;
}
