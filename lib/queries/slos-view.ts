import type { AlertState } from "@/lib/domain/slo/alert-lifecycle";
import type { AlertLevel } from "@/lib/domain/slo/evaluate-burn-rates";
import { computeBudgetBurndown } from "@/lib/domain/slo/budget-burndown";
import { toHourBuckets } from "@/lib/domain/slo/sli-bucket";
import { isXraySli } from "@/lib/domain/slo/sli-key";
import { describeIndicator, describeWindow, formatObjectivePercent, type SloDefinition } from "@/lib/domain/slo/slo-definition";
import { compareByRisk, type RuleStatus, type SloStatus } from "@/lib/domain/slo/slo-status";
import { summarizeColdStartTotals } from "@/lib/domain/cold-start/summarize-cold-starts";
import { LAMBDA_FUNCTION_TYPE } from "@/lib/domain/service-map/service-graph-snapshot";
import { mapWithConcurrency } from "@/lib/domain/shared/concurrency";
import { DAY_MS, HOUR_MS, type TimeWindow } from "@/lib/domain/shared/time";
import type { ReportStatsStore } from "@/lib/ports/report-stats";
import type { ServiceGraphReader } from "@/lib/ports/service-graph-store";
import type { SloStore } from "@/lib/ports/slo-store";
import type { FunctionStore, MetricSeriesStore } from "@/lib/ports/stores";
import { readEvaluationBuckets } from "@/lib/use-cases/evaluate-slos";
import { functionsOfSlo, readSliFromFacts } from "@/lib/use-cases/read-sli";

export interface SlosViewDeps {
  slos: SloStore;
  functions: FunctionStore;
  series: MetricSeriesStore;
  serviceGraph: ServiceGraphReader;
  reportStats: ReportStatsStore;
}

/** The SLO's level as a list shows it: `unevaluated` until the evaluator has run on this version. */
export type SloListLevel = AlertLevel | "unevaluated";

export interface BurnRatePair {
  /** "1h / 5m". */
  label: string;
  severity: RuleStatus["severity"];
  threshold: number;
  longBurnRate: number | null;
  shortBurnRate: number | null;
  longWindowMs: number;
  shortWindowMs: number;
  longEvents: number;
  firing: boolean;
  lowTraffic: boolean;
}

/** One row of /slos: what an on-call person scans for. */
export interface SloRow {
  id: string;
  name: string;
  service: string;
  accountId: string;
  region: string;
  /** "payments-api" or "service payments". */
  target: string;
  /** The function to link to, for function targets. */
  functionName: string | null;
  indicator: string;
  objective: number;
  objectiveLabel: string;
  window: string;
  level: SloListLevel;
  /** Why it could not be evaluated; null when it was. */
  problem: string | null;
  sliRatio: number | null;
  budgetRemainingRatio: number | null;
  currentBurnRate: number | null;
  timeToExhaustionMs: number | null;
  burnRates: BurnRatePair[];
  /** The end of the data evaluated; null before the first evaluation. */
  throughMs: number | null;
  /** The status is of an older version of the definition (edited since the last evaluation). */
  stale: boolean;
  alertingEnabled: boolean;
}

export interface SlosView {
  /** Most at risk first: paging, ticket, then the least budget left; unevaluated last. */
  rows: SloRow[];
  counts: Record<SloListLevel, number>;
  /** The newest data end among the statuses; null before any evaluation. */
  throughMs: number | null;
}

function windowLabel(ms: number): string {
  if (ms % DAY_MS === 0) return `${ms / DAY_MS}d`;
  if (ms % HOUR_MS === 0) return `${ms / HOUR_MS}h`;
  return `${Math.round(ms / 60_000)}m`;
}

