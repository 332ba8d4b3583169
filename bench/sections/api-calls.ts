/**
 * Section `api-calls`: how many AWS API calls the collectors make, counted by the simulator
 * itself, for a first pass over a 1-hour and a 14-day window of `fleet:<n>`; GetMetricData
 * against its floor (FACTS.md §6) and against per-metric polling with GetMetricStatistics
 * (bench/lib/naive-poller.ts, run for real where affordable, else counted by the same plan);
 * and the estimated AWS API bill per day of steady collection.
 */
import { backfillFleet, passFailure, type FleetBackfill } from "@/bench/lib/fleet-backfill";
import type { FleetStack, SimRequestCounts } from "@/bench/lib/fleet-stack";
import { metricRequestGroups, planPollRequests, pollRequestCount, runPoll, USD_PER_STATISTICS_REQUEST, type PollWindows } from "@/bench/lib/naive-poller";
import type { BenchContext, BenchSection, BenchTarget } from "@/bench/lib/report";
import { COLLECTOR_CADENCE_MINUTES } from "@/lib/domain/collection/collector-cadence";
import type { ApiUsage } from "@/lib/domain/collection/api-usage";
import type { CollectorName, CollectorRun } from "@/lib/domain/collection/collector-run";
import type { FunctionConfig } from "@/lib/domain/inventory/function-config";
import { planMetricsWindow } from "@/lib/domain/metrics/collection-window";
import { getMetricDataFloor } from "@/lib/domain/metrics/metric-data-queries";
import { DAY_MS, floorToHourMs, HOUR_MS, MINUTE_MS } from "@/lib/domain/shared/time";
import { metricTargetsOf } from "@/lib/use-cases/collect-metrics";

const WINDOWS = [
  { label: "1 hour", hours: 1 },
  { label: "14 days", hours: 14 * 24 },
] as const;
/** Requests the per-metric poller keeps in flight. */
const POLL_CONCURRENCY = 8;
/**
 * From 1,000 functions the 14-day first pass runs inventory + metrics only: with every collector
 * it takes most of an hour on 2 cores (Logs Insights over 14 days of REPORT lines dominates);
 * the backfill section measures that pass whole, with every collector's calls.
 */
const CORE_ONLY_FROM = 1_000;
const GET_METRIC_DATA = "CloudWatch.GetMetricData";

interface WindowCell {
  functions: number;
  window: string;
  hours: number;
  nowMs: number;
  firstPassSeconds: number;
  collectors: "all" | readonly CollectorName[];
  /** Requests the simulator served during the first pass, per `service.Operation`. */
  requestsPerOperation: Record<string, number>;
  getMetricDataCalls: number;
  getMetricDataFloor: number;
  metricQueries: number;
  minutePeriods: number;
  hourPeriods: number;
  /** METRICS_MINUTE_DAYS of the collectors: how far back minute data reaches. */
  minuteDays: number;
  /** Every request of the metrics collector runs (all operations). */
  metricsCollectionCalls: number;
  estimatedCostUsd: number;
  poll: { groups: number; computed: number; measured: number | null; datapoints: number | null; seconds: number | null };
}

interface SteadyDay {
  functions: number;
  /** Per collector: runs per day, and requests / cost per day. */
  collectors: { collector: CollectorName; runsPerDay: number; requestsPerDay: number; costUsdPerDay: number }[];
  requestsPerOperationPerDay: Record<string, number>;
  getMetricDataCallsPerDay: number;
  getMetricDataFloorPerDay: number;
  metricsCollectionCallsPerDay: number;
  costUsdPerDay: number;
  metricsCostUsdPerDay: number;
  poll: { groups: number; requestsPerDay: number; costUsdPerDay: number };
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const usd = (n: number) => (n >= 100 ? `$${fmt(n)}` : n >= 1 ? `$${n.toFixed(2)}` : `$${n.toFixed(4)}`);
const ratio = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : "—");
const requestsOf = (usage: ApiUsage) => Object.values(usage).reduce((n, u) => n + u.requests, 0);

function flatten(counts: SimRequestCounts): Record<string, number> {
  const flat: Record<string, number> = {};
  for (const [service, operations] of Object.entries(counts.services)) {
    for (const [operation, n] of Object.entries(operations)) flat[`${service}.${operation}`] = n;
  }
  return flat;
}

