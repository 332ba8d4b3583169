import type { Scenario } from "../scenario-schema";
import { binomialFromUniform, normalInverseCdf, poissonFromUniform, stochasticRound } from "./distributions";
import { effectAt, eventEffectAt, eventWindows } from "./events";
import { buildFleet, type Fleet, type FleetEvent, type FunctionSpec } from "./fleet";
import { RandomStream, hashInts3, uniformFromKey } from "./random";
import { minuteDuration } from "./metric-stats";
import { trafficShapeFactor } from "./traffic-shape";

/**
 * The traffic model, evaluated one minute at a time. Nothing is materialised per invocation:
 * each minute's counts are drawn from distributions whose parameters come from the scenario,
 * with randomness keyed by (seed, function, minute), so any minute can be computed alone.
 */

/** Log-scale jitter of the per-minute median duration (≈ ±4 % minute to minute). */
const DURATION_JITTER_SIGMA = 0.04;
/** Peak concurrency within a minute ≈ mean + 3 √mean (Poisson-like burstiness). */
const CONCURRENCY_BURST_Z = 3;

/** The model for one scenario and seed. */
export interface SimModel {
  fleet: Fleet;
  seed: number;
  /** Events that target each function, in scenario order. */
  eventsByFunction: ReadonlyMap<string, readonly FleetEvent[]>;
}

/** Builds the model for a scenario; `seed` overrides the scenario's own seed. */
export function createSimModel(scenario: Scenario, seed: number = scenario.seed): SimModel {
  const fleet = buildFleet(scenario);
  const eventsByFunction = new Map<string, FleetEvent[]>();
  for (const fn of fleet.functions) {
    eventsByFunction.set(fn.name, fleet.events.filter((event) => event.functionNames.has(fn.name)));
  }
  return { fleet, seed: seed >>> 0, eventsByFunction };
}

/**
 * Per-minute statistics of one function over a contiguous range of epoch minutes, as columns
 * (index i = minute fromMinute + i). Counts are integers.
 */
export interface MinuteSeries {
  fn: FunctionSpec;
  fromMinute: number;
  length: number;
  /** Requests that arrived (served + throttled). */
  demand: Float64Array;
  invocations: Float64Array;
  errors: Float64Array;
  throttles: Float64Array;
  /** ln(median duration in ms) of the minute (jittered, event-adjusted). */
  durationLogMedian: Float64Array;
  /** Fastest, slowest and mean invocation of the minute in ms (see `orderStatisticQuantiles`). */
  durationMinMs: Float64Array;
  durationMaxMs: Float64Array;
  durationAverageMs: Float64Array;
  /** Mean concurrent executions over the minute (Little's law: rate × mean duration). */
  concurrencyAverage: Float64Array;
  /** Peak concurrent executions in the minute (integer, 0 without invocations). */
  concurrencyMaximum: Float64Array;
}

/** Expected arrival rate (requests per second) of a function at the start of `epochMinute`, before noise and throttling. */
export function expectedRatePerSecond(model: SimModel, name: string, epochMinute: number): number {
  const fn = model.fleet.byName.get(name);
  if (fn === undefined) return 0;
  const effect = eventEffectAt(model.eventsByFunction.get(name) ?? [], epochMinute, model.seed);
  if (fn.traffic.kind === "rate") {
    return fn.traffic.meanRatePerSecond * trafficShapeFactor(epochMinute, fn.traffic.shape) * effect.rateMultiplier;
  }
  const upstream = model.fleet.byName.get(fn.traffic.upstream);
  const upstreamSuccess = upstream === undefined ? 0 : 1 - upstream.errorBaselineRatio;
  return expectedRatePerSecond(model, fn.traffic.upstream, epochMinute) * upstreamSuccess * fn.traffic.ratio * effect.rateMultiplier;
}

/**
 * Computes minute series for functions over one range, memoising per function so followers
 * reuse their upstream's series. Create one per range (e.g. one per day of a query).
 */
export class MinuteSeriesCache {
  private readonly cache = new Map<string, MinuteSeries>();

  constructor(
    private readonly model: SimModel,
    readonly fromMinute: number,
    readonly length: number,
  ) {}

  /** Series of the named function, or undefined if the scenario has no such function. */
  series(name: string): MinuteSeries | undefined {
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached;
    const fn = this.model.fleet.byName.get(name);
    if (fn === undefined) return undefined;
    const upstream = fn.traffic.kind === "follows" ? this.series(fn.traffic.upstream) : undefined;
    const computed = computeMinuteSeries(this.model, fn, this.fromMinute, this.length, upstream);
    this.cache.set(name, computed);
    return computed;
  }
}

/** Concurrency limit a function runs under: its reserved concurrency, else the unreserved pool. */
export function concurrencyLimit(model: SimModel, fn: FunctionSpec): number {
  return fn.reservedConcurrency ?? model.fleet.unreservedConcurrencyLimit;
}