function toBurnRatePair(r: RuleStatus): BurnRatePair {
  return {
    label: `${windowLabel(r.longWindowMs)} / ${windowLabel(r.shortWindowMs)}`,
    severity: r.severity,
    threshold: r.burnRateThreshold,
    longBurnRate: r.longBurnRate,
    shortBurnRate: r.shortBurnRate,
    longWindowMs: r.longWindowMs,
    shortWindowMs: r.shortWindowMs,
    longEvents: r.longTotal,
    firing: r.firing,
    lowTraffic: r.lowTraffic,
  };
}

export function describeTarget(slo: Pick<SloDefinition, "target">): string {
  return slo.target.kind === "function" ? slo.target.functionName : `service ${slo.target.service}`;
}

/** A row from a definition and its latest status (null before the first evaluation). */
export function toSloRow(slo: SloDefinition, status: SloStatus | null): SloRow {
  const evaluated = status !== null && status.problem === null;
  return {
    id: slo.id,
    name: slo.name,
    service: slo.service,
    accountId: slo.accountId,
    region: slo.region,
    target: describeTarget(slo),
    functionName: slo.target.kind === "function" ? slo.target.functionName : null,
    indicator: describeIndicator(slo.indicator),
    objective: slo.objective,
    objectiveLabel: formatObjectivePercent(slo.objective),
    window: describeWindow(slo.window),
    level: evaluated ? status.level : "unevaluated",
    problem: status === null ? "not evaluated yet: the SLO evaluator runs after each collection" : status.problem,
    sliRatio: status?.sliRatio ?? null,
    budgetRemainingRatio: status?.budgetRemainingRatio ?? null,
    currentBurnRate: status?.currentBurnRate ?? null,
    timeToExhaustionMs: status?.timeToExhaustionMs ?? null,
    burnRates: (status?.rules ?? []).map(toBurnRatePair),
    throughMs: status?.throughMs ?? null,
    stale: status !== null && status.sloVersion !== slo.version,
    alertingEnabled: slo.alerting.enabled,
  };
}

/** Every SLO with its latest evaluation, most at risk first (two Queries, whatever the fleet size). */
export async function getSlosView(deps: Pick<SlosViewDeps, "slos">): Promise<SlosView> {
  const [slos, statuses] = await Promise.all([deps.slos.list(), deps.slos.listStatuses()]);
  const byId = new Map(statuses.map((s) => [s.sloId, s]));
  const evaluated: { row: SloRow; status: SloStatus }[] = [];
  const unevaluated: SloRow[] = [];
  for (const slo of slos) {
    const status = byId.get(slo.id) ?? null;
    const row = toSloRow(slo, status);
    if (row.level === "unevaluated" || status === null) unevaluated.push(row);
    else evaluated.push({ row, status });
  }
  evaluated.sort((a, b) => compareByRisk(a.status, b.status) || a.row.id.localeCompare(b.row.id));
  unevaluated.sort((a, b) => a.id.localeCompare(b.id));
  const rows = [...evaluated.map((e) => e.row), ...unevaluated];
  const counts: Record<SloListLevel, number> = { page: 0, ticket: 0, ok: 0, unevaluated: 0 };
  for (const row of rows) counts[row.level]++;
  // Only evaluated statuses have a data end; an unevaluated one records when the evaluator tried.
  const throughs = statuses.filter((s) => s.problem === null).map((s) => s.throughMs);
  return { rows, counts, throughMs: throughs.length === 0 ? null : Math.max(...throughs) };
}

/** One alert episode on the detail page's timeline. */
export type SloAlertEpisode = Pick<AlertState, "severity" | "status" | "startedAtMs" | "endedAtMs" | "notifiedAtMs" | "peakBurnRate">;

