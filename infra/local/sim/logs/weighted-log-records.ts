import type { FunctionSpec } from "../model/fleet";
import { billedDurationMs, toHundredths } from "./exact-log-records";
import { InvocationLog, LambdaLogRecord, type Outcome, type RepresentativeIds } from "./lambda-log-record";
import { classIsCold, classOutcome, CLASS_COUNT, type MinuteLogPlan } from "./minute-log-plan";
import {
  lognormalMeanBetween,
  lognormalMeansBetween,
  normalMeanBetween,
  rotatedMeanBetween,
  splitByLargestRemainder,
} from "./quantile-math";

/**
 * A function-minute's log lines as a handful of weighted records: START and END lines as one
 * record each (weight = invocations), INIT_START (weight = cold starts), and per class
 * (cold/warm × ok/timeout/oom/error) a few REPORT strata, each carrying the mean duration,
 * memory and init of the quantile slice it stands for, with an integer weight. Weights sum
 * exactly to the class counts, so counts are exact and sums/averages/percentiles are close to
 * what one record per line gives. Used when a query's result cannot depend on single lines.
 *
 * This runs for every function-minute of a day-long stats query, so it creates no closures
 * and looks nothing up per record: slice values that depend on the configuration only are
 * memoised per function in flat arrays, the minute's own values are computed once per slice.
 */

/**
 * Quantile breakpoints of REPORT strata. A percentile lands in the stratum whose weight
 * crosses it, and a stratum's value is its mean, so the strata are narrow and centred on the
 * percentiles people ask for (p50, p90, p95, p99, p99.9) and wide elsewhere.
 */
const WARM_OK_BREAKPOINTS = [0, 0.45, 0.55, 0.85, 0.93, 0.94, 0.96, 0.985, 0.995, 0.9985, 0.9995, 1];
const COLD_OK_BREAKPOINTS = [0, 0.25, 0.5, 0.75, 0.95, 1];
const FAILURE_BREAKPOINTS = [0, 0.5, 1];
/** Malformed lines of a class: this many strata at most, cut at different points. */
const MALFORMED_STRATA = 4;

/**
 * The quantile slices [a[s], b[s]] of one way of cutting a class into strata, with the
 * breakpoints that split its weight. `id` indexes the memo arrays of slice values.
 */
interface SliceSet {
  id: number;
  a: readonly number[];
  b: readonly number[];
  breakpoints: readonly number[];
}

const SLICE_SETS: SliceSet[] = [];

function sliceSet(a: readonly number[], b: readonly number[], breakpoints: readonly number[]): SliceSet {
  const set = { id: SLICE_SETS.length, a, b, breakpoints };
  SLICE_SETS.push(set);
  return set;
}

function breakpointSet(breakpoints: readonly number[]): SliceSet {
  return sliceSet(breakpoints.slice(0, -1), breakpoints.slice(1), breakpoints);
}

const WARM_OK_SLICES = breakpointSet(WARM_OK_BREAKPOINTS);
const COLD_OK_SLICES = breakpointSet(COLD_OK_BREAKPOINTS);
const FAILURE_SLICES = breakpointSet(FAILURE_BREAKPOINTS);
const MAX_STRATA = Math.max(WARM_OK_BREAKPOINTS.length, COLD_OK_BREAKPOINTS.length, FAILURE_BREAKPOINTS.length) - 1;

/**
 * EVEN_SLICES[k]: [s/k, (s+1)/k] for s < k, one line each when a class has fewer lines than
 * strata (k ≤ MAX_STRATA); their breakpoints [0, 1/k, …, k/k] split malformed lines.
 */
const EVEN_SLICES: SliceSet[] = [];
for (let k = 1; k <= MAX_STRATA; k++) {
  const a = Array.from({ length: k }, (_, s) => s / k);
  const b = Array.from({ length: k }, (_, s) => (s + 1) / k);
  EVEN_SLICES[k] = sliceSet(a, b, [0, ...b]);
}
const SLICE_SET_COUNT = SLICE_SETS.length;

