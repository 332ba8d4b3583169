import { COLD_START_HEAVY_MIN_COLD_STARTS, COLD_START_HEAVY_RATIO } from "@/lib/domain/cold-start/cold-start-heavy";
import type { FunctionConfig } from "@/lib/domain/inventory/function-config";
import { AUTO_COLLAPSE_ABOVE_NODES, collapseByService, shouldCollapse, type MapGrouping } from "@/lib/domain/service-map/collapse-by-service";
import { pickTopExemplars, type ExemplarKind, type TraceExemplar } from "@/lib/domain/service-map/exemplars";
import { alignById, compareTraffic, type TrafficChange } from "@/lib/domain/service-map/graph-diff";
import { binLowerEdgeMs, binUpperEdgeMs } from "@/lib/domain/service-map/latency-histogram";
import { LAMBDA_KINDS, serviceGroupOf, toMapGraph, type MapEdge, type MapGraph, type MapNode, type MapNodeKind, type ServiceGroup } from "@/lib/domain/service-map/map-graph";
import type { MergedServiceGraph } from "@/lib/domain/service-map/merge-snapshots";
import { coldStartBadgeOf, sloBadgeOf, sumColdStartCounts, type BurningSlo, type ColdStartCounts, type NodeBadge } from "@/lib/domain/service-map/node-badges";
import type { SloStore } from "@/lib/ports/slo-store";
import { readAlertingSlos } from "@/lib/queries/burning-slos";
import { readFunctionList, readThrough } from "@/lib/queries/read-cache";
import {
  ERROR_THRESHOLDS,
  FAULT_THRESHOLDS,
  HEALTH_MIN_FAILED_REQUESTS,
  THROTTLE_THRESHOLDS,
  assessHealth,
  type HealthCause,
  type HealthClass,
  type RatioThresholds,
} from "@/lib/domain/service-map/node-health";
import { compareIds } from "@/lib/domain/service-map/service-graph-snapshot";
import { emptyTrafficStats, summarizeTraffic, type TrafficStats, type TrafficSummary } from "@/lib/domain/service-map/traffic-stats";
import { xrayTraceConsoleUrl } from "@/lib/domain/service-map/xray-console-url";
import { mapWithConcurrency } from "@/lib/domain/shared/concurrency";
import type { TimeWindow } from "@/lib/domain/shared/time";
import type { ReportStatsStore } from "@/lib/ports/report-stats";
import type { ServiceGraphReader } from "@/lib/ports/service-graph-store";
import type { FunctionStore, Watermark, WatermarkStore } from "@/lib/ports/stores";

/**
 * The service map's read side: the X-Ray service graph of one account/region over a window,
 * with health, badges and (optionally) the change against a baseline window per node and
 * edge — the same view model for the /map page and GET /api/v1/service-map — and the detail
 * of one node for the side panel (GET /api/v1/service-map/nodes).
 *
 * The side panel's detail is a separate read, not part of the map's view model: its
 * exemplars take one query per function, which for every node of a large map would multiply
 * the page's cost to serve a panel opened for one node; histograms (up to 70 bins per node)
 * would do the same to its size.
 */

export interface ServiceMapViewDeps {
  functions: Pick<FunctionStore, "listFunctions">;
  serviceGraph: ServiceGraphReader;
  reportStats: Pick<ReportStatsStore, "readStats">;
  watermarks: Pick<WatermarkStore, "list">;
  slos: Pick<SloStore, "list" | "listStatuses">;
}

/** One account and region: the map shows one at a time. */
export interface MapScope {
  accountId: string;
  region: string;
}

/** A scope the selector offers: every account/region with collected functions. */
export interface MapScopeOption extends MapScope {
  functionCount: number;
  /** Functions with X-Ray active tracing: only their requests reach the map. */
  tracedFunctionCount: number;
}

/** How a node's requests ended, for the side panel's error breakdown. */
export interface OutcomeShare {
  outcome: "ok" | "error" | "throttle" | "fault";
  count: number;
  /** Share of the node's requests (0..1); null without requests. */
  ratio: number | null;
}

