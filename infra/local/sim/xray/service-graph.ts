import type { FunctionSpec } from "../model/fleet";
import { MinuteSeriesCache, type SimModel } from "../model/minute-stats";
import { clientNodeOf, entryNodeOf, functionNodeOf, hasAccount, lambdaNodeOf, nodeKey, tracedFunctions, type NodeRef } from "../model/call-graph";
import { CALL_LATENCY_SIGMA, planMinute, sampledCallCounts, sampledCohorts, type MinuteInvocations, type SampledCohort } from "../model/minute-invocations";
import {
  BIN_COUNT,
  addToHistogram,
  meanMs,
  roundHistogram,
  sumOfLognormals,
  type HistogramEntry,
  type TimeDistribution,
} from "./response-time-histogram";
import { SegmentOverheadMs, entryOverheadMsOf, type SegmentStatus } from "./trace-record";

/**
 * GetServiceGraph from the model. For every minute of the window and every traced function,
 * the X-Ray-sampled requests are split into cohorts (outcome × cold start, throttled, each
 * downstream call ok/failed) with exact counts, and each cohort adds its count, its status and
 * its response-time distribution to the segments it produces — the same segments the traces
 * of those requests have (trace-record.ts):
 *   client → entry (API stage / event source) → AWS::Lambda → AWS::Lambda::Function → downstream.
 * A node's statistics are those of its segments (for downstream nodes: the inferred segments
 * of the calls); an edge's are those of the child segments reached through it.
 */

export interface StatisticsWire {
  OkCount: number;
  ErrorStatistics: { ThrottleCount: number; OtherCount: number; TotalCount: number };
  FaultStatistics: { OtherCount: number; TotalCount: number };
  TotalCount: number;
  TotalResponseTime: number;
}

export interface EdgeWire {
  ReferenceId: number;
  StartTime: number;
  EndTime: number;
  SummaryStatistics: StatisticsWire;
  ResponseTimeHistogram: HistogramEntry[];
  Aliases: never[];
}

export interface ServiceWire {
  ReferenceId: number;
  Name: string;
  Names: string[];
  Root?: boolean;
  AccountId?: string;
  Type: string;
  State: "active" | "unknown";
  StartTime: number;
  EndTime: number;
  Edges: EdgeWire[];
  SummaryStatistics?: StatisticsWire;
  DurationHistogram?: HistogramEntry[];
  ResponseTimeHistogram?: HistogramEntry[];
}

/** Epoch minutes [startMinute, endMinute) to aggregate. */
export interface MinuteWindow {
  startMinute: number;
  endMinute: number;
}

/** Minutes whose log-medians (and shapes) differ by less than this (1 %) share one histogram component. */
const LOG_MEDIAN_GRID = 0.01;

/**
 * Counts, total time and the response-time mixture of a node or edge. Minutes with the same
 * distribution shape and nearly the same median are merged (count-weighted median) before the
 * histogram is computed, so a day costs a few dozen CDF sweeps instead of one per minute;
 * counts and total time stay exact per minute.
 */
class StatsAccumulator {
  ok = 0;
  errors = 0;
  throttles = 0;
  faults = 0;
  totalMs = 0;
  firstMinute = Infinity;
  lastMinute = -Infinity;
  private readonly components = new Map<string, { dist: TimeDistribution; count: number; weightedLogMedian: number; weightedSigma: number }>();

  add(status: SegmentStatus, count: number, dist: TimeDistribution, minute: number): void {
    if (count <= 0) return;
    if (status === "ok") this.ok += count;
    else if (status === "error") this.errors += count;
    else if (status === "throttle") this.throttles += count;
    else this.faults += count;
    this.totalMs += count * meanMs(dist);
    const key = dist.kind === "point"
      ? `p|${dist.valueMs}`
      : `l|${Math.round(dist.sigma / LOG_MEDIAN_GRID)}|${dist.truncateBelowMs}|${dist.shiftMs}|${Math.round(dist.logMedianMs / LOG_MEDIAN_GRID)}`;
    const component = this.components.get(key);
    const [logMedian, sigma] = dist.kind === "point" ? [0, 0] : [dist.logMedianMs, dist.sigma];
    if (component === undefined) this.components.set(key, { dist, count, weightedLogMedian: logMedian * count, weightedSigma: sigma * count });
    else {
      component.count += count;
      component.weightedLogMedian += logMedian * count;
      component.weightedSigma += sigma * count;
    }
    this.firstMinute = Math.min(this.firstMinute, minute);
    this.lastMinute = Math.max(this.lastMinute, minute);
  }

