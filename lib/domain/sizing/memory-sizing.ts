import type { ReportStats } from "@/lib/domain/cold-start/report-stats";
import { firstTierDurationUsdPerGbSecond, lambdaPricesFor, toGbSeconds } from "@/lib/domain/cost/lambda-price-book";
import type { Architecture, FunctionConfig } from "@/lib/domain/inventory/function-config";
import { DAY_MS, HOUR_MS } from "@/lib/domain/shared/time";
import { projectMeanDurationMs } from "@/lib/domain/sizing/duration-model";
import {
  MAX_MEMORY_MB,
  MB_PER_VCPU,
  MIN_MEMORY_MB,
  type Confidence,
  type DurationModel,
  type MemoryOption,
  type PeriodSample,
  type Range,
  type Recommendation,
  type SizingInput,
  type SizingSettings,
  type TuningFinding,
} from "@/lib/domain/sizing/tuning-types";

/**
 * Memory recommendations (issue 7): which memory size a function should have, from what it
 * uses (Max Memory Used, out-of-memory kills) and how its duration — hence its cost and
 * latency — moves with memory (the duration model). Every whole MB from 128 to 10,240 is
 * priced, so the picks are exact rather than limited to a few tested sizes (Power Tuning) or
 * to functions at most 1,792 MB with 50 invocations (Compute Optimizer, FACTS §5).
 */

/** Projections are for a 30-day month at the traffic observed in the lookback. */
export const MONTH_DAYS = 30;
/** Duration is billed per 1 ms rounded up: on average half a millisecond more than measured. */
export const BILLING_ROUNDING_MS = 0.5;
/** Below this many invocations in the lookback the figures are anecdotes: confidence is low (Compute Optimizer's own minimum). */
export const MIN_CONFIDENT_INVOCATIONS = 50;
/** The speed pick: the smallest size whose expected mean is within this share of the fastest. */
export const SPEED_TOLERANCE = 0.01;
/** Raising memory of a safe function is worth it for at least this p50 improvement… */
export const CPU_STARVED_MIN_P50_GAIN = 0.3;
/** …at no more than this share of extra cost. */
export const CPU_STARVED_MAX_COST_INCREASE = 0.1;
/** A projection whose range spans at most this share of its expected value is "narrow". */
export const NARROW_RANGE_SHARE = 0.25;
/** riskUnits multiplier per confidence (the fleet list ranks by saving / risk). */
const CONFIDENCE_RISK: Readonly<Record<Confidence, number>> = { high: 1, medium: 2, low: 4 };
/** Each +100 % of worst-case p50 adds this many times the confidence's risk. */
const LATENCY_RISK_WEIGHT = 2;
/** Compute Optimizer's scope for Lambda (FACTS §5): mentioned when this goes beyond it. */
const COMPUTE_OPTIMIZER_MAX_MB = 1792;

export interface MemorySizingResult {
  recommendation: Recommendation | null;
  options: MemoryOption[];
  note: string | null;
}

// ─── Traffic and cost (reused by the other sizing analyses) ─────────────────────────────

export interface ObservedTraffic {
  /** Invocations in the lookback. */
  invocations: number;
  /** Length of the lookback in days. */
  days: number;
  perDay: number;
  /** perDay × 30. */
  monthly: number;
}

/**
 * Invocations a day over the lookback, from the CloudWatch hours (every hour of the window,
 * so empty hours count as quiet, not missing); the REPORT lines stand in when CloudWatch
 * published nothing.
 */
export function observedTraffic(input: Pick<SizingInput, "window" | "hours" | "reportStats">): ObservedTraffic {
  const fromHours = input.hours.reduce((sum, h) => sum + Math.max(0, h.invocations), 0);
  const invocations = fromHours > 0 ? fromHours : input.reportStats.reduce((sum, s) => sum + Math.max(0, s.invocations), 0);
  const spanMs = input.hours.length > 0 ? input.hours.length * HOUR_MS : Math.max(0, input.window.toMs - input.window.fromMs);
  const days = spanMs / DAY_MS;
  const perDay = days > 0 ? invocations / days : 0;
  return { invocations, days, perDay, monthly: perDay * MONTH_DAYS };
}

