import { functionsOfBucket, servicesOfBucket, totalsByBucket } from "@/lib/domain/cost/allocation";
import { detectAnomalies, seasonalBaseline } from "@/lib/domain/cost/cost-anomalies";
import { budgetStatus } from "@/lib/domain/cost/cost-budgets";
import { forecastMonthEnd } from "@/lib/domain/cost/cost-forecast";
import { LAMBDA_SERVICE } from "@/lib/domain/cost/cost-groupings";
import {
  bucketId,
  formatGroupBy,
  parseBucketId,
  type AllocatedDay,
  type AllocationBucket,
  type AllocationSource,
  type BucketSummary,
  type CauseCandidate,
  type CostAnomaly,
  type CostDrill,
  type CostExportRow,
  type CostForecast,
  type CostGroupBy,
  type CostView,
  type DailySeries,
  type FunctionDayUsage,
} from "@/lib/domain/cost/cost-types";
import { functionDayUsage, priceLambdaUsage } from "@/lib/domain/cost/lambda-usage-model";
import { reconcileLambda } from "@/lib/domain/cost/reconciliation";
import { functionUnitCosts, routeUnitCosts } from "@/lib/domain/cost/unit-costs";
import type { ReportStats } from "@/lib/domain/cold-start/report-stats";
import type { ServiceGraphSnapshot } from "@/lib/domain/service-map/service-graph-snapshot";
import { mapWithConcurrency } from "@/lib/domain/shared/concurrency";
import { functionRefKey } from "@/lib/domain/shared/ids";
import { DAY_MS, type TimeWindow } from "@/lib/domain/shared/time";
import type { CostSettingsStore } from "@/lib/ports/cost-settings-store";
import type { CostLineStore } from "@/lib/ports/cost-store";
import type { ReportStatsStore } from "@/lib/ports/report-stats";
import type { ServiceGraphReader } from "@/lib/ports/service-graph-store";
import type { FunctionStore, MetricSeriesStore, WatermarkStore } from "@/lib/ports/stores";
import { COSTS_COLLECTOR } from "@/lib/use-cases/collect-costs";
import { readThrough } from "@/lib/queries/read-cache";
import { readMergedServiceGraph } from "@/lib/queries/service-map-view";

/** The collector whose watermark says which hours of REPORT lines are stored. */
const LOGS_INSIGHTS_COLLECTOR = "logs-insights";
import { allocateDays, lambdaBilledByDay, readCostLines, type CostLinesRead } from "@/lib/use-cases/cost-inputs";

/**
 * The cost view (issue 8): the bill of a window allocated by one grouping, with idle,
 * unallocated, anomalies, forecast, reconciliation, unit costs and budgets. Every amount of
 * the allocation is exact µUSD and the buckets add up to the bill; the usage model, the
 * forecast and the unit costs are estimates and say so.
 */

export interface CostViewParams {
  groupBy: CostGroupBy;
  /** Whole UTC days [fromMs, toMs). */
  window: TimeWindow;
  /** A bucket id to drill into (`value:payments`, `unallocated`, `idle`), or null. */
  bucket: string | null;
  /** The account whose bill to show; null = the home account (or the first with collected costs). */
  accountId?: string | null;
}

/** The repositories the view reads (the console's ConsoleDeps and the CLI's stores satisfy it). */
export interface CostViewDeps {
  functions: Pick<FunctionStore, "listFunctions">;
  costLines: Pick<CostLineStore, "readLines">;
  series: Pick<MetricSeriesStore, "readSeries">;
  reportStats: Pick<ReportStatsStore, "readStats">;
  serviceGraph: Pick<ServiceGraphReader, "readServiceGraph" | "readExemplars">;
  watermarks: Pick<WatermarkStore, "list">;
  costSettings: Pick<CostSettingsStore, "get">;
  /** COST_ALLOCATION_TAG_KEYS. */
  tagKeys: readonly string[];
  /** The home account (SIGHTLINE_ACCOUNT_ID), when known. */
  homeAccountId?: string | null;
}

export type CostViewResult = { kind: "ok"; view: CostView } | { kind: "no-data"; message: string };

/** Reads in flight per fan-out (one Query per function): enough to hide latency, few enough not to queue. */
const READ_CONCURRENCY = 16;

