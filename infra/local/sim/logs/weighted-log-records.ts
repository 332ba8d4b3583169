import { billedDurationMs, toHundredths } from "./exact-log-records";
import { InvocationLog, LambdaLogRecord, type InvocationData, type RepresentativeIds } from "./lambda-log-record";
import { classIsCold, classOutcome, CLASS_COUNT, type MinuteLogPlan } from "./minute-log-plan";
import {
  lognormalMeanBetween,
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
 */

/**
 * Quantile breakpoints of REPORT strata. A percentile lands in the stratum whose weight
 * crosses it, and a stratum's value is its mean, so the strata are narrow and centred on the
 * percentiles people ask for (p50, p90, p95, p99, p99.9) and wide elsewhere.
 */
const WARM_OK_BREAKPOINTS = [0, 0.45, 0.55, 0.85, 0.93, 0.94, 0.96, 0.985, 0.995, 0.9985, 0.9995, 1];
const COLD_OK_BREAKPOINTS = [0, 0.25, 0.5, 0.75, 0.95, 1];
const FAILURE_BREAKPOINTS = [0, 0.5, 1];

/** A quantile slice [a, b] with a small integer id (the memo key of values over it). */
interface Slice {
  a: number;
  b: number;
  id: number;
}

function slicesOf(breakpoints: readonly number[], idBase: number): Slice[] {
  return breakpoints.slice(1).map((b, s) => ({ a: breakpoints[s]!, b, id: idBase + s }));
}

const WARM_OK_SLICES = slicesOf(WARM_OK_BREAKPOINTS, 10_000);
const COLD_OK_SLICES = slicesOf(COLD_OK_BREAKPOINTS, 10_100);
const FAILURE_SLICES = slicesOf(FAILURE_BREAKPOINTS, 10_200);
const EVEN_SLICES = new Map<number, Slice[]>();

/** [s/k, (s+1)/k] for s < k: one line each when a class has fewer lines than strata. */
function evenSlices(k: number): Slice[] {
  let slices = EVEN_SLICES.get(k);
  if (slices === undefined) {
    slices = Array.from({ length: k }, (_, s) => ({ a: s / k, b: (s + 1) / k, id: k * 64 + s }));
    EVEN_SLICES.set(k, slices);
  }
  return slices;
}
/** Malformed lines of a class: this many strata at most, cut at different points. */
const MALFORMED_STRATA = 4;
/** Weighted records sit mid-minute: they are only used when nothing finer than a minute matters. */
const REPRESENTATIVE_OFFSET_MS = 30_000;
/** Memory and init take their slice of the distribution shifted from the duration's (see rotatedMeanBetween). */
const MEMORY_SHIFT = 0.5;
const INIT_SHIFT = 0.25;

/**
 * Slice values memoised per distribution: `tables(owner, parameter)` is the table of one
 * distribution, keyed by the slice. Owners are long-lived (a function's spec, or one shared
 * object for durations); values are pure functions of the keys, so sharing is safe.
 */
type SliceTable = Map<number, number>;
const MEMO = new WeakMap<object, Map<number, SliceTable>>();
const DURATION_OWNER = {};
const MAX_TABLES_PER_OWNER = 1000;

function sliceTable(owner: object, parameter: number): SliceTable {
  let tables = MEMO.get(owner);
  if (tables === undefined) {
    tables = new Map();
    MEMO.set(owner, tables);
  }
  let table = tables.get(parameter);
  if (table === undefined) {
    if (tables.size >= MAX_TABLES_PER_OWNER) tables.clear();
    table = new Map();
    tables.set(parameter, table);
  }
  return table;
}

function memoized(table: SliceTable, slice: Slice, compute: () => number): number {
  let value = table.get(slice.id);
  if (value === undefined) {
    value = compute();
    table.set(slice.id, value);
  }
  return value;
}

/** The timeout quantile below which a minute's cap counts as 1 (no invocation near the timeout). */
const NO_TIMEOUT_CAP = 1 - 1e-9;

/**
 * Mean duration over the quantile slice [a, b] of the minute's distribution below the timeout.
 * e^(μ+σ²/2) times a factor that depends on σ and the slice only, so when the timeout is out
 * of reach the factor (and the slice's z-values) are memoised per σ.
 */
function durationMeanBetween(plan: MinuteLogPlan, slice: Slice): number {
  const mu = plan.durationLogMedian;
  const sigma = plan.durationSigma;
  const cap = plan.timeoutQuantile;
  if (cap < NO_TIMEOUT_CAP) return lognormalMeanBetween(mu, sigma, slice.a * cap, slice.b * cap);
  const unitMean = memoized(sliceTable(DURATION_OWNER, sigma), slice, () => lognormalMeanBetween(0, sigma, slice.a, slice.b));
  // Scale invariance of the lognormal: the slice mean at median e^μ is e^μ × the mean at median 1.
  return Math.exp(mu) * unitMean;
}

/** Calls `emit` with the weighted records of one function-minute. */
export function forEachWeightedRecord(plan: MinuteLogPlan, emit: (record: LambdaLogRecord) => void): void {
  const timestampMs = plan.minuteStartMs + REPRESENTATIVE_OFFSET_MS;
  // Pseudo indices past the minute's invocations: representative ids never name a real one.
  let nextIndex = plan.invocations;
  const sampled = plan.sampled * 2 >= plan.invocations;
  const representative: RepresentativeIds = { requestId: undefined, xray: undefined };
  const invocation = (values: Pick<InvocationData, "durationMs" | "initDurationMs" | "maxMemoryUsedMb" | "outcome" | "cutRatio">): InvocationLog => {
    const index = nextIndex++;
    // A literal with every field in one order keeps these objects on one hidden class (fast).
    return new InvocationLog(plan.model, plan.group, {
      epochMinute: plan.epochMinute,
      index,
      startMs: timestampMs,
      durationMs: values.durationMs,
      initDurationMs: values.initDurationMs,
      billedDurationMs: billedDurationMs(values.durationMs, values.initDurationMs),
      memorySizeMb: plan.memoryMb,
      maxMemoryUsedMb: values.maxMemoryUsedMb,
      outcome: values.outcome,
      sampled,
      cutRatio: values.cutRatio,
      streamSlot: 0,
      variant: index,
      representative,
    });
  };

  const typical = invocation({ durationMs: 0.01, initDurationMs: undefined, maxMemoryUsedMb: plan.memoryMb, outcome: "ok", cutRatio: undefined });
  emit(new LambdaLogRecord(typical, "start", timestampMs, plan.invocations));
  emit(new LambdaLogRecord(typical, "end", timestampMs, plan.invocations));
  let cold = 0;
  for (let j = 4; j < CLASS_COUNT; j++) cold += plan.classCounts[j]!;
  if (cold > 0) emit(new LambdaLogRecord(typical, "initStart", timestampMs, cold));

  for (let j = 0; j < CLASS_COUNT; j++) {
    const count = plan.classCounts[j]!;
    if (count <= 0) continue;
    const outcome = classOutcome(j);
    const isCold = classIsCold(j);
    // Durations of invocations that did not time out: the lognormal below the timeout.
    const durationAt = (slice: Slice): number => (outcome === "timeout" ? plan.timeoutMs : Math.min(plan.timeoutMs, durationMeanBetween(plan, slice)));
    // Memory and init depend on the configuration only, not on the minute: memoised.
    const memoryTable = outcome === "oom" || plan.memoryQuantileCap <= 0 ? undefined : sliceTable(plan.group.fn, plan.memoryMb);
    const memoryAt = (slice: Slice): number => {
      if (memoryTable === undefined) return plan.memoryMb;
      return memoized(memoryTable, slice, () => {
        const cap = plan.memoryQuantileCap;
        const mean = rotatedMeanBetween((x, y) => normalMeanBetween(plan.memoryUsedMedianMb, plan.memoryUsedSdMb, x * cap, y * cap), slice.a, slice.b, MEMORY_SHIFT);
        return Math.min(plan.memoryMb, Math.max(1, Math.round(mean)));
      });
    };
    // Init tables hang off the function's revisions list (its spec holds memory tables); the
    // init median changes only with memory and architecture, init sigma never.
    const initTable = isCold ? sliceTable(plan.group.fn.revisions, plan.initLogMedian) : undefined;
    const initAt = (slice: Slice): number | undefined =>
      initTable === undefined
        ? undefined
        : memoized(initTable, slice, () =>
          toHundredths(rotatedMeanBetween((x, y) => lognormalMeanBetween(plan.initLogMedian, plan.initSigma, x, y), slice.a, slice.b, INIT_SHIFT)));

    const stratum = (weight: number, slice: Slice, cutRatio: number | undefined) => {
      if (weight <= 0) return;
      const inv = invocation({
        durationMs: toHundredths(durationAt(slice)),
        initDurationMs: initAt(slice),
        maxMemoryUsedMb: memoryAt(slice),
        outcome,
        cutRatio,
      });
      if (outcome !== "ok") emit(new LambdaLogRecord(inv, "failure", timestampMs, weight));
      emit(new LambdaLogRecord(inv, "report", timestampMs, weight));
    };

    const malformed = plan.malformedCounts[j]!;
    const intact = count - malformed;
    const [slices, breakpoints] = outcome === "ok"
      ? isCold ? [COLD_OK_SLICES, COLD_OK_BREAKPOINTS] : [WARM_OK_SLICES, WARM_OK_BREAKPOINTS]
      : [FAILURE_SLICES, FAILURE_BREAKPOINTS];
    if (intact > 0 && intact <= slices.length) {
      // Fewer lines than strata: one record per line, at evenly spaced slices.
      for (const slice of evenSlices(intact)) stratum(1, slice, undefined);
    } else if (intact > 0) {
      const weights = splitByLargestRemainder(intact, breakpoints);
      slices.forEach((slice, s) => stratum(weights[s]!, slice, undefined));
    }
    if (malformed > 0) {
      const strata = Math.min(MALFORMED_STRATA, malformed);
      const even = evenSlices(strata);
      const weights = splitByLargestRemainder(malformed, [0, ...even.map((slice) => slice.b)]);
      even.forEach((slice, s) => stratum(weights[s]!, slice, (s + 0.5) / strata));
    }
  }
}

