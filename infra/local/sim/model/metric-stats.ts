import { normalCdf, normalInverseCdf } from "./distributions";

/**
 * CloudWatch statistics over the model's per-minute numbers. Each metric has an accumulator
 * that takes one minute at a time and yields any statistic for the whole period, so a 1-hour
 * datapoint is by construction the aggregate of its 60 one-minute datapoints:
 * - Sum, SampleCount add up; Maximum / Minimum take the extreme minute;
 * - Average is sample-weighted (invocation-weighted for Duration);
 * - Duration percentiles over several minutes are percentiles of the invocation-weighted
 *   mixture of the minutes' lognormal distributions (what a percentile over all the period's
 *   invocations would be), solved by a safeguarded Newton iteration and kept within the
 *   period's Minimum..Maximum (a one-minute percentile is the closed-form lognormal quantile).
 */

export type Statistic =
  | { kind: "Sum" | "SampleCount" | "Average" | "Maximum" | "Minimum" }
  | { kind: "percentile"; percentile: number };

const SIMPLE_STATISTICS = new Set(["Sum", "SampleCount", "Average", "Maximum", "Minimum"]);
/** Extended statistics CloudWatch accepts but the simulator does not model (trimmed mean, etc.). */
const OTHER_EXTENDED_STATISTIC = /^(tm|wm|tc|ts)\d{1,2}(\.\d+)?$|^(TM|WM|TC|TS|PR)\(.+\)$|^IQM$/;

/**
 * Parses a CloudWatch `Stat` string: the five simple statistics and `pNN`/`pNN.NN` percentiles
 * are modelled; other valid extended statistics are "unsupported"; anything else "invalid".
 */
export function parseStatistic(stat: string): Statistic | "unsupported" | "invalid" {
  if (SIMPLE_STATISTICS.has(stat)) return { kind: stat as "Sum" };
  const percentile = /^p(\d{1,3}(?:\.\d{1,10})?)$/.exec(stat);
  if (percentile?.[1] !== undefined) {
    const value = Number(percentile[1]);
    return value >= 0 && value <= 100 ? { kind: "percentile", percentile: value } : "invalid";
  }
  return OTHER_EXTENDED_STATISTIC.test(stat) ? "unsupported" : "invalid";
}

/** Rounds to `decimals` places (duration in ms to 0.01 ms, like REPORT lines). */
function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/**
 * Counts published as one 0/1 sample per request (Invocations: every sample 1; Errors and
 * Throttles: 1 for a failed / throttled request), so Average is a ratio and Maximum says
 * whether any sample was 1.
 */
export class CountAccumulator {
  private ones = 0;
  private samples = 0;

  add(ones: number, samples: number): void {
    this.ones += ones;
    this.samples += samples;
  }

  reset(): void {
    this.ones = 0;
    this.samples = 0;
  }

  value(statistic: Statistic): number | undefined {
    if (this.samples === 0) return undefined;
    switch (statistic.kind) {
      case "Sum":
        return this.ones;
      case "SampleCount":
        return this.samples;
      case "Average":
        return this.ones / this.samples;
      case "Maximum":
        return this.ones > 0 ? 1 : 0;
      case "Minimum":
        return this.ones === this.samples ? 1 : 0;
      case "percentile": {
        // The q-quantile of n samples of which k are 1: it is 1 once the zeros run out.
        const zerosShare = (this.samples - this.ones) / this.samples;
        if (statistic.percentile >= 100) return this.ones > 0 ? 1 : 0;
        return zerosShare < statistic.percentile / 100 ? 1 : 0;
      }
    }
  }
}

/** Above this many minutes, components are merged into bins before solving for a percentile. */
const MAX_RAW_COMPONENTS = 48;
/** Bin width for merging minutes with near-identical medians (0.2 % of the median). */
const LOG_MEDIAN_BIN = 0.002;
const SOLVER_STEPS = 60;
const SOLVER_TOLERANCE = 1e-9;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** One lognormal in a mixture: weight = invocations, in log-ms space. */
interface MixtureComponent {
  logMedian: number;
  sigma: number;
  logTimeout: number;
  weight: number;
}