/** What contributed bad events over the contributors' window. */
export interface SloContributors {
  window: TimeWindow;
  /** The target's functions, most bad events first (one row for a function target). */
  functions: { functionName: string; good: number; total: number; bad: number; badShare: number | null }[];
  /** Calls out of the target's functions that failed (X-Ray edges), most failures first. */
  edges: { fromFunction: string; toName: string; toType: string; requests: number; failed: number; faults: number; errors: number; throttles: number }[];
  /** Latency SLOs: cold starts of the target's functions, and whether their init alone misses the threshold. */
  coldStarts: { functionName: string; invocations: number; coldStarts: number; coldStartRatio: number | null; initP99Ms: number | null; initAloneMissesThreshold: boolean }[] | null;
  /**
   * How cold starts count against the latency SLO: `request` — every cold start whose init
   * misses the threshold is a bad request; `period` — only when they are frequent enough to
   * move the minute's percentile (a cold-start share ≥ 1 − the percentile, 1 % for p99).
   */
  coldStartRule: { method: "request" } | { method: "period"; percentile: string; shareNeeded: number } | null;
}

export interface SloDetailView {
  row: SloRow;
  definition: SloDefinition;
  status: SloStatus | null;
  /** Remaining budget over the period against the ideal straight line; empty before the first evaluation. */
  burndown: { atMs: number; budgetRemainingRatio: number | null; idealRatio: number }[];
  /** The SLI per hour over the period (good / total), oldest first. */
  sli: { atMs: number; ratio: number | null; good: number; total: number }[];
  /** Alert episodes that touched the period, oldest first. */
  alerts: SloAlertEpisode[];
  contributors: SloContributors | null;
  /** X-Ray SLIs are hourly: their short windows show the current hour's average. */
  hourlyResolution: boolean;
}

/**
 * The console assumes minute data reaches at least a day back (METRICS_MINUTE_DAYS ≥ 1); the
 * SLI tail it reads from minutes is 6 hours.
 */
const CONSOLE_MINUTE_HISTORY_MS = DAY_MS;
/** Points on the burn-down line (one per hour up to 30 days; coarser for a quarter). */
const MAX_BURNDOWN_POINTS = 750;

/**
 * One SLO: its row, the budget burn-down and SLI over the period (re-read from the ledger and
 * facts with the evaluator's own functions, up to the status's data end, so the chart and the
 * list agree), alert episodes, and what contributed over `contributorsWindow`. Null when no
 * SLO has the id.
 */
export async function getSloDetailView(deps: SlosViewDeps, input: { id: string; contributorsWindow: TimeWindow }): Promise<SloDetailView | null> {
  const [definition, status] = await Promise.all([deps.slos.get(input.id), deps.slos.getStatus(input.id)]);
  if (definition === null) return null;
  const row = toSloRow(definition, status);
  const base = { row, definition, status, hourlyResolution: isXraySli(definition) };
  if (status === null || status.problem !== null) return { ...base, burndown: [], sli: [], alerts: [], contributors: null };
  const functions = functionsOfSlo(definition, await deps.functions.listFunctions()).map((f) => f.functionName);
  const ledger = await deps.slos.getLedgerState(definition.id);
  const [buckets, alerts, contributors] = await Promise.all([
    readEvaluationBuckets(
      { slos: deps.slos, series: deps.series, graphs: deps.serviceGraph, minuteHistoryMs: CONSOLE_MINUTE_HISTORY_MS },
      definition,
      functions,
      status.throughMs,
      ledger?.throughMs ?? status.period.fromMs,
    ),
    deps.slos.listAlerts(definition.id, status.period.fromMs),
    functions.length === 0 ? Promise.resolve(null) : readContributors(deps, definition, functions, input.contributorsWindow),
  ]);
  const stepMs = Math.max(HOUR_MS, Math.ceil(status.period.periodMs / MAX_BURNDOWN_POINTS / HOUR_MS) * HOUR_MS);
  const burndown = computeBudgetBurndown({ buckets, period: status.period, throughMs: status.throughMs, objective: definition.objective, stepMs }).points;
  const sli = toHourBuckets(buckets.filter((b) => b.startMs >= status.period.fromMs)).map((b) => ({
    atMs: b.startMs,
    ratio: b.total > 0 ? b.good / b.total : null,
    good: b.good,
    total: b.total,
  }));
  return {
    ...base,
    burndown,
    sli,
    alerts: alerts.map(({ severity, status: s, startedAtMs, endedAtMs, notifiedAtMs, peakBurnRate }) => ({ severity, status: s, startedAtMs, endedAtMs, notifiedAtMs, peakBurnRate })),
    contributors,
  };
}

