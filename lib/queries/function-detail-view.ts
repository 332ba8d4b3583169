import { GLOBAL_REGION } from "@/lib/domain/collection/collector-run";
import type { Recommendation } from "@/lib/domain/sizing/tuning-types";
import type { AnalysisStore, FunctionAnalysis } from "@/lib/ports/analysis-store";
import {
  computeProvisionedInvocationRatio,
  estimateFunctionUsageCost,
  resolvePcMemoryMb,
  type UsageCost,
} from "@/lib/domain/cost/function-usage-cost";
import { lambdaPricesFor } from "@/lib/domain/cost/lambda-price-book";
import type { AccountConcurrency, FunctionConfig, FunctionVersion } from "@/lib/domain/inventory/function-config";
import { summarizeMemoryUsage, type MemoryUsage } from "@/lib/domain/logs/memory-usage";
import { selectReportHours } from "@/lib/domain/logs/report-hours";
import {
  assessAccountConcurrencyHeadroom,
  assessConcurrencyHeadroom,
  type AccountConcurrencyHeadroom,
  type ConcurrencyHeadroom,
} from "@/lib/domain/metrics/concurrency-headroom";
import {
  bucketOnGrid,
  chooseChartStepMs,
  summarizeDetailMetrics,
  type DetailMetricPoint,
  type DetailMetricTotals,
} from "@/lib/domain/metrics/function-detail-metrics";
import { ALIAS_METRIC_KEYS, FUNCTION_METRIC_KEYS, REGION_METRIC_KEYS, type MetricResolution } from "@/lib/domain/metrics/lambda-metrics";
import { assessPcUtilisation, computePcBreakEvenUtilisationRatio, type PcUtilisation } from "@/lib/domain/metrics/pc-utilisation";
import type { FunctionRef } from "@/lib/domain/shared/ids";
import type { TimeWindow } from "@/lib/domain/shared/time";
import { getFunctionColdStarts, type ColdStartsViewDeps, type FunctionColdStartsView } from "@/lib/queries/cold-starts-view";
import { lookupFunction, type FunctionChoice } from "@/lib/queries/function-lookup";
import { summarizeCollectionStatus, type CollectionStatus } from "@/lib/queries/collection-status";
import { readMetricSeries, resolutionFor } from "@/lib/queries/metric-series-reader";

/**
 * The function detail page and GET /api/v1/functions/<name>: one function's configuration
 * (with where each value came from), traffic, concurrency against its limits, provisioned
 * concurrency use, memory use, a usage-based cost estimate and what the analyzer stored.
 */

/** The stores the view reads; the cold-start part (lib/queries/cold-starts-view.ts) needs the same ones. */
export interface FunctionDetailDeps extends ColdStartsViewDeps {
  analysis: Pick<AnalysisStore, "list">;
}

export interface FunctionDetailInput {
  name: string;
  /** Narrows the lookup to one account; optional when the name is unique. */
  accountId?: string;
  /** Narrows the lookup to one region; optional when the name is unique. */
  regionId?: string;
  window: TimeWindow;
  nowMs: number;
}

export type FunctionDetailResult =
  | { kind: "found"; view: FunctionDetailView }
  | { kind: "ambiguous"; functionName: string; choices: FunctionChoice[] }
  | {
      kind: "not-found";
      functionName: string;
      accountId: string | null;
      regionId: string | null;
      /** Functions of that name outside the account/region asked for. */
      elsewhere: FunctionChoice[];
    };

/** The AWS API a configuration value was read with (what the inventory collector calls). */
export type ConfigApi =
  | "ListFunctions"
  | "ListTags"
  | "GetFunctionConcurrency"
  | "ListProvisionedConcurrencyConfigs"
  | "ListAliases"
  | "ListVersionsByFunction"
  | "GetAccountSettings";

export interface ConfigSource {
  api: ConfigApi;
  /** Lambda's RevisionId of $LATEST for values of the function's configuration; null otherwise. */
  revisionId: string | null;
  /** When the value was read (epoch ms); null when it never was. */
  collectedAtMs: number | null;
}

export type ConfigField =
  | "runtime"
  | "architecture"
  | "memory"
  | "timeout"
  | "ephemeral-storage"
  | "package-type"
  | "snap-start"
  | "layers"
  | "tracing"
  | "last-modified"
  | "tags"
  | "reserved-concurrency"
  | "provisioned-concurrency"
  | "aliases"
  | "versions"
  | "account-concurrency-limit"
  | "unreserved-concurrency";