/**
 * On-demand cost (USD) of `invocations` at one configuration: the request fee plus duration at
 * the first-tier price of the region and architecture (one function rarely decides its
 * account's tier), with BILLING_ROUNDING_MS added for the 1 ms rounding.
 */
export function onDemandCostUsd(c: { region: string; architecture: Architecture; memoryMb: number; meanDurationMs: number; invocations: number }): number {
  const { prices } = lambdaPricesFor(c.region, c.architecture);
  const gbSeconds = c.invocations * toGbSeconds(c.meanDurationMs + BILLING_ROUNDING_MS, c.memoryMb);
  return c.invocations * prices.requestUsd + gbSeconds * firstTierDurationUsdPerGbSecond(prices);
}

/** onDemandCostUsd at each end of a mean-duration range (cost grows with duration, so the order holds). */
export function onDemandCostRangeUsd(c: { region: string; architecture: Architecture; memoryMb: number; meanDurationMs: Range; invocations: number }): Range {
  return mapRange(c.meanDurationMs, (meanDurationMs) => onDemandCostUsd({ ...c, meanDurationMs }));
}

/**
 * The function's projected on-demand cost for a 30-day month at its observed traffic, at a
 * memory size and architecture: the duration model's mean there, priced (a Range).
 */
export function monthlyOnDemandCostUsd(input: SizingInput, model: DurationModel, memoryMb: number, architecture: Architecture): Range {
  const meanDurationMs = projectMeanDurationMs(model, memoryMb, architecture, input.settings.arm64CpuRatio);
  return onDemandCostRangeUsd({ region: input.fn.region, architecture, memoryMb, meanDurationMs, invocations: observedTraffic(input).monthly });
}

/**
 * The CloudWatch hours since the function last ran at another memory size (per its REPORT
 * lines): "now" for latency means the current configuration, not the lookback's mix.
 */
export function hoursAtCurrentSize(input: Pick<SizingInput, "fn" | "hours" | "reportStats">): PeriodSample[] {
  let since = Number.NEGATIVE_INFINITY;
  for (const s of input.reportStats) {
    if (s.invocations > 0 && s.memorySizeMb !== input.fn.memoryMb) since = Math.max(since, s.hourStartMs + HOUR_MS);
  }
  return input.hours.filter((h) => h.startMs >= since);
}

/** Invocation-weighted mean of the hourly p50 and p99 (percentiles do not add up across hours; this estimates them). Null without datapoints. */
export function measuredLatency(hours: readonly PeriodSample[]): { p50Ms: number | null; p99Ms: number | null } {
  return {
    p50Ms: weightedMean(hours, (h) => h.durationP50Ms),
    p99Ms: weightedMean(hours, (h) => h.durationP99Ms),
  };
}

// ─── Safety ──────────────────────────────────────────────────────────────────────────

export interface MemorySafety {
  /** Highest Max Memory Used in the lookback (an out-of-memory kill at S counts as using all of S); null without REPORT lines. */
  peakUsedMb: number | null;
  /** Out-of-memory kills in the lookback, at any size. */
  outOfMemory: number;
  /** …of which at the configured size or above (kills at a smaller, earlier size do not condemn the current one). */
  outOfMemoryAtCurrent: number;
  /** No pick goes below this: headroom × peak, at least 128 MB (the configured size when the peak is unknown). */
  floorMb: number;
  /** The configured size runs out of memory or leaves less than the headroom. */
  unsafe: boolean;
}

