import type { Scenario, TrafficShape } from "../scenario-schema";
import { Z_P99, binomialFromUniform, normalCdf, normalInverseCdf, poissonFromUniform, stochasticRound } from "./distributions";
import { effectAt, eventEffectAt, eventWindows } from "./events";
import {
  buildFleet,
  invokedQualifier,
  medianDurationMs,
  medianInitMs,
  provisionedBilled,
  provisionedReady,
  revisionAt,
  unreservedPoolAt,
  type Fleet,
  type ConfigRevision,
  type FleetEvent,
  type FunctionSpec,
} from "./fleet";
import { RandomStream, hashInts3, uniformFromKey } from "./random";
import { MINUTES_PER_DAY } from "./time";
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
  /** Minutes of history a series needs before its range to know the warm pool. */
  lookbackMinutes: number;
}

/** Options of `createSimModel`. */
export interface SimModelOptions {
  /** Overrides the scenario's own seed. */
  seed?: number;
  /** Epoch day relative schedules (`daysAgo`) count back from; default today (UTC). */
  anchorDay?: number;
}

/** Builds the model for a scenario; `seed` overrides the scenario's own seed. */
export function createSimModel(scenario: Scenario, seedOrOptions: number | SimModelOptions = {}): SimModel {
  const options = typeof seedOrOptions === "number" ? { seed: seedOrOptions } : seedOrOptions;
  const anchorDay = options.anchorDay ?? Math.floor(Date.now() / (MINUTES_PER_DAY * 60_000));
  const fleet = buildFleet(scenario, { anchorDay });
  const eventsByFunction = new Map<string, FleetEvent[]>();
  for (const fn of fleet.functions) {
    eventsByFunction.set(fn.name, fleet.events.filter((event) => event.functionNames.has(fn.name)));
  }
  const lookbackMinutes = Math.max(1, ...fleet.functions.map((fn) => fn.idleReapMinutes));
  return { fleet, seed: (options.seed ?? scenario.seed) >>> 0, eventsByFunction, lookbackMinutes };
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
  /** All failed invocations: function errors + timeouts + out-of-memory kills. */
  errors: Float64Array;
  /** Invocations killed at the timeout (part of `errors`). */
  timeouts: Float64Array;
  /** Invocations killed for exceeding the configured memory (part of `errors`). */
  oomErrors: Float64Array;
  throttles: Float64Array;
  /** ln(median duration in ms) of the minute (jittered, configuration- and event-adjusted). */
  durationLogMedian: Float64Array;
  /** Lognormal shape of the minute's durations. */
  durationSigma: Float64Array;
  /** Fastest, slowest and mean invocation of the minute in ms (see `orderStatisticQuantiles`). */
  durationMinMs: Float64Array;
  durationMaxMs: Float64Array;
  durationAverageMs: Float64Array;
  /** Configured timeout in ms. */
  timeoutMs: Float64Array;
  /** Mean concurrent executions over the minute (Little's law: rate × mean duration). */
  concurrencyAverage: Float64Array;
  /** Peak concurrent executions in the minute (integer, 0 without invocations). */
  concurrencyMaximum: Float64Array;
  /** Invocations that ran an INIT phase (a new on-demand execution environment). */
  coldStarts: Float64Array;
  /** ln(median init duration in ms); init durations are lognormal with `fn.initSigma`. */
  initLogMedian: Float64Array;
  /** Configured memory (MB) and architecture (0 = x86_64, 1 = arm64) in effect. */
  memoryMb: Float64Array;
  architecture: Uint8Array;
  /** Provisioned executions ready on the invoked qualifier (they serve invocations warm). */
  provisionedReady: Float64Array;
  /** Provisioned executions billed on all qualifiers (requested, ready or not). */
  provisionedBilled: Float64Array;
  /** Invocations served by provisioned concurrency, and those that spilled over to on-demand. */
  provisionedInvocations: Float64Array;
  spilloverInvocations: Float64Array;
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
 * Internally each series starts `model.lookbackMinutes` earlier, so the warm pool (and so the
 * cold starts) of the first minutes is the same whatever range a minute is computed in.
 */
export class MinuteSeriesCache {
  private readonly extended = new Map<string, MinuteSeries>();
  private readonly views = new Map<string, MinuteSeries>();
  /** Traffic-shape factors per distinct shape over the extended range (most functions share one). */
  private readonly shapeFactors = new Map<string, Float64Array>();

  constructor(
    private readonly model: SimModel,
    readonly fromMinute: number,
    readonly length: number,
  ) {}

  /** Series of the named function, or undefined if the scenario has no such function. */
  series(name: string): MinuteSeries | undefined {
    const cached = this.views.get(name);
    if (cached !== undefined) return cached;
    const full = this.extendedSeries(name);
    if (full === undefined) return undefined;
    const view = sliceSeries(full, this.model.lookbackMinutes, this.length);
    this.views.set(name, view);
    return view;
  }

  private shapeFactorsFor(shape: TrafficShape, fromMinute: number, length: number): Float64Array {
    const key = `${shape.troughHourUtc}|${shape.peakHourUtc}|${shape.peakToTroughRatio}|${shape.weekendFactor}`;
    let factors = this.shapeFactors.get(key);
    if (factors === undefined) {
      factors = new Float64Array(length);
      for (let i = 0; i < length; i++) factors[i] = trafficShapeFactor(fromMinute + i, shape);
      this.shapeFactors.set(key, factors);
    }
    return factors;
  }

  private extendedSeries(name: string): MinuteSeries | undefined {
    const cached = this.extended.get(name);
    if (cached !== undefined) return cached;
    const fn = this.model.fleet.byName.get(name);
    if (fn === undefined) return undefined;
    const upstream = fn.traffic.kind === "follows" ? this.extendedSeries(fn.traffic.upstream) : undefined;
    const lookback = this.model.lookbackMinutes;
    const shape = fn.traffic.kind === "rate" ? this.shapeFactorsFor(fn.traffic.shape, this.fromMinute - lookback, this.length + lookback) : undefined;
    const computed = computeMinuteSeries(this.model, fn, this.fromMinute - lookback, this.length + lookback, upstream, shape);
    this.extended.set(name, computed);
    return computed;
  }
}

const SERIES_COLUMNS = [
  "demand", "invocations", "errors", "timeouts", "oomErrors", "throttles", "durationLogMedian", "durationSigma",
  "durationMinMs", "durationMaxMs", "durationAverageMs", "timeoutMs", "concurrencyAverage", "concurrencyMaximum",
  "coldStarts", "initLogMedian", "memoryMb", "architecture", "provisionedReady", "provisionedBilled",
  "provisionedInvocations", "spilloverInvocations",
] as const satisfies readonly (keyof MinuteSeries)[];

/** A view of `length` minutes starting `offset` minutes into `series` (no copy). */
function sliceSeries(series: MinuteSeries, offset: number, length: number): MinuteSeries {
  const view = { fn: series.fn, fromMinute: series.fromMinute + offset, length } as MinuteSeries;
  for (const column of SERIES_COLUMNS) {
    (view as unknown as Record<string, Float64Array | Uint8Array>)[column] = series[column].subarray(offset, offset + length);
  }
  return view;
}

/** Concurrency limit a function runs under at a revision: its reserved concurrency, else the unreserved pool. */
export function concurrencyLimit(model: SimModel, fn: FunctionSpec, epochMinute = Number.POSITIVE_INFINITY): number {
  const minute = Number.isFinite(epochMinute) ? epochMinute : Number.MAX_SAFE_INTEGER;
  return revisionAt(fn, minute).reservedConcurrency ?? unreservedPoolAt(model.fleet, fn.region, minute);
}

/**
 * Quantiles of the smallest and largest of `count` independent durations, drawn from their
 * exact distributions (the maximum of n uniforms is u^(1/n)), so sparse functions get real
 * outliers instead of a median. One invocation is both the minimum and the maximum. Writes
 * into `out` (and returns it), so the per-minute loop can reuse one object.
 */
export function orderStatisticQuantiles(
  count: number,
  uMin: number,
  uMax: number,
  out: { min: number; max: number } = { min: 0, max: 0 },
): { min: number; max: number } {
  if (count <= 0) {
    out.min = 0.5;
    out.max = 0.5;
  } else if (count === 1) {
    out.min = uMax;
    out.max = uMax;
  } else {
    const max = uMax ** (1 / count);
    const min = 1 - uMin ** (1 / count);
    out.min = Math.min(min, max);
    out.max = Math.max(min, max);
  }
  return out;
}

/** E[max(0, C − capacity)] / E[C] for C ~ Normal(mean, √mean): the share of work above capacity. */
export function overflowRatio(meanConcurrency: number, capacity: number): number {
  if (meanConcurrency <= 0) return 0;
  if (capacity <= 0) return 1;
  const sd = Math.sqrt(meanConcurrency);
  const z = (capacity - meanConcurrency) / sd;
  const density = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
  const excess = sd * density + (meanConcurrency - capacity) * (1 - normalCdf(z));
  return Math.min(1, Math.max(0, excess / meanConcurrency));
}

/** Share of invocations whose memory use exceeds `memoryMb` (Max Memory Used is normal(median, sd)). */
export function outOfMemoryRatio(fn: FunctionSpec, memoryMb: number): number {
  if (fn.memoryUsedSdMb <= 0) return memoryMb < fn.memoryUsedMedianMb ? 1 : 0;
  const z = (memoryMb - fn.memoryUsedMedianMb) / fn.memoryUsedSdMb;
  return z > 8 ? 0 : 1 - normalCdf(z);
}

function computeMinuteSeries(
  model: SimModel,
  fn: FunctionSpec,
  fromMinute: number,
  length: number,
  upstream: MinuteSeries | undefined,
  shapeFactors?: Float64Array,
): MinuteSeries {
  const column = () => new Float64Array(length);
  const series: MinuteSeries = {
    fn,
    fromMinute,
    length,
    demand: column(),
    invocations: column(),
    errors: column(),
    timeouts: column(),
    oomErrors: column(),
    throttles: column(),
    durationLogMedian: column(),
    durationSigma: column(),
    durationMinMs: column(),
    durationMaxMs: column(),
    durationAverageMs: column(),
    timeoutMs: column(),
    concurrencyAverage: column(),
    concurrencyMaximum: column(),
    coldStarts: column(),
    initLogMedian: column(),
    memoryMb: column(),
    architecture: new Uint8Array(length),
    provisionedReady: column(),
    provisionedBilled: column(),
    provisionedInvocations: column(),
    spilloverInvocations: column(),
  };
  const { seed } = model;
  const windows = eventWindows(model.eventsByFunction.get(fn.name) ?? [], fromMinute, fromMinute + length, seed);
  const qualifier = invokedQualifier(fn);
  const onDemandPeak = new Float64Array(length);
  let revision = revisionAt(fn, fromMinute);
  let nextRevisionIndex = fn.revisions.indexOf(revision) + 1;
  // Per-revision constants, recomputed only when the revision changes.
  const extremes = { min: 0, max: 0 };
  let cachedRevision: ConfigRevision | undefined;
  let oomRatio = 0;
  let initLogMedian = 0;
  let baseLogMedian = 0;
  let baseSigma = 0;
  let logTimeout = 0;

  for (let i = 0; i < length; i++) {
    const minute = fromMinute + i;
    while (nextRevisionIndex < fn.revisions.length && fn.revisions[nextRevisionIndex]!.fromMinute <= minute) {
      revision = fn.revisions[nextRevisionIndex]!;
      nextRevisionIndex++;
    }
    const key = hashInts3(seed, fn.nameHash, minute);
    const effect = effectAt(windows, minute);
    const { memoryMb, architecture } = revision;
    const timeoutMs = revision.timeoutSeconds * 1000;
    const limit = revision.reservedConcurrency ?? unreservedPoolAt(model.fleet, fn.region, minute);

    let demand: number;
    if (minute < model.fleet.historyStartMinute) {
      demand = 0;
    } else if (fn.traffic.kind === "rate") {
      const shapeFactor = shapeFactors?.[i] ?? trafficShapeFactor(minute, fn.traffic.shape);
      const ratePerSecond = fn.traffic.meanRatePerSecond * shapeFactor * effect.rateMultiplier;
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

    if (revision !== cachedRevision) {
      cachedRevision = revision;
      oomRatio = outOfMemoryRatio(fn, memoryMb);
      initLogMedian = Math.log(medianInitMs(fn, memoryMb, architecture));
      baseLogMedian = Math.log(medianDurationMs(fn, memoryMb, architecture) * revision.durationMultiplier);
      baseSigma = fn.durationSigma + Math.log(revision.tailMultiplier) / Z_P99;
      logTimeout = Math.log(timeoutMs);
    }
    const jitter = DURATION_JITTER_SIGMA * normalInverseCdf(uniformFromKey(key, RandomStream.durationJitter));
    const logMedian = baseLogMedian + (effect.durationMultiplier === 1 ? 0 : Math.log(effect.durationMultiplier)) + jitter;
    const sigma = Math.max(0.01, effect.tailMultiplier === 1 ? baseSigma : baseSigma + Math.log(effect.tailMultiplier) / Z_P99);
    const meanDurationMs = Math.min(timeoutMs, Math.exp(logMedian + (sigma * sigma) / 2));

    // Concurrency demand by Little's law; a minute's peak is mean + 3 √mean. Requests beyond
    // the limit at the peak are throttled in proportion to the overshoot.
    const demandConcurrency = (demand / 60) * (meanDurationMs / 1000);
    const peakConcurrency = demandConcurrency > 0 ? demandConcurrency + CONCURRENCY_BURST_Z * Math.sqrt(demandConcurrency) : 0;
    const throttledRatio = peakConcurrency > limit ? (peakConcurrency - limit) / peakConcurrency : 0;
    const throttles = Math.round(demand * throttledRatio);
    const invocations = demand - throttles;
    const averageConcurrency = (invocations / 60) * (meanDurationMs / 1000);
    const maximumConcurrency = invocations > 0 ? Math.min(limit, Math.max(1, Math.ceil(peakConcurrency))) : 0;

    // Provisioned environments take invocations first; the rest spills over to on-demand.
    const ready = provisionedReady(revision, minute, qualifier);
    const spillover = ready <= 0
      ? invocations
      : Math.min(invocations, stochasticRound(invocations * overflowRatio(averageConcurrency, ready), uniformFromKey(key, RandomStream.spillover)));

    // Cold starts: on-demand environments beyond the warm pool (the busiest minute of the last
    // idleReapMinutes) are created now; busy environments are also recycled after their lifetime.
    const onDemand = spillover > 0 ? Math.max(1, maximumConcurrency - ready) : 0;
    onDemandPeak[i] = onDemand;
    let warm = 0;
    for (let back = 1; back <= fn.idleReapMinutes && i - back >= 0; back++) warm = Math.max(warm, onDemandPeak[i - back]!);
    const created = Math.max(0, onDemand - warm);
    const recycled = warm > 0 && onDemand > 0
      ? stochasticRound(Math.min(warm, onDemand) / fn.lifetimeMinutes, uniformFromKey(key, RandomStream.recycling))
      : 0;
    const coldStarts = Math.min(spillover, created + recycled);

    // Failures: out-of-memory kills, timeouts, then function errors among the rest.
    const oomErrors = oomRatio > 0 ? binomialFromUniform(invocations, oomRatio, uniformFromKey(key, RandomStream.outOfMemory)) : 0;
    // Beyond 8 standard deviations the timeout share is below 1e-15: skip the CDF.
    const timeoutZ = (logTimeout - logMedian) / sigma;
    const timeoutRatio = timeoutZ > 8 ? 0 : 1 - normalCdf(timeoutZ);
    const timeouts = timeoutRatio > 0 ? binomialFromUniform(invocations - oomErrors, timeoutRatio, uniformFromKey(key, RandomStream.timeouts)) : 0;
    const errorRatio = effect.errorRatio ?? revision.errorRatio ?? fn.errorBaselineRatio;
    const functionErrors = binomialFromUniform(invocations - oomErrors - timeouts, errorRatio, uniformFromKey(key, RandomStream.errors));

    series.demand[i] = demand;
    series.invocations[i] = invocations;
    series.errors[i] = oomErrors + timeouts + functionErrors;
    series.timeouts[i] = timeouts;
    series.oomErrors[i] = oomErrors;
    series.throttles[i] = throttles;
    series.durationLogMedian[i] = logMedian;
    series.durationSigma[i] = sigma;
    series.timeoutMs[i] = timeoutMs;
    if (invocations > 0) {
      orderStatisticQuantiles(
        invocations,
        uniformFromKey(key, RandomStream.durationMinimum),
        uniformFromKey(key, RandomStream.durationMaximum),
        extremes,
      );
      const qMin = extremes.min;
      const qMax = extremes.max;
      const minMs = Math.min(timeoutMs, Math.exp(logMedian + sigma * normalInverseCdf(qMin)));
      // An invocation that timed out ran for exactly the timeout: it is the minute's maximum.
      const maxMs = timeouts > 0 ? timeoutMs : Math.min(timeoutMs, Math.exp(logMedian + sigma * normalInverseCdf(qMax)));
      const averageMs = timeouts > 0 ? (meanDurationMs * (invocations - timeouts) + timeoutMs * timeouts) / invocations : meanDurationMs;
      series.durationMinMs[i] = minMs;
      series.durationMaxMs[i] = maxMs;
      series.durationAverageMs[i] = Math.min(maxMs, Math.max(minMs, averageMs));
    }
    series.concurrencyAverage[i] = averageConcurrency;
    series.concurrencyMaximum[i] = maximumConcurrency;
    series.coldStarts[i] = coldStarts;
    series.initLogMedian[i] = initLogMedian;
    series.memoryMb[i] = memoryMb;
    series.architecture[i] = architecture === "arm64" ? 1 : 0;
    series.provisionedReady[i] = ready;
    series.provisionedBilled[i] = provisionedBilled(revision, minute);
    series.provisionedInvocations[i] = invocations - spillover;
    series.spilloverInvocations[i] = ready > 0 ? spillover : 0;
  }
  return series;
}
