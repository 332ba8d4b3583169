import { CountAccumulator, DurationAccumulator, GaugeAccumulator, gaugeMinimum, type MinuteDurationInput, type Statistic } from "./metric-stats";
import { revisionAt, type FunctionSpec } from "./fleet";
import { MinuteSeriesCache, type MinuteSeries, type SimModel } from "./minute-stats";
import { MINUTES_PER_DAY, firstUnpublishedMinute, toEpochMinute } from "./time";

/**
 * Answers CloudWatch metric queries for the `AWS/Lambda` namespace from the model, the way
 * CloudWatch buckets data:
 * - buckets start at StartTime rounded down (to the minute; to 5 minutes beyond 15 days of
 *   age; to the hour beyond 63 days) and step by Period while the bucket start < EndTime;
 * - a bucket's value depends only on its start and Period (never on EndTime), and only covers
 *   minutes already published (see `firstUnpublishedMinute`): the newest bucket may be partial;
 * - retention: 1-minute data for 15 days, 5-minute for 63 days, 1-hour for 455 days;
 * - unknown metrics, functions or dimension sets simply have no datapoints.
 */

export interface Dimension {
  name: string;
  value: string;
}

export interface MetricQuerySpec {
  namespace: string;
  metricName: string;
  dimensions: readonly Dimension[];
  /** A positive multiple of 60. */
  periodSeconds: number;
  statistic: Statistic;
}

/** Datapoints of one query, oldest first. Timestamps are epoch seconds. */
export interface MetricSeriesResult {
  timestampsSec: number[];
  values: number[];
}

export const LAMBDA_NAMESPACE = "AWS/Lambda";

const DAY = MINUTES_PER_DAY;
const RETENTION_1_MIN_DAYS = 15;
const RETENTION_5_MIN_DAYS = 63;
const RETENTION_1_HOUR_DAYS = 455;

type Target = { kind: "function"; name: string } | { kind: "account" };

type MinuteFeeder = (cache: MinuteSeriesCache, minute: number) => void;

interface Runner {
  periodMinutes: number;
  bucketCount: number;
  feed: MinuteFeeder | undefined;
  value: () => number | undefined;
  reset: () => void;
  result: MetricSeriesResult;
  currentBucket: number;
  currentAllowed: boolean;
}

/**
 * Evaluates metric queries over [startSec, endSec) as seen at `nowMs`.
 * @returns one series per query, in query order, timestamps ascending.
 */
export function evaluateMetricQueries(
  model: SimModel,
  queries: readonly MetricQuerySpec[],
  window: { startSec: number; endSec: number },
  nowMs: number,
  region: string = model.fleet.region,
): MetricSeriesResult[] {
  const nowMinute = toEpochMinute(nowMs);
  const published = firstUnpublishedMinute(nowMs);
  const firstMinute = alignStartMinute(Math.floor(window.startSec / 60), nowMinute);

  const runners: Runner[] = queries.map((query) => {
    const periodMinutes = query.periodSeconds / 60;
    const bucketCount = Math.max(0, Math.ceil((window.endSec / 60 - firstMinute) / periodMinutes));
    const { feed, value, reset } = buildFeeder(model, query, region);
    return { periodMinutes, bucketCount, feed, value, reset, result: { timestampsSec: [], values: [] }, currentBucket: -1, currentAllowed: false };
  });

  const endMinute = Math.min(
    published,
    Math.max(firstMinute, ...runners.map((runner) => (runner.feed === undefined ? firstMinute : firstMinute + runner.bucketCount * runner.periodMinutes))),
  );

  // Walk the range one UTC day at a time so memory stays bounded whatever the window.
  for (let chunkStart = Math.floor(firstMinute / DAY) * DAY; chunkStart < endMinute; chunkStart += DAY) {
    const from = Math.max(chunkStart, firstMinute);
    const to = Math.min(chunkStart + DAY, endMinute);
    const cache = new MinuteSeriesCache(model, from, to - from);
    for (const runner of runners) {
      if (runner.feed === undefined) continue;
      const runnerEnd = Math.min(to, firstMinute + runner.bucketCount * runner.periodMinutes);
      for (let minute = from; minute < runnerEnd; minute++) {
        const bucket = Math.floor((minute - firstMinute) / runner.periodMinutes);
        if (bucket !== runner.currentBucket) {
          flush(runner, firstMinute);
          runner.currentBucket = bucket;
          runner.currentAllowed = isRetained(firstMinute + bucket * runner.periodMinutes, runner.periodMinutes, nowMinute);
        }
        if (runner.currentAllowed) runner.feed(cache, minute);
      }
    }
  }
  for (const runner of runners) flush(runner, firstMinute);
  return runners.map((runner) => runner.result);
}

