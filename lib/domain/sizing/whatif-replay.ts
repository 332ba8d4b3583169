import { estimateColdStartLatencyImpact, type DurationPercentilesPoint } from "@/lib/domain/cold-start/cold-start-latency";
import { normalCdf, normalQuantile } from "@/lib/domain/cold-start/normal-distribution";
import { mergePercentiles, mixtureQuantile, sketchFromCorePercentiles, tabulateMixture, type CountedPercentiles } from "@/lib/domain/cold-start/quantile-sketch";
import type { Percentiles } from "@/lib/domain/cold-start/report-stats";
import { coldStartDurationParts } from "@/lib/domain/cold-start/summarize-cold-starts";
import { firstTierDurationUsdPerGbSecond, lambdaPricesFor, type LambdaPrices } from "@/lib/domain/cost/lambda-price-book";
import type { Architecture, FunctionConfig } from "@/lib/domain/inventory/function-config";
import { DAY_MS, HOUR_MS, floorToHourMs } from "@/lib/domain/shared/time";
import { durationRatio } from "@/lib/domain/sizing/duration-model";
import { TARGET_TRACKING_LAG_MS, TARGET_TRACKING_SCALE_IN_MS, meanScheduledLevel, targetTrackingLevel } from "@/lib/domain/sizing/pc-plan";
import type { Confidence, DurationModel, PcPlan, PeriodSample, Range, SizingInput, WhatIfInput, WhatIfResult, WhatIfTotals } from "@/lib/domain/sizing/tuning-types";

export { formatPcPlan, parsePcSchedule } from "@/lib/domain/sizing/pc-plan";

/**
 * The what-if: replays the recorded window under a candidate configuration (memory,
 * architecture, provisioned concurrency, reserved concurrency), period by period, and sets it
 * beside the same replay under the current configuration (the "actual" side), so the two
 * differ only by the candidate — never by a formula applied to one side only.
 *
 * Per period, with k the duration ratio of the candidate (duration-model.ts):
 * - duration and concurrency scale by k (Little's law: concurrency = rate × duration);
 * - a reserved cap throttles the share (c' − cap) / c' of the demand above it;
 * - provisioned concurrency serves min(c', pc) / c' of the invocations, the rest spill over
 *   to on-demand; where the current PC had recorded spillover, the formula is calibrated to
 *   it (recorded × formula(candidate) / formula(current)), so an unchanged config replays
 *   exactly what was recorded;
 * - cold starts are the recorded ones per hour, spread over the hour's periods by
 *   invocations, scaled by projected / recorded on-demand invocations (none when PC covers c');
 * - cost = requests + on-demand GB-s (first tier) + PC allocated GB-s + PC duration GB-s.
 */

/** The configuration a replay runs under. */
export interface ReplayConfig {
  memoryMb: number;
  architecture: Architecture;
  pc: PcPlan;
  reservedConcurrency: number | null;
}

/** One period as recorded, ready to replay. */
interface RecordedPeriod {
  startMs: number;
  invocations: number;
  errors: number;
  throttles: number;
  /** ConcurrentExecutions Maximum; estimated from invocations × mean duration when missing. */
  concurrency: number;
  durationMs: number;
  p50Ms: number | null;
  p99Ms: number | null;
  /** Recorded ProvisionedConcurrencySpilloverInvocations of the PC qualifier; null without PC data. */
  spillover: number | null;
  /** Recorded cold starts attributed to this period. */
  coldStarts: number;
}

/** A window prepared for replaying under any configuration. */
export interface ReplayContext {
  fn: FunctionConfig;
  periodMs: number;
  periods: RecordedPeriod[];
  current: ReplayConfig;
  /** The qualifier PC plans apply to (the function's PC qualifier, else its first alias); null without either. */
  qualifier: string | null;
  /** Recorded cold starts per recorded on-demand invocation: used where a period had no on-demand traffic to scale from. */
  fallbackColdStartRate: number;
  coldStartParts: CountedPercentiles[];
  coldStartDurationMs: Percentiles | null;
  assumptions: string[];
}