/** What the REPORT lines say about memory: the peak, the kills, and the smallest safe size. */
export function assessMemorySafety(fn: Pick<FunctionConfig, "memoryMb">, stats: readonly ReportStats[], headroom: number): MemorySafety {
  let peak: number | null = null;
  let outOfMemory = 0;
  let outOfMemoryAtCurrent = 0;
  for (const s of stats) {
    if (s.invocations <= 0) continue;
    const used = s.outOfMemory > 0 ? Math.max(s.maxMemoryUsedMb.max, s.memorySizeMb) : s.maxMemoryUsedMb.max;
    peak = Math.max(peak ?? 0, used);
    outOfMemory += s.outOfMemory;
    if (s.memorySizeMb >= fn.memoryMb) outOfMemoryAtCurrent += s.outOfMemory;
  }
  // The epsilon keeps 1.3 × 100 = 130.00000000000003 from rounding up to 131.
  const floorMb = peak === null ? fn.memoryMb : clamp(Math.ceil(headroom * peak - 1e-9), MIN_MEMORY_MB, MAX_MEMORY_MB);
  const unsafe = outOfMemoryAtCurrent > 0 || (peak !== null && headroom * peak > fn.memoryMb + 1e-9);
  return { peakUsedMb: peak, outOfMemory, outOfMemoryAtCurrent, floorMb, unsafe };
}

// ─── Candidates and strategies ───────────────────────────────────────────────────────

interface Candidate {
  memoryMb: number;
  meanMs: Range;
  p50Ms: Range;
  p99Ms: Range;
  costUsd: Range;
}

interface Picks {
  cost: Candidate;
  balanced: Candidate;
  speed: Candidate;
}

/**
 * Projects memory sizes: mean duration from the model, p50/p99 by the measured shape, cost
 * from the mean (onDemandCostUsd's formula, with the prices looked up once: this runs for
 * every MB from 128 to 10,240).
 */
function candidateEvaluator(input: SizingInput, model: DurationModel, monthlyInvocations: number): (memoryMb: number) => Candidate {
  const { prices } = lambdaPricesFor(input.fn.region, input.fn.architecture);
  const requestsUsd = monthlyInvocations * prices.requestUsd;
  const usdPerMbMs = (monthlyInvocations * firstTierDurationUsdPerGbSecond(prices)) / 1000 / 1024;
  return (memoryMb) => {
    const meanMs = projectMeanDurationMs(model, memoryMb, input.fn.architecture, input.settings.arm64CpuRatio);
    const cost = (ms: number) => requestsUsd + (ms + BILLING_ROUNDING_MS) * memoryMb * usdPerMbMs;
    return {
      memoryMb,
      meanMs,
      p50Ms: scaleRange(meanMs, model.p50ToMean),
      p99Ms: scaleRange(meanMs, model.p99ToMean),
      costUsd: { lower: cost(meanMs.lower), expected: cost(meanMs.expected), upper: cost(meanMs.upper) },
    };
  };
}

/** The coarse pass's step; the fine pass looks at every MB within one step of its picks. */
const COARSE_STEP_MB = 16;

/**
 * Every whole MB from the safety floor to 10,240 is a candidate; all strategies pick from
 * these (a size that runs out of memory is not cheap or fast, whatever its projected
 * duration). They are searched in two passes: every COARSE_STEP_MB (plus the floor, one vCPU
 * and the maximum), then every MB within a step of each coarse pick. Each strategy's pick is
 * where a monotone quantity (cost, duration, the latency gate, the cost allowance) crosses a
 * line, so that neighbourhood holds the exact pick — at a twelfth of the work.
 */
function pickStrategies(evaluate: (memoryMb: number) => Candidate, floorMb: number, gateP50Ms: number | null): { picks: Picks; smallestSafe: Candidate } {
  const from = Math.max(MIN_MEMORY_MB, floorMb);
  const sizes = new Set<number>([from, MB_PER_VCPU, MAX_MEMORY_MB].filter((m) => m >= from));
  for (let m = Math.ceil(from / COARSE_STEP_MB) * COARSE_STEP_MB; m <= MAX_MEMORY_MB; m += COARSE_STEP_MB) sizes.add(m);
  const picksOf = (candidates: Candidate[]): Picks => ({ cost: pickCost(candidates), balanced: pickBalanced(candidates, gateP50Ms), speed: pickSpeed(candidates) });
  const byMb = (a: Candidate, b: Candidate) => a.memoryMb - b.memoryMb;
  const coarse = [...sizes].map(evaluate).sort(byMb);
  const rough = picksOf(coarse);
  for (const pick of [rough.cost, rough.balanced, rough.speed]) {
    for (let m = Math.max(from, pick.memoryMb - COARSE_STEP_MB); m <= Math.min(MAX_MEMORY_MB, pick.memoryMb + COARSE_STEP_MB); m++) sizes.add(m);
  }
  const fine = [...sizes].map(evaluate).sort(byMb);
  return { picks: picksOf(fine), smallestSafe: fine[0]! };
}