export interface ServiceMapNodeView {
  id: string;
  name: string;
  kind: MapNodeKind;
  /** X-Ray's type (`AWS::Lambda::Function`, …); `service` for a collapsed service. */
  type: string;
  accountId: string | null;
  root: boolean;
  /** The service of a Lambda node or collapsed service; null otherwise. */
  service: ServiceGroup | null;
  /** X-Ray nodes it stands for (1, or a collapsed service's members). */
  memberCount: number;
  /** Lambda functions it stands for, sorted. */
  functionNames: string[];
  health: HealthClass;
  /** What in its own traffic made it warning or critical (empty otherwise). */
  healthCauses: HealthCause[];
  /** A collapsed service coloured by a member worse than the service's own traffic. */
  healthFromMembers: boolean;
  /** Over the current window; zero rate and null ratios for a node only in the baseline. */
  traffic: TrafficSummary;
  totalCount: number;
  outcomes: OutcomeShare[];
  badges: NodeBadge[];
  /** Against the baseline window; null when not comparing. */
  change: TrafficChange | null;
}

export interface ServiceMapEdgeView {
  id: string;
  fromId: string;
  toId: string;
  health: HealthClass;
  /** requestsPerMinute is the edge's calls per minute. */
  traffic: TrafficSummary;
  totalCount: number;
  change: TrafficChange | null;
}

/** What the merged snapshots of a window cover. */
export interface GraphCoverage {
  /** The window widened to whole UTC hours (snapshots are hourly). */
  hourWindow: TimeWindow;
  coveredMs: number;
  hourCount: number;
  /** Hours with no snapshot (not collected yet, or being rewritten). */
  missingHourStarts: number[];
  /** One hour is still being collected (its numbers will grow). */
  includesPartialHour: boolean;
}

/** The traces collector's progress in the scope. */
export interface TraceCollectionStatus {
  /** Graph collected up to here (exclusive); null before the first success. */
  throughMs: number | null;
  lastSuccessMs: number | null;
  lastError: string | null;
}

export interface ServiceMapView {
  asOfMs: number;
  /** The scope shown; null when nothing has been collected in any. */
  scope: MapScope | null;
  scopes: MapScopeOption[];
  window: TimeWindow;
  /** Null without a scope. */
  coverage: GraphCoverage | null;
  compare: { window: TimeWindow; coverage: GraphCoverage } | null;
  grouping: {
    requested: MapGrouping;
    /** Whether the nodes are collapsed services (requested, or auto above the threshold). */
    collapsed: boolean;
    /** X-Ray nodes before collapsing. */
    xrayNodeCount: number;
    autoCollapseAboveNodes: number;
  };
  /** Null without a scope or before the traces collector ever ran there. */
  collection: TraceCollectionStatus | null;
  /** Sorted by id; with a baseline, nodes only in it are included (change.presence `gone`). */
  nodes: ServiceMapNodeView[];
  edges: ServiceMapEdgeView[];
  /** The rules behind the colours and badges, for the legend. */
  rules: {
    faults: RatioThresholds;
    errors: RatioThresholds;
    throttles: RatioThresholds;
    minFailedRequests: number;
    coldStartHeavyRatio: number;
    coldStartHeavyMinColdStarts: number;
  };
}

export interface ServiceMapInput {
  /** Null: the scope with the most traffic in the window (the only one, if one). */
  scope: MapScope | null;
  window: TimeWindow;
  /** The baseline to compare with; null for none. */
  compareWindow: TimeWindow | null;
  grouping: MapGrouping;
  nowMs: number;
}

const TRACES_COLLECTOR = "traces";
/** Reads in flight per view: enough to hide latency, few enough to stay under a table's burst. */
const READ_CONCURRENCY = 8;
/** Exemplars per kind in the side panel. */
export const EXEMPLARS_PER_KIND = 3;

const RULES: ServiceMapView["rules"] = {
  faults: FAULT_THRESHOLDS,
  errors: ERROR_THRESHOLDS,
  throttles: THROTTLE_THRESHOLDS,
  minFailedRequests: HEALTH_MIN_FAILED_REQUESTS,
  coldStartHeavyRatio: COLD_START_HEAVY_RATIO,
  coldStartHeavyMinColdStarts: COLD_START_HEAVY_MIN_COLD_STARTS,
};

