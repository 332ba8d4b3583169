import { binomialFromUniform, normalCdf, normalInverseCdf, stochasticRound } from "./distributions";
import type { FunctionSpec } from "./fleet";
import { isTraced, sampledCount } from "./invocation-ids";
import type { MinuteSeries, SimModel } from "./minute-stats";
import { uniformAt } from "./random";
import type { DownstreamCall } from "../scenario-schema";
import { affinePermutation, countBelow, countBetween, permute, type AffinePermutation } from "./affine-permutation";
import { downstreamNodeOf, type NodeRef } from "./call-graph";

/**
 * One minute of one function, invocation by invocation, without materialising invocations.
 *
 * The model gives a minute's counts (invocations, errors, timeouts, out-of-memory kills, cold
 * starts, throttles). Here they are dealt out to invocation indices by one affine permutation
 * of the minute: the invocation at position q fails with a timeout when q < T, runs out of
 * memory when q < T + O, fails with an error when q < T + O + E, and started cold when
 * q ≥ n − C. Downstream calls get their own permutations. So any invocation's fate is O(1),
 * and the exact number of, say, timeouts among the X-Ray-sampled prefix (invocations
 * 0..sampled-1) is a lattice-point count (see affine-permutation.ts) — the service graph and
 * the traces count the same invocations, and Logs writes its REPORT and error lines from the
 * same deal-out, so the lines of a failed invocation belong to a faulted trace.
 */

export type InvocationOutcome = "ok" | "error" | "timeout" | "out-of-memory";

/** Random streams of this module (kept apart from the model's and the identity streams). */
const Stream = {
  outcomeMultiplier: 221,
  outcomeOffset: 222,
  throttleSampling: 223,
  callMultiplier: 224,
  callOffset: 225,
  callExtraRounding: 226,
  callFaults: 227,
  callRoundOffset: 228,
  duration: 230,
  init: 231,
  callLatency: 232,
} as const;

/** Spread of one downstream call's latency around `latencyMs` (p99 ≈ 3 × median). */
export const CALL_LATENCY_SIGMA = 0.45;

/** How one downstream call of the function is dealt out over the minute's invocations. */
export interface CallPlan {
  call: DownstreamCall;
  /** Position of the call in `fn.calls`. */
  callIndex: number;
  node: NodeRef;
  /** Calls every invocation makes: ⌊perInvocation⌋. */
  base: number;
  /** Invocations at a position below `extraCount` make one more call. */
  extra: AffinePermutation;
  extraCount: number;
  /** Of the extra calls, those at a position below `extraFaults` fail (≤ extraCount). */
  extraFaults: number;
  /** Round j (< base) fails for invocations at a position below `faults` under its own offset. */
  rounds: { offset: number; faults: number }[];
}

/** One minute of one function, ready to answer per-invocation and per-prefix questions. */
export interface MinuteInvocations {
  fn: FunctionSpec;
  minute: number;
  invocations: number;
  /** X-Ray-sampled invocations: indices 0..sampled-1. */
  sampled: number;
  throttles: number;
  /** X-Ray-sampled throttled requests (indices invocations..invocations+sampledThrottles-1). */
  sampledThrottles: number;
  outcomes: AffinePermutation;
  /** Positions [0, timeoutEnd) time out, [timeoutEnd, oomEnd) run out of memory, [oomEnd, errorEnd) fail. */
  timeoutEnd: number;
  oomEnd: number;
  errorEnd: number;
  /** Positions ≥ coldFrom started cold. */
  coldFrom: number;
  durationLogMedian: number;
  durationSigma: number;
  timeoutMs: number;
  initLogMedian: number;
  initSigma: number;
  calls: CallPlan[];
}