/** Balanced pays at most this much over the cheapest acceptable size for speed (0.1 = 10 %). */
export const BALANCED_COST_ALLOWANCE = 0.1;

/** Cost: the least expected monthly cost; ties go to the faster size. */
function pickCost(candidates: readonly Candidate[]): Candidate {
  return minBy(candidates, (c) => c.costUsd.expected, (c) => c.meanMs.expected);
}

/** Speed: the smallest size within SPEED_TOLERANCE of the fastest expected mean (more memory past it buys nothing measurable). */
function pickSpeed(candidates: readonly Candidate[]): Candidate {
  const fastest = Math.min(...candidates.map((c) => c.meanMs.expected));
  return candidates.find((c) => c.meanMs.expected <= fastest * (1 + SPEED_TOLERANCE)) ?? candidates[candidates.length - 1]!;
}

/**
 * Balanced: among sizes whose worst-case p50 stays within the latency gate (none when the
 * current size is unsafe: its latency is no baseline), the fastest that costs at most
 * BALANCED_COST_ALLOWANCE more than the cheapest of them — speed bought only while it is
 * nearly free, which is how a CPU-starved function gets several times faster for about the
 * same GB-s. When no size meets the gate, the one with the best worst case.
 *
 * The pick is kept exact, not rounded to 64 MB: Lambda takes any whole MB from 128 to 10,240,
 * rounding up costs money for no speed (1,769 → 1,792 MB buys a single-threaded handler
 * nothing), and rounding down can break the gate.
 */
function pickBalanced(candidates: readonly Candidate[], gateP50Ms: number | null): Candidate {
  const gated = gateP50Ms === null ? candidates : candidates.filter((c) => c.p50Ms.upper <= gateP50Ms);
  if (gated.length === 0) return minBy(candidates, (c) => c.p50Ms.upper, (c) => c.costUsd.expected);
  const cheapest = Math.min(...gated.map((c) => c.costUsd.expected));
  const affordable = gated.filter((c) => c.costUsd.expected <= cheapest * (1 + BALANCED_COST_ALLOWANCE));
  return minBy(affordable, (c) => c.p50Ms.expected, (c) => c.costUsd.expected);
}

function toOption(strategy: MemoryOption["strategy"], c: Candidate): MemoryOption {
  return { strategy, memoryMb: c.memoryMb, monthlyCostUsd: c.costUsd, p50Ms: c.p50Ms, p99Ms: c.p99Ms };
}

// ─── Decision ────────────────────────────────────────────────────────────────────────

type Emission = "unsafe" | "over-provisioned" | "cpu-starved";

interface Context {
  input: SizingInput;
  model: DurationModel;
  traffic: ObservedTraffic;
  safety: MemorySafety;
  current: Candidate;
  /** Measured p50/p99 at the current size (null when CloudWatch has none). */
  measured: { p50Ms: number | null; p99Ms: number | null };
  /** The p50 decisions compare against: measured, else the model's at the current size. */
  baselineP50Ms: number;
  picks: Picks;
  /** The floor: the smallest safe size. */
  smallestSafe: Candidate;
  minSavingUsd: number;
}

/** The smallest saving worth a change: the absolute floor or the share of the function's cost, whichever is larger. */
export function minimumSavingUsd(settings: SizingSettings, currentMonthlyUsd: number): number {
  return Math.max(settings.minMonthlySavingUsd, settings.minSavingShare * currentMonthlyUsd);
}