  histogram(): HistogramEntry[] {
    const weights = new Float64Array(BIN_COUNT);
    for (const { dist, count, weightedLogMedian, weightedSigma } of this.components.values()) {
      addToHistogram(weights, dist.kind === "point" ? dist : { ...dist, logMedianMs: weightedLogMedian / count, sigma: weightedSigma / count }, count);
    }
    return roundHistogram(weights, this.total);
  }

  get total(): number {
    return this.ok + this.errors + this.throttles + this.faults;
  }

  toWire(): StatisticsWire {
    return {
      OkCount: this.ok,
      ErrorStatistics: { ThrottleCount: this.throttles, OtherCount: this.errors, TotalCount: this.throttles + this.errors },
      FaultStatistics: { OtherCount: this.faults, TotalCount: this.faults },
      TotalCount: this.total,
      TotalResponseTime: Math.round(this.totalMs) / 1000,
    };
  }
}

interface NodeEntry {
  node: NodeRef;
  stats: StatsAccumulator;
  root: boolean;
  edges: Map<string, { to: NodeRef; stats: StatsAccumulator }>;
}

/** Accumulates segments into nodes and edges, keeping first-seen order for stable ids. */
class GraphBuilder {
  readonly nodes = new Map<string, NodeEntry>();

  private entry(node: NodeRef): NodeEntry {
    const key = nodeKey(node);
    let found = this.nodes.get(key);
    if (found === undefined) {
      found = { node, stats: new StatsAccumulator(), root: false, edges: new Map() };
      this.nodes.set(key, found);
    }
    return found;
  }

  /** Registers nodes in call order before any statistics, so ids follow the call graph. */
  declare(node: NodeRef): void {
    this.entry(node);
  }

  /**
   * `count` segments of `node`, reached from `parent` (undefined: nothing upstream); `root`
   * marks the first service of the trace (a client node may still stand in front of it).
   */
  addSegment(node: NodeRef, parent: NodeRef | undefined, status: SegmentStatus, count: number, dist: TimeDistribution, minute: number, root = false): void {
    if (count <= 0) return;
    const target = this.entry(node);
    target.stats.add(status, count, dist, minute);
    if (root) target.root = true;
    if (parent === undefined) return;
    const source = this.entry(parent);
    const key = nodeKey(node);
    let edge = source.edges.get(key);
    if (edge === undefined) {
      edge = { to: node, stats: new StatsAccumulator() };
      source.edges.set(key, edge);
    }
    edge.stats.add(status, count, dist, minute);
  }
}

function shifted(dist: TimeDistribution, byMs: number): TimeDistribution {
  return dist.kind === "point" ? { kind: "point", valueMs: dist.valueMs + byMs } : { ...dist, shiftMs: dist.shiftMs + byMs };
}

/** Response time of the function segment for one cohort (Initialization + Invocation). */
function functionDistribution(plan: MinuteInvocations, cohort: SampledCohort): TimeDistribution {
  const { durationLogMedian: mu, durationSigma: sigma, timeoutMs, initLogMedian, initSigma } = plan;
  if (cohort.outcome === "timeout") {
    return cohort.cold
      ? { kind: "lognormal", logMedianMs: initLogMedian, sigma: initSigma, truncateBelowMs: undefined, shiftMs: timeoutMs }
      : { kind: "point", valueMs: timeoutMs };
  }
  if (!cohort.cold) return { kind: "lognormal", logMedianMs: mu, sigma, truncateBelowMs: timeoutMs, shiftMs: 0 };
  const sum = sumOfLognormals(mu, sigma, initLogMedian, initSigma);
  return { kind: "lognormal", logMedianMs: sum.logMedianMs, sigma: sum.sigma, truncateBelowMs: undefined, shiftMs: 0 };
}

