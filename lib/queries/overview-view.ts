import type { MetricKey, MetricPoint } from "@/lib/domain/metrics/lambda-metrics";
import {
  detectColdStartStorm,
  detectConcurrencyNearLimit,
  detectErrorSpike,
  detectSteadyFailure,
  detectThrottling,
  rankSignals,
  sloBurningSignal,
  sumCounts,
  type MinuteCounts,
  type Signal,
  type TrafficCounts,
} from "@/lib/domain/health/now-signals";
import type { FunctionConfig } from "@/lib/domain/inventory/function-config";
import { mapWithConcurrency } from "@/lib/domain/shared/concurrency";
import { functionRefKey } from "@/lib/domain/shared/ids";
import { DAY_MS, HOUR_MS, MINUTE_MS, floorToHourMs, floorToMinuteMs, type TimeWindow } from "@/lib/domain/shared/time";
import type { ReportStatsStore } from "@/lib/ports/report-stats";
import type { FunctionStore, MetricSeriesStore, Watermark, WatermarkStore } from "@/lib/ports/stores";
import type { SloStore } from "@/lib/ports/slo-store";
import { readAlertingSlos } from "@/lib/queries/burning-slos";
import { summarizeCollectionStatus, type CollectionStatus } from "@/lib/queries/collection-status";
import { readFunctionList, readThrough } from "@/lib/queries/read-cache";

export interface OverviewViewDeps {
  functions: FunctionStore;
  series: MetricSeriesStore;
  reportStats: ReportStatsStore;
  watermarks: WatermarkStore;
  slos: Pick<SloStore, "list" | "listStatuses">;
}

/** "Now" on the overview: the last 15 complete minutes. Short enough to be current, long enough to hold a few events. */
export const RECENT_WINDOW_MS = 15 * MINUTE_MS;
/** What "normal" is measured against: the day before the recent window. */
export const BASELINE_WINDOW_MS = DAY_MS;

/** A collector whose last attempt failed in one account/region. */
export interface FailingCollector {
  collector: string;
  accountId: string;
  region: string;
  error: string;
  lastAttemptMs: number;
}

export interface OverviewView {
  asOfMs: number;
  /** The recent window signals are about, and the baseline it is compared with. */
  recent: TimeWindow;
  baseline: TimeWindow;
  /** The hour cold-start storms are judged on (the last complete hour). */
  coldStartHour: TimeWindow;
  /** Most urgent first (rankSignals). */
  signals: Signal[];
  /** How much was checked, so "all clear" says over what. */
  checked: { functions: number; scopes: number };
  /** The whole fleet over the recent window: the pulse next to the verdict. */
  fleet: { invocationsPerMinute: number; errorRatio: number | null; throttles: number };
  failingCollectors: FailingCollector[];
  collection: CollectionStatus;
}

const RECENT_KEYS = [
  { metric: "Invocations", stat: "Sum" },
  { metric: "Errors", stat: "Sum" },
  { metric: "Throttles", stat: "Sum" },
  { metric: "ConcurrentExecutions", stat: "Maximum" },
] as const satisfies readonly MetricKey[];
const BASELINE_KEYS = RECENT_KEYS.slice(0, 3);
const REGION_KEYS = [{ metric: "ClaimedAccountConcurrency", stat: "Maximum" }] as const satisfies readonly MetricKey[];

/** Per-minute counts over a window, one entry per minute (0 where CloudWatch had no datapoint). */
function toMinuteCounts(window: TimeWindow, invocations: MetricPoint[], errors: MetricPoint[], throttles: MetricPoint[]): MinuteCounts[] {
  const minutes: MinuteCounts[] = [];
  const at = (points: MetricPoint[]) => new Map(points.map((p) => [p.timestampMs, p.value]));
  const [inv, err, thr] = [at(invocations), at(errors), at(throttles)];
  for (let m = window.fromMs; m < window.toMs; m += MINUTE_MS) {
    minutes.push({ minuteStartMs: m, invocations: inv.get(m) ?? 0, errors: err.get(m) ?? 0, throttles: thr.get(m) ?? 0 });
  }
  return minutes;
}

function total(points: MetricPoint[] | undefined, window: TimeWindow): number {
  return (points ?? []).reduce((sum, p) => (p.timestampMs >= window.fromMs && p.timestampMs < window.toMs ? sum + p.value : sum), 0);
}

function peak(points: MetricPoint[] | undefined): number | null {
  return points && points.length > 0 ? Math.max(...points.map((p) => p.value)) : null;
}