/** Which of the three cases (if any) makes the balanced pick worth recommending. */
function emission(ctx: Context): Emission | null {
  const { current, picks, safety, baselineP50Ms } = ctx;
  const pick = picks.balanced;
  if (safety.unsafe) return "unsafe";
  if (pick.memoryMb < current.memoryMb && current.costUsd.expected - pick.costUsd.expected >= ctx.minSavingUsd) return "over-provisioned";
  if (
    pick.memoryMb > current.memoryMb &&
    pick.p50Ms.expected <= (1 - CPU_STARVED_MIN_P50_GAIN) * baselineP50Ms &&
    pick.p50Ms.upper < baselineP50Ms &&
    pick.costUsd.expected <= (1 + CPU_STARVED_MAX_COST_INCREASE) * current.costUsd.expected
  ) {
    return "cpu-starved";
  }
  return null;
}

/** Whether the decision survives both ends of the projection range (the outcome is right even if the split is not). */
function holdsAtBothEnds(ctx: Context, kind: Emission): boolean {
  const { current, picks } = ctx;
  const pick = picks.balanced;
  switch (kind) {
    case "unsafe":
      return true; // Raising is needed for safety whatever the duration does.
    case "over-provisioned":
      return pick.costUsd.upper < current.costUsd.expected;
    case "cpu-starved":
      return pick.p50Ms.upper < ctx.baselineP50Ms && pick.costUsd.upper <= (1 + CPU_STARVED_MAX_COST_INCREASE) * current.costUsd.expected;
  }
}

function confidenceOf(ctx: Context, kind: Emission): Confidence {
  if (ctx.traffic.invocations < MIN_CONFIDENT_INVOCATIONS) return "low";
  const holds = holdsAtBothEnds(ctx, kind);
  if (ctx.model.basis === "fitted" && holds && isNarrow(ctx.picks.balanced.meanMs)) return "high";
  return holds ? "medium" : "low";
}

/** ≥ 1: the confidence's weight, grown by how much the worst-case p50 could rise. */
export function riskUnitsFor(confidence: Confidence, currentP50Ms: number, worstP50Ms: number): number {
  const rise = currentP50Ms > 0 ? Math.max(0, worstP50Ms / currentP50Ms - 1) : 0;
  return round2(CONFIDENCE_RISK[confidence] * (1 + LATENCY_RISK_WEIGHT * rise));
}

// ─── Entry point ─────────────────────────────────────────────────────────────────────

/**
 * The memory recommendation of one function: the three strategies' picks, and a
 * recommendation of the balanced one when the current size is unsafe, clearly
 * over-provisioned, or CPU-starved; otherwise a note saying why the size fits.
 */
export function recommendMemory(input: SizingInput, model: DurationModel): MemorySizingResult {
  const { fn, settings } = input;
  const traffic = observedTraffic(input);
  if (traffic.invocations <= 0) {
    return { recommendation: null, options: [], note: `No invocations in the lookback: nothing to size ${formatMb(fn.memoryMb)} against.` };
  }
  const evaluate = candidateEvaluator(input, model, traffic.monthly);
  const safety = assessMemorySafety(fn, input.reportStats, settings.memoryHeadroom);
  const current = evaluate(fn.memoryMb);
  const measured = measuredLatency(hoursAtCurrentSize(input));
  const baselineP50Ms = measured.p50Ms ?? current.p50Ms.expected;
  const gate = safety.unsafe ? null : baselineP50Ms * (1 + settings.maxLatencyIncrease);
  const { picks, smallestSafe } = pickStrategies(evaluate, safety.floorMb, gate);
  const options = [toOption("cost", picks.cost), toOption("balanced", picks.balanced), toOption("speed", picks.speed)];
  const ctx: Context = { input, model, traffic, safety, current, measured, baselineP50Ms, picks, smallestSafe, minSavingUsd: minimumSavingUsd(settings, current.costUsd.expected) };
  const kind = emission(ctx);
  if (kind === null) return { recommendation: null, options, note: fitsNote(ctx) };
  return { recommendation: buildRecommendation(ctx, kind, options), options, note: null };
}

