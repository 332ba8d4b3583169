import type { NodeRef } from "../model/call-graph";
import { clientNodeOf, entryNodeOf, functionNodeOf, lambdaNodeOf, routeOf } from "../model/call-graph";
import type { GroupEdge, GroupNode, StatusCounts, TraceGroupView, TraceView, ViewEdge, ViewNode } from "./filter-evaluate";
import { sampledCallCounts, sampledCohorts, type MinuteInvocations } from "../model/minute-invocations";
import { STATUS_SEVERITY, rootSpanOf, spansOf, type TraceRecord } from "./trace-record";

/**
 * Views of traces for filter expressions: one trace exactly (from its record), and a
 * function-minute's group of traces from the minute plan's exact counts, without building
 * any trace.
 */

const seconds = (ms: number) => Math.round(ms) / 1000;

/** The filter view of one trace. */
export function traceViewOf(trace: TraceRecord): TraceView {
  const spans = spansOf(trace);
  const nodes = new Map<string, ViewNode>();
  const edges: ViewEdge[] = [];
  for (const span of spans) {
    const key = `${span.node.type}|${span.node.name}`;
    const responseTimeSec = seconds(span.endMs - span.startMs);
    const known = nodes.get(key);
    if (known === undefined) nodes.set(key, { name: span.node.name, type: span.node.type, status: span.status, responseTimeSec });
    else {
      if (STATUS_SEVERITY[span.status] > STATUS_SEVERITY[known.status]) known.status = span.status;
      known.responseTimeSec = Math.max(known.responseTimeSec, responseTimeSec);
    }
    if (span.parent !== undefined) edges.push({ from: span.parent, to: span.node, status: span.status, responseTimeSec });
  }
  const root = rootSpanOf(trace);
  return {
    status: root.status,
    responseTimeSec: seconds(root.endMs - root.startMs),
    durationSec: seconds(trace.endMs - trace.startMs),
    http: trace.http,
    nodes: [...nodes.values()],
    edges,
  };
}

const noStatuses = (): StatusCounts => ({ ok: 0, error: 0, throttle: 0, fault: 0 });

/** The sampled invoked requests (not the throttled ones) of a function-minute, as a group. */
export function invokedGroupOf(plan: MinuteInvocations): TraceGroupView | undefined {
  if (plan.sampled <= 0) return undefined;
  const fn = plan.fn;
  const statuses = noStatuses();
  for (const cohort of sampledCohorts(plan)) {
    if (cohort.outcome === "ok") statuses.ok += cohort.count;
    else statuses.fault += cohort.count;
  }
  const nodes: GroupNode[] = [];
  const edges: GroupEdge[] = [];
  const chain: (NodeRef | undefined)[] = [clientNodeOf(fn), entryNodeOf(fn), lambdaNodeOf(fn.name), functionNodeOf(fn.name)];
  let parent: NodeRef | undefined;
  for (const node of chain) {
    if (node === undefined) continue;
    if (node.type !== "client") nodes.push({ ...node, inEveryTrace: true, statuses });
    if (parent !== undefined) edges.push({ from: parent, to: node, statuses });
    parent = node;
  }
  const fnNode = functionNodeOf(fn.name);
  for (const call of plan.calls) {
    const { calls, faults } = sampledCallCounts(plan, call);
    if (calls <= 0) continue;
    const callStatuses: StatusCounts = { ...noStatuses(), ok: calls - faults, fault: faults };
    nodes.push({ ...call.node, inEveryTrace: call.base >= 1, statuses: callStatuses });
    edges.push({ from: fnNode, to: call.node, statuses: callStatuses });
  }
  return { statuses, httpMethod: routeOf(fn)?.method, nodes, edges };
}

/** The sampled throttled requests of a function-minute, as a group. */
export function throttledGroupOf(plan: MinuteInvocations): TraceGroupView | undefined {
  if (plan.sampledThrottles <= 0) return undefined;
  const fn = plan.fn;
  const statuses: StatusCounts = { ...noStatuses(), throttle: plan.sampledThrottles };
  const nodes: GroupNode[] = [];
  const edges: GroupEdge[] = [];
  let parent: NodeRef | undefined;
  for (const node of [clientNodeOf(fn), entryNodeOf(fn), lambdaNodeOf(fn.name)]) {
    if (node === undefined) continue;
    if (node.type !== "client") nodes.push({ ...node, inEveryTrace: true, statuses });
    if (parent !== undefined) edges.push({ from: parent, to: node, statuses });
    parent = node;
  }
  return { statuses, httpMethod: routeOf(fn)?.method, nodes, edges };
}