/** "GetMetricData 34 · ListFunctions 2 …", by service then operation. */
function perOperation(counts: Record<string, number>): string {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, n]) => `${op.split(".")[1]} ${fmt(n)}`)
    .join(" · ");
}

/** An instant 20 minutes past an hour, 70–130 min ago: a pass 1 min later sees no new hour settle, one 65 min later exactly one; both still in the simulator's past. */
function steadyBaseMs(nowMs: number): number {
  return floorToHourMs(nowMs - 90 * MINUTE_MS) + 20 * MINUTE_MS;
}

/** Functions of the scope a metrics run read. */
async function functionsOf(stack: FleetStack, run: CollectorRun): Promise<FunctionConfig[]> {
  return (await stack.runtime.functions.listFunctions()).filter((f) => f.accountId === run.accountId && f.region === run.region);
}

function queriesOf(functions: readonly FunctionConfig[]): number {
  return metricTargetsOf(functions).reduce((n, t) => n + t.keys.length, 0);
}

/** The windows the metrics collector's first run reads (its own planner), as the poller and the floor use them. */
function firstRunWindows(stack: FleetStack, nowMs: number, hours: number, queries: number): PollWindows {
  const plan = planMetricsWindow({
    watermarkMs: null,
    nowMs,
    backfillFromMs: nowMs - hours * HOUR_MS,
    minuteHistoryMs: stack.runtime.config.METRICS_MINUTE_DAYS * DAY_MS,
    settleMinutes: stack.runtime.config.SETTLE_MINUTES,
    queries,
  });
  return { minute: plan.minute.window, hour: plan.hour?.window ?? null };
}

const periods = (window: PollWindows["minute"], periodMs: number) => (window === null ? 0 : Math.ceil((window.toMs - window.fromMs) / periodMs));

async function measureWindow(ctx: BenchContext, backfill: FleetBackfill, stack: FleetStack, label: string, hours: number): Promise<WindowCell> {
  const metricsRuns = backfill.runs.filter((r) => r.collector === "metrics");
  let floor = 0;
  let queries = 0;
  let minutePeriods = 0;
  let hourPeriods = 0;
  let groups = 0;
  let computed = 0;
  const requests = [];
  for (const run of metricsRuns) {
    const functions = await functionsOf(stack, run);
    const q = queriesOf(functions);
    const windows = firstRunWindows(stack, backfill.nowMs, hours, q);
    minutePeriods = periods(windows.minute, MINUTE_MS);
    hourPeriods = periods(windows.hour, HOUR_MS);
    floor += getMetricDataFloor(q, minutePeriods) + (hourPeriods > 0 ? getMetricDataFloor(q, hourPeriods) : 0);
    queries += q;
    const runGroups = metricRequestGroups(functions);
    groups += runGroups.length;
    computed += pollRequestCount(runGroups.length, windows);
    // Polled for real where it is affordable: every 1-hour window, and 14 days up to 100 functions.
    if (hours <= 1 || backfill.functions <= 100) requests.push(...planPollRequests(runGroups, windows));
  }
  let poll: WindowCell["poll"] = { groups, computed, measured: null, datapoints: null, seconds: null };
  if (requests.length > 0) {
    ctx.log(`fleet:${backfill.functions} ${label}: polling ${fmt(requests.length)} GetMetricStatistics requests, ${POLL_CONCURRENCY} at a time`);
    await stack.resetRequestCounts();
    const result = await runPoll(requests, {
      endpoint: stack.simUrl,
      region: stack.env.AWS_REGION!,
      credentials: { accessKeyId: stack.env.AWS_ACCESS_KEY_ID!, secretAccessKey: stack.env.AWS_SECRET_ACCESS_KEY! },
      concurrency: POLL_CONCURRENCY,
    });
    const served = (await stack.requestCounts()).services.cloudwatch?.GetMetricStatistics ?? 0;
    poll = { groups, computed, measured: served, datapoints: result.datapoints, seconds: result.seconds };
  }
  const requestsPerOperation = flatten(backfill.requests);
  return {
    functions: backfill.functions,
    window: label,
    hours,
    nowMs: backfill.nowMs,
    firstPassSeconds: backfill.seconds,
    collectors: backfill.only ?? "all",
    requestsPerOperation,
    getMetricDataCalls: requestsPerOperation["cloudwatch.GetMetricData"] ?? 0,
    getMetricDataFloor: floor,
    metricQueries: queries,
    minutePeriods,
    hourPeriods,
    minuteDays: stack.runtime.config.METRICS_MINUTE_DAYS,
    metricsCollectionCalls: metricsRuns.reduce((n, r) => n + requestsOf(r.apiUsage), 0),
    estimatedCostUsd: backfill.runs.reduce((n, r) => n + r.estimatedCostUsd, 0),
    poll,
  };
}