/** Sampled requests of a minute never exceed its requests; the reservoir is spent on invocations first. */
function sampledThrottleCount(model: SimModel, fn: FunctionSpec, minute: number, invocations: number, throttles: number): number {
  if (!isTraced(fn) || throttles <= 0) return 0;
  const { reservoirPerSecond, fixedRate } = model.fleet.xraySampling;
  const reservoir = Math.min(throttles, Math.max(0, reservoirPerSecond * 60 - invocations));
  const u = uniformAt(model.seed, fn.nameHash, minute, Stream.throttleSampling);
  return reservoir + binomialFromUniform(throttles - reservoir, fixedRate, u);
}

function planCall(model: SimModel, fn: FunctionSpec, minute: number, invocations: number, call: DownstreamCall, callIndex: number): CallPlan {
  const u = (stream: number, part = 0) => uniformAt(model.seed, fn.nameHash, minute, stream, callIndex, part);
  const base = Math.floor(call.perInvocation);
  const extra = affinePermutation(invocations, u(Stream.callMultiplier), u(Stream.callOffset));
  const extraCount = Math.min(invocations, stochasticRound(invocations * (call.perInvocation - base), u(Stream.callExtraRounding)));
  const faultsOf = (calls: number, part: number) =>
    call.errorRatio > 0 ? binomialFromUniform(calls, call.errorRatio, u(Stream.callFaults, part)) : 0;
  const rounds = Array.from({ length: base }, (_, round) => ({
    offset: Math.floor(u(Stream.callRoundOffset, round) * invocations),
    faults: faultsOf(invocations, round + 1),
  }));
  return { call, callIndex, node: downstreamNodeOf(call), base, extra, extraCount, extraFaults: faultsOf(extraCount, 0), rounds };
}

/** Deals out minute `series.fromMinute + i` of the series' function. */
export function planMinute(model: SimModel, series: MinuteSeries, i: number): MinuteInvocations {
  const fn = series.fn;
  const minute = series.fromMinute + i;
  const invocations = series.invocations[i] ?? 0;
  const throttles = series.throttles[i] ?? 0;
  const timeouts = series.timeouts[i] ?? 0;
  const oom = series.oomErrors[i] ?? 0;
  const errors = series.errors[i] ?? 0;
  const cold = Math.min(invocations, series.coldStarts[i] ?? 0);
  const outcomes = affinePermutation(
    invocations,
    uniformAt(model.seed, fn.nameHash, minute, Stream.outcomeMultiplier),
    uniformAt(model.seed, fn.nameHash, minute, Stream.outcomeOffset),
  );
  return {
    fn,
    minute,
    invocations,
    sampled: sampledCount(model, fn, minute, invocations),
    throttles,
    sampledThrottles: sampledThrottleCount(model, fn, minute, invocations, throttles),
    outcomes,
    timeoutEnd: timeouts,
    oomEnd: timeouts + oom,
    errorEnd: Math.max(timeouts + oom, errors),
    coldFrom: invocations - cold,
    durationLogMedian: series.durationLogMedian[i] ?? 0,
    durationSigma: series.durationSigma[i] ?? 1,
    timeoutMs: series.timeoutMs[i] ?? 3000,
    initLogMedian: series.initLogMedian[i] ?? 0,
    initSigma: fn.initSigma,
    calls: isTraced(fn) ? fn.calls.map((call, callIndex) => planCall(model, fn, minute, invocations, call, callIndex)) : [],
  };
}

/** Outcome of invocation `index` (< invocations). */
export function outcomeOf(plan: MinuteInvocations, index: number): InvocationOutcome {
  const q = permute(plan.outcomes, index);
  if (q < plan.timeoutEnd) return "timeout";
  if (q < plan.oomEnd) return "out-of-memory";
  if (q < plan.errorEnd) return "error";
  return "ok";
}

/** Whether invocation `index` ran an INIT phase. */
export function isColdStart(plan: MinuteInvocations, index: number): boolean {
  return permute(plan.outcomes, index) >= plan.coldFrom;
}

/** Sampled invocations with one outcome and start kind. */
export interface SampledCohort {
  outcome: InvocationOutcome;
  cold: boolean;
  count: number;
}