export type ConfigValue =
  | { kind: "text"; text: string | null }
  | { kind: "megabytes"; memoryMb: number }
  | { kind: "seconds"; seconds: number }
  /** A number of concurrent executions; null means none is set (or, for account values, not collected). */
  | { kind: "executions"; executions: number | null }
  | { kind: "list"; items: string[] }
  | { kind: "tags"; tags: { key: string; value: string }[] }
  | { kind: "provisioned"; configs: { qualifier: string; requested: number; allocated: number; status: string }[] }
  | { kind: "aliases"; aliases: { name: string; functionVersion: string }[] }
  | { kind: "versions"; versions: FunctionVersion[] };

export interface ConfigRow {
  field: ConfigField;
  value: ConfigValue;
  source: ConfigSource;
}

/** One alias or version with provisioned concurrency: its configuration, how it is used, and a chart. */
export interface PcRow {
  qualifier: string;
  /** The version an alias points to; null for a version qualifier. */
  functionVersion: string | null;
  memoryMb: number;
  requestedExecutions: number;
  allocatedExecutions: number;
  status: string;
  utilisation: PcUtilisation;
  points: { timestampMs: number; utilisation: number | null; provisionedInvocations: number | null; spilloverInvocations: number | null }[];
}

export interface FunctionDetailView {
  ref: FunctionRef;
  functionArn: string;
  window: TimeWindow;
  /** What the charts plot per stored period, and the chart step (the periods rolled up). */
  resolution: MetricResolution;
  chartStepMs: number;
  configuration: { rows: ConfigRow[] };
  metrics: { totals: DetailMetricTotals; points: DetailMetricPoint[] };
  concurrency: {
    function: ConcurrencyHeadroom;
    account: AccountConcurrencyHeadroom;
    reservedConcurrency: number | null;
    /** Allocated provisioned concurrency over every alias/version. */
    provisionedExecutions: number;
    accountLimitExecutions: number | null;
    unreservedPoolExecutions: number | null;
    /** The account's region-wide series, for context (per chart step maxima). */
    regionPoints: {
      timestampMs: number;
      claimedAccountConcurrency: number | null;
      unreservedConcurrentExecutions: number | null;
      concurrentExecutions: number | null;
    }[];
  };
  provisionedConcurrency: { breakEvenUtilisationRatio: number; rows: PcRow[] };
  memory: { usage: MemoryUsage; covered: TimeWindow | null; hourCount: number };
  cost: UsageCost;
  /** Cold starts in depth, as the Cold starts page shows them (lib/queries/cold-starts-view.ts). */
  coldStarts: FunctionColdStartsView | null;
  recommendations: {
    /** What the analyze collector stored for this function; null when it has not analysed it yet. */
    analysis: Pick<FunctionAnalysis, "asOfMs" | "lookbackDays" | "sufficiency"> | null;
    /** Its tuning recommendations in brief (the Tuning page has them in full); null when not analysed. */
    tuning: { kind: Recommendation["kind"]; finding: Recommendation["finding"]; summary: string; monthlyDeltaUsd: number }[] | null;
  };
  /** How far each source has been collected for this function's account/region (epoch ms; null: never). */
  sources: { metricsThroughMs: number | null; reportLinesThroughMs: number | null; analysedAtMs: number | null };
  collection: CollectionStatus;
}

/**
 * Finds the function called `name` (in the account/region given, if any) and builds its
 * detail view over the window; ambiguous when the name exists in several accounts/regions
 * and none was given, not found when it exists nowhere asked.
 */
export async function getFunctionDetailView(deps: FunctionDetailDeps, input: FunctionDetailInput): Promise<FunctionDetailResult> {
  const lookup = await lookupFunction(deps.functions, { functionName: input.name, accountId: input.accountId, region: input.regionId });
  if (lookup.kind === "not-found") {
    return { kind: "not-found", functionName: input.name, accountId: lookup.accountId, regionId: lookup.region, elsewhere: lookup.elsewhere };
  }
  if (lookup.kind === "ambiguous") return lookup;
  return { kind: "found", view: await buildView(deps, lookup.fn, input) };
}