/** Weighted records sit mid-minute: they are only used when nothing finer than a minute matters. */
const REPRESENTATIVE_OFFSET_MS = 30_000;
/** Memory and init take their slice of the distribution shifted from the duration's (see rotatedMeanBetween). */
const MEMORY_SHIFT = 0.5;
const INIT_SHIFT = 0.25;
/** The timeout quantile below which a minute's cap counts as 1 (no invocation near the timeout). */
const NO_TIMEOUT_CAP = 1 - 1e-9;

/**
 * Slice values of one distribution, per slice set (NaN = not computed yet). Values are pure
 * functions of the distribution and the slice, so sharing them between queries is safe.
 */
type SliceTables = (Float64Array | undefined)[];

function newTables(): SliceTables {
  return new Array<Float64Array | undefined>(SLICE_SET_COUNT).fill(undefined);
}

function tableOf(tables: SliceTables, set: SliceSet): Float64Array {
  let table = tables[set.id];
  if (table === undefined) {
    table = new Float64Array(set.a.length).fill(Number.NaN);
    tables[set.id] = table;
  }
  return table;
}

/** Distributions kept per key before a memo is dropped (bounds memory over long-running servers). */
const MAX_MEMO_KEYS = 1000;

/** Tables by a numeric parameter, with the last one looked up at hand (minutes of a function mostly repeat it). */
class TablesByKey {
  private readonly byKey = new Map<number, SliceTables>();
  private lastKey = Number.NaN;
  private last: SliceTables = newTables();

  get(key: number): SliceTables {
    if (key === this.lastKey) return this.last;
    let tables = this.byKey.get(key);
    if (tables === undefined) {
      if (this.byKey.size >= MAX_MEMO_KEYS) this.byKey.clear();
      tables = newTables();
      this.byKey.set(key, tables);
    }
    this.lastKey = key;
    this.last = tables;
    return tables;
  }
}

/** Memoised slice values of one function: memory use by memory size, init duration by init median. */
interface FunctionMemo {
  memoryByMb: TablesByKey;
  initByLogMedian: TablesByKey;
}

const FUNCTION_MEMOS = new WeakMap<FunctionSpec, FunctionMemo>();
/**
 * Duration slice means of lognormal(0, σ) by σ: a slice's mean at median e^μ is e^μ times the
 * mean at median 1 (scale invariance), so they are shared by all functions and minutes.
 */
const UNIT_DURATION_MEANS = new TablesByKey();

function functionMemo(fn: FunctionSpec): FunctionMemo {
  let memo = FUNCTION_MEMOS.get(fn);
  if (memo === undefined) {
    memo = { memoryByMb: new TablesByKey(), initByLogMedian: new TablesByKey() };
    FUNCTION_MEMOS.set(fn, memo);
  }
  return memo;
}

/** Mean memory used (MB, whole) over slice s of the distribution below the memory size. */
function memoryOf(plan: MinuteLogPlan, table: Float64Array, set: SliceSet, s: number): number {
  let value = table[s]!;
  if (Number.isNaN(value)) {
    const cap = plan.memoryQuantileCap;
    const median = plan.memoryUsedMedianMb;
    const sd = plan.memoryUsedSdMb;
    const mean = rotatedMeanBetween((x, y) => normalMeanBetween(median, sd, x * cap, y * cap), set.a[s]!, set.b[s]!, MEMORY_SHIFT);
    value = Math.min(plan.memoryMb, Math.max(1, Math.round(mean)));
    table[s] = value;
  }
  return value;
}

/** Mean init duration (ms, hundredths) over slice s. */
function initOf(plan: MinuteLogPlan, table: Float64Array, set: SliceSet, s: number): number {
  let value = table[s]!;
  if (Number.isNaN(value)) {
    const median = plan.initLogMedian;
    const sigma = plan.initSigma;
    value = toHundredths(rotatedMeanBetween((x, y) => lognormalMeanBetween(median, sigma, x, y), set.a[s]!, set.b[s]!, INIT_SHIFT));
    table[s] = value;
  }
  return value;
}