/**
 * Quantiles of the smallest and largest of `count` independent durations, drawn from their
 * exact distributions (the maximum of n uniforms is u^(1/n)), so sparse functions get real
 * outliers instead of a median. One invocation is both the minimum and the maximum.
 */
export function orderStatisticQuantiles(count: number, uMin: number, uMax: number): { min: number; max: number } {
  if (count <= 0) return { min: 0.5, max: 0.5 };
  if (count === 1) return { min: uMax, max: uMax };
  const max = uMax ** (1 / count);
  const min = 1 - uMin ** (1 / count);
  return min <= max ? { min, max } : { min: max, max: min };
}

function computeMinuteSeries(
  model: SimModel,
  fn: FunctionSpec,
  fromMinute: number,
  length: number,
  upstream: MinuteSeries | undefined,
): MinuteSeries {
  const series: MinuteSeries = {
    fn,
    fromMinute,
    length,
    demand: new Float64Array(length),
    invocations: new Float64Array(length),
    errors: new Float64Array(length),
    throttles: new Float64Array(length),
    durationLogMedian: new Float64Array(length),
    durationMinMs: new Float64Array(length),
    durationMaxMs: new Float64Array(length),
    durationAverageMs: new Float64Array(length),
    concurrencyAverage: new Float64Array(length),
    concurrencyMaximum: new Float64Array(length),
  };
  const { seed } = model;
  const windows = eventWindows(model.eventsByFunction.get(fn.name) ?? [], fromMinute, fromMinute + length, seed);
  const limit = concurrencyLimit(model, fn);
  const timeoutMs = fn.timeoutSeconds * 1000;
  const logMedianBase = Math.log(fn.durationMedianMs);
  const halfVariance = (fn.durationSigma * fn.durationSigma) / 2;

  for (let i = 0; i < length; i++) {
    const minute = fromMinute + i;
    const key = hashInts3(seed, fn.nameHash, minute);
    const effect = effectAt(windows, minute);

    let demand: number;
    if (fn.traffic.kind === "rate") {
      const ratePerSecond = fn.traffic.meanRatePerSecond * trafficShapeFactor(minute, fn.traffic.shape) * effect.rateMultiplier;
      demand = poissonFromUniform(ratePerSecond * 60, uniformFromKey(key, RandomStream.arrivals));
    } else {
      // Followers run once per successful upstream invocation (times the ratio), so the
      // downstream count can never drift from what the upstream actually did.
      const upstreamSuccesses = upstream === undefined ? 0 : (upstream.invocations[i] ?? 0) - (upstream.errors[i] ?? 0);
      demand = stochasticRound(
        upstreamSuccesses * fn.traffic.ratio * effect.rateMultiplier,
        uniformFromKey(key, RandomStream.followRounding),
      );
    }

    const jitter = DURATION_JITTER_SIGMA * normalInverseCdf(uniformFromKey(key, RandomStream.durationJitter));
    const logMedian = logMedianBase + Math.log(effect.durationMultiplier) + jitter;
    const meanDurationMs = Math.min(timeoutMs, Math.exp(logMedian + halfVariance));

    // Concurrency demand by Little's law; a minute's peak is mean + 3 √mean. Requests beyond
    // the limit at the peak are throttled in proportion to the overshoot.
    const demandConcurrency = (demand / 60) * (meanDurationMs / 1000);
    const peakConcurrency = demandConcurrency > 0 ? demandConcurrency + CONCURRENCY_BURST_Z * Math.sqrt(demandConcurrency) : 0;
    const throttledRatio = peakConcurrency > limit ? (peakConcurrency - limit) / peakConcurrency : 0;
    const throttles = Math.round(demand * throttledRatio);
    const invocations = demand - throttles;

    const errorRatio = effect.errorRatio ?? fn.errorBaselineRatio;
    const errors = binomialFromUniform(invocations, errorRatio, uniformFromKey(key, RandomStream.errors));

    series.demand[i] = demand;
    series.invocations[i] = invocations;
    series.errors[i] = errors;
    series.throttles[i] = throttles;
    series.durationLogMedian[i] = logMedian;
    if (invocations > 0) {
      const extremes = orderStatisticQuantiles(
        invocations,
        uniformFromKey(key, RandomStream.durationMinimum),
        uniformFromKey(key, RandomStream.durationMaximum),
      );
      const duration = minuteDuration(logMedian, fn.durationSigma, timeoutMs, extremes.min, extremes.max);
      series.durationMinMs[i] = duration.minMs;
      series.durationMaxMs[i] = duration.maxMs;
      series.durationAverageMs[i] = duration.averageMs;
    }
    series.concurrencyAverage[i] = (invocations / 60) * (meanDurationMs / 1000);
    series.concurrencyMaximum[i] = invocations > 0 ? Math.min(limit, Math.max(1, Math.ceil(peakConcurrency))) : 0;
  }
  return series;
}
