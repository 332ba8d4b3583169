import type { FunctionSpec } from "../model/fleet";
import { requestIdFor, traceIdFor } from "../model/invocation-ids";
import type { SimModel } from "../model/minute-stats";
import { hashInts } from "../model/random";
import {
  clientNodeOf,
  entryNodeOf,
  functionNodeOf,
  lambdaNodeOf,
  nodeKey,
  routeOf,
  stageUrlOf,
  type NodeRef,
} from "../model/call-graph";
import { invocationStartMs, throttledRequestStartMs } from "../model/invocation-timing";
import {
  callFaultsOf,
  callLatencyMsOf,
  durationMsOf,
  initMsOf,
  isColdStart,
  outcomeOf,
  type CallPlan,
  type InvocationOutcome,
  type MinuteInvocations,
} from "../model/minute-invocations";

/**
 * One trace, built from the minute plan for one request: the segments' nodes, timings and
 * statuses. Trace summaries, filter expressions and segment documents all read this record,
 * and the service graph adds up the same shapes per minute (see service-graph.ts).
 *
 * Timeline of an invoked request (ms from the trace start t0):
 *   entry (API stage or event source)  [t0, t0 + lambda + ENTRY overhead]
 *   AWS::Lambda                        starts half the entry overhead later, lasts function + LAMBDA overhead
 *   AWS::Lambda::Function              Initialization (cold only) then Invocation (the duration)
 *   downstream calls                   one after another inside Invocation
 * A throttled request has the entry and an AWS::Lambda segment that answered 429 at once.
 */

/** Fixed overheads (ms) of the segments around the function. */
export const SegmentOverheadMs = {
  /** AWS::Lambda segment beyond the function segment (routing, invoke). */
  lambda: 1.5,
  /** API Gateway stage beyond the Lambda integration. */
  apiGateway: 8,
  /** SNS / SQS / EventBridge delivery beyond the Lambda invoke. */
  eventSource: 3,
  /** A throttled invoke is refused at once. */
  throttle: 1.2,
} as const;

export type SegmentStatus = "ok" | "error" | "throttle" | "fault";

/** Severity order for aggregating several statuses of one node (worst wins). */
export const STATUS_SEVERITY: Readonly<Record<SegmentStatus, number>> = { ok: 0, error: 1, throttle: 2, fault: 3 };

/** One segment of the trace (or a downstream call, which X-Ray shows as an inferred segment). */
export interface TraceSpan {
  node: NodeRef;
  /** The node that called this one (the edge parent → node); undefined for the root. */
  parent: NodeRef | undefined;
  startMs: number;
  endMs: number;
  status: SegmentStatus;
  httpStatus: number | undefined;
}

export interface TraceCall {
  plan: CallPlan;
  /** 0-based call number of this downstream call within the invocation. */
  number: number;
  span: TraceSpan;
}

export interface TraceHttp {
  method: string;
  url: string;
  status: number;
  userAgent: string;
  clientIp: string;
}

export interface TraceRecord {
  readonly id: string;
  fn: FunctionSpec;
  minute: number;
  /** Request index in the minute (throttled requests come after the invocations). */
  index: number;
  outcome: InvocationOutcome | "throttled";
  readonly requestId: string;
  coldStart: boolean;
  initMs: number;
  /** The function's own duration (Invocation subsegment); 0 when throttled. */
  durationMs: number;
  startMs: number;
  endMs: number;
  client: NodeRef | undefined;
  entry: TraceSpan | undefined;
  lambda: TraceSpan;
  function: TraceSpan | undefined;
  calls: TraceCall[];
  http: TraceHttp | undefined;
}

const USER_AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  "okhttp/4.12.0",
] as const;

function statusOfOutcome(outcome: InvocationOutcome | "throttled"): SegmentStatus {
  if (outcome === "ok") return "ok";
  return outcome === "throttled" ? "throttle" : "fault";
}

/** What API Gateway answers for an outcome of its Lambda integration. */
function apiStatusOf(outcome: InvocationOutcome | "throttled"): number {
  switch (outcome) {
    case "ok":
      return 200;
    case "throttled":
      return 429;
    case "timeout":
      return 504;
    default:
      return 502;
  }
}

