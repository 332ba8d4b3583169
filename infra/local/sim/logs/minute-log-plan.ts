import { normalCdf, stochasticRound } from "../model/distributions";
import type { FunctionSpec } from "../model/fleet";
import type { MinuteSeries, SimModel } from "../model/minute-stats";
import { sampledCount } from "../model/invocation-ids";
import { hashInts3, uniformFromKey } from "../model/random";
import { MS_PER_MINUTE } from "../model/time";
import { planMinute as planMinuteInvocations, type InvocationOutcome, type MinuteInvocations } from "../model/minute-invocations";
import type { Outcome } from "./lambda-log-record";
import type { LogGroup } from "./log-groups";
import { lognormalCdf } from "./quantile-math";

/**
 * What one function wrote in one minute, decided once for both ways of producing its log
 * records (one record per line, or weighted strata), so the two agree on every count.
 *
 * Which invocation failed how and which started cold is the model's deal-out
 * (`model/minute-invocations.ts`: one affine permutation per minute, failures at the low
 * positions, cold starts at the high ones), so REPORT line k and X-Ray trace k describe the
 * same invocation. Here the deal-out becomes 8 class counts, cold/warm × ok/timeout/oom/error,
 * that add up to the model's invocations, coldStarts, timeouts, oomErrors and errors; the
 * weighted strata reproduce them without walking the invocations.
 */

export const OUTCOMES: readonly Outcome[] = ["ok", "timeout", "oom", "error"];
export const CLASS_COUNT = 8;
/** Malformed counts without the fault (shared, never mutated: readers copy it). */
const NO_MALFORMED: readonly number[] = Object.freeze(new Array<number>(8).fill(0));

/** Class index: warm 0–3, cold 4–7, outcome in OUTCOMES order. */
export function classIndex(cold: boolean, outcome: Outcome): number {
  return (cold ? 4 : 0) + OUTCOMES.indexOf(outcome);
}

export function classOutcome(index: number): Outcome {
  return OUTCOMES[index % 4]!;
}

export function classIsCold(index: number): boolean {
  return index >= 4;
}

/** X-Ray's outcome names → the log's. */
export function toOutcome(outcome: InvocationOutcome): Outcome {
  return outcome === "out-of-memory" ? "oom" : outcome;
}

/** Random streams of the logs (apart from the model's, the identity and X-Ray's streams). */
export const LogStream = {
  minute: 301,
  invocation: 302,
  // per-minute uniforms
  malformedBase: 10,
  // per-invocation uniforms
  memory: 5,
  malformed: 6,
  cut: 7,
  variant: 8,
} as const;

/**
 * Everything both record tiers need about one function-minute. Built for every function-minute
 * a query walks, so what only one tier or only some queries need (sampling, the logs' own
 * random key, malformed counts, the timeout and memory caps) is computed on first use.
 */
export class MinuteLogPlan {
  readonly epochMinute: number;
  readonly minuteStartMs: number;
  readonly invocations: number;
  readonly classCounts: number[];
  readonly durationLogMedian: number;
  readonly durationSigma: number;
  readonly timeoutMs: number;
  readonly initLogMedian: number;
  readonly initSigma: number;
  readonly memoryMb: number;
  readonly memoryUsedMedianMb: number;
  readonly memoryUsedSdMb: number;
  readonly streamSlots: number;
  private dealtCache: MinuteInvocations | undefined;
  private minuteKeyCache: number | undefined;
  private malformedCache: readonly number[] | undefined;
  private sampledCache: number | undefined;
  private timeoutQuantileCache: number | undefined;
  private memoryCapCache: number | undefined;

  constructor(
    readonly model: SimModel,
    readonly group: LogGroup,
    private readonly series: MinuteSeries,
    private readonly i: number,
    private readonly malformedRatio: number,
  ) {
    const fn = group.fn;
    const n = series.invocations[i] ?? 0;
    this.invocations = n;
    this.epochMinute = series.fromMinute + i;
    this.minuteStartMs = this.epochMinute * MS_PER_MINUTE;
    const timeouts = series.timeouts[i] ?? 0;
    const oom = series.oomErrors[i] ?? 0;
    // The position ranges of X-Ray's deal-out (see classCountsOf), from the series directly:
    // weighted records need the counts, not the per-invocation permutation.
    this.classCounts = classCountsOf({
      invocations: n,
      timeoutEnd: timeouts,
      oomEnd: timeouts + oom,
      errorEnd: Math.max(timeouts + oom, series.errors[i] ?? 0),
      coldFrom: n - Math.min(n, series.coldStarts[i] ?? 0),
    });
    this.durationLogMedian = series.durationLogMedian[i] ?? 0;
    this.durationSigma = series.durationSigma[i] ?? 1;
    this.timeoutMs = series.timeoutMs[i] ?? 3000;
    this.initLogMedian = series.initLogMedian[i] ?? 0;
    this.initSigma = fn.initSigma;
    this.memoryMb = series.memoryMb[i] ?? 128;
    this.memoryUsedMedianMb = fn.memoryUsedMedianMb;
    this.memoryUsedSdMb = fn.memoryUsedSdMb;
    this.streamSlots = Math.max(1, series.concurrencyMaximum[i] ?? 1);
  }