async function buildView(deps: FunctionDetailDeps, fn: FunctionConfig, input: FunctionDetailInput): Promise<FunctionDetailView> {
  const { window, nowMs } = input;
  const scope = { accountId: fn.accountId, region: fn.region };
  const resolution = resolutionFor(window);
  const chartStepMs = chooseChartStepMs(window, resolution);

  const [accounts, watermarks, analyses, stats, functionSeries, regionSeries, aliasSeries, coldStarts] = await Promise.all([
    deps.functions.listAccountConcurrency(),
    deps.watermarks.list(),
    deps.analysis.list(fn.accountId, fn.region),
    deps.reportStats.readStats(fn, window),
    readMetricSeries(deps.series, scope, { kind: "function", functionName: fn.functionName }, FUNCTION_METRIC_KEYS, window),
    readMetricSeries(deps.series, scope, { kind: "region" }, REGION_METRIC_KEYS, window),
    Promise.all(
      fn.provisionedConcurrency.map((pc) =>
        readMetricSeries(deps.series, scope, { kind: "alias", functionName: fn.functionName, qualifier: pc.qualifier }, ALIAS_METRIC_KEYS, window),
      ),
    ),
    getFunctionColdStarts(deps, { ref: fn, window, nowMs }),
  ]);
  const account = accounts.find((a) => a.accountId === fn.accountId && a.region === fn.region) ?? null;
  const inScope = watermarks.filter((w) => w.accountId === fn.accountId && (w.region === fn.region || w.region === GLOBAL_REGION));
  const throughOf = (collector: string) => inScope.find((w) => w.collector === collector && w.region === fn.region)?.throughMs ?? null;
  const metricsThroughMs = throughOf("metrics");
  const reportLinesThroughMs = throughOf("logs-insights");
  const reportLinesSinceMs = inScope.find((w) => w.collector === "logs-insights" && w.region === fn.region)?.sinceMs ?? null;
  const analysis = analyses.find((a) => a.functionName === fn.functionName) ?? null;

  // In FUNCTION_METRIC_KEYS order; a key never stored reads as an empty series.
  const [invocations = [], errors = [], throttles = [], averageDurationMs = [], p50DurationMs = [], p90DurationMs = [], p99DurationMs = [], concurrentExecutions = []] =
    functionSeries;
  const metrics = summarizeDetailMetrics(
    { invocations, errors, throttles, averageDurationMs, p50DurationMs, p90DurationMs, p99DurationMs, concurrentExecutions },
    window,
    chartStepMs,
    metricsThroughMs,
  );

  // In REGION_METRIC_KEYS order.
  const [regionConcurrent = [], regionUnreserved = [], regionClaimed = []] = regionSeries;
  const concurrency: FunctionDetailView["concurrency"] = {
    function: assessConcurrencyHeadroom({
      functionConcurrency: concurrentExecutions,
      regionUnreservedConcurrency: regionUnreserved,
      reservedConcurrency: fn.reservedConcurrency,
      unreservedPoolExecutions: account?.unreservedConcurrentExecutions ?? null,
      throttles: metrics.totals.throttles,
      window,
    }),
    account: assessAccountConcurrencyHeadroom({ claimedConcurrency: regionClaimed, limitExecutions: account?.concurrentExecutionsLimit ?? null, window }),
    reservedConcurrency: fn.reservedConcurrency,
    provisionedExecutions: fn.provisionedConcurrency.reduce((sum, pc) => sum + pc.allocated, 0),
    accountLimitExecutions: account?.concurrentExecutionsLimit ?? null,
    unreservedPoolExecutions: account?.unreservedConcurrentExecutions ?? null,
    regionPoints: bucketOnGrid(window, chartStepMs, {
      claimedAccountConcurrency: { points: regionClaimed, aggregate: "max" },
      unreservedConcurrentExecutions: { points: regionUnreserved, aggregate: "max" },
      concurrentExecutions: { points: regionConcurrent, aggregate: "max" },
    }),
  };

  const breakEvenUtilisationRatio = computePcBreakEvenUtilisationRatio(lambdaPricesFor(fn.region, fn.architecture).prices);
  const pcRows = fn.provisionedConcurrency.map((pc, i): PcRow => {
    // In ALIAS_METRIC_KEYS order.
    const [executions = [], utilisation = [], provisionedInvocations = [], spilloverInvocations = []] = aliasSeries[i] ?? [];
    return {
      qualifier: pc.qualifier,
      functionVersion: fn.aliases.find((a) => a.name === pc.qualifier)?.functionVersion ?? null,
      memoryMb: resolvePcMemoryMb(fn, pc.qualifier),
      requestedExecutions: pc.requested,
      allocatedExecutions: pc.allocated,
      status: pc.status,
      utilisation: assessPcUtilisation(
        { utilisation, provisionedExecutions: executions, provisionedInvocations, spilloverInvocations },
        window,
        breakEvenUtilisationRatio,
      ),
      points: bucketOnGrid(window, chartStepMs, {
        utilisation: { points: utilisation, aggregate: "max" },
        provisionedInvocations: { points: provisionedInvocations, aggregate: "sum" },
        spilloverInvocations: { points: spilloverInvocations, aggregate: "sum" },
      }),
    };
  });

  const reportHours = selectReportHours(stats, window, { sinceMs: reportLinesSinceMs, throughMs: reportLinesThroughMs });
  const cost = estimateFunctionUsageCost({
    fn,
    stats: reportHours.stats,
    covered: reportHours.covered,
    // ProvisionedConcurrencyInvocations is the third of ALIAS_METRIC_KEYS.
    provisionedInvocationRatio: computeProvisionedInvocationRatio(
      aliasSeries.map((series) => series[2] ?? []),
      invocations,
      window,
    ),
  });

  return {
    ref: { accountId: fn.accountId, region: fn.region, functionName: fn.functionName },
    functionArn: fn.functionArn,
    window,
    resolution,
    chartStepMs,
    configuration: { rows: configurationRows(fn, account) },
    metrics,
    concurrency,
    provisionedConcurrency: { breakEvenUtilisationRatio, rows: pcRows },
    memory: { usage: summarizeMemoryUsage(reportHours.stats, fn.memoryMb), covered: reportHours.covered, hourCount: reportHours.hourCount },
    cost,
    coldStarts,
    recommendations: {
      analysis: analysis ? { asOfMs: analysis.asOfMs, lookbackDays: analysis.lookbackDays, sufficiency: analysis.sufficiency } : null,
      tuning:
        analysis?.tuning?.status === "analysed"
          ? analysis.tuning.recommendations.map((r) => ({ kind: r.kind, finding: r.finding, summary: r.summary, monthlyDeltaUsd: r.monthlyCost.deltaUsd.expected }))
          : null,
    },
    sources: { metricsThroughMs, reportLinesThroughMs, analysedAtMs: analysis?.asOfMs ?? null },
    collection: summarizeCollectionStatus(inScope, nowMs),
  };
}