function flush(runner: Runner, firstMinute: number): void {
  if (runner.currentBucket < 0) return;
  if (runner.currentAllowed) {
    const value = runner.value();
    if (value !== undefined) {
      runner.result.timestampsSec.push((firstMinute + runner.currentBucket * runner.periodMinutes) * 60);
      runner.result.values.push(value);
    }
  }
  runner.reset();
  runner.currentBucket = -1;
}

/** CloudWatch rounds StartTime down to a coarser boundary the older it is. */
function alignStartMinute(startMinute: number, nowMinute: number): number {
  const ageMinutes = nowMinute - startMinute;
  if (ageMinutes > RETENTION_5_MIN_DAYS * DAY) return Math.floor(startMinute / 60) * 60;
  if (ageMinutes > RETENTION_1_MIN_DAYS * DAY) return Math.floor(startMinute / 5) * 5;
  return startMinute;
}

/** Whether data for a bucket starting at `bucketMinute` with this period is still retained. */
function isRetained(bucketMinute: number, periodMinutes: number, nowMinute: number): boolean {
  const ageMinutes = nowMinute - bucketMinute;
  if (ageMinutes > RETENTION_1_HOUR_DAYS * DAY) return false;
  if (ageMinutes > RETENTION_5_MIN_DAYS * DAY) return periodMinutes % 60 === 0;
  if (ageMinutes > RETENTION_1_MIN_DAYS * DAY) return periodMinutes % 5 === 0;
  return true;
}

/**
 * Resolves the dimensions to a function (of the request's region) or the whole region. A
 * function with aliases is invoked through its first alias, so `Resource` = `<name>:<alias>`
 * carries all its traffic; a function without aliases is invoked unqualified (`Resource` =
 * `<name>`).
 */
function resolveTarget(model: SimModel, dimensions: readonly Dimension[], region: string): Target | undefined {
  if (dimensions.length === 0) return { kind: "account" };
  const functionName = dimensions.find((d) => d.name === "FunctionName")?.value;
  const resource = dimensions.find((d) => d.name === "Resource")?.value;
  const known = (functionName === undefined ? 0 : 1) + (resource === undefined ? 0 : 1);
  if (functionName === undefined || known !== dimensions.length) return undefined;
  const fn = model.fleet.byName.get(functionName);
  if (fn === undefined || fn.region !== region) return undefined;
  if (resource !== undefined && resource !== invokedResource(fn)) return undefined;
  return { kind: "function", name: functionName };
}

/** The `Resource` dimension value traffic is published under. */
export function invokedResource(fn: FunctionSpec): string {
  return fn.aliases[0] === undefined ? fn.name : `${fn.name}:${fn.aliases[0].name}`;
}

/** Metrics published per function (dimension FunctionName, and FunctionName + Resource). */
export const FUNCTION_METRICS = ["Invocations", "Errors", "Throttles", "Duration", "ConcurrentExecutions"] as const;
/** Published only where provisioned concurrency is configured. */
export const PROVISIONED_METRICS = [
  "ProvisionedConcurrentExecutions",
  "ProvisionedConcurrencyUtilization",
  "ProvisionedConcurrencyInvocations",
  "ProvisionedConcurrencySpilloverInvocations",
] as const;
/** Published for the whole region (no dimensions). */
export const ACCOUNT_METRICS = [
  "Invocations",
  "Errors",
  "Throttles",
  "Duration",
  "ConcurrentExecutions",
  "UnreservedConcurrentExecutions",
  "ClaimedAccountConcurrency",
] as const;