  /** Hash of (seed, function, minute) the logs' own per-invocation uniforms derive from. */
  get minuteKey(): number {
    return (this.minuteKeyCache ??= hashInts3(hashInts3(this.model.seed, this.group.fn.nameHash, this.epochMinute), LogStream.minute, 0));
  }

  /** Malformed REPORT lines per class (all 0 without the fault). */
  get malformedCounts(): readonly number[] {
    if (this.malformedCache !== undefined) return this.malformedCache;
    const ratio = this.malformedRatio;
    this.malformedCache = ratio <= 0
      ? NO_MALFORMED
      : this.classCounts.map((count, j) => Math.min(count, stochasticRound(count * ratio, uniformFromKey(this.minuteKey, LogStream.malformedBase + j))));
    return this.malformedCache;
  }

  /** Invocations 0 … sampled − 1 were sampled by X-Ray. */
  get sampled(): number {
    return (this.sampledCache ??= sampledCount(this.model, this.group.fn, this.epochMinute, this.invocations));
  }

  /** Share of the duration distribution below the timeout (the rest timed out). */
  get timeoutQuantile(): number {
    return (this.timeoutQuantileCache ??= lognormalCdf(this.durationLogMedian, this.durationSigma, this.timeoutMs));
  }

  /** Share of the memory-use distribution below the configured memory (the rest are OOM kills). */
  get memoryQuantileCap(): number {
    return (this.memoryCapCache ??= memoryQuantileCap(this.group.fn, this.memoryMb));
  }

  /** X-Ray's per-invocation deal-out of the minute (outcomes, cold starts, durations); built on first use. */
  get dealt(): MinuteInvocations {
    return (this.dealtCache ??= planMinuteInvocations(this.model, this.series, this.i));
  }
}

const MEMORY_CAPS = new WeakMap<FunctionSpec, Map<number, number>>();

/** Share of a function's memory-use distribution below `memoryMb` (memoised: it changes only with the configuration). */
function memoryQuantileCap(fn: FunctionSpec, memoryMb: number): number {
  let caps = MEMORY_CAPS.get(fn);
  if (caps === undefined) {
    caps = new Map();
    MEMORY_CAPS.set(fn, caps);
  }
  let cap = caps.get(memoryMb);
  if (cap === undefined) {
    cap = fn.memoryUsedSdMb > 0 ? normalCdf((memoryMb - fn.memoryUsedMedianMb) / fn.memoryUsedSdMb) : fn.memoryUsedMedianMb <= memoryMb ? 1 : 0;
    caps.set(memoryMb, cap);
  }
  return cap;
}

/** Plans minute `i` of `series`, or undefined when the function was not invoked. */
export function planMinute(model: SimModel, group: LogGroup, series: MinuteSeries, i: number, malformedRatio: number): MinuteLogPlan | undefined {
  return (series.invocations[i] ?? 0) > 0 ? new MinuteLogPlan(model, group, series, i, malformedRatio) : undefined;
}

/** The position ranges of X-Ray's deal-out (fields of `MinuteInvocations`). */
export type DealtRanges = Pick<MinuteInvocations, "invocations" | "timeoutEnd" | "oomEnd" | "errorEnd" | "coldFrom">;

/**
 * Class counts of X-Ray's deal-out: outcomes hold position ranges [0, T) timeout,
 * [T, T+O) out of memory, [T+O, E) error, [E, n) ok; cold starts hold [coldFrom, n).
 */
export function classCountsOf(dealt: DealtRanges): number[] {
  const counts = [0, 0, 0, 0, 0, 0, 0, 0];
  const { coldFrom } = dealt;
  // Ranges in OUTCOMES order: ok [E, n), timeout [0, T), oom [T, T+O), error [T+O, E).
  addRange(counts, 0, dealt.errorEnd, dealt.invocations, coldFrom);
  addRange(counts, 1, 0, dealt.timeoutEnd, coldFrom);
  addRange(counts, 2, dealt.timeoutEnd, dealt.oomEnd, coldFrom);
  addRange(counts, 3, dealt.oomEnd, dealt.errorEnd, coldFrom);
  return counts;
}

/** Adds the positions [from, to) of one outcome, split at coldFrom into warm and cold. */
function addRange(counts: number[], outcome: number, from: number, to: number, coldFrom: number): void {
  if (to <= from) return;
  const cold = Math.max(0, to - Math.max(from, coldFrom));
  counts[4 + outcome] = cold;
  counts[outcome] = to - from - cold;
}