function buildRecommendation(ctx: Context, kind: Emission, options: MemoryOption[]): Recommendation {
  const { input, current, picks, measured } = ctx;
  const { fn } = input;
  const pick = picks.balanced;
  const confidence = confidenceOf(ctx, kind);
  const finding: TuningFinding = kind === "over-provisioned" ? "over-provisioned-memory" : "memory-starved";
  const appliable = notAppliableReason(fn);
  const deltaUsd = mapRange(pick.costUsd, (usd) => usd - current.costUsd.expected);
  return {
    id: `${fn.accountId}/${fn.region}/${fn.functionName}/memory`,
    accountId: fn.accountId,
    region: fn.region,
    functionName: fn.functionName,
    kind: "memory",
    finding,
    summary: summaryOf(ctx, kind),
    current: formatMb(fn.memoryMb),
    proposed: formatMb(pick.memoryMb),
    change: appliable === null ? { kind: "memory", memoryMb: pick.memoryMb } : null,
    notAppliableReason: appliable,
    revert: appliable === null ? { kind: "memory", memoryMb: fn.memoryMb } : null,
    monthlyCost: { currentUsd: current.costUsd.expected, projectedUsd: pick.costUsd, deltaUsd },
    effects: {
      p50Ms: { current: measured.p50Ms, projected: pick.p50Ms },
      p99Ms: { current: measured.p99Ms, projected: pick.p99Ms },
    },
    confidence,
    evidence: evidenceOf(ctx),
    assumptions: memoryAssumptions(input, ctx.model, ctx.traffic),
    riskUnits: riskUnitsFor(confidence, ctx.baselineP50Ms, pick.p50Ms.upper),
    options,
  };
}

/**
 * A memory change goes to $LATEST. An alias serving a published version keeps that version's
 * memory, so the change takes a new version and moving the alias — not one call.
 */
function notAppliableReason(fn: FunctionConfig): string | null {
  const published = fn.aliases.filter((a) => a.functionVersion !== "$LATEST");
  if (published.length === 0) return null;
  const names = published.map((a) => `${a.name} → ${a.functionVersion}`).join(", ");
  return `memory changes $LATEST, but aliases point to published versions (${names}): publish a new version with the new memory and move the alias to it`;
}

function summaryOf(ctx: Context, kind: Emission): string {
  const { current, picks, safety, baselineP50Ms } = ctx;
  const pick = picks.balanced;
  const from = formatMb(current.memoryMb);
  const to = formatMb(pick.memoryMb);
  const latency = `p50 ${formatMs(baselineP50Ms)} → ${formatMs(pick.p50Ms.expected)} expected (at most ${formatMs(pick.p50Ms.upper)})`;
  const money = costPhrase(pick.costUsd.expected - current.costUsd.expected, current.costUsd.expected);
  switch (kind) {
    case "over-provisioned":
      return `Lower memory from ${from} to ${to}: ${money}; ${latency}.`;
    case "unsafe": {
      const why =
        safety.outOfMemoryAtCurrent > 0
          ? `${formatCount(safety.outOfMemoryAtCurrent)} out-of-memory ${plural(safety.outOfMemoryAtCurrent, "kill")} in the lookback`
          : `peak use ${formatMb(safety.peakUsedMb ?? 0)} leaves less than the headroom`;
      return `Raise memory from ${from} to ${to}: ${why}, and at least ${formatMb(safety.floorMb)} is needed; ${latency}; ${money}.`;
    }
    case "cpu-starved":
      return `Raise memory from ${from} to ${to}: the handler waits on CPU, so ${latency} (${formatPercent(1 - pick.p50Ms.expected / baselineP50Ms)} faster); ${money}.`;
  }
}