const sameScope = (a: MapScope, b: MapScope) => a.accountId === b.accountId && a.region === b.region;

/** The scopes with collected functions, sorted by account then region. */
function scopesOf(functions: readonly FunctionConfig[]): MapScopeOption[] {
  const byKey = new Map<string, MapScopeOption>();
  for (const fn of functions) {
    const key = `${fn.accountId}#${fn.region}`;
    const option = byKey.get(key) ?? { accountId: fn.accountId, region: fn.region, functionCount: 0, tracedFunctionCount: 0 };
    option.functionCount++;
    if (fn.tracingMode === "Active") option.tracedFunctionCount++;
    byKey.set(key, option);
  }
  return [...byKey.values()].sort((a, b) => compareIds(a.accountId, b.accountId) || compareIds(a.region, b.region));
}

/** Requests of every node of a graph: "how much traffic" when choosing the default scope. */
function trafficOf(graph: MergedServiceGraph): number {
  return graph.nodes.reduce((sum, node) => sum + node.stats.totalCount, 0);
}

function coverageOf(graph: MergedServiceGraph): GraphCoverage {
  return {
    hourWindow: graph.window,
    coveredMs: graph.coveredMs,
    hourCount: graph.hourCount,
    missingHourStarts: graph.missingHourStarts,
    includesPartialHour: graph.includesPartialHour,
  };
}

/** The service group of each function of the scope, from its tags (functions not listed: by name). */
function groupResolver(functions: readonly FunctionConfig[], scope: MapScope): (functionName: string) => ServiceGroup {
  const tags = new Map(functions.filter((fn) => sameScope(fn, scope)).map((fn) => [fn.functionName, fn.tags]));
  return (functionName) => serviceGroupOf(functionName, tags.get(functionName));
}

/** The map graph of a merged graph, collapsed or not. */
function mapGraphOf(graph: MergedServiceGraph, groupOf: (functionName: string) => ServiceGroup, collapsed: boolean): MapGraph {
  const map = toMapGraph(graph.nodes, groupOf);
  return collapsed ? collapseByService(map) : map;
}

/**
 * Each function's invocations and cold starts over the window (REPORT lines), by name: one
 * Query per function on the map, so reused for a minute (read-cache.ts), keyed by scope,
 * window and the functions.
 */
function readColdStartCounts(deps: ServiceMapViewDeps, scope: MapScope, functionNames: readonly string[], window: TimeWindow, nowMs: number | null): Promise<Map<string, ColdStartCounts>> {
  const read = async () => {
    const rows = await mapWithConcurrency(functionNames, READ_CONCURRENCY, (functionName) => deps.reportStats.readStats({ ...scope, functionName }, window));
    const totals = sumColdStartCounts(rows.flat().map((r) => ({ functionName: r.functionName, invocations: r.invocations, coldStarts: r.coldStarts })));
    return new Map(totals.map((t) => [t.functionName, t]));
  };
  // The side panel (no clock given) reads its node's few functions directly.
  if (nowMs === null) return read();
  return readThrough(deps.reportStats, `map-cold-starts|${scope.accountId}|${scope.region}|${window.fromMs}|${window.toMs}|${functionNames.join(",")}`, read, nowMs);
}

/**
 * A scope's X-Ray graph merged over a window's hours (every chunk of every hour: the map's
 * largest read), reused for a minute (read-cache.ts), keyed by scope and window. The merged
 * graph is shared by the requests that reuse it: the view only derives new objects from it.
 */
export function readMergedServiceGraph(graphs: Pick<ServiceGraphReader, "readServiceGraph">, scope: MapScope, window: TimeWindow, nowMs: number): Promise<MergedServiceGraph> {
  const key = `service-graph|${scope.accountId}|${scope.region}|${window.fromMs}|${window.toMs}`;
  return readThrough(graphs, key, () => graphs.readServiceGraph({ accountId: scope.accountId, region: scope.region }, window), nowMs);
}