async function readContributors(deps: SlosViewDeps, slo: SloDefinition, functionNames: readonly string[], window: TimeWindow): Promise<SloContributors> {
  const scope = { accountId: slo.accountId, region: slo.region };
  const [perFunction, graph, coldStarts] = await Promise.all([
    mapWithConcurrency([...functionNames], 4, async (functionName) => {
      const buckets = await readSliFromFacts({ series: deps.series, graphs: deps.serviceGraph }, slo, [functionName], window, window.toMs - window.fromMs > DAY_MS ? "hour" : "minute");
      const good = buckets.reduce((s, b) => s + b.good, 0);
      const total = buckets.reduce((s, b) => s + b.total, 0);
      return { functionName, good, total, bad: total - good };
    }),
    deps.serviceGraph.readServiceGraph(scope, window),
    slo.indicator.kind === "latency"
      ? mapWithConcurrency([...functionNames], 4, async (functionName) => {
          const totals = summarizeColdStartTotals(await deps.reportStats.readStats({ ...scope, functionName }, window), window);
          const initP99Ms = totals.coldStartDurationMs?.p99 ?? null;
          return {
            functionName,
            invocations: totals.invocations,
            coldStarts: totals.coldStarts,
            coldStartRatio: totals.coldStartRatio,
            initP99Ms,
            initAloneMissesThreshold: initP99Ms !== null && slo.indicator.kind === "latency" && initP99Ms > slo.indicator.thresholdMs && coldStartsCount(slo, totals.coldStartRatio),
          };
        })
      : Promise.resolve(null),
  ]);
  const allBad = perFunction.reduce((s, f) => s + f.bad, 0);
  const names = new Set(functionNames);
  const nodesById = new Map(graph.nodes.map((n) => [n.id, n]));
  const edges: SloContributors["edges"] = [];
  for (const node of graph.nodes) {
    if (node.type !== LAMBDA_FUNCTION_TYPE || !names.has(node.name)) continue;
    for (const edge of node.edges) {
      const failed = edge.stats.faultCount + edge.stats.errorCount + edge.stats.throttleCount;
      if (failed === 0) continue;
      const to = nodesById.get(edge.toId);
      edges.push({
        fromFunction: node.name,
        toName: to?.name ?? edge.toId,
        toType: to?.type ?? "unknown",
        requests: edge.stats.totalCount,
        failed,
        faults: edge.stats.faultCount,
        errors: edge.stats.errorCount,
        throttles: edge.stats.throttleCount,
      });
    }
  }
  edges.sort((a, b) => b.failed - a.failed || a.toName.localeCompare(b.toName));
  return {
    window,
    functions: perFunction.map((f) => ({ ...f, badShare: allBad > 0 ? f.bad / allBad : null })).sort((a, b) => b.bad - a.bad || a.functionName.localeCompare(b.functionName)),
    edges,
    coldStarts: coldStarts === null ? null : coldStarts.sort((a, b) => b.coldStarts - a.coldStarts || a.functionName.localeCompare(b.functionName)),
    coldStartRule: coldStartRuleOf(slo),
  };
}

function coldStartRuleOf(slo: SloDefinition): SloContributors["coldStartRule"] {
  if (slo.indicator.kind !== "latency") return null;
  if (slo.indicator.method === "request") return { method: "request" };
  return { method: "period", percentile: slo.indicator.percentile, shareNeeded: 1 - Number(slo.indicator.percentile.slice(1)) / 100 };
}

/** Whether a function's cold starts count against the SLO at this cold-start share (coldStartRule). */
function coldStartsCount(slo: SloDefinition, coldStartRatio: number | null): boolean {
  const rule = coldStartRuleOf(slo);
  if (rule === null || coldStartRatio === null) return false;
  return rule.method === "request" || coldStartRatio >= rule.shareNeeded;
}