/**
 * A steady day from two forced passes after the first: one a minute later (what most runs of a
 * collector do) and one 65 minutes later (the run that also reads the hour that just settled).
 * A collector on a cadence of an hour or less runs 1440 / cadence times a day, 24 of them the
 * hourly kind; one on a longer cadence is counted as its 65-minute run.
 */
async function measureSteadyDay(stack: FleetStack, baseMs: number, groups: number, queries: number): Promise<SteadyDay> {
  const passAt = async (offsetMs: number) => {
    const report = await stack.pass({ nowMs: baseMs + offsetMs, force: true });
    if (!report.ok) throw new Error(`the steady pass at +${offsetMs / MINUTE_MS} min failed: ${passFailure(report)}`);
    return report.runs;
  };
  const minuteLater = await passAt(MINUTE_MS);
  const hourLater = await passAt(65 * MINUTE_MS);
  const byCollector = (runs: CollectorRun[], name: CollectorName) => runs.filter((r) => r.collector === name);
  const collectors: SteadyDay["collectors"] = [];
  const perOperationPerDay: Record<string, number> = {};
  for (const [name, cadence] of Object.entries(COLLECTOR_CADENCE_MINUTES) as [CollectorName, number][]) {
    const runsPerDay = 1440 / cadence;
    const weights: [CollectorRun[], number][] =
      cadence <= 60 ? [[byCollector(minuteLater, name), runsPerDay - 24], [byCollector(hourLater, name), 24]] : [[byCollector(hourLater, name), runsPerDay]];
    let requestsPerDay = 0;
    let costUsdPerDay = 0;
    for (const [runs, times] of weights) {
      for (const run of runs) {
        requestsPerDay += times * requestsOf(run.apiUsage);
        costUsdPerDay += times * run.estimatedCostUsd;
        for (const [op, u] of Object.entries(run.apiUsage)) perOperationPerDay[op] = (perOperationPerDay[op] ?? 0) + times * u.requests;
      }
    }
    collectors.push({ collector: name, runsPerDay, requestsPerDay, costUsdPerDay });
  }
  const metrics = collectors.find((c) => c.collector === "metrics")!;
  const pollPerDay = pollRequestCount(groups, { minute: { fromMs: 0, toMs: MINUTE_MS }, hour: null }) * 1440 + pollRequestCount(groups, { minute: null, hour: { fromMs: 0, toMs: HOUR_MS } }) * 24;
  return {
    functions: 0,
    collectors,
    requestsPerOperationPerDay: perOperationPerDay,
    getMetricDataCallsPerDay: perOperationPerDay[GET_METRIC_DATA] ?? 0,
    // Each minute's data once and each settled hour once: one call per batch of 500 queries.
    getMetricDataFloorPerDay: (1440 + 24) * getMetricDataFloor(queries, 1),
    metricsCollectionCallsPerDay: metrics.requestsPerDay,
    costUsdPerDay: collectors.reduce((n, c) => n + c.costUsdPerDay, 0),
    metricsCostUsdPerDay: metrics.costUsdPerDay,
    poll: { groups, requestsPerDay: pollPerDay, costUsdPerDay: pollPerDay * USD_PER_STATISTICS_REQUEST },
  };
}