/** One minute of one function, as the duration accumulator needs it. */
export interface MinuteDurationInput {
  count: number;
  logMedian: number;
  sigma: number;
  timeoutMs: number;
  minMs: number;
  maxMs: number;
  averageMs: number;
}

/** Duration statistics over a period (see the module comment for percentiles). */
export class DurationAccumulator {
  private count = 0;
  private totalMs = 0;
  private minMs = Infinity;
  private maxMs = -Infinity;
  private components: MixtureComponent[] = [];
  // Moments of the components' log-medians (invocation-weighted), for the closed form below.
  private sumLog = 0;
  private sumLogSquared = 0;
  private minSigma = Infinity;
  private maxSigma = -Infinity;
  private minLogTimeoutGap = Infinity;

  /**
   * Adds one minute of one function. Percentile components are kept only when a percentile
   * will be asked for (`keepComponents`), which spares allocations for the other statistics.
   */
  add(minute: MinuteDurationInput, keepComponents: boolean): void {
    if (minute.count <= 0) return;
    this.count += minute.count;
    this.totalMs += minute.averageMs * minute.count;
    this.minMs = Math.min(this.minMs, minute.minMs);
    this.maxMs = Math.max(this.maxMs, minute.maxMs);
    if (keepComponents) {
      const logTimeout = Math.log(minute.timeoutMs);
      this.components.push({ logMedian: minute.logMedian, sigma: minute.sigma, logTimeout, weight: minute.count });
      this.sumLog += minute.count * minute.logMedian;
      this.sumLogSquared += minute.count * minute.logMedian * minute.logMedian;
      this.minSigma = Math.min(this.minSigma, minute.sigma);
      this.maxSigma = Math.max(this.maxSigma, minute.sigma);
      this.minLogTimeoutGap = Math.min(this.minLogTimeoutGap, (logTimeout - minute.logMedian) / minute.sigma);
    }
  }

  reset(): void {
    this.count = 0;
    this.totalMs = 0;
    this.minMs = Infinity;
    this.maxMs = -Infinity;
    this.components = [];
    this.sumLog = 0;
    this.sumLogSquared = 0;
    this.minSigma = Infinity;
    this.maxSigma = -Infinity;
    this.minLogTimeoutGap = Infinity;
  }

  value(statistic: Statistic): number | undefined {
    if (this.count === 0) return undefined;
    switch (statistic.kind) {
      case "Sum":
        return roundTo(this.totalMs, 2);
      case "SampleCount":
        return this.count;
      case "Average":
        return roundTo(this.totalMs / this.count, 2);
      case "Maximum":
        return roundTo(this.maxMs, 2);
      case "Minimum":
        return roundTo(this.minMs, 2);
      case "percentile":
        return roundTo(this.percentileMs(statistic.percentile / 100), 2);
    }
  }