/** One period replayed under a configuration. */
export interface PeriodOutcome {
  startMs: number;
  /** Invocations that ran (demand − throttles). */
  invocations: number;
  errors: number;
  throttles: number;
  concurrency: number;
  /** Provisioned environments in effect (time-weighted mean over the period). */
  provisioned: number;
  spillover: number;
  onDemandInvocations: number;
  coldStarts: number;
  costUsd: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

/** The PC qualifier a plan applies to: the one with the most provisioned concurrency, else the first alias. */
export function pcQualifierOf(fn: FunctionConfig): string | null {
  const configured = [...fn.provisionedConcurrency].sort((a, b) => b.requested - a.requested)[0];
  return configured?.qualifier ?? fn.aliases[0]?.name ?? null;
}

/** The function's current plan on its PC qualifier: fixed at the requested executions, or none. */
export function currentPcPlan(fn: FunctionConfig): PcPlan {
  const qualifier = pcQualifierOf(fn);
  const config = fn.provisionedConcurrency.find((c) => c.qualifier === qualifier);
  const executions = config ? config.requested || config.allocated : 0;
  return executions > 0 ? { kind: "fixed", executions } : { kind: "none" };
}

/** Invocation-weighted mean duration of the recorded periods; the model's first observation when none has one. */
function fallbackDurationMs(periods: readonly PeriodSample[], input: WhatIfInput): number {
  let w = 0;
  let sum = 0;
  for (const p of periods) {
    if (p.invocations > 0 && p.durationAvgMs !== null) {
      w += p.invocations;
      sum += p.durationAvgMs * p.invocations;
    }
  }
  if (w > 0) return sum / w;
  const obs = input.model.observations.find((o) => o.memoryMb === input.fn.memoryMb) ?? input.model.observations[0];
  return obs?.meanDurationMs ?? 0;
}

/** Recorded cold starts per UTC hour (all versions and memory sizes). */
function coldStartsByHour(input: WhatIfInput): Map<number, number> {
  const byHour = new Map<number, number>();
  for (const s of input.reportStats) {
    if (s.hourStartMs < floorToHourMs(input.window.fromMs) || s.hourStartMs >= input.window.toMs) continue;
    byHour.set(s.hourStartMs, (byHour.get(s.hourStartMs) ?? 0) + s.coldStarts);
  }
  return byHour;
}

/** Each period's share of its hour's cold starts, by invocations (evenly when the hour had none). */
function spreadColdStarts(periods: readonly PeriodSample[], byHour: ReadonlyMap<number, number>): number[] {
  const hourInvocations = new Map<number, { invocations: number; periods: number }>();
  for (const p of periods) {
    const h = floorToHourMs(p.startMs);
    const acc = hourInvocations.get(h) ?? { invocations: 0, periods: 0 };
    acc.invocations += p.invocations;
    acc.periods += 1;
    hourInvocations.set(h, acc);
  }
  return periods.map((p) => {
    const h = floorToHourMs(p.startMs);
    const cold = byHour.get(h) ?? 0;
    const acc = hourInvocations.get(h)!;
    return acc.invocations > 0 ? (cold * p.invocations) / acc.invocations : cold / acc.periods;
  });
}

/** The lookback's hours of a sizing input, prepared for replaying plans against (the recommenders price plans with it). */
export function prepareLookbackReplay(input: SizingInput, model: DurationModel): ReplayContext {
  return prepareReplay({
    fn: input.fn,
    model,
    window: input.window,
    periods: input.hours,
    periodMs: HOUR_MS,
    pc: input.pc.map((q) => ({ qualifier: q.qualifier, periods: q.hours })),
    reportStats: input.reportStats,
    slos: [],
    candidate: {},
    settings: input.settings,
  });
}

/** Prepares a what-if input for replaying: recorded values per period, the current config, cold-start facts. */
export function prepareReplay(input: WhatIfInput): ReplayContext {
  const qualifier = pcQualifierOf(input.fn);
  const current: ReplayConfig = {
    memoryMb: input.fn.memoryMb,
    architecture: input.fn.architecture,
    pc: currentPcPlan(input.fn),
    reservedConcurrency: input.fn.reservedConcurrency,
  };
  const inWindow = input.periods.filter((p) => p.startMs >= input.window.fromMs && p.startMs < input.window.toMs);
  const pcPeriods = new Map((input.pc.find((q) => q.qualifier === qualifier)?.periods ?? []).map((p) => [p.startMs, p]));
  const fallbackMs = fallbackDurationMs(inWindow, input);
  const cold = spreadColdStarts(inWindow, coldStartsByHour(input));
  const periods: RecordedPeriod[] = inWindow.map((p, i) => {
    const durationMs = p.durationAvgMs ?? fallbackMs;
    const estimated = (p.invocations * durationMs) / input.periodMs;
    return {
      startMs: p.startMs,
      invocations: p.invocations,
      errors: p.errors,
      throttles: p.throttles,
      concurrency: Math.max(p.concurrencyMax ?? 0, p.concurrencyMax === null ? estimated : 0),
      durationMs,
      p50Ms: p.durationP50Ms,
      p99Ms: p.durationP99Ms,
      spillover: pcPeriods.get(p.startMs)?.spilloverInvocations ?? null,
      coldStarts: cold[i]!,
    };
  });
  const currentHasPc = current.pc.kind !== "none";
  let onDemand = 0;
  let coldTotal = 0;
  for (const p of periods) {
    onDemand += currentHasPc ? (p.spillover ?? 0) : p.invocations;
    coldTotal += p.coldStarts;
  }
  const parts = coldStartDurationParts(input.reportStats.filter((s) => s.hourStartMs >= floorToHourMs(input.window.fromMs) && s.hourStartMs < input.window.toMs));
  const assumptions = [
    "Durations and concurrency scale together (Little's law: concurrency = request rate × duration).",
    "All of the function's traffic goes through its provisioned-concurrency qualifier.",
    "Cold starts scale with on-demand invocations; none where provisioned concurrency covers the concurrency.",
    "Duration is priced at the first on-demand tier; the free tier is not deducted.",
  ];
  if (input.fn.provisionedConcurrency.length > 1) assumptions.push(`Only ${qualifier ?? "one qualifier"}'s provisioned concurrency is replayed; the other qualifiers' is left out of both sides.`);
  return {
    fn: input.fn,
    periodMs: input.periodMs,
    periods,
    current,
    qualifier,
    fallbackColdStartRate: onDemand > 0 ? coldTotal / onDemand : 0,
    coldStartParts: parts,
    coldStartDurationMs: mergePercentiles(parts),
    assumptions,
  };
}

/** Invocations, throttles and concurrency of a period under a reserved cap, with durations scaled by k. */
function applyReservedCap(p: RecordedPeriod, capNow: number | null, cap: number | null, k: number): { invocations: number; throttles: number; concurrency: number } {
  if (cap === capNow) {
    const scaled = p.concurrency * k;
    const extra = cap !== null && scaled > cap && scaled > 0 ? (p.invocations * (scaled - cap)) / scaled : 0;
    return { invocations: p.invocations - extra, throttles: p.throttles + extra, concurrency: cap === null ? scaled : Math.min(scaled, cap) };
  }
  // The cap changes: start from the demand (ran + throttled) and its concurrency, had nothing been throttled.
  const demand = p.invocations + p.throttles;
  const demandConcurrency = (p.invocations > 0 ? (p.concurrency * demand) / p.invocations : p.throttles > 0 ? (capNow ?? 0) : 0) * k;
  const throttles = cap !== null && demandConcurrency > cap && demandConcurrency > 0 ? (demand * (demandConcurrency - cap)) / demandConcurrency : 0;
  return { invocations: demand - throttles, throttles, concurrency: cap === null ? demandConcurrency : Math.min(demandConcurrency, cap) };
}

/** Spillover of the PC-served traffic to on-demand: the share of concurrency above the provisioned level. */
function spilloverFormula(invocations: number, concurrency: number, provisioned: number): number {
  if (provisioned <= 0 || concurrency <= 0) return 0;
  return (invocations * Math.max(0, concurrency - provisioned)) / concurrency;
}

/**
 * Provisioned environments per period under a plan. Target tracking scales out on the
 * projected concurrency TARGET_TRACKING_LAG_MS late and scales in only after
 * TARGET_TRACKING_SCALE_IN_MS (its scale-in alarm waits longer), so it keeps the highest level
 * wanted over that span — on hourly data, the previous hour's level when traffic falls.
 */
function provisionedLevels(plan: PcPlan, startMs: readonly number[], concurrency: readonly number[], periodMs: number): number[] {
  if (plan.kind !== "target-tracking") return startMs.map((s) => meanScheduledLevel(plan, s, periodMs));
  const outLag = Math.round(TARGET_TRACKING_LAG_MS / periodMs);
  const inLag = Math.max(1, Math.round(TARGET_TRACKING_SCALE_IN_MS / periodMs));
  const wanted = concurrency.map((_, i) => targetTrackingLevel(plan, concurrency[Math.max(0, i - outLag)]!));
  return wanted.map((_, i) => Math.max(...wanted.slice(Math.max(0, i - inLag), i + 1)));
}

function usdPerPeriod(prices: LambdaPrices, memoryMb: number, periodSeconds: number) {
  const gb = memoryMb / 1024;
  return {
    request: prices.requestUsd,
    onDemandPerSecond: firstTierDurationUsdPerGbSecond(prices) * gb,
    pcDurationPerSecond: prices.provisionedDurationUsdPerGbSecond * gb,
    pcAllocatedPerEnvironment: prices.provisionedConcurrencyUsdPerGbSecond * gb * periodSeconds,
  };
}

/** Replays every period under `config`, with durations scaled by `k` (1 = as recorded). */
export function replayPeriods(ctx: ReplayContext, config: ReplayConfig, k: number): PeriodOutcome[] {
  const usd = usdPerPeriod(lambdaPricesFor(ctx.fn.region, config.architecture).prices, config.memoryMb, ctx.periodMs / 1000);
  const capped = ctx.periods.map((p) => applyReservedCap(p, ctx.current.reservedConcurrency, config.reservedConcurrency, k));
  const levels = provisionedLevels(
    config.pc,
    ctx.periods.map((p) => p.startMs),
    capped.map((c) => c.concurrency),
    ctx.periodMs,
  );
  const currentLevels = provisionedLevels(
    ctx.current.pc,
    ctx.periods.map((p) => p.startMs),
    ctx.periods.map((p) => p.concurrency),
    ctx.periodMs,
  );
  return ctx.periods.map((p, i) => {
    const { invocations, throttles, concurrency } = capped[i]!;
    const level = levels[i]!;
    const levelNow = currentLevels[i]!;
    const spillover = level > 0 ? Math.min(invocations, calibratedSpillover(p, levelNow, { invocations, concurrency, level })) : 0;
    const onDemand = level > 0 ? spillover : invocations;
    const onDemandNow = levelNow > 0 ? (p.spillover ?? spilloverFormula(p.invocations, p.concurrency, levelNow)) : p.invocations;
    // Cold starts recorded with nothing on demand happened on PC-served traffic (environments recycled): they stay.
    const coldStarts = onDemandNow > 0 ? (p.coldStarts * onDemand) / onDemandNow : p.coldStarts + onDemand * ctx.fallbackColdStartRate;
    const durationSeconds = (p.durationMs * k) / 1000;
    const costUsd =
      invocations * usd.request +
      level * usd.pcAllocatedPerEnvironment +
      (invocations - onDemand) * durationSeconds * usd.pcDurationPerSecond +
      onDemand * durationSeconds * usd.onDemandPerSecond;
    return {
      startMs: p.startMs,
      invocations,
      errors: p.invocations > 0 ? (p.errors * invocations) / p.invocations : 0,
      throttles,
      concurrency,
      provisioned: level,
      spillover,
      onDemandInvocations: onDemand,
      coldStarts,
      costUsd,
      p50Ms: p.p50Ms === null ? null : p.p50Ms * k,
      p99Ms: p.p99Ms === null ? null : p.p99Ms * k,
    };
  });
}

/**
 * Spillover under a projected level, calibrated to what was recorded under the current one:
 * recorded × formula(projected) / formula(current). Where the current formula sees none but
 * spillover was recorded (concurrency exactly at the level), it is kept while the projection
 * provisions no more and runs no less concurrency.
 */
function calibratedSpillover(p: RecordedPeriod, levelNow: number, projected: { invocations: number; concurrency: number; level: number }): number {
  const formula = spilloverFormula(projected.invocations, projected.concurrency, projected.level);
  if (levelNow <= 0 || p.spillover === null) return formula;
  const formulaNow = spilloverFormula(p.invocations, p.concurrency, levelNow);
  if (formulaNow > 0) return (p.spillover * formula) / formulaNow;
  const noBetter = projected.level <= levelNow && projected.concurrency >= p.concurrency;
  return noBetter && p.invocations > 0 ? (p.spillover * projected.invocations) / p.invocations : formula;
}

/** Sums of a replay's periods. */
export interface ReplaySums {
  invocations: number;
  errors: number;
  throttles: number;
  spillover: number;
  coldStarts: number;
  costUsd: number;
  onDemandInvocations: number;
}

export function sumOutcomes(outcomes: readonly PeriodOutcome[]): ReplaySums {
  const sums: ReplaySums = { invocations: 0, errors: 0, throttles: 0, spillover: 0, coldStarts: 0, costUsd: 0, onDemandInvocations: 0 };
  for (const o of outcomes) {
    sums.invocations += o.invocations;
    sums.errors += o.errors;
    sums.throttles += o.throttles;
    sums.spillover += o.spillover;
    sums.coldStarts += o.coldStarts;
    sums.costUsd += o.costUsd;
    sums.onDemandInvocations += o.onDemandInvocations;
  }
  return sums;
}

const Z90 = normalQuantile(0.9);
const Z99 = normalQuantile(0.99);

/** p90 of a log-normal through p50 and p99 (CloudWatch series here keep only those two). */
function logNormalP90(p50: number, p99: number): number {
  return Math.exp(Math.log(p50) + ((Math.log(p99) - Math.log(p50)) * Z90) / Z99);
}

/** Warm duration percentiles per clock hour (invocation-weighted), which bounds the mixture's size on minute data. */
function hourlyWarmPercentiles(outcomes: readonly PeriodOutcome[]): DurationPercentilesPoint[] {
  const byHour = new Map<number, { w: number; p50: number; p99: number }>();
  for (const o of outcomes) {
    if (o.invocations <= 0 || o.p50Ms === null || o.p99Ms === null || o.p50Ms <= 0) continue;
    const h = floorToHourMs(o.startMs);
    const acc = byHour.get(h) ?? { w: 0, p50: 0, p99: 0 };
    acc.w += o.invocations;
    acc.p50 += o.p50Ms * o.invocations;
    acc.p99 += Math.max(o.p99Ms, o.p50Ms) * o.invocations;
    byHour.set(h, acc);
  }
  return [...byHour.values()].map((a) => {
    const p50 = a.p50 / a.w;
    const p99 = a.p99 / a.w;
    return { p50, p90: logNormalP90(p50, p99), p99, invocations: a.w };
  });
}

/**
 * p50 (warm mixture) and p99 (warm plus cold starts, cold-start-latency.ts) of a replay, and
 * the p99 were every call warm; null when too little data (fewer than 100 invocations).
 */
export function replayLatency(ctx: ReplayContext, outcomes: readonly PeriodOutcome[]): { p50Ms: number | null; p99Ms: number | null; warmP99Ms: number | null } {
  const warm = hourlyWarmPercentiles(outcomes);
  const mixture = tabulateMixture(warm.map((p) => ({ sketch: sketchFromCorePercentiles(p), weight: p.invocations })));
  const sums = sumOutcomes(outcomes);
  const impact = estimateColdStartLatencyImpact({
    invocations: Math.round(sums.invocations),
    coldStarts: sums.coldStarts,
    warmDurations: warm,
    coldStartDurations: ctx.coldStartParts,
  });
  return {
    p50Ms: mixture === null ? null : mixtureQuantile(mixture, 0.5),
    p99Ms: impact.kind === "estimated" ? impact.callerP99Ms : null,
    warmP99Ms: impact.kind === "estimated" ? impact.warmP99Ms : null,
  };
}

/** P(X > x) for a log-normal through p50 and p99. */
function logNormalExceedance(p50: number, p99: number, x: number): number {
  if (x <= 0) return 1;
  const sigma = Math.max(1e-6, (Math.log(Math.max(p99, p50)) - Math.log(p50)) / Z99);
  return 1 - normalCdf((Math.log(x) - Math.log(p50)) / sigma);
}

/** Burn rate of each SLO over a replay: bad / total / (1 − objective). */
function sloBurnOf(ctx: ReplayContext, input: WhatIfInput, outcomes: readonly PeriodOutcome[]): WhatIfTotals["sloBurn"] {
  return input.slos.map((slo) => {
    const budget = 1 - slo.objective;
    if (!(budget > 0)) return { sloId: slo.sloId, name: slo.name, burnRate: null };
    if (slo.kind === "availability") {
      const s = sumOutcomes(outcomes);
      const total = s.invocations + s.throttles;
      return { sloId: slo.sloId, name: slo.name, burnRate: total > 0 ? (s.errors + s.throttles) / total / budget : null };
    }
    if (slo.thresholdMs === null) return { sloId: slo.sloId, name: slo.name, burnRate: null };
    const ratio = latencyBadRatio(ctx, outcomes, slo.thresholdMs);
    return { sloId: slo.sloId, name: slo.name, burnRate: ratio === null ? null : ratio / budget };
  });
}

/**
 * Share of invocations slower than `thresholdMs`: warm ones from a log-normal through the
 * period's p50/p99, cold ones when init + the period's median duration exceeds it (init from
 * a log-normal through the window's init p50/p99; every cold start counts as slow when no
 * init was recorded).
 */
function latencyBadRatio(ctx: ReplayContext, outcomes: readonly PeriodOutcome[], thresholdMs: number): number | null {
  let bad = 0;
  let total = 0;
  const init = ctx.coldStartDurationMs;
  for (const o of outcomes) {
    if (o.invocations <= 0 || o.p50Ms === null || o.p99Ms === null || o.p50Ms <= 0) continue;
    const cold = Math.min(o.coldStarts, o.invocations);
    const coldSlow = init === null ? 1 : logNormalExceedance(Math.max(init.p50, 0.01), init.p99, thresholdMs - o.p50Ms);
    bad += (o.invocations - cold) * logNormalExceedance(o.p50Ms, o.p99Ms, thresholdMs) + cold * coldSlow;
    total += o.invocations;
  }
  return total > 0 ? bad / total : null;
}

function pickLatency(l: { p50Ms: number | null; p99Ms: number | null }): { p50Ms: number | null; p99Ms: number | null } {
  return { p50Ms: l.p50Ms, p99Ms: l.p99Ms };
}

function totalsOf(ctx: ReplayContext, input: WhatIfInput, outcomes: readonly PeriodOutcome[]): WhatIfTotals {
  const s = sumOutcomes(outcomes);
  return {
    invocations: s.invocations,
    costUsd: s.costUsd,
    coldStarts: s.coldStarts,
    ...pickLatency(replayLatency(ctx, outcomes)),
    throttles: s.throttles,
    spillover: s.spillover,
    sloBurn: sloBurnOf(ctx, input, outcomes),
  };
}

function rangeOf(values: readonly number[], expected: number): Range {
  return { lower: Math.min(...values, expected), expected, upper: Math.max(...values, expected) };
}

/** The candidate with the current setting wherever it leaves one out. */
export function resolveCandidate(ctx: ReplayContext, input: WhatIfInput): ReplayConfig {
  const c = input.candidate;
  return {
    memoryMb: c.memoryMb ?? ctx.current.memoryMb,
    architecture: c.architecture ?? ctx.current.architecture,
    pc: c.pc ?? ctx.current.pc,
    reservedConcurrency: c.reservedConcurrency === undefined ? ctx.current.reservedConcurrency : c.reservedConcurrency,
  };
}

function confidenceOf(ctx: ReplayContext, input: WhatIfInput, candidate: ReplayConfig): Confidence {
  const days = (ctx.periods.length * ctx.periodMs) / DAY_MS;
  const changesDuration = candidate.memoryMb !== ctx.current.memoryMb || candidate.architecture !== ctx.current.architecture;
  let confidence: Confidence = days >= 7 ? "high" : days >= 2 ? "medium" : "low";
  const lower = (c: Confidence): Confidence => (c === "high" ? "medium" : "low");
  if (changesDuration && input.model.basis === "prior") confidence = "low";
  else if (changesDuration) confidence = lower(confidence);
  if (candidate.pc.kind === "target-tracking" && confidence === "high") confidence = "medium";
  return confidence;
}

function replayAssumptions(ctx: ReplayContext, input: WhatIfInput, candidate: ReplayConfig, k: Range): string[] {
  const notes = [...ctx.assumptions];
  if (candidate.memoryMb !== ctx.current.memoryMb || candidate.architecture !== ctx.current.architecture) {
    notes.push(
      `Duration scales by ×${k.expected.toFixed(2)} (range ×${k.lower.toFixed(2)}–×${k.upper.toFixed(2)}) from the ${input.model.basis} duration model; cold-start counts do not change with memory.`,
    );
  }
  if (candidate.pc.kind === "target-tracking") {
    notes.push(
      `Target tracking follows the projected concurrency at ${Math.round(candidate.pc.targetUtilisation * 100)} % utilisation about 3 minutes late (its alarms average over ~3 minutes; bursts shorter than that spill over) and scales in about 15 minutes late; on hourly data it holds each hour at the higher of that hour's and the previous hour's level.`,
    );
  }
  if (ctx.periodMs >= HOUR_MS) notes.push("Hourly periods: spillover and throttles use each hour's peak concurrency for the whole hour (an upper bound).");
  return notes;
}

/** Groups actual and projected outcomes into clock hours for the chart. */
function hourlyChart(actual: readonly PeriodOutcome[], projected: readonly PeriodOutcome[], recorded: readonly RecordedPeriod[]): WhatIfResult["hours"] {
  const rows = new Map<number, WhatIfResult["hours"][number]>();
  actual.forEach((a, i) => {
    const p = projected[i]!;
    const startMs = floorToHourMs(a.startMs);
    const row = rows.get(startMs) ?? {
      startMs,
      actualCostUsd: 0,
      projectedCostUsd: 0,
      actualColdStarts: 0,
      projectedColdStarts: 0,
      actualConcurrencyMax: 0,
      projectedConcurrencyMax: 0,
      provisioned: 0,
      throttles: 0,
      projectedThrottles: 0,
    };
    row.actualCostUsd += a.costUsd;
    row.projectedCostUsd += p.costUsd;
    row.actualColdStarts += a.coldStarts;
    row.projectedColdStarts += p.coldStarts;
    row.actualConcurrencyMax = Math.max(row.actualConcurrencyMax, recorded[i]!.concurrency);
    row.projectedConcurrencyMax = Math.max(row.projectedConcurrencyMax, p.concurrency);
    row.provisioned = Math.max(row.provisioned, p.provisioned);
    row.throttles += a.throttles;
    row.projectedThrottles += p.throttles;
    rows.set(startMs, row);
  });
  return [...rows.values()].sort((x, y) => x.startMs - y.startMs);
}

/**
 * Replays the window under the candidate and under the current configuration (see the file
 * comment). Cost and p99 carry the duration model's range (each end replayed on its own).
 */
export function replayWhatIf(input: WhatIfInput): WhatIfResult {
  const ctx = prepareReplay(input);
  const candidate = resolveCandidate(ctx, input);
  const k = durationRatio(input.model, ctx.current.memoryMb, candidate.memoryMb, candidate.architecture, input.settings.arm64CpuRatio);
  const actualOutcomes = replayPeriods(ctx, ctx.current, 1);
  const projectedOutcomes = replayPeriods(ctx, candidate, k.expected);
  const ends = [k.lower, k.upper].filter((v) => Math.abs(v - k.expected) > 1e-12).map((v) => replayPeriods(ctx, candidate, v));
  const projected = totalsOf(ctx, input, projectedOutcomes);
  const endP99s = ends.map((o) => replayLatency(ctx, o).p99Ms).filter((v): v is number => v !== null);
  return {
    functionName: input.fn.functionName,
    window: input.window,
    current: { ...ctx.current },
    candidate,
    actual: totalsOf(ctx, input, actualOutcomes),
    projected: {
      ...projected,
      costUsdRange: rangeOf(
        ends.map((o) => sumOutcomes(o).costUsd),
        projected.costUsd,
      ),
      p99MsRange: projected.p99Ms === null ? null : rangeOf(endP99s, projected.p99Ms),
    },
    hours: hourlyChart(actualOutcomes, projectedOutcomes, ctx.periods),
    assumptions: replayAssumptions(ctx, input, candidate, k),
    confidence: confidenceOf(ctx, input, candidate),
  };
}