/** Why no change is proposed, in words with figures. */
function fitsNote(ctx: Context): string {
  const { current, picks, safety, baselineP50Ms } = ctx;
  const pick = picks.balanced;
  const parts = [`Memory ${formatMb(current.memoryMb)} fits: ${peakPhrase(safety)}`];
  if (pick.memoryMb < current.memoryMb) {
    const saving = current.costUsd.expected - pick.costUsd.expected;
    parts.push(`${formatMb(pick.memoryMb)} would save only ${formatUsd(saving)} a month (${formatPercent(saving / current.costUsd.expected)}), below the ${formatUsd(ctx.minSavingUsd)} worth a change`);
  } else if (pick.memoryMb > current.memoryMb) {
    const gain = 1 - pick.p50Ms.expected / baselineP50Ms;
    const extra = pick.costUsd.expected / current.costUsd.expected - 1;
    parts.push(
      `${formatMb(pick.memoryMb)} would be ${formatPercent(gain)} faster at p50 for ${extra >= 0 ? `${formatPercent(extra)} more` : `${formatPercent(extra)} less`} cost, short of a ${formatPercent(CPU_STARVED_MIN_P50_GAIN)} speed-up within ${formatPercent(CPU_STARVED_MAX_COST_INCREASE)} more cost`,
    );
  }
  parts.push(smallerSizePhrase(ctx));
  return `${parts.join("; ")}.`;
}

/** How much slower the smallest safe size could be at worst: why "fits" is not "wasteful". */
function smallerSizePhrase(ctx: Context): string {
  const { current, smallestSafe, model } = ctx;
  if (smallestSafe.memoryMb >= current.memoryMb) return "it is already the smallest safe size";
  const slowdown = smallestSafe.meanMs.upper / current.meanMs.expected;
  const split = model.basis === "fitted" ? "fitted" : "duration split unknown";
  return `a smaller size could be up to ${slowdown.toFixed(1)}× slower (${split})`;
}

function peakPhrase(safety: MemorySafety): string {
  return safety.peakUsedMb === null ? "memory use unknown (no REPORT lines)" : `peak use ${formatMb(safety.peakUsedMb)}`;
}

function evidenceOf(ctx: Context): string[] {
  const { input, model, traffic, safety, measured } = ctx;
  const { fn } = input;
  const evidence: string[] = [];
  if (safety.peakUsedMb !== null) {
    evidence.push(
      `Peak Max Memory Used ${formatMb(safety.peakUsedMb)} of ${formatMb(fn.memoryMb)} configured (${formatPercent(safety.peakUsedMb / fn.memoryMb)}); with ${input.settings.memoryHeadroom}× headroom no size below ${formatMb(safety.floorMb)} is safe.`,
    );
  } else {
    evidence.push(`No REPORT lines with Max Memory Used: the size is not lowered below ${formatMb(fn.memoryMb)}.`);
  }
  evidence.push(
    safety.outOfMemory === 0
      ? "No out-of-memory kills in the lookback."
      : `${formatCount(safety.outOfMemory)} out-of-memory ${plural(safety.outOfMemory, "kill")} in the lookback (${formatCount(safety.outOfMemoryAtCurrent)} at ${formatMb(fn.memoryMb)} or more).`,
  );
  // A fit's evidence already lists its sizes; a prior's says only where it ran.
  if (model.basis === "prior" && model.observations.length > 0) {
    evidence.push(`Observed ${model.observations.map((o) => `${formatMb(o.memoryMb)}: ${formatCount(o.invocations)} invocations, mean ${formatMs(o.meanDurationMs)}`).join("; ")}.`);
  }
  evidence.push(...model.evidence);
  evidence.push(`${formatCount(Math.round(traffic.perDay))} invocations a day over ${formatDays(traffic.days)}.`);
  if (measured.p50Ms !== null) {
    evidence.push(`Measured at ${formatMb(fn.memoryMb)}: p50 ${formatMs(measured.p50Ms)}${measured.p99Ms === null ? "" : `, p99 ${formatMs(measured.p99Ms)}`} (CloudWatch).`);
  }
  if (fn.memoryMb > COMPUTE_OPTIMIZER_MAX_MB || traffic.invocations < MIN_CONFIDENT_INVOCATIONS) {
    evidence.push("Compute Optimizer does not size this function (it skips functions above 1,792 MB or with fewer than 50 invocations in 14 days).");
  }
  return evidence;
}