/** Days of history before the window read for the day-of-week baselines. */
export const BASELINE_LOOKBACK_DAYS = 28;
/** An anomaly on a bucket's daily cost must move it by at least this much ($1). */
export const MIN_COST_ANOMALY_MICRO_USD = 1_000_000;
/** A unit-cost anomaly must move the cost per invocation by at least this much (0.1 µUSD). */
export const MIN_UNIT_COST_ANOMALY_USD = 0.0000001;

const DRILL_LABELS: Record<Exclude<AllocationBucket["kind"], "value">, string> = {
  unallocated: "Unallocated",
  idle: "Idle provisioned concurrency",
};

function labelOf(bucket: AllocationBucket): string {
  return bucket.kind === "value" ? bucket.value : DRILL_LABELS[bucket.kind];
}

function dayOf(epochMs: number): number {
  return Math.floor(epochMs / DAY_MS) * DAY_MS;
}

function monthStartOf(epochMs: number): number {
  const d = new Date(epochMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** The account to show: the one asked for, else the home account, else the first with costs. */
async function resolveAccount(deps: CostViewDeps, requested: string | null | undefined): Promise<{ accountId: string; collectedAtMs: number | null; estimatedFromDayMs: number | null } | null> {
  const costs = (await deps.watermarks.list()).filter((w) => w.collector === COSTS_COLLECTOR && w.throughMs !== null);
  const pick =
    (requested ? costs.find((w) => w.accountId === requested) : undefined) ??
    (requested ? undefined : (costs.find((w) => w.accountId === deps.homeAccountId) ?? [...costs].sort((a, b) => a.accountId.localeCompare(b.accountId))[0]));
  if (!pick) return null;
  return { accountId: pick.accountId, collectedAtMs: pick.lastSuccessMs, estimatedFromDayMs: pick.throughMs };
}

/** The window widened back for baselines and to the start of the forecast month. */
function readWindowOf(window: TimeWindow): TimeWindow {
  const lastDay = window.toMs - DAY_MS;
  return { fromMs: Math.min(window.fromMs - BASELINE_LOOKBACK_DAYS * DAY_MS, monthStartOf(lastDay)), toMs: window.toMs };
}

/** Consecutive days [fromMs, toMs) as a series, null where `values` has none. */
function seriesOf(id: string, fromMs: number, toMs: number, values: ReadonlyMap<number, number>, present: ReadonlySet<number>): DailySeries {
  const days: DailySeries["days"] = [];
  for (let d = fromMs; d < toMs; d += DAY_MS) days.push({ dayMs: d, value: present.has(d) ? (values.get(d) ?? 0) : null });
  return { id, days };
}

interface Breakdown {
  /** bucket id → day → µUSD */
  bucketDays: Map<string, Map<number, number>>;
  /** bucket id → candidate key (`function:x`, `service:y`) → day → µUSD */
  candidates: Map<string, Map<string, Map<number, number>>>;
  buckets: Map<string, AllocationBucket>;
}

function add(map: Map<number, number>, day: number, amount: number): void {
  map.set(day, (map.get(day) ?? 0) + amount);
}

/**
 * Per bucket, per day, and per cause candidate. `gross`: idle PC is also counted with the bucket
 * of the function that pays for it — what anomaly detection looks at, so a team's cost does not
 * "drop" on the days its idle capacity starts being measured.
 */
function breakdownOf(days: readonly AllocatedDay[], options: { gross: boolean } = { gross: false }): Breakdown {
  const bucketDays = new Map<string, Map<number, number>>();
  const candidates = new Map<string, Map<string, Map<number, number>>>();
  const buckets = new Map<string, AllocationBucket>();
  const candidate = (bucket: string, key: string) => {
    let byKey = candidates.get(bucket);
    if (!byKey) candidates.set(bucket, (byKey = new Map()));
    let series = byKey.get(key);
    if (!series) byKey.set(key, (series = new Map()));
    return series;
  };
  for (const day of days) {
    for (const row of day.rows) {
      const id = bucketId(row.bucket);
      buckets.set(id, row.bucket);
      let series = bucketDays.get(id);
      if (!series) bucketDays.set(id, (series = new Map()));
      add(series, day.dayMs, row.microUsd);
      // Lambda's movement is told by function and usage type; other services by their name.
      if (row.service !== LAMBDA_SERVICE) add(candidate(id, `service:${row.service}`), day.dayMs, row.microUsd);
    }
    const owners = new Map((day.functions ?? []).filter((f) => f.bucket.kind !== "idle").map((f) => [f.functionName, bucketId(f.bucket)]));
    for (const fn of day.functions ?? []) {
      const ids = [bucketId(fn.bucket)];
      if (options.gross && fn.bucket.kind === "idle") {
        const owner = owners.get(fn.functionName) ?? "unallocated";
        ids.push(owner);
        let series = bucketDays.get(owner);
        if (!series) bucketDays.set(owner, (series = new Map()));
        add(series, day.dayMs, fn.microUsd);
      }
      for (const id of ids) {
        add(candidate(id, `function:${fn.functionName}`), day.dayMs, fn.microUsd);
        add(candidate(id, `usage-type:${fn.usageType}`), day.dayMs, fn.microUsd);
      }
    }
  }
  return { bucketDays, candidates, buckets };
}

/** Cost anomalies of every bucket on the window's days, with the function or service that moved most. */
function costAnomalies(breakdown: Breakdown, readFromMs: number, window: TimeWindow, complete: ReadonlySet<number>, idleMeasured: ReadonlySet<number>): CostAnomaly[] {
  const anomalies: CostAnomaly[] = [];
  for (const [id, values] of breakdown.bucketDays) {
    // Idle is known only where PC utilisation was measured; elsewhere it is unknown, not 0.
    const present = id === "idle" ? new Set([...complete].filter((d) => idleMeasured.has(d))) : complete;
    const candidateSeries = [...(breakdown.candidates.get(id) ?? new Map<string, Map<number, number>>())].map(([key, v]) => ({
      key,
      series: seriesOf(key, readFromMs, window.toMs, v, present),
    }));
    const causes = (dayMs: number): CauseCandidate[] =>
      candidateSeries.flatMap(({ key, series }) => {
        const base = seasonalBaseline(series, dayMs);
        const actual = series.days.find((d) => d.dayMs === dayMs)?.value ?? 0;
        if (base === null) return [];
        const [kind, ...name] = key.split(":");
        const candidateKind: CauseCandidate["kind"] = kind === "function" ? "function" : kind === "usage-type" ? "usage-type" : "service";
        return [{ kind: candidateKind, name: name.join(":"), actualMicroUsd: actual, baselineMicroUsd: Math.round(base.baseline) } satisfies CauseCandidate];
      });
    anomalies.push(
      ...detectAnomalies(seriesOf(id, readFromMs, window.toMs, values, present), {
        metric: "cost",
        flagFromMs: window.fromMs,
        minAbsoluteDelta: MIN_COST_ANOMALY_MICRO_USD,
        causes,
      }),
    );
  }
  return anomalies;
}

/** Per function per day: its Lambda cost (resource lines) over its invocations, in USD. */
function unitCostAnomalies(read: CostLinesRead, readFromMs: number, window: TimeWindow): CostAnomaly[] {
  const costs = new Map<string, Map<number, number>>();
  for (const day of read.days) {
    for (const line of day.resource ?? []) {
      const name = read.functionsByArn.get(line.resourceId ?? "")?.functionName;
      if (!name) continue;
      let series = costs.get(name);
      if (!series) costs.set(name, (series = new Map()));
      add(series, day.dayMs, line.unblendedCostMicroUsd);
    }
  }
  const anomalies: CostAnomaly[] = [];
  for (const [name, byDay] of costs) {
    const invocations = read.invocations.get(name) ?? new Map<number, number>();
    const days: DailySeries["days"] = [];
    for (let d = readFromMs; d < window.toMs; d += DAY_MS) {
      const n = invocations.get(d) ?? 0;
      const cost = byDay.get(d);
      days.push({ dayMs: d, value: cost === undefined || n <= 0 ? null : cost / 1_000_000 / n });
    }
    anomalies.push(...detectAnomalies({ id: `function:${name}`, days }, { metric: "unit-cost", flagFromMs: window.fromMs, minAbsoluteDelta: MIN_UNIT_COST_ANOMALY_USD }));
  }
  return anomalies;
}

/** Model vs bill over the window's days that have REPORT lines. */
async function reconciliation(deps: CostViewDeps, read: CostLinesRead, window: TimeWindow, applyFreeTier: boolean, accountId: string, nowMs: number) {
  const regions = [...new Set([...read.functionsByArn.values()].map((f) => f.region))];
  const logs = (await deps.watermarks.list()).filter((w) => w.collector === LOGS_INSIGHTS_COLLECTOR && w.accountId === accountId);
  const reportCoverage = regions.map((region) => {
    const w = logs.find((l) => l.region === region);
    return { sinceMs: w?.sinceMs ?? Number.POSITIVE_INFINITY, throughMs: w?.throughMs ?? Number.NEGATIVE_INFINITY };
  });
  const windowDays = read.days.filter((d) => d.dayMs >= window.fromMs && d.dayMs < window.toMs);
  const functions = [...read.functionsByArn.values()];
  // One Query per function of the account: reused for a minute (read-cache.ts), keyed by the
  // window and the functions.
  const statsKey = `cost-report-stats|${accountId}|${window.fromMs}|${window.toMs}|${functions.map(functionRefKey).join(",")}`;
  const statsByFunction = await readThrough(
    deps.reportStats,
    statsKey,
    async () =>
      new Map<string, ReportStats[]>(await mapWithConcurrency(functions, READ_CONCURRENCY, async (fn) => [fn.functionName, await deps.reportStats.readStats(fn, window)] as const)),
    nowMs,
  );
  const usages: FunctionDayUsage[] = [];
  const billedByFunctionDay = new Map<string, Map<number, number>>();
  const coveredDays = new Set<number>();
  let anyResource = false;
  for (const day of windowDays) {
    for (const line of day.resource ?? []) {
      anyResource = true;
      const name = read.functionsByArn.get(line.resourceId ?? "")?.functionName ?? line.resourceId ?? "";
      let series = billedByFunctionDay.get(name);
      if (!series) billedByFunctionDay.set(name, (series = new Map()));
      series.set(day.dayMs, (series.get(day.dayMs) ?? 0) + line.unblendedCostMicroUsd);
    }
    // A day is modelled when the REPORT lines of all of it were collected for every region
    // (an hour without lines then means no invocation, not a gap in collection).
    if (!reportCoverage.every((c) => c.sinceMs <= day.dayMs && c.throughMs >= day.dayMs + DAY_MS)) continue;
    coveredDays.add(day.dayMs);
    for (const fn of functions) {
      const stats = (statsByFunction.get(fn.functionName) ?? []).filter((s) => s.hourStartMs >= day.dayMs && s.hourStartMs < day.dayMs + DAY_MS);
      const invocations = read.invocations.get(fn.functionName)?.get(day.dayMs) ?? 0;
      const served = read.provisionedInvocations.get(fn.functionName)?.get(day.dayMs) ?? 0;
      usages.push(functionDayUsage({ fn, dayMs: day.dayMs, stats, provisionedInvocationRatio: invocations > 0 ? Math.min(1, served / invocations) : null }));
    }
  }
  const model = priceLambdaUsage(usages, { applyFreeTier });
  const notes: string[] = [];
  if (!applyFreeTier) notes.push("The model deducts no free tier (accounts in an organisation share it); turn it on in the cost settings for a standalone account.");
  notes.push("Duration tiers are counted from the first day of the month the model covers; usage before it is assumed to be in the first tier.");
  const billedByDay = lambdaBilledByDay({ ...read, days: windowDays });
  return reconcileLambda({ billedByDay, billedByFunctionDay: anyResource ? billedByFunctionDay : null, model, coveredDays, notes });
}

/** `POST /orders` from a stored exemplar of the entry function: method and path without the stage. */
function routeNameOf(http: { method: string; url: string } | null): string | null {
  if (!http) return null;
  try {
    const path = new URL(http.url).pathname.split("/").filter(Boolean);
    return `${http.method} /${path.slice(1).join("/")}`;
  } catch {
    return null;
  }
}

async function unitCosts(deps: CostViewDeps, read: CostLinesRead, allocated: readonly AllocatedDay[], window: TimeWindow, accountId: string, nowMs: number) {
  const windowDays = read.days.filter((d) => d.dayMs >= window.fromMs && d.dayMs < window.toMs);
  const cost = new Map<string, number>();
  for (const day of windowDays) {
    for (const line of day.resource ?? []) {
      const name = read.functionsByArn.get(line.resourceId ?? "")?.functionName;
      if (name) cost.set(name, (cost.get(name) ?? 0) + line.unblendedCostMicroUsd);
    }
  }
  const bucketOf = new Map<string, AllocationBucket>();
  for (const day of allocated) for (const fn of day.functions ?? []) if (fn.bucket.kind !== "idle") bucketOf.set(fn.functionName, fn.bucket);
  const invocations = (name: string) => windowDays.reduce((n, d) => n + (read.invocations.get(name)?.get(d.dayMs) ?? 0), 0);
  const functions = functionUnitCosts(
    [...cost].map(([functionName, costMicroUsd]) => ({ functionName, costMicroUsd, invocations: invocations(functionName), bucket: bucketOf.get(functionName) ?? { kind: "unallocated" } })),
  );
  const costPerInvocationUsd = new Map(functions.filter((f) => f.costPerInvocationUsd !== null).map((f) => [f.functionName, f.costPerInvocationUsd!]));
  const perService = new Map<string, { microUsd: number; quantity: number }>();
  for (const day of windowDays) {
    for (const line of day.service) {
      if (!line.service || line.service === LAMBDA_SERVICE) continue;
      const entry = perService.get(line.service) ?? { microUsd: 0, quantity: 0 };
      entry.microUsd += line.unblendedCostMicroUsd;
      entry.quantity += line.usageQuantity;
      perService.set(line.service, entry);
    }
  }
  const costPerRequestUsdByService = new Map([...perService].filter(([, v]) => v.quantity > 0).map(([s, v]) => [s, v.microUsd / 1_000_000 / v.quantity]));
  const regions = [...new Set([...read.functionsByArn.values()].map((f) => f.region))].sort();
  const routes = [];
  for (const region of regions) {
    const merged = await readMergedServiceGraph(deps.serviceGraph, { accountId, region }, window, nowMs);
    if (merged.nodes.length === 0) continue;
    const graph: ServiceGraphSnapshot = { accountId, region, window: merged.window, complete: true, nodes: merged.nodes };
    const entries = new Set(graph.nodes.filter((n) => n.type === "AWS::ApiGateway::Stage").flatMap((n) => n.edges.map((e) => e.toId)));
    const entryFunctions = [...new Set(graph.nodes.filter((n) => entries.has(n.id)).map((n) => n.name))].sort();
    // One Query per API entry function: reused for a minute with the graph (read-cache.ts).
    const routeNames = await readThrough(
      deps.serviceGraph,
      `cost-route-names|${accountId}|${region}|${window.fromMs}|${window.toMs}|${entryFunctions.join(",")}`,
      async () => {
        const names = new Map<string, string>();
        await mapWithConcurrency(entryFunctions, READ_CONCURRENCY, async (name) => {
          const exemplars = await deps.serviceGraph.readExemplars({ accountId, region }, name, window);
          const route = routeNameOf(exemplars.find((e) => e.http !== null)?.http ?? null);
          if (route) names.set(name, route);
        });
        return names;
      },
      nowMs,
    );
    routes.push(...routeUnitCosts({ graph, costPerInvocationUsd, costPerRequestUsdByService, routeNames }));
  }
  return { functions, routes };
}

/** The whole view. */
export async function getCostView(deps: CostViewDeps, params: CostViewParams, nowMs: number): Promise<CostViewResult> {
  const account = await resolveAccount(deps, params.accountId);
  if (!account) {
    return {
      kind: "no-data",
      message: params.accountId
        ? `no costs have been collected for account ${params.accountId}`
        : "no costs have been collected yet: the costs collector reads Cost Explorer every 6 hours (run `sightline collect --only costs`)",
    };
  }
  // The settings are finance's edits: read fresh, and part of the key, so a saved change shows
  // at once. Everything else the view depends on is a collected fact, and of the clock only the
  // day: the whole view is reused for a minute (read-cache.ts) under a key naming every input.
  const settings = await deps.costSettings.get();
  const key = JSON.stringify(["cost-view", account, params.window, params.groupBy, params.bucket, dayOf(nowMs), deps.tagKeys, settings]);
  return readThrough(deps.costLines, key, () => computeCostView(deps, params, nowMs, account, settings), nowMs);
}

async function computeCostView(
  deps: CostViewDeps,
  params: CostViewParams,
  nowMs: number,
  account: NonNullable<Awaited<ReturnType<typeof resolveAccount>>>,
  settings: Awaited<ReturnType<CostViewDeps["costSettings"]["get"]>>,
): Promise<CostViewResult> {
  const { accountId } = account;
  const { window, groupBy } = params;
  const readWindow = readWindowOf(window);
  // The lines, usage and utilisation (one Query per function) are shared by every grouping
  // and drill-down of the same range: reused for a minute on their own.
  const linesKey = `cost-lines|${accountId}|${readWindow.fromMs}|${readWindow.toMs}|${deps.tagKeys.join(",")}`;
  const read = await readThrough(deps.costLines, linesKey, () => readCostLines(deps, { accountId, window: readWindow, tagKeys: deps.tagKeys }), nowMs);
  const allocated = allocateDays(read, groupBy, settings.pools);
  const present = new Set(allocated.map((d) => d.dayMs));
  const inWindow = allocated.filter((d) => d.dayMs >= window.fromMs && d.dayMs < window.toMs);
  const byDayMs = new Map(inWindow.map((d) => [d.dayMs, d]));
  const windowDayList: number[] = [];
  for (let d = window.fromMs; d < window.toMs; d += DAY_MS) windowDayList.push(d);
  const breakdown = breakdownOf(allocated);
  const windowBreakdown = breakdownOf(inWindow);
  const billMicroUsd = inWindow.reduce((s, d) => s + d.billMicroUsd, 0);
  const totals = totalsByBucket(inWindow);

  // Forecast: the month of the window's last day, as of today (or that month's end).
  const lastDay = window.toMs - DAY_MS;
  const monthStart = monthStartOf(lastDay);
  const monthEnd = monthStartOf(monthStart + 32 * DAY_MS);
  const asOfMs = Math.min(dayOf(nowMs), monthEnd);
  // Idle is known only on days PC utilisation was measured; elsewhere it is unknown, not 0.
  const idleMeasured = new Set([...read.utilisation.values()].flatMap((days) => [...days.keys()]));
  const forecastFor = (id: string, values: ReadonlyMap<number, number>): CostForecast =>
    forecastMonthEnd(seriesOf(id, readWindow.fromMs, Math.min(asOfMs, window.toMs), values, id === "idle" ? new Set([...present].filter((d) => idleMeasured.has(d))) : present), {
      asOfMs,
      monthStartMs: monthStart,
    });
  const totalByDay = new Map(allocated.map((d) => [d.dayMs, d.billMicroUsd]));

  // Anomalies are judged on complete days only: today is still being published.
  const complete = new Set([...present].filter((d) => d < dayOf(nowMs)));
  const anomalies = [
    ...costAnomalies(breakdownOf(allocated, { gross: true }), readWindow.fromMs, window, complete, idleMeasured),
    ...unitCostAnomalies(read, readWindow.fromMs, { fromMs: window.fromMs, toMs: Math.min(window.toMs, dayOf(nowMs)) }),
  ].sort(
    (a, b) => a.dayMs - b.dayMs || Math.abs(b.delta) - Math.abs(a.delta),
  );

  // Both read more (REPORT lines, the service graph): started together, awaited below.
  const reconciliationRead = reconciliation(deps, read, window, settings.applyFreeTier, accountId, nowMs);
  const unitCostsRead = unitCosts(deps, read, inWindow, window, accountId, nowMs);
  // Neither may reject unobserved while the view is computed; the awaits below report it.
  reconciliationRead.catch(() => {});
  unitCostsRead.catch(() => {});

  const groupByText = formatGroupBy(groupBy);
  const budgets = settings.budgets.filter((b) => b.groupBy === groupByText);
  const budgetStatuses = budgets.map((budget) => {
    const values = breakdown.bucketDays.get(budget.bucket) ?? new Map<number, number>();
    const forecast = forecastFor(budget.bucket, values);
    return budgetStatus(budget, { monthStartMs: monthStart, actualMicroUsd: forecast.actualMicroUsd, forecastMicroUsd: forecast.forecastMicroUsd.expected });
  });

  const ids = new Set<string>([...windowBreakdown.bucketDays.keys(), "unallocated", "idle"]);
  const servicesByBucket = new Map([...ids].map((id) => [id, servicesOfBucket(inWindow, id)]));
  const buckets: BucketSummary[] = [...ids].map((id) => {
    const bucket = windowBreakdown.buckets.get(id) ?? parseBucketId(id)!;
    const values = windowBreakdown.bucketDays.get(id) ?? new Map<number, number>();
    const total = totals.get(id) ?? 0;
    return {
      id,
      bucket,
      label: labelOf(bucket),
      totalMicroUsd: total,
      shareRatio: billMicroUsd === 0 ? 0 : total / billMicroUsd,
      byDay: windowDayList.map((d) => values.get(d) ?? 0),
      byService: servicesByBucket.get(id) ?? [],
      forecast: breakdown.bucketDays.has(id) ? forecastFor(id, breakdown.bucketDays.get(id)!) : null,
      budget: budgetStatuses.find((s) => s.budget.bucket === id) ?? null,
      anomalyCount: anomalies.filter((a) => a.seriesId === id).length,
    };
  });
  buckets.sort((a, b) => b.totalMicroUsd - a.totalMicroUsd || a.id.localeCompare(b.id));

  const sharedMicroUsd = inWindow.reduce((s, d) => s + d.rows.filter((r) => r.source === "shared").reduce((t, r) => t + r.microUsd, 0), 0);
  const allocatedMicroUsd = [...totals.values()].reduce((s, v) => s + v, 0);
  const notes = [...new Set(inWindow.flatMap((d) => d.notes))];
  if (inWindow.length < windowDayList.length) notes.push(`${windowDayList.length - inWindow.length} of ${windowDayList.length} days in the range have no cost data collected.`);

  const view: CostView = {
    accountId,
    window,
    groupBy: groupByText,
    groupByOptions: [...deps.tagKeys.map((k) => `tag:${k}`), "service"],
    days: windowDayList.map((d) => ({ dayMs: d, estimated: byDayMs.get(d)?.estimated ?? false, billMicroUsd: byDayMs.get(d)?.billMicroUsd ?? 0 })),
    totals: { billMicroUsd, allocatedMicroUsd, unallocatedMicroUsd: totals.get("unallocated") ?? 0, idleMicroUsd: totals.get("idle") ?? 0, sharedMicroUsd },
    buckets,
    anomalies,
    forecast: present.size > 0 ? forecastFor("total", totalByDay) : null,
    reconciliation: await reconciliationRead,
    unitCosts: await unitCostsRead,
    budgets: budgetStatuses,
    pools: settings.pools,
    drill: params.bucket === null ? null : drillOf(inWindow, params.bucket),
    freshness: { collectedAtMs: account.collectedAtMs, estimatedFromDayMs: account.estimatedFromDayMs },
    notes,
  };
  return { kind: "ok", view };
}

function drillOf(days: readonly AllocatedDay[], id: string): CostDrill | null {
  const bucket = parseBucketId(id);
  if (!bucket) return null;
  return {
    bucket,
    label: labelOf(bucket),
    totalMicroUsd: totalsByBucket(days).get(id) ?? 0,
    byService: servicesOfBucket(days, id),
    ...functionsOfBucket(days, id),
  };
}

/** Every allocated row of the window (both BilledCost and EffectiveCost), for CSV and FOCUS exports. */
export async function getCostExportRows(deps: CostViewDeps, params: Omit<CostViewParams, "bucket">, _nowMs: number): Promise<CostExportRow[]> {
  const account = await resolveAccount(deps, params.accountId);
  if (!account) return [];
  const { accountId } = account;
  const [settings, read] = await Promise.all([deps.costSettings.get(), readCostLines(deps, { accountId, window: params.window, tagKeys: deps.tagKeys })]);
  const billed = allocateDays(read, params.groupBy, settings.pools, "billed");
  const effective = allocateDays(read, params.groupBy, settings.pools, "effective");
  const groupBy = formatGroupBy(params.groupBy);
  const rows = new Map<string, CostExportRow>();
  const keyOf = (day: number, bucket: AllocationBucket, service: string, source: AllocationSource, pool: string | undefined) =>
    `${day}|${bucketId(bucket)}|${service}|${source}|${pool ?? ""}`;
  const collect = (days: readonly AllocatedDay[], field: "billedMicroUsd" | "effectiveMicroUsd") => {
    for (const day of days) {
      for (const row of day.rows) {
        const key = keyOf(day.dayMs, row.bucket, row.service, row.source, row.pool);
        const entry =
          rows.get(key) ??
          ({
            dayMs: day.dayMs,
            estimated: day.estimated,
            groupBy,
            bucket: row.bucket,
            service: row.service,
            source: row.source,
            ...(row.pool ? { pool: row.pool } : {}),
            billedMicroUsd: 0,
            effectiveMicroUsd: 0,
            tags: params.groupBy.kind === "tag" && row.bucket.kind === "value" ? { [params.groupBy.key]: row.bucket.value } : {},
            accountId,
          } satisfies CostExportRow);
        entry[field] += row.microUsd;
        rows.set(key, entry);
      }
    }
  };
  collect(billed, "billedMicroUsd");
  collect(effective, "effectiveMicroUsd");
  return [...rows.values()];
}