function badgesOf(node: MapNode, counts: ReadonlyMap<string, ColdStartCounts>, burning: readonly BurningSlo[]): NodeBadge[] {
  const coldStart = coldStartBadgeOf(node.functionNames.flatMap((name) => counts.get(name) ?? []));
  const slo = sloBadgeOf(node.functionNames, burning);
  return [...(slo === null ? [] : [slo]), ...(coldStart === null ? [] : [coldStart])];
}

/** The scope's SLOs alerting now (their latest evaluation), for the SLO badge. */
async function readBurning(deps: ServiceMapViewDeps, functions: readonly FunctionConfig[], scope: MapScope): Promise<BurningSlo[]> {
  return (await readAlertingSlos(deps.slos, functions)).filter((s) => s.accountId === scope.accountId && s.region === scope.region);
}

function outcomesOf(stats: TrafficStats): OutcomeShare[] {
  const share = (count: number) => (stats.totalCount > 0 ? count / stats.totalCount : null);
  return [
    { outcome: "ok", count: stats.okCount, ratio: share(stats.okCount) },
    { outcome: "error", count: stats.errorCount, ratio: share(stats.errorCount) },
    { outcome: "throttle", count: stats.throttleCount, ratio: share(stats.throttleCount) },
    { outcome: "fault", count: stats.faultCount, ratio: share(stats.faultCount) },
  ];
}

/** A node as drawn; one only in the baseline (`gone`) is drawn without current traffic. */
function nodeView(node: MapNode, coveredMs: number, badges: NodeBadge[], change: TrafficChange | null, gone = false): ServiceMapNodeView {
  const stats = gone ? emptyTrafficStats() : node.stats;
  const own = assessHealth(stats);
  // A collapsed service is as unhealthy as its worst member (collapse-by-service.ts).
  const health = gone ? own.health : node.health;
  return {
    id: node.id,
    name: node.name,
    kind: node.kind,
    type: node.type,
    accountId: node.accountId,
    root: node.root,
    service: node.group,
    memberCount: node.memberIds.length,
    functionNames: node.functionNames,
    health,
    healthCauses: own.health === health ? own.causes : [],
    healthFromMembers: own.health !== health,
    traffic: summarizeTraffic(stats, coveredMs),
    totalCount: stats.totalCount,
    outcomes: outcomesOf(stats),
    badges,
    change,
  };
}

/** An edge as drawn; one only in the baseline (`gone`) is drawn without current traffic. */
function edgeView(edge: MapEdge, coveredMs: number, change: TrafficChange | null, gone = false): ServiceMapEdgeView {
  const stats = gone ? emptyTrafficStats() : edge.stats;
  return {
    id: edge.id,
    fromId: edge.fromId,
    toId: edge.toId,
    health: gone ? assessHealth(stats).health : edge.health,
    traffic: summarizeTraffic(stats, coveredMs),
    totalCount: stats.totalCount,
    change,
  };
}

function collectionOf(watermarks: readonly Watermark[], scope: MapScope): TraceCollectionStatus | null {
  const mark = watermarks.find((w) => w.collector === TRACES_COLLECTOR && sameScope(w, scope));
  return mark === undefined ? null : { throughMs: mark.throughMs, lastSuccessMs: mark.lastSuccessMs, lastError: mark.lastError };
}

/**
 * The service map of a window: the scope asked for (or the busiest), its X-Ray graph merged
 * over the window's hours, collapsed by service when asked (or automatically when large),
 * every node with health, traffic and badges, and with a baseline window every node and edge
 * of either window with its change.
 */