/** Mean duration over slice s of lognormal(0, σ). */
function unitDurationOf(sigma: number, table: Float64Array, set: SliceSet, s: number): number {
  let value = table[s]!;
  if (Number.isNaN(value)) {
    value = lognormalMeanBetween(0, sigma, set.a[s]!, set.b[s]!);
    table[s] = value;
  }
  return value;
}

/**
 * Duration slice means of the current minute when its timeout is within reach (they depend on
 * the minute's cap, so they are not memoised across minutes): per slice set, computed for all
 * its slices at once on first use in a minute (`writer` says which), in scratch reused by
 * every minute.
 */
interface CappedMeans {
  writer: number;
  quantiles: Float64Array;
  z: Float64Array;
  means: Float64Array;
}

const CAPPED_MEANS: CappedMeans[] = SLICE_SETS.map((set) => ({
  writer: 0,
  quantiles: new Float64Array(set.breakpoints.length),
  z: new Float64Array(set.breakpoints.length),
  means: new Float64Array(set.a.length),
}));
/** Numbers the minute writers, for CAPPED_MEANS. */
let writers = 0;

/** Writes the records of one function-minute (state that the per-class and per-stratum steps share). */
class MinuteWriter {
  readonly timestampMs: number;
  private readonly serial: number;
  /** Pseudo indices past the minute's invocations: representative ids never name a real one. */
  private nextIndex: number;
  private readonly sampled: boolean;
  private readonly representative: RepresentativeIds = { requestId: undefined, xray: undefined, reportHead: undefined, reportXray: undefined };
  private readonly memo: FunctionMemo;
  /** e^μ of the minute's durations, and whether the timeout is within reach (then slices are capped). */
  private readonly medianMs: number;
  private readonly timeoutInReach: boolean;
  private readonly unitDurations: SliceTables | undefined;

  // The current class.
  private outcome: Outcome = "ok";
  private memoryTables: SliceTables | undefined;
  private initTables: SliceTables | undefined;

  constructor(
    private readonly plan: MinuteLogPlan,
    private readonly emit: (record: LambdaLogRecord) => void,
  ) {
    this.serial = ++writers;
    this.timestampMs = plan.minuteStartMs + REPRESENTATIVE_OFFSET_MS;
    this.nextIndex = plan.invocations;
    this.sampled = plan.sampled * 2 >= plan.invocations;
    this.memo = functionMemo(plan.group.fn);
    this.timeoutInReach = plan.timeoutQuantile < NO_TIMEOUT_CAP;
    this.medianMs = Math.exp(plan.durationLogMedian);
    this.unitDurations = this.timeoutInReach ? undefined : UNIT_DURATION_MEANS.get(plan.durationSigma);
  }

  write(): void {
    const { plan, emit, timestampMs } = this;
    const typical = this.invocation(0.01, undefined, plan.memoryMb, "ok", undefined);
    emit(new LambdaLogRecord(typical, "start", timestampMs, plan.invocations));
    emit(new LambdaLogRecord(typical, "end", timestampMs, plan.invocations));
    const counts = plan.classCounts;
    let cold = 0;
    for (let j = 4; j < CLASS_COUNT; j++) cold += counts[j]!;
    if (cold > 0) emit(new LambdaLogRecord(typical, "initStart", timestampMs, cold));
    for (let j = 0; j < CLASS_COUNT; j++) if (counts[j]! > 0) this.writeClass(j, counts[j]!);
  }