interface Feeder {
  feed: MinuteFeeder | undefined;
  value: () => number | undefined;
  reset: () => void;
}

const NO_DATA: Feeder = { feed: undefined, value: () => undefined, reset: () => undefined };

function buildFeeder(model: SimModel, query: MetricQuerySpec, region: string): Feeder {
  if (query.namespace !== LAMBDA_NAMESPACE) return NO_DATA;
  const target = resolveTarget(model, query.dimensions, region);
  if (target === undefined) return NO_DATA;
  // Resolved once per chunk: the feeders run once per minute and must not allocate.
  let seriesCache: MinuteSeriesCache | undefined;
  let seriesList: MinuteSeries[] = [];
  const seriesOf = (cache: MinuteSeriesCache): MinuteSeries[] => {
    if (cache !== seriesCache) {
      seriesCache = cache;
      const names = target.kind === "function"
        ? [target.name]
        : model.fleet.functions.filter((fn) => fn.region === region).map((fn) => fn.name);
      seriesList = names.map((name) => cache.series(name)).filter((s): s is MinuteSeries => s !== undefined);
    }
    return seriesList;
  };
  const { statistic } = query;

  switch (query.metricName) {
    case "Invocations":
    case "Errors":
    case "Throttles": {
      const accumulator = new CountAccumulator();
      const metric = query.metricName;
      return {
        feed: (cache, minute) => {
          for (const s of seriesOf(cache)) {
            const i = minute - s.fromMinute;
            const invocations = s.invocations[i] ?? 0;
            if (metric === "Invocations") accumulator.add(invocations, invocations);
            else if (metric === "Errors") accumulator.add(s.errors[i] ?? 0, invocations);
            else accumulator.add(s.throttles[i] ?? 0, s.demand[i] ?? 0);
          }
        },
        value: () => accumulator.value(statistic),
        reset: () => accumulator.reset(),
      };
    }
    case "Duration": {
      const accumulator = new DurationAccumulator();
      const keepComponents = statistic.kind === "percentile";
      const input: MinuteDurationInput = { count: 0, logMedian: 0, sigma: 1, timeoutMs: 1, minMs: 0, maxMs: 0, averageMs: 0 };
      return {
        feed: (cache, minute) => {
          for (const s of seriesOf(cache)) {
            const i = minute - s.fromMinute;
            input.count = s.invocations[i] ?? 0;
            if (input.count === 0) continue;
            input.logMedian = s.durationLogMedian[i] ?? 0;
            input.sigma = s.durationSigma[i] ?? 1;
            input.timeoutMs = s.timeoutMs[i] ?? 1;
            input.minMs = s.durationMinMs[i] ?? 0;
            input.maxMs = s.durationMaxMs[i] ?? 0;
            input.averageMs = s.durationAverageMs[i] ?? 0;
            accumulator.add(input, keepComponents);
          }
        },
        value: () => accumulator.value(statistic),
        reset: () => accumulator.reset(),
      };
    }
    case "ConcurrentExecutions":
    case "UnreservedConcurrentExecutions": {
      if (statistic.kind === "percentile") return NO_DATA;
      // UnreservedConcurrentExecutions exists only account-wide, over functions without reserved concurrency.
      const unreservedOnly = query.metricName === "UnreservedConcurrentExecutions";
      if (unreservedOnly && target.kind !== "account") return NO_DATA;
      const accumulator = new GaugeAccumulator();
      const limit = model.fleet.concurrentExecutionsLimit;
      return {
        feed: (cache, minute) => {
          if (target.kind === "function") {
            const s = cache.series(target.name);
            const i = minute - (s?.fromMinute ?? 0);
            if (s === undefined || (s.invocations[i] ?? 0) === 0) return;
            const average = s.concurrencyAverage[i] ?? 0;
            accumulator.add(average, s.concurrencyMaximum[i] ?? 0, gaugeMinimum(average));
            return;
          }
          // Account-wide peaks do not add up (functions peak at different seconds): the peak
          // is the larger of the busiest function's peak and mean + 3 √mean of the total.
          let average = 0;
          let busiest = 0;
          for (const s of seriesOf(cache)) {
            if (unreservedOnly && revisionAt(s.fn, minute).reservedConcurrency !== undefined) continue;
            const i = minute - s.fromMinute;
            average += s.concurrencyAverage[i] ?? 0;
            busiest = Math.max(busiest, s.concurrencyMaximum[i] ?? 0);
          }
          if (average === 0 && busiest === 0) return;
          const peak = Math.min(limit, Math.max(busiest, Math.ceil(average + 3 * Math.sqrt(average))));
          accumulator.add(average, peak, gaugeMinimum(average));
        },
        value: () => accumulator.value(statistic),
        reset: () => accumulator.reset(),
      };
    }
    case "ProvisionedConcurrencyInvocations":
    case "ProvisionedConcurrencySpilloverInvocations": {
      if (target.kind !== "function") return NO_DATA;
      const accumulator = new CountAccumulator();
      const spillover = query.metricName === "ProvisionedConcurrencySpilloverInvocations";
      return {
        feed: (cache, minute) => {
          const s = cache.series(target.name);
          if (s === undefined) return;
          const i = minute - s.fromMinute;
          // Published only while provisioned concurrency serves the function.
          if ((s.provisionedReady[i] ?? 0) <= 0 || (s.invocations[i] ?? 0) === 0) return;
          // Like Errors: one 0/1 sample per invocation of the alias, so Sum counts and Average is a share.
          const count = spillover ? (s.spilloverInvocations[i] ?? 0) : (s.provisionedInvocations[i] ?? 0);
          accumulator.add(count, s.invocations[i] ?? 0);
        },
        value: () => accumulator.value(statistic),
        reset: () => accumulator.reset(),
      };
    }
    case "ProvisionedConcurrentExecutions":
    case "ProvisionedConcurrencyUtilization": {
      if (target.kind !== "function" || statistic.kind === "percentile") return NO_DATA;
      const accumulator = new GaugeAccumulator();
      const utilization = query.metricName === "ProvisionedConcurrencyUtilization";
      return {
        feed: (cache, minute) => {
          const s = cache.series(target.name);
          if (s === undefined) return;
          const i = minute - s.fromMinute;
          const ready = s.provisionedReady[i] ?? 0;
          if (ready <= 0) return;
          // Busy provisioned environments: the concurrency they absorb, at most all of them.
          const average = Math.min(ready, s.concurrencyAverage[i] ?? 0);
          const peak = Math.min(ready, s.concurrencyMaximum[i] ?? 0);
          const trough = Math.min(ready, gaugeMinimum(s.concurrencyAverage[i] ?? 0));
          if (utilization) accumulator.add(average / ready, peak / ready, trough / ready);
          else accumulator.add(average, peak, trough);
        },
        value: () => accumulator.value(statistic),
        reset: () => accumulator.reset(),
      };
    }
    case "ClaimedAccountConcurrency": {
      if (target.kind !== "account" || statistic.kind === "percentile") return NO_DATA;
      const accumulator = new GaugeAccumulator();
      return {
        feed: (cache, minute) => {
          // Concurrency on-demand invocations cannot use: reserved concurrency (whole), and for
          // the other functions their provisioned concurrency and what they run beyond it.
          let average = 0;
          let peak = 0;
          for (const s of seriesOf(cache)) {
            const i = minute - s.fromMinute;
            const reserved = revisionAt(s.fn, minute).reservedConcurrency;
            if (reserved !== undefined) {
              average += reserved;
              peak += reserved;
              continue;
            }
            const billed = s.provisionedBilled[i] ?? 0;
            average += Math.max(billed, s.concurrencyAverage[i] ?? 0);
            peak += Math.max(billed, s.concurrencyMaximum[i] ?? 0);
          }
          const limit = model.fleet.concurrentExecutionsLimit;
          accumulator.add(Math.min(limit, average), Math.min(limit, peak), Math.min(limit, Math.floor(average)));
        },
        value: () => accumulator.value(statistic),
        reset: () => accumulator.reset(),
      };
    }
    default:
      return NO_DATA;
  }
}