export async function getServiceMapView(deps: ServiceMapViewDeps, input: ServiceMapInput): Promise<ServiceMapView> {
  const [functions, watermarks] = await Promise.all([readFunctionList(deps.functions, input.nowMs), deps.watermarks.list()]);
  const scopes = scopesOf(functions);
  let scope = input.scope;
  let graph: MergedServiceGraph | null = null;
  if (scope === null && scopes.length === 1) scope = { accountId: scopes[0]!.accountId, region: scopes[0]!.region };
  if (scope === null && scopes.length > 1) {
    const graphs = await mapWithConcurrency(scopes, READ_CONCURRENCY, (s) => readMergedServiceGraph(deps.serviceGraph, s, input.window, input.nowMs));
    // The busiest scope; on a tie (e.g. nothing anywhere yet) the first.
    let best = 0;
    graphs.forEach((g, i) => {
      if (trafficOf(g) > trafficOf(graphs[best]!)) best = i;
    });
    scope = { accountId: scopes[best]!.accountId, region: scopes[best]!.region };
    graph = graphs[best]!;
  }
  const empty: ServiceMapView = {
    asOfMs: input.nowMs,
    scope,
    scopes,
    window: input.window,
    coverage: null,
    compare: null,
    grouping: { requested: input.grouping, collapsed: false, xrayNodeCount: 0, autoCollapseAboveNodes: AUTO_COLLAPSE_ABOVE_NODES },
    collection: scope === null ? null : collectionOf(watermarks, scope),
    nodes: [],
    edges: [],
    rules: RULES,
  };
  if (scope === null) return empty;
  const shownScope = scope;

  const [current, baseline] = await Promise.all([
    graph ?? readMergedServiceGraph(deps.serviceGraph, shownScope, input.window, input.nowMs),
    input.compareWindow === null ? null : readMergedServiceGraph(deps.serviceGraph, shownScope, input.compareWindow, input.nowMs),
  ]);
  const groupOf = groupResolver(functions, shownScope);
  const collapsed = shouldCollapse(input.grouping, current.nodes.length);
  const map = mapGraphOf(current, groupOf, collapsed);
  const baseMap = baseline === null ? null : mapGraphOf(baseline, groupOf, collapsed);
  const functionNames = [...new Set(map.nodes.flatMap((n) => n.functionNames))].sort(compareIds);
  const [coldStarts, burning] = await Promise.all([readColdStartCounts(deps, shownScope, functionNames, input.window, input.nowMs), readBurning(deps, functions, shownScope)]);

  let nodes: ServiceMapNodeView[];
  let edges: ServiceMapEdgeView[];
  if (baseMap === null || baseline === null) {
    nodes = map.nodes.map((n) => nodeView(n, current.coveredMs, badgesOf(n, coldStarts, burning), null));
    edges = map.edges.map((e) => edgeView(e, current.coveredMs, null));
  } else {
    const side = (stats: TrafficStats | undefined, coveredMs: number) => (stats === undefined ? null : { stats, coveredMs });
    nodes = alignById(map.nodes, baseMap.nodes).map(({ current: now, baseline: before }) => {
      const change = compareTraffic(side(now?.stats, current.coveredMs), side(before?.stats, baseline.coveredMs));
      return now !== null ? nodeView(now, current.coveredMs, badgesOf(now, coldStarts, burning), change) : nodeView(before!, current.coveredMs, [], change, true);
    });
    edges = alignById(map.edges, baseMap.edges).map(({ current: now, baseline: before }) => {
      const change = compareTraffic(side(now?.stats, current.coveredMs), side(before?.stats, baseline.coveredMs));
      return now !== null ? edgeView(now, current.coveredMs, change) : edgeView(before!, current.coveredMs, change, true);
    });
  }
  return {
    ...empty,
    coverage: coverageOf(current),
    compare: baseline === null || input.compareWindow === null ? null : { window: input.compareWindow, coverage: coverageOf(baseline) },
    grouping: { ...empty.grouping, collapsed, xrayNodeCount: current.nodes.length },
    nodes,
    edges,
  };
}

// ── Node detail (the side panel) ─────────────────────────────────────────────────────────

/** The node asked for is not on the map of that scope, window and grouping. */
export class UnknownMapNodeError extends Error {
  override readonly name = "UnknownMapNodeError";
  constructor(readonly nodeId: string) {
    super(`no node "${nodeId}" on the map of this account, region, range and grouping`);
  }
}

/** One bin of the latency grid (latency-histogram.ts) with the requests in it. */
export interface HistogramBinView {
  lowerMs: number;
  upperMs: number;
  count: number;
  /** count / the fullest bin's count (0..1), for drawing bars. */
  peakRatio: number;
}