  private percentileMs(quantile: number): number {
    if (quantile <= 0) return this.minMs;
    if (quantile >= 1) return this.maxMs;
    const clamp = (value: number) => Math.min(this.maxMs, Math.max(this.minMs, value));
    const zQuantile = normalInverseCdf(quantile);
    const only = this.components.length === 1 ? this.components[0] : undefined;
    if (only !== undefined) {
      return clamp(Math.exp(Math.min(only.logTimeout, only.logMedian + only.sigma * zQuantile)));
    }
    // Minutes of one configuration differ only by a few per cent of jitter and the slow daily
    // drift: their mixture is, to well under 1 %, the lognormal with the same mean log and the
    // variances added (sigma² + var(log-median)). Only when the spread is wide (an event
    // inside the period) or the timeout is near is the exact mixture solved.
    const weight = this.count;
    const meanLog = this.sumLog / weight;
    const spreadVariance = Math.max(0, this.sumLogSquared / weight - meanLog * meanLog);
    const sigma = this.minSigma;
    if (this.maxSigma - sigma < 1e-9 && spreadVariance < (0.3 * sigma) ** 2 && this.minLogTimeoutGap > 6) {
      return clamp(Math.exp(meanLog + Math.sqrt(sigma * sigma + spreadVariance) * zQuantile));
    }
    const components = this.components.length > MAX_RAW_COMPONENTS ? binComponents(this.components) : this.components;
    // The mixture quantile lies between the smallest and the largest component quantile.
    let low = Infinity;
    let high = -Infinity;
    for (const c of components) {
      const q = Math.min(c.logTimeout, c.logMedian + c.sigma * zQuantile);
      low = Math.min(low, q);
      high = Math.max(high, q);
    }
    const total = this.count;
    let y = (low + high) / 2;
    // Safeguarded Newton: a Newton step when it stays inside the bracket, bisection otherwise.
    for (let step = 0; step < SOLVER_STEPS && high - low > SOLVER_TOLERANCE; step++) {
      let cdf = 0;
      let pdf = 0;
      for (const c of components) {
        if (y >= c.logTimeout) {
          cdf += c.weight;
          continue;
        }
        const z = (y - c.logMedian) / c.sigma;
        cdf += c.weight * normalCdf(z);
        pdf += (c.weight * INV_SQRT_2PI * Math.exp(-0.5 * z * z)) / c.sigma;
      }
      const error = cdf / total - quantile;
      if (error < 0) low = y;
      else high = y;
      const newton = pdf > 0 ? y - error / (pdf / total) : Number.NaN;
      const next = newton > low && newton < high ? newton : (low + high) / 2;
      if (Math.abs(next - y) < SOLVER_TOLERANCE) {
        y = next;
        break;
      }
      y = next;
    }
    return clamp(Math.exp(y));
  }
}

/** Merges components with the same shape and near-identical medians (weighted mean median). */
function binComponents(components: readonly MixtureComponent[]): MixtureComponent[] {
  const bins = new Map<string, MixtureComponent>();
  for (const c of components) {
    const key = `${c.sigma}|${c.logTimeout}|${Math.round(c.logMedian / LOG_MEDIAN_BIN)}`;
    const bin = bins.get(key);
    if (bin === undefined) bins.set(key, { ...c, logMedian: c.logMedian * c.weight });
    else {
      bin.logMedian += c.logMedian * c.weight;
      bin.weight += c.weight;
    }
  }
  return [...bins.values()].map((bin) => ({ ...bin, logMedian: bin.logMedian / bin.weight }));
}

/**
 * Gauges sampled once a second (concurrency): per minute an average, a peak and a trough;
 * SampleCount is 60 per minute with data and Sum is 60 × the minute averages.
 */
export class GaugeAccumulator {
  private minutes = 0;
  private sumOfAverages = 0;
  private max = -Infinity;
  private min = Infinity;

  add(average: number, maximum: number, minimum: number): void {
    this.minutes++;
    this.sumOfAverages += average;
    this.max = Math.max(this.max, maximum);
    this.min = Math.min(this.min, minimum);
  }

  reset(): void {
    this.minutes = 0;
    this.sumOfAverages = 0;
    this.max = -Infinity;
    this.min = Infinity;
  }

  value(statistic: Statistic): number | undefined {
    if (this.minutes === 0) return undefined;
    switch (statistic.kind) {
      case "Sum":
        return roundTo(this.sumOfAverages * 60, 3);
      case "SampleCount":
        return this.minutes * 60;
      case "Average":
        return roundTo(this.sumOfAverages / this.minutes, 3);
      case "Maximum":
        return this.max;
      case "Minimum":
        return this.min;
      case "percentile":
        return undefined;
    }
  }
}

/** Lowest concurrency in a minute with mean `average`: mean − 3 √mean, floored at 0. */
export function gaugeMinimum(average: number): number {
  return Math.max(0, Math.floor(average - 3 * Math.sqrt(average)));
}