  private writeClass(j: number, count: number): void {
    const { plan } = this;
    const outcome = classOutcome(j);
    this.outcome = outcome;
    // Memory and init depend on the configuration only, not on the minute: memoised.
    this.memoryTables = outcome === "oom" || plan.memoryQuantileCap <= 0 ? undefined : this.memo.memoryByMb.get(plan.memoryMb);
    this.initTables = classIsCold(j) ? this.memo.initByLogMedian.get(plan.initLogMedian) : undefined;

    const malformed = plan.malformedCounts[j]!;
    const intact = count - malformed;
    const slices = outcome === "ok" ? (classIsCold(j) ? COLD_OK_SLICES : WARM_OK_SLICES) : FAILURE_SLICES;
    if (intact > 0 && intact <= slices.a.length) {
      // Fewer lines than strata: one record per line, at evenly spaced slices.
      const even = EVEN_SLICES[intact]!;
      for (let s = 0; s < intact; s++) this.stratum(1, even, s, undefined);
    } else if (intact > 0) {
      const weights = splitByLargestRemainder(intact, slices.breakpoints);
      for (let s = 0; s < weights.length; s++) this.stratum(weights[s]!, slices, s, undefined);
    }
    if (malformed > 0) {
      const strata = Math.min(MALFORMED_STRATA, malformed);
      const even = EVEN_SLICES[strata]!;
      const weights = splitByLargestRemainder(malformed, even.breakpoints);
      for (let s = 0; s < strata; s++) this.stratum(weights[s]!, even, s, (s + 0.5) / strata);
    }
  }

  private stratum(weight: number, set: SliceSet, s: number, cutRatio: number | undefined): void {
    if (weight <= 0) return;
    const { plan, outcome, timestampMs } = this;
    let durationMs: number;
    if (outcome === "timeout") {
      durationMs = plan.timeoutMs;
    } else if (this.timeoutInReach) {
      durationMs = Math.min(plan.timeoutMs, this.cappedMeans(set)[s]!);
    } else {
      const unitMean = unitDurationOf(plan.durationSigma, tableOf(this.unitDurations!, set), set, s);
      durationMs = Math.min(plan.timeoutMs, this.medianMs * unitMean);
    }
    const initDurationMs = this.initTables === undefined ? undefined : initOf(plan, tableOf(this.initTables, set), set, s);
    const maxMemoryUsedMb = this.memoryTables === undefined ? plan.memoryMb : memoryOf(plan, tableOf(this.memoryTables, set), set, s);
    const inv = this.invocation(toHundredths(durationMs), initDurationMs, maxMemoryUsedMb, outcome, cutRatio);
    if (outcome !== "ok") this.emit(new LambdaLogRecord(inv, "failure", timestampMs, weight));
    this.emit(new LambdaLogRecord(inv, "report", timestampMs, weight));
  }

  /**
   * Mean durations of the set's slices of the lognormal below the timeout (invocations that
   * did not time out): slice [a, b] of them is [a·cap, b·cap] of the whole distribution.
   */
  private cappedMeans(set: SliceSet): Float64Array {
    const scratch = CAPPED_MEANS[set.id]!;
    if (scratch.writer !== this.serial) {
      const { plan } = this;
      const cap = plan.timeoutQuantile;
      for (let i = 0; i < set.breakpoints.length; i++) scratch.quantiles[i] = set.breakpoints[i]! * cap;
      lognormalMeansBetween(plan.durationLogMedian, plan.durationSigma, scratch.quantiles, scratch.z, scratch.means);
      scratch.writer = this.serial;
    }
    return scratch.means;
  }

  private invocation(durationMs: number, initDurationMs: number | undefined, maxMemoryUsedMb: number, outcome: Outcome, cutRatio: number | undefined): InvocationLog {
    const { plan } = this;
    const index = this.nextIndex++;
    // A literal with every field in one order keeps these objects on one hidden class (fast).
    return new InvocationLog(plan.model, plan.group, {
      epochMinute: plan.epochMinute,
      index,
      startMs: this.timestampMs,
      durationMs,
      initDurationMs,
      billedDurationMs: billedDurationMs(durationMs, initDurationMs),
      memorySizeMb: plan.memoryMb,
      maxMemoryUsedMb,
      outcome,
      sampled: this.sampled,
      cutRatio,
      streamSlot: 0,
      variant: index,
      representative: this.representative,
    });
  }
}

/** Calls `emit` with the weighted records of one function-minute. */
export function forEachWeightedRecord(plan: MinuteLogPlan, emit: (record: LambdaLogRecord) => void): void {
  new MinuteWriter(plan, emit).write();
}