export interface ExemplarView {
  traceId: string;
  kind: ExemplarKind;
  functionName: string;
  startMs: number;
  responseTimeMs: number;
  hasFault: boolean;
  hasError: boolean;
  hasThrottle: boolean;
  /** Null when the trace was not fetched at collection (budget): unknown. */
  coldStart: boolean | null;
  initDurationMs: number | null;
  faultCause: string | null;
  http: { method: string; url: string; status: number | null } | null;
  /** The trace in the CloudWatch console (X-Ray traces). */
  xrayConsoleUrl: string;
}

export interface ServiceMapNodeDetail {
  scope: MapScope;
  window: TimeWindow;
  node: ServiceMapNodeView;
  /** Response times over the window, the bins from the first to the last non-empty one. */
  histogram: HistogramBinView[];
  /** Exemplars are collected for Lambda functions only; false for other nodes. */
  hasExemplarSource: boolean;
  /** Up to EXEMPLARS_PER_KIND per kind: slowest and cold-start by response time, faulted newest first. */
  exemplars: ExemplarView[];
  /** The node's functions, for links to their pages. */
  functions: { accountId: string; region: string; functionName: string }[];
}

export interface ServiceMapNodeInput {
  scope: MapScope;
  window: TimeWindow;
  /** The map's grouping as shown (`auto` decides again on the same graph). */
  grouping: MapGrouping;
  nodeId: string;
}

function histogramOf(stats: TrafficStats): HistogramBinView[] {
  const peak = Math.max(0, ...stats.histogram.counts);
  return stats.histogram.counts.map((count, i) => {
    const bin = stats.histogram.firstBin + i;
    return { lowerMs: binLowerEdgeMs(bin), upperMs: binUpperEdgeMs(bin), count, peakRatio: peak > 0 ? count / peak : 0 };
  });
}

function exemplarView(exemplar: TraceExemplar, region: string): ExemplarView {
  return {
    traceId: exemplar.traceId,
    kind: exemplar.kind,
    functionName: exemplar.functionName,
    startMs: exemplar.startMs,
    responseTimeMs: exemplar.responseTimeMs,
    hasFault: exemplar.hasFault,
    hasError: exemplar.hasError,
    hasThrottle: exemplar.hasThrottle,
    coldStart: exemplar.coldStart,
    initDurationMs: exemplar.initDurationMs,
    faultCause: exemplar.faultCause,
    http: exemplar.http,
    xrayConsoleUrl: xrayTraceConsoleUrl(region, exemplar.traceId),
  };
}

/**
 * The side panel of one node: its traffic and health as on the map, its latency histogram,
 * and for Lambda nodes (or a collapsed service) the top exemplar traces of its functions with
 * links to the X-Ray console.
 * @throws UnknownMapNodeError when the node is not on that map.
 */
export async function getServiceMapNodeDetail(deps: ServiceMapViewDeps, input: ServiceMapNodeInput): Promise<ServiceMapNodeDetail> {
  const [functions, graph] = await Promise.all([deps.functions.listFunctions(), deps.serviceGraph.readServiceGraph(input.scope, input.window)]);
  const collapsed = shouldCollapse(input.grouping, graph.nodes.length);
  const map = mapGraphOf(graph, groupResolver(functions, input.scope), collapsed);
  const node = map.nodes.find((n) => n.id === input.nodeId);
  if (node === undefined) throw new UnknownMapNodeError(input.nodeId);
  const hasExemplarSource = LAMBDA_KINDS.has(node.kind) || node.kind === "service";
  const [coldStarts, burning, exemplars] = await Promise.all([
    readColdStartCounts(deps, input.scope, node.functionNames, input.window, null),
    readBurning(deps, functions, input.scope),
    hasExemplarSource
      ? mapWithConcurrency(node.functionNames, READ_CONCURRENCY, (name) => deps.serviceGraph.readExemplars(input.scope, name, input.window))
      : Promise.resolve([]),
  ]);
  return {
    scope: input.scope,
    window: input.window,
    node: nodeView(node, graph.coveredMs, badgesOf(node, coldStarts, burning), null),
    histogram: histogramOf(node.stats),
    hasExemplarSource,
    exemplars: pickTopExemplars(exemplars.flat(), EXEMPLARS_PER_KIND).map((e) => exemplarView(e, input.scope.region)),
    functions: node.functionNames.map((functionName) => ({ ...input.scope, functionName })),
  };
}