async function checkFunction(
  deps: OverviewViewDeps,
  fn: FunctionConfig,
  view: Pick<OverviewView, "recent" | "baseline" | "coldStartHour">,
): Promise<{ signals: Signal[]; recent: TrafficCounts }> {
  const subject = { accountId: fn.accountId, region: fn.region, functionName: fn.functionName };
  const target = { kind: "function", functionName: fn.functionName } as const;
  const statsWindow = { fromMs: view.coldStartHour.fromMs - DAY_MS, toMs: view.coldStartHour.toMs };
  const [recent, baseline, stats] = await Promise.all([
    deps.series.readSeries(fn, target, RECENT_KEYS, view.recent, "minute"),
    // Hourly data covers the baseline but its last settling hours; a day's ratio does not need them.
    deps.series.readSeries(fn, target, BASELINE_KEYS, view.baseline, "hour"),
    deps.reportStats.readStats(fn, statsWindow),
  ]);
  const minutes = toMinuteCounts(view.recent, recent["Invocations:Sum"] ?? [], recent["Errors:Sum"] ?? [], recent["Throttles:Sum"] ?? []);
  const baselineCounts = {
    invocations: total(baseline["Invocations:Sum"], view.baseline),
    errors: total(baseline["Errors:Sum"], view.baseline),
    throttles: total(baseline["Throttles:Sum"], view.baseline),
  };
  const lastHour = { hourStartMs: view.coldStartHour.fromMs, invocations: 0, coldStarts: 0 };
  let baselineColdStarts = 0;
  for (const s of stats) {
    if (s.hourStartMs === view.coldStartHour.fromMs) {
      lastHour.invocations += s.invocations;
      lastHour.coldStarts += s.coldStarts;
    } else if (s.hourStartMs < view.coldStartHour.fromMs) {
      baselineColdStarts += s.coldStarts;
    }
  }
  const signals = [
    detectErrorSpike(subject, minutes, baselineCounts) ?? detectSteadyFailure(subject, minutes, baselineCounts),
    detectThrottling(subject, minutes),
    detectConcurrencyNearLimit(subject, peak(recent["ConcurrentExecutions:Maximum"]), fn.reservedConcurrency),
    detectColdStartStorm(subject, lastHour, baselineColdStarts / (DAY_MS / HOUR_MS)),
  ].filter((s): s is Signal => s !== null);
  return { signals, recent: sumCounts(minutes) };
}

function failingCollectorsOf(watermarks: readonly Watermark[]): FailingCollector[] {
  return watermarks
    .filter((w): w is Watermark & { lastError: string } => w.lastError !== null)
    .map((w) => ({ collector: w.collector, accountId: w.accountId, region: w.region, error: w.lastError, lastAttemptMs: w.lastAttemptMs }))
    .sort((a, b) => b.lastAttemptMs - a.lastAttemptMs);
}

/**
 * The SRE's landing page: every rule of now-signals.ts over every function and account pool,
 * most urgent first, plus collectors that are failing (a blind spot is also "wrong now").
 * Used by `/` and /api/v1/overview alike.
 */
export async function getOverviewView(deps: OverviewViewDeps, input: { nowMs: number }): Promise<OverviewView> {
  const endMs = floorToMinuteMs(input.nowMs);
  const recent = { fromMs: endMs - RECENT_WINDOW_MS, toMs: endMs };
  const baseline = { fromMs: recent.fromMs - BASELINE_WINDOW_MS, toMs: recent.fromMs };
  const hourEndMs = floorToHourMs(input.nowMs);
  const coldStartHour = { fromMs: hourEndMs - HOUR_MS, toMs: hourEndMs };
  const [functions, watermarks, accounts] = await Promise.all([readFunctionList(deps.functions, input.nowMs), deps.watermarks.list(), deps.functions.listAccountConcurrency()]);
  // One Query of each kind per function: reused for a minute (read-cache.ts), keyed by the
  // windows (all derived from the minute) and every function with the setting a rule reads.
  const checkedKey = `overview|${recent.fromMs}|${recent.toMs}|${baseline.fromMs}|${coldStartHour.fromMs}|${functions.map((f) => `${functionRefKey(f)}:${f.reservedConcurrency ?? ""}`).join(",")}`;
  const perFunction = await readThrough(deps.series, checkedKey, () => mapWithConcurrency(functions, 8, (fn) => checkFunction(deps, fn, { recent, baseline, coldStartHour })), input.nowMs);
  const fleet = sumCounts(perFunction.map((f) => f.recent));
  const perAccount = await mapWithConcurrency(accounts, 4, async (account) => {
    const claimed = await deps.series.readSeries(account, { kind: "region" }, REGION_KEYS, recent, "minute");
    return detectConcurrencyNearLimit(
      { accountId: account.accountId, region: account.region, functionName: null },
      peak(claimed["ClaimedAccountConcurrency:Maximum"]),
      account.concurrentExecutionsLimit,
      "account-concurrency-near-limit",
    );
  });
  const alertingSlos = await readAlertingSlos(deps.slos, functions);
  const scopes = new Set(functions.map((f) => `${f.accountId}#${f.region}`));
  return {
    asOfMs: input.nowMs,
    recent,
    baseline,
    coldStartHour,
    signals: rankSignals([...alertingSlos.map(sloBurningSignal), ...perFunction.flatMap((f) => f.signals), ...perAccount.filter((s): s is Signal => s !== null)]),
    checked: { functions: functions.length, scopes: scopes.size },
    fleet: {
      invocationsPerMinute: fleet.invocations / (RECENT_WINDOW_MS / MINUTE_MS),
      errorRatio: fleet.invocations > 0 ? fleet.errors / fleet.invocations : null,
      throttles: fleet.throttles,
    },
    failingCollectors: failingCollectorsOf(watermarks),
    collection: summarizeCollectionStatus(watermarks, input.nowMs),
  };
}
