import type { FilterNode, NumberOperator, ServiceMatcher, StatusFlag, StringOperator } from "./filter-expression";

/**
 * Evaluation of parsed filter expressions, on one trace (exact) and on a group of traces
 * (three-valued, to skip a whole function-minute that cannot match without building its
 * traces). Both work on plain views, so they are tested without the model.
 */

export type ViewStatus = "ok" | "error" | "throttle" | "fault";

/** A service of a trace: its worst status and its longest response time. */
export interface ViewNode {
  name: string;
  type: string;
  status: ViewStatus;
  responseTimeSec: number;
}

/** One call across an edge of the trace. */
export interface ViewEdge {
  from: { name: string; type: string };
  to: { name: string; type: string };
  status: ViewStatus;
  responseTimeSec: number;
}

/** What a filter can ask of one trace. */
export interface TraceView {
  /** Status of the root segment. */
  status: ViewStatus;
  /** Root segment duration, and first start to last end, in seconds. */
  responseTimeSec: number;
  durationSec: number;
  http: { method: string; url: string; status: number; userAgent: string; clientIp: string } | undefined;
  nodes: readonly ViewNode[];
  edges: readonly ViewEdge[];
}

/** The scope `{ ... }` conditions refer to: the trace, or one service or edge of it. */
interface Scope {
  status: ViewStatus;
  responseTimeSec: number;
}

function matches(matcher: ServiceMatcher, node: { name: string; type: string }): boolean {
  return (matcher.name === undefined || matcher.name === node.name) && (matcher.type === undefined || matcher.type === node.type);
}

function flagHolds(flag: StatusFlag, status: ViewStatus): boolean {
  // A throttle is a 429: it is also an error.
  if (flag === "error") return status === "error" || status === "throttle";
  return status === flag;
}

function compareNumbers(left: number, operator: NumberOperator, right: number): boolean {
  switch (operator) {
    case "=":
      return left === right;
    case "!=":
      return left !== right;
    case "<":
      return left < right;
    case "<=":
      return left <= right;
    case ">":
      return left > right;
    case ">=":
      return left >= right;
  }
}

function compareStrings(left: string, operator: StringOperator, right: string): boolean {
  switch (operator) {
    case "=":
      return left === right;
    case "!=":
      return left !== right;
    case "CONTAINS":
      return left.includes(right);
    case "BEGINSWITH":
      return left.startsWith(right);
    case "ENDSWITH":
      return left.endsWith(right);
  }
}

function evaluateIn(node: FilterNode, trace: TraceView, scope: Scope): boolean {
  switch (node.kind) {
    case "and":
      return evaluateIn(node.left, trace, scope) && evaluateIn(node.right, trace, scope);
    case "or":
      return evaluateIn(node.left, trace, scope) || evaluateIn(node.right, trace, scope);
    case "not":
      return !evaluateIn(node.operand, trace, scope);
    case "flag":
      return flagHolds(node.flag, scope.status) === node.expected;
    case "number": {
      if (node.field === "http.status") return trace.http !== undefined && compareNumbers(trace.http.status, node.operator, node.value);
      const value = node.field === "duration" && scope === trace ? trace.durationSec : scope.responseTimeSec;
      return compareNumbers(value, node.operator, node.value);
    }
    case "string": {
      if (trace.http === undefined) return false;
      const field = { "http.method": trace.http.method, "http.url": trace.http.url, "http.useragent": trace.http.userAgent, "http.clientip": trace.http.clientIp }[node.field];
      return compareStrings(field, node.operator, node.value);
    }
    case "service":
      return trace.nodes.some((n) => matches(node.service, n) && (node.where === undefined || evaluateIn(node.where, trace, n)));
    case "edge":
      return trace.edges.some((e) => matches(node.from, e.from) && matches(node.to, e.to) && (node.where === undefined || evaluateIn(node.where, trace, e)));
  }
}