/** Every configuration value with the API it came from and when it was read. */
function configurationRows(fn: FunctionConfig, account: AccountConcurrency | null): ConfigRow[] {
  const listed: ConfigSource = { api: "ListFunctions", revisionId: fn.revisionId, collectedAtMs: fn.collectedAtMs };
  const detail = (api: ConfigApi): ConfigSource => ({ api, revisionId: null, collectedAtMs: fn.detailsCollectedAtMs });
  const accountSource: ConfigSource = { api: "GetAccountSettings", revisionId: null, collectedAtMs: account?.collectedAtMs ?? null };
  return [
    { field: "runtime", value: { kind: "text", text: fn.runtime }, source: listed },
    { field: "architecture", value: { kind: "text", text: fn.architecture }, source: listed },
    { field: "memory", value: { kind: "megabytes", memoryMb: fn.memoryMb }, source: listed },
    { field: "timeout", value: { kind: "seconds", seconds: fn.timeoutSeconds }, source: listed },
    { field: "ephemeral-storage", value: { kind: "megabytes", memoryMb: fn.ephemeralStorageMb }, source: listed },
    { field: "package-type", value: { kind: "text", text: fn.packageType }, source: listed },
    { field: "snap-start", value: { kind: "text", text: fn.snapStart }, source: listed },
    { field: "layers", value: { kind: "list", items: [...fn.layers] }, source: listed },
    { field: "tracing", value: { kind: "text", text: fn.tracingMode }, source: listed },
    { field: "last-modified", value: { kind: "text", text: fn.lastModified || null }, source: listed },
    {
      field: "tags",
      value: { kind: "tags", tags: Object.entries(fn.tags).sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => ({ key, value })) },
      source: detail("ListTags"),
    },
    { field: "reserved-concurrency", value: { kind: "executions", executions: fn.reservedConcurrency }, source: detail("GetFunctionConcurrency") },
    {
      field: "provisioned-concurrency",
      value: {
        kind: "provisioned",
        configs: fn.provisionedConcurrency.map((pc) => ({ qualifier: pc.qualifier, requested: pc.requested, allocated: pc.allocated, status: pc.status })),
      },
      source: detail("ListProvisionedConcurrencyConfigs"),
    },
    { field: "aliases", value: { kind: "aliases", aliases: fn.aliases.map((a) => ({ ...a })) }, source: detail("ListAliases") },
    { field: "versions", value: { kind: "versions", versions: fn.versions.map((v) => ({ ...v })) }, source: detail("ListVersionsByFunction") },
    { field: "account-concurrency-limit", value: { kind: "executions", executions: account?.concurrentExecutionsLimit ?? null }, source: accountSource },
    { field: "unreserved-concurrency", value: { kind: "executions", executions: account?.unreservedConcurrentExecutions ?? null }, source: accountSource },
  ];
}