/** Time the entry segment (API stage or event source) adds around the Lambda segment. */
export function entryOverheadMsOf(fn: FunctionSpec): number {
  if (entryNodeOf(fn) === undefined) return 0;
  return clientNodeOf(fn) === undefined ? SegmentOverheadMs.eventSource : SegmentOverheadMs.apiGateway;
}

/** What every trace of a function shares (computed once per function: traces are built by the thousand). */
interface FunctionShape {
  entry: NodeRef | undefined;
  client: NodeRef | undefined;
  lambda: NodeRef;
  function: NodeRef;
  entryOverheadMs: number;
  route: { method: string; path: string; hasParameters: boolean } | undefined;
  stageUrl: string | undefined;
}

const shapes = new WeakMap<FunctionSpec, FunctionShape>();

function shapeOf(fn: FunctionSpec): FunctionShape {
  let shape = shapes.get(fn);
  if (shape === undefined) {
    const entry = entryNodeOf(fn);
    const client = clientNodeOf(fn);
    const route = routeOf(fn);
    shape = {
      entry,
      client,
      lambda: lambdaNodeOf(fn.name),
      function: functionNodeOf(fn.name),
      entryOverheadMs: entryOverheadMsOf(fn),
      route: route === undefined ? undefined : { ...route, hasParameters: route.path.includes("{") },
      stageUrl: stageUrlOf(fn, fn.region),
    };
    shapes.set(fn, shape);
  }
  return shape;
}

function httpOf(model: SimModel, plan: MinuteInvocations, index: number, outcome: InvocationOutcome | "throttled"): TraceHttp | undefined {
  const fn = plan.fn;
  const { route, stageUrl } = shapeOf(fn);
  if (route === undefined || stageUrl === undefined) return undefined;
  const h = hashInts(model.seed, fn.nameHash, plan.minute, index, 241);
  // Path parameters get a plausible id per request.
  const path = route.hasParameters ? route.path.replace(/\{[^}]+\}/g, () => (h % 1_000_000).toString(36).padStart(4, "0")) : route.path;
  return {
    method: route.method,
    url: `${stageUrl}${path}`,
    status: apiStatusOf(outcome),
    userAgent: USER_AGENTS[h % USER_AGENTS.length]!,
    clientIp: `198.51.100.${(h >>> 8) % 254 + 1}`,
  };
}

/**
 * Builds the record of one request: entry, Lambda service segment and, for invoked requests
 * (`functionPart` set), the function segment with its downstream calls.
 */
function buildRecord(
  model: SimModel,
  plan: MinuteInvocations,
  index: number,
  startMs: number,
  outcome: InvocationOutcome | "throttled",
  functionPart: { initMs: number; durationMs: number; coldStart: boolean } | undefined,
): TraceRecord {
  const fn = plan.fn;
  const shape = shapeOf(fn);
  const { entry: entryNode, client, lambda: lambdaNode } = shape;
  const status = statusOfOutcome(outcome);
  const functionMs = functionPart === undefined ? 0 : functionPart.initMs + functionPart.durationMs;
  const lambdaMs = functionPart === undefined ? SegmentOverheadMs.throttle : functionMs + SegmentOverheadMs.lambda;
  const entryOverhead = shape.entryOverheadMs;
  const lambdaStart = startMs + entryOverhead / 2;
  const http = httpOf(model, plan, index, outcome);
  const entry: TraceSpan | undefined = entryNode === undefined
    ? undefined
    : { node: entryNode, parent: client, startMs, endMs: startMs + lambdaMs + entryOverhead, status, httpStatus: http?.status };
  const lambda: TraceSpan = {
    node: lambdaNode,
    parent: entryNode,
    startMs: lambdaStart,
    endMs: lambdaStart + lambdaMs,
    status,
    httpStatus: outcome === "throttled" ? 429 : undefined,
  };
  let fnSpan: TraceSpan | undefined;
  const calls: TraceCall[] = [];
  if (functionPart !== undefined) {
    const fnStart = lambdaStart + SegmentOverheadMs.lambda / 2;
    fnSpan = { node: shape.function, parent: lambdaNode, startMs: fnStart, endMs: fnStart + functionMs, status, httpStatus: undefined };
    const invocationStart = fnStart + functionPart.initMs;
    const planned: { plan: CallPlan; number: number; latencyMs: number; fault: boolean }[] = [];
    for (const callPlan of plan.calls) {
      callFaultsOf(callPlan, index).forEach((fault, number) => {
        planned.push({ plan: callPlan, number, latencyMs: callLatencyMsOf(model, plan, index, callPlan, number), fault });
      });
    }
    // Calls run one after another inside the invocation; squeezed when they would overrun it.
    const totalMs = planned.reduce((sum, c) => sum + c.latencyMs, 0);
    const budgetMs = functionPart.durationMs * 0.9;
    const scale = totalMs > budgetMs && totalMs > 0 ? budgetMs / totalMs : 1;
    let cursor = invocationStart + Math.min(0.3, functionPart.durationMs * 0.05);
    for (const c of planned) {
      const ms = c.latencyMs * scale;
      calls.push({
        plan: c.plan,
        number: c.number,
        span: { node: c.plan.node, parent: fnSpan.node, startMs: cursor, endMs: cursor + ms, status: c.fault ? "fault" : "ok", httpStatus: c.fault ? 500 : 200 },
      });
      cursor += ms;
    }
  }
  // Ids are hashed into hex only when asked for: most examined traces are filtered out.
  let id: string | undefined;
  let requestId: string | undefined;
  return {
    get id() {
      return (id ??= traceIdFor(model, fn, plan.minute, index, Math.floor(startMs / 1000)));
    },
    fn,
    minute: plan.minute,
    index,
    outcome,
    get requestId() {
      return (requestId ??= requestIdFor(model, fn, plan.minute, index));
    },
    coldStart: functionPart?.coldStart ?? false,
    initMs: functionPart?.initMs ?? 0,
    durationMs: functionPart?.durationMs ?? 0,
    startMs,
    endMs: Math.max(entry?.endMs ?? 0, lambda.endMs),
    client,
    entry,
    lambda,
    function: fnSpan,
    calls,
    http,
  };
}