/** Whether one trace matches the filter. */
export function evaluateFilter(node: FilterNode, trace: TraceView): boolean {
  return evaluateIn(node, trace, trace);
}

/** Three-valued truth: definitely true, definitely false, or unknown without the traces. */
export type Truth = "true" | "false" | "unknown";

/** How many traces of a group (or calls of a service in it) have each status. */
export interface StatusCounts {
  ok: number;
  error: number;
  throttle: number;
  fault: number;
}

/** A service of a group of traces: whether every trace has it, and its statuses. */
export interface GroupNode {
  name: string;
  type: string;
  inEveryTrace: boolean;
  statuses: StatusCounts;
}

export interface GroupEdge {
  from: { name: string; type: string };
  to: { name: string; type: string };
  statuses: StatusCounts;
}

/** What is known of a group of traces (one function's requests of one minute) before building them. */
export interface TraceGroupView {
  /** Root statuses of the group's traces. */
  statuses: StatusCounts;
  /** HTTP method of every trace of the group (API entry points), or undefined when they have no HTTP. */
  httpMethod: string | undefined;
  nodes: readonly GroupNode[];
  edges: readonly GroupEdge[];
}

const and3 = (a: Truth, b: Truth): Truth => (a === "false" || b === "false" ? "false" : a === "true" && b === "true" ? "true" : "unknown");
const or3 = (a: Truth, b: Truth): Truth => (a === "true" || b === "true" ? "true" : a === "false" && b === "false" ? "false" : "unknown");
const not3 = (a: Truth): Truth => (a === "true" ? "false" : a === "false" ? "true" : "unknown");

function flagTruth(flag: StatusFlag, counts: StatusCounts, expected: boolean): Truth {
  const total = counts.ok + counts.error + counts.throttle + counts.fault;
  const holding = flag === "error" ? counts.error + counts.throttle : counts[flag];
  if (total === 0) return "false";
  const truth: Truth = holding === 0 ? "false" : holding === total ? "true" : "unknown";
  return expected ? truth : not3(truth);
}

function groupTruthIn(node: FilterNode, group: TraceGroupView, scope: StatusCounts): Truth {
  switch (node.kind) {
    case "and":
      return and3(groupTruthIn(node.left, group, scope), groupTruthIn(node.right, group, scope));
    case "or":
      return or3(groupTruthIn(node.left, group, scope), groupTruthIn(node.right, group, scope));
    case "not":
      return not3(groupTruthIn(node.operand, group, scope));
    case "flag":
      return flagTruth(node.flag, scope, node.expected);
    case "number":
      return node.field === "http.status" && group.httpMethod === undefined ? "false" : "unknown";
    case "string":
      if (group.httpMethod === undefined) return "false";
      return node.field === "http.method" ? (compareStrings(group.httpMethod, node.operator, node.value) ? "true" : "false") : "unknown";
    case "service": {
      const candidates = group.nodes.filter((n) => matches(node.service, n));
      if (candidates.length === 0) return "false";
      if (node.where === undefined) return candidates.some((n) => n.inEveryTrace) ? "true" : "unknown";
      // Only "cannot match" is worth knowing here: each candidate's own statuses decide it.
      const where = node.where;
      return candidates.every((n) => groupTruthIn(where, group, n.statuses) === "false") ? "false" : "unknown";
    }
    case "edge": {
      const candidates = group.edges.filter((e) => matches(node.from, e.from) && matches(node.to, e.to));
      if (candidates.length === 0) return "false";
      const where = node.where;
      if (where === undefined) return "unknown";
      return candidates.every((e) => groupTruthIn(where, group, e.statuses) === "false") ? "false" : "unknown";
    }
  }
}

/** Whether every, no or some traces of the group can match the filter. */
export function evaluateFilterOnGroup(node: FilterNode, group: TraceGroupView): Truth {
  return groupTruthIn(node, group, group.statuses);
}