export const apiCallsSection: BenchSection = {
  id: "api-calls",
  title: "Collector API calls (fleet:<n>, first pass over 1 hour and 14 days; steady day)",
  async run(ctx) {
    const sizes = ctx.quick ? [20, 100] : [100, 1_000, 5_000];
    const cells: WindowCell[] = [];
    const days: SteadyDay[] = [];
    const failures: string[] = [];
    for (const functions of sizes) {
      for (const { label, hours } of WINDOWS) {
        const coreOnly = !ctx.quick && hours > 24 && functions >= CORE_ONLY_FROM;
        const nowMs = hours <= 1 ? steadyBaseMs(Date.now()) : Date.now();
        ctx.log(`fleet:${functions}, ${label}: first pass${coreOnly ? " (inventory + metrics only)" : ""}`);
        let started: Awaited<ReturnType<typeof backfillFleet>>;
        try {
          started = await backfillFleet(ctx, { functions, hours, nowMs, ...(coreOnly ? { only: ["inventory", "metrics"] as const } : {}) });
        } catch (error) {
          // One failed cell (e.g. a collector run that failed under load) must not cost the others their figures.
          const message = error instanceof Error ? error.message : String(error);
          failures.push(`fleet:${functions}, ${label}: ${message}`);
          ctx.log(`fleet:${functions}, ${label}: FAILED — ${message}`);
          continue;
        }
        const { backfill, stack } = started;
        try {
          ctx.log(`fleet:${functions}, ${label}: first pass took ${backfill.seconds.toFixed(0)} s`);
          const cell = await measureWindow(ctx, backfill, stack, label, hours);
          cells.push(cell);
          ctx.log(
            `fleet:${functions}, ${label}: GetMetricData ${cell.getMetricDataCalls} (floor ${cell.getMetricDataFloor}), metrics calls ${cell.metricsCollectionCalls}, ` +
              `polling ${cell.poll.measured ?? "-"} measured / ${cell.poll.computed} computed, est. $${cell.estimatedCostUsd.toFixed(4)}`,
          );
          if (hours <= 1) {
            ctx.log(`fleet:${functions}: steady passes a minute and 65 minutes later`);
            days.push({ ...(await measureSteadyDay(stack, nowMs, cell.poll.groups, cell.metricQueries)), functions });
          }
        } finally {
          await stack.close();
        }
      }
    }

    const rows: (string | number)[][] = [];
    for (const functions of sizes) {
      for (const cell of cells.filter((c) => c.functions === functions)) {
        const pollCount = cell.poll.measured ?? cell.poll.computed;
        rows.push([
          fmt(functions),
          cell.collectors === "all" ? cell.window : `${cell.window} (inventory + metrics)`,
          `${cell.firstPassSeconds.toFixed(0)} s`,
          fmt(cell.getMetricDataCalls),
          fmt(cell.getMetricDataFloor),
          ratio(cell.getMetricDataCalls / cell.getMetricDataFloor),
          fmt(cell.metricsCollectionCalls),
          `${fmt(pollCount)} ${cell.poll.measured === null ? "computed" : cell.poll.measured === cell.poll.computed ? "measured" : `measured (computed ${fmt(cell.poll.computed)})`}`,
          `${fmt(pollCount / cell.metricsCollectionCalls)}×`,
          usd(cell.estimatedCostUsd),
          usd(pollCount * USD_PER_STATISTICS_REQUEST),
          perOperation(cell.requestsPerOperation),
        ]);
      }
      const day = days.find((d) => d.functions === functions);
      if (day) {
        rows.push([
          fmt(functions),
          "steady, per day",
          "—",
          fmt(day.getMetricDataCallsPerDay),
          fmt(day.getMetricDataFloorPerDay),
          ratio(day.getMetricDataCallsPerDay / day.getMetricDataFloorPerDay),
          fmt(day.metricsCollectionCallsPerDay),
          `${fmt(day.poll.requestsPerDay)} computed`,
          `${fmt(day.poll.requestsPerDay / day.metricsCollectionCallsPerDay)}×`,
          `${usd(day.costUsdPerDay)} (metrics ${usd(day.metricsCostUsdPerDay)})`,
          usd(day.poll.costUsdPerDay),
          perOperation(day.requestsPerOperationPerDay),
        ]);
      }
    }

    const targets: BenchTarget[] = cells.map((cell) => ({
      name: `GetMetricData calls / floor (fleet:${cell.functions}, ${cell.window})`,
      target: "= 1.00",
      actual: ratio(cell.getMetricDataCalls / cell.getMetricDataFloor),
      met: cell.getMetricDataCalls === cell.getMetricDataFloor,
    }));
    const comparedAt = ctx.quick ? sizes.at(-1)! : 1_000;
    for (const cell of cells.filter((c) => c.functions === comparedAt)) {
      const pollCount = cell.poll.measured ?? cell.poll.computed;
      const times = pollCount / cell.metricsCollectionCalls;
      targets.push({
        name: `per-metric polling calls / metrics collection calls (fleet:${comparedAt}, ${cell.window})`,
        target: "≥ 100×",
        actual: `${fmt(times)}×`,
        met: times >= 100,
      });
    }

    const mismatched = cells.filter((c) => c.poll.measured !== null && c.poll.measured !== c.poll.computed);
    const notes = [
      "Calls are what the simulator served (GET /__sim/requests) during each first pass: every collector, forced, as `sightline collect --once` runs it; each window in a fresh store with BACKFILL_HOURS = 1 or 336.",
      `floor = per batch of ≤ 500 queries, ceil(queries × periods / 100,800) for the minute window plus the same for the hour window (lib/domain/metrics/metric-data-queries.ts getMetricDataFloor), over the windows the collector's own planner reads (minute data: the last METRICS_MINUTE_DAYS = ${cells[0]?.minuteDays ?? "?"} days, hourly data: the whole window from the start of its UTC day).`,
      "Above 1.00 on long windows: the collector cuts minute data into whole 3-hour slices (500 queries × 180 periods = 90,000 datapoints, under the 100,800 cap) so each stored hour item comes whole from one answer, and sizes slices for the largest batch; the floor packs every call to 100,800.",
      `Per-metric polling (bench/lib/naive-poller.ts): one GetMetricStatistics request per target × metric (Duration twice: plain statistics and percentiles cannot share a request) × chunk of ≤ 1,440 datapoints, over the same windows, through the real SDK client ${POLL_CONCURRENCY} at a time. "measured" = requests the simulator served; "computed" = the same plan counted without sending (windows too slow to poll here).` +
        (mismatched.length > 0 ? ` MISMATCH measured ≠ computed at ${mismatched.map((c) => `fleet:${c.functions} ${c.window}`).join(", ")}.` : " Where both exist they are equal."),
      "Cost: AWS list prices (FACTS.md §6, lib/domain/collection/api-usage.ts): GetMetricData $0.01 per 1,000 metrics requested, GetMetricStatistics $0.01 per 1,000 requests, Logs Insights $0.005 per GB scanned (the simulator's bytes), X-Ray $0.50 per million traces scanned or retrieved, Cost Explorer $0.01 per request; Lambda, STS and X-Ray GetServiceGraph calls are free; no free tier; us-east-1.",
      "Steady day: forced passes 1 minute and 65 minutes after the 1-hour first pass; each collector runs 1440 / cadence times a day (lib/domain/collection/collector-cadence.ts: metrics and slos every minute, inventory, logs-insights, traces and analyze every 5, costs every 360), 24 of those the kind that also reads a newly settled hour (the 65-minute pass), the rest like the 1-minute pass; costs is counted 4 × its 65-minute run. Per-metric polling per day: every group once a minute plus once an hour.",
    ];
    for (const day of days) {
      notes.push(
        `fleet:${fmt(day.functions)} per day: metrics ${usd(day.metricsCostUsdPerDay)} with GetMetricData (billed per metric requested, not per call) vs ${usd(day.poll.costUsdPerDay)} polling (billed per request) — ${day.poll.costUsdPerDay < day.metricsCostUsdPerDay ? "polling is cheaper in dollars; the collector's win is" : "the collector wins on dollars and on"} calls (${fmt(day.poll.requestsPerDay / day.metricsCollectionCallsPerDay)}× fewer: throttling headroom, run time).`,
      );
    }
    for (const failure of failures) notes.push(`NOT MEASURED — the first pass failed: ${failure}.`);
    if (cells.length === 0) throw new Error(`every first pass failed: ${failures.join("; ")}`);
    if (cells.some((c) => c.collectors !== "all")) notes.push(`At ${fmt(CORE_ONLY_FROM)} functions the 14-day first pass ran inventory + metrics only (every collector would take far longer on 2 cores); its cost column covers those two.`);

    return {
      columns: ["functions", "window", "first pass", "GetMetricData", "floor", "calls/floor", "metrics calls", "per-metric polling", "polling/ours", "est. AWS cost", "polling cost", "calls per operation (simulator; per day: ledger)"],
      rows,
      targets,
      notes,
      data: { cells, steadyDays: days, failures },
    };
  },
};