/** The trace of sampled invocation `index` (< plan.sampled). */
export function invocationTrace(model: SimModel, plan: MinuteInvocations, index: number): TraceRecord {
  const outcome = outcomeOf(plan, index);
  const coldStart = isColdStart(plan, index);
  const initMs = coldStart ? initMsOf(model, plan, index) : 0;
  const durationMs = durationMsOf(model, plan, index, outcome);
  const startMs = invocationStartMs(model, plan.fn, plan.minute, index, plan.invocations);
  return buildRecord(model, plan, index, startMs, outcome, { initMs, durationMs, coldStart });
}

/** The trace of sampled throttled request `throttleIndex` (< plan.sampledThrottles). */
export function throttledTrace(model: SimModel, plan: MinuteInvocations, throttleIndex: number): TraceRecord {
  const startMs = throttledRequestStartMs(model, plan.fn, plan.minute, plan.invocations, throttleIndex, plan.throttles);
  return buildRecord(model, plan, plan.invocations + throttleIndex, startMs, "throttled", undefined);
}

/** The trace of request `index` of the minute, if it was sampled. */
export function traceAt(model: SimModel, plan: MinuteInvocations, index: number): TraceRecord | undefined {
  if (index < 0) return undefined;
  if (index < plan.invocations) return index < plan.sampled ? invocationTrace(model, plan, index) : undefined;
  const throttleIndex = index - plan.invocations;
  return throttleIndex < plan.sampledThrottles ? throttledTrace(model, plan, throttleIndex) : undefined;
}

/** Every span of the trace with the edge it travelled (parent → node), root first. */
export function spansOf(trace: TraceRecord): TraceSpan[] {
  const spans: TraceSpan[] = [];
  if (trace.entry !== undefined) spans.push(trace.entry);
  spans.push(trace.lambda);
  if (trace.function !== undefined) spans.push(trace.function);
  for (const call of trace.calls) spans.push(call.span);
  return spans;
}

/** The root segment: the entry (API stage or event source), else the Lambda service segment. */
export function rootSpanOf(trace: TraceRecord): TraceSpan {
  return trace.entry ?? trace.lambda;
}

/** The trace's nodes (client excluded), each once, in span order. */
export function serviceNodesOf(trace: TraceRecord): NodeRef[] {
  const seen = new Map<string, NodeRef>();
  for (const span of spansOf(trace)) if (!seen.has(nodeKey(span.node))) seen.set(nodeKey(span.node), span.node);
  return [...seen.values()];
}