/** What every memory projection assumes (shared with the architecture check). */
export function memoryAssumptions(input: SizingInput, model: DurationModel, traffic: ObservedTraffic, architecture: Architecture = input.fn.architecture): string[] {
  const { prices, pricedRegion, assumed } = lambdaPricesFor(input.fn.region, architecture);
  const threads =
    model.parallelism <= 1
      ? `The handler is single-threaded (unless known otherwise): it uses one vCPU at most, so memory above ${formatMb(MB_PER_VCPU)} buys it no speed.`
      : `The handler uses up to ${model.parallelism} vCPUs.`;
  return [
    threads,
    `Priced at the first-tier on-demand rate for ${architecture} in ${pricedRegion} ($${firstTierDurationUsdPerGbSecond(prices).toFixed(10)} per GB-s) plus $${(prices.requestUsd * 1e6).toFixed(2)} per million requests${assumed ? ` (no prices listed for ${input.fn.region}: ${pricedRegion} stands in)` : ""}.`,
    `A ${MONTH_DAYS}-day month at the observed traffic (${formatCount(Math.round(traffic.perDay))} invocations a day).`,
    `Billing rounds each invocation up to the next 1 ms: about ${BILLING_ROUNDING_MS} ms added per invocation.`,
    `Safe sizes keep ${input.settings.memoryHeadroom}× the highest Max Memory Used; the balanced pick lets the worst-case p50 grow at most ${formatPercent(input.settings.maxLatencyIncrease)}.`,
  ];
}

// ─── Small helpers ───────────────────────────────────────────────────────────────────

function weightedMean(hours: readonly PeriodSample[], pick: (h: PeriodSample) => number | null): number | null {
  let w = 0;
  let sum = 0;
  for (const h of hours) {
    const v = pick(h);
    if (v === null || h.invocations <= 0) continue;
    w += h.invocations;
    sum += v * h.invocations;
  }
  return w > 0 ? sum / w : null;
}

/** The item with the least key (ties, within float noise, to the least tieBreak); items is never empty. */
function minBy<T>(items: readonly T[], key: (t: T) => number, tieBreak: (t: T) => number): T {
  let best = items[0] as T;
  for (const item of items) {
    const a = key(item);
    const b = key(best);
    if (a < b - Math.abs(b) * 1e-12 || (Math.abs(a - b) <= Math.abs(b) * 1e-12 && tieBreak(item) < tieBreak(best))) best = item;
  }
  return best;
}

export function mapRange(r: Range, f: (v: number) => number): Range {
  return { lower: f(r.lower), expected: f(r.expected), upper: f(r.upper) };
}

function scaleRange(r: Range, k: number): Range {
  return mapRange(r, (v) => v * k);
}

function isNarrow(r: Range): boolean {
  return r.expected > 0 && (r.upper - r.lower) / r.expected <= NARROW_RANGE_SHARE;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** "1,024 MB". */
export function formatMb(mb: number): string {
  return `${formatCount(Math.round(mb))} MB`;
}

/** "53 ms", "4.2 ms", "39.0 s". */
export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  return `${formatCount(Math.round(ms))} ms`;
}

/** "$12.34", "$1,234", "<$0.01". */
export function formatUsd(usd: number): string {
  const a = Math.abs(usd);
  if (a > 0 && a < 0.01) return "<$0.01";
  if (a >= 1000) return `$${formatCount(Math.round(a))}`;
  return `$${a.toFixed(2)}`;
}

/** "43 %" of a 0..1 share (sign dropped: the words carry it). */
export function formatPercent(share: number): string {
  return `${Math.round(Math.abs(share) * 100)} %`;
}

/** "saves about $3.20 a month (43 %)" or "costs about $0.50 more a month (+6 %)". */
export function costPhrase(deltaUsd: number, currentUsd: number): string {
  const share = currentUsd > 0 ? ` (${formatPercent(deltaUsd / currentUsd)})` : "";
  return deltaUsd <= 0 ? `saves about ${formatUsd(-deltaUsd)} a month${share}` : `costs about ${formatUsd(deltaUsd)} more a month${share}`;
}

function formatDays(days: number): string {
  const rounded = Math.round(days * 10) / 10;
  return `${rounded} ${rounded === 1 ? "day" : "days"}`;
}