/** The sampled invocations split by outcome × cold start (exact counts, no enumeration). */
export function sampledCohorts(plan: MinuteInvocations): SampledCohort[] {
  const ranges: [InvocationOutcome, number, number][] = [
    ["timeout", 0, plan.timeoutEnd],
    ["out-of-memory", plan.timeoutEnd, plan.oomEnd],
    ["error", plan.oomEnd, plan.errorEnd],
    ["ok", plan.errorEnd, plan.invocations],
  ];
  const cohorts: SampledCohort[] = [];
  for (const [outcome, from, to] of ranges) {
    if (to <= from) continue;
    const split = Math.min(to, Math.max(from, plan.coldFrom));
    const warm = countBetween(plan.outcomes, plan.sampled, from, split);
    const cold = countBetween(plan.outcomes, plan.sampled, split, to);
    if (warm > 0) cohorts.push({ outcome, cold: false, count: warm });
    if (cold > 0) cohorts.push({ outcome, cold: true, count: cold });
  }
  return cohorts;
}

function roundPermutation(call: CallPlan, round: number): AffinePermutation {
  const { extra } = call;
  const offset = call.rounds[round]?.offset ?? 0;
  return { size: extra.size, a: extra.a, b: extra.size > 0 ? (extra.b + offset) % extra.size : 0 };
}

/** Calls and failed calls of one downstream call among the sampled invocations (exact). */
export function sampledCallCounts(plan: MinuteInvocations, call: CallPlan): { calls: number; faults: number } {
  const s = plan.sampled;
  let faults = countBelow(call.extra, s, call.extraFaults);
  call.rounds.forEach((round, j) => {
    faults += countBelow(roundPermutation(call, j), s, round.faults);
  });
  return { calls: s * call.base + countBelow(call.extra, s, call.extraCount), faults };
}

/** The calls invocation `index` makes for one downstream call: one flag per call, true = failed. */
export function callFaultsOf(call: CallPlan, index: number): boolean[] {
  const faults = call.rounds.map((round, j) => permute(roundPermutation(call, j), index) < round.faults);
  const position = permute(call.extra, index);
  if (position < call.extraCount) faults.push(position < call.extraFaults);
  return faults;
}

/**
 * Duration (ms) of invocation `index`: the timeout for timed-out invocations, otherwise a draw
 * from the minute's lognormal conditioned on finishing before the timeout.
 */
export function durationMsOf(model: SimModel, plan: MinuteInvocations, index: number, outcome: InvocationOutcome): number {
  if (outcome === "timeout") return plan.timeoutMs;
  const { durationLogMedian: mu, durationSigma: sigma, timeoutMs } = plan;
  const belowTimeout = normalCdf((Math.log(timeoutMs) - mu) / sigma);
  const u = uniformAt(model.seed, plan.fn.nameHash, plan.minute, index, Stream.duration);
  return Math.min(timeoutMs, Math.exp(mu + sigma * normalInverseCdf(u * belowTimeout)));
}

/** Init duration (ms) of a cold invocation `index`. */
export function initMsOf(model: SimModel, plan: MinuteInvocations, index: number): number {
  const u = uniformAt(model.seed, plan.fn.nameHash, plan.minute, index, Stream.init);
  return Math.exp(plan.initLogMedian + plan.initSigma * normalInverseCdf(u));
}

/** Latency (ms) of call `callNumber` (0-based within the invocation) of a downstream call. */
export function callLatencyMsOf(model: SimModel, plan: MinuteInvocations, index: number, call: CallPlan, callNumber: number): number {
  const u = uniformAt(model.seed, plan.fn.nameHash, plan.minute, index, Stream.callLatency, call.callIndex * 1000 + callNumber);
  return Math.exp(Math.log(Math.max(0.1, call.call.latencyMs)) + CALL_LATENCY_SIGMA * normalInverseCdf(u));
}