/** Adds one minute of one function's sampled requests to the graph. */
function addMinute(graph: GraphBuilder, plan: MinuteInvocations): void {
  const fn = plan.fn;
  const entry = entryNodeOf(fn);
  const client = clientNodeOf(fn);
  const lambda = lambdaNodeOf(fn.name);
  const fnNode = functionNodeOf(fn.name);
  const entryOverhead = entryOverheadMsOf(fn);
  const minute = plan.minute;

  const addChain = (status: SegmentStatus, count: number, lambdaDist: TimeDistribution) => {
    if (entry !== undefined) graph.addSegment(entry, client, status, count, shifted(lambdaDist, entryOverhead), minute, true);
    graph.addSegment(lambda, entry, status, count, lambdaDist, minute, entry === undefined);
  };

  if (plan.sampled > 0) {
    for (const cohort of sampledCohorts(plan)) {
      const status: SegmentStatus = cohort.outcome === "ok" ? "ok" : "fault";
      const fnDist = functionDistribution(plan, cohort);
      addChain(status, cohort.count, shifted(fnDist, SegmentOverheadMs.lambda));
      graph.addSegment(fnNode, lambda, status, cohort.count, fnDist, minute);
    }
    for (const call of plan.calls) {
      const { calls, faults } = sampledCallCounts(plan, call);
      const dist: TimeDistribution = {
        kind: "lognormal",
        logMedianMs: Math.log(Math.max(0.1, call.call.latencyMs)),
        sigma: CALL_LATENCY_SIGMA,
        truncateBelowMs: undefined,
        shiftMs: 0,
      };
      graph.addSegment(call.node, fnNode, "ok", calls - faults, dist, minute);
      graph.addSegment(call.node, fnNode, "fault", faults, dist, minute);
    }
  }
  addChain("throttle", plan.sampledThrottles, { kind: "point", valueMs: SegmentOverheadMs.throttle });
}

function declareCallGraph(graph: GraphBuilder, functions: readonly FunctionSpec[]): void {
  for (const fn of functions) {
    const client = clientNodeOf(fn);
    const entry = entryNodeOf(fn);
    if (client !== undefined) graph.declare(client);
    if (entry !== undefined) graph.declare(entry);
    graph.declare(lambdaNodeOf(fn.name));
    graph.declare(functionNodeOf(fn.name));
  }
}

/**
 * The service graph of `region` over a window of published minutes, as X-Ray's `Services`
 * (only services with activity; ReferenceIds follow the scenario's call order).
 */
export function buildServiceGraph(model: SimModel, region: string, window: MinuteWindow): ServiceWire[] {
  const functions = tracedFunctions(model, region);
  const graph = new GraphBuilder();
  declareCallGraph(graph, functions);
  const length = window.endMinute - window.startMinute;
  if (length > 0 && functions.length > 0) {
    const cache = new MinuteSeriesCache(model, window.startMinute, length);
    for (const fn of functions) {
      const series = cache.series(fn.name);
      if (series === undefined) continue;
      for (let i = 0; i < length; i++) {
        if ((series.invocations[i] ?? 0) <= 0 && (series.throttles[i] ?? 0) <= 0) continue;
        addMinute(graph, planMinute(model, series, i));
      }
    }
  }
  return toWire(graph, model.fleet.accountId, window);
}

function toWire(graph: GraphBuilder, accountId: string, window: MinuteWindow): ServiceWire[] {
  const active = [...graph.nodes.values()].filter((entry) => entry.stats.total > 0 || [...entry.edges.values()].some((e) => e.stats.total > 0));
  const ids = new Map(active.map((entry, index) => [nodeKey(entry.node), index]));
  const timeRange = (firstMinute: number, lastMinute: number) => ({
    StartTime: Math.max(window.startMinute, firstMinute) * 60,
    EndTime: Math.min(window.endMinute, lastMinute + 1) * 60,
  });
  return active.map((entry, index) => {
    const edges: EdgeWire[] = [];
    let first = entry.stats.firstMinute;
    let last = entry.stats.lastMinute;
    for (const [key, edge] of entry.edges) {
      const target = ids.get(key);
      if (target === undefined || edge.stats.total <= 0) continue;
      first = Math.min(first, edge.stats.firstMinute);
      last = Math.max(last, edge.stats.lastMinute);
      edges.push({
        ReferenceId: target,
        ...timeRange(edge.stats.firstMinute, edge.stats.lastMinute),
        SummaryStatistics: edge.stats.toWire(),
        ResponseTimeHistogram: edge.stats.histogram(),
        Aliases: [],
      });
    }
    const isClient = entry.node.type === "client";
    const service: ServiceWire = {
      ReferenceId: index,
      Name: entry.node.name,
      Names: [entry.node.name],
      ...(entry.root ? { Root: true } : {}),
      ...(hasAccount(entry.node) ? { AccountId: accountId } : {}),
      Type: entry.node.type,
      State: isClient ? "unknown" : "active",
      ...timeRange(first, last),
      Edges: edges,
    };
    if (!isClient && entry.stats.total > 0) {
      const histogram = entry.stats.histogram();
      service.SummaryStatistics = entry.stats.toWire();
      service.DurationHistogram = histogram;
      service.ResponseTimeHistogram = histogram;
    }
    return service;
  });
}
