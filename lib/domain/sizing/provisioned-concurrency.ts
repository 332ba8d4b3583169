import { isColdStartHeavy } from "@/lib/domain/cold-start/cold-start-heavy";
import { COLD_STARTS_DOMINATE_SHARE } from "@/lib/domain/cold-start/cold-start-latency";
import { countColdStarts } from "@/lib/domain/cold-start/summarize-cold-starts";
import { lambdaPricesFor } from "@/lib/domain/cost/lambda-price-book";
import type { FunctionConfig } from "@/lib/domain/inventory/function-config";
import { assessPcUtilisation, computePcBreakEvenUtilisationRatio } from "@/lib/domain/metrics/pc-utilisation";
import { HOUR_MS, floorToHourMs } from "@/lib/domain/shared/time";
import {
  confidenceFromDays,
  confidenceRisk,
  exactRange,
  formatCount,
  formatRatio,
  formatUsd,
  perDay,
  perMonth,
  recommendationId,
} from "@/lib/domain/sizing/concurrency-format";
import { buildHourOfDayProfile, nearestRank, type ProfileSlot } from "@/lib/domain/sizing/hour-of-week";
import { describePcPlan, planPeakExecutions, scheduledLevelAt } from "@/lib/domain/sizing/pc-plan";
import type {
  Confidence,
  DurationModel,
  Effect,
  LatencySloInput,
  PcPeriodSample,
  PcPlan,
  PcScheduleStep,
  Range,
  Recommendation,
  SizingInput,
  TuningChange,
  TuningFinding,
} from "@/lib/domain/sizing/tuning-types";
import { prepareLookbackReplay, replayLatency, replayPeriods, sumOutcomes, type PeriodOutcome, type ReplayContext } from "@/lib/domain/sizing/whatif-replay";

/**
 * Provisioned concurrency (PC): too much, too little, or none where cold starts hurt.
 *
 * Every plan is priced by replaying the lookback's hours under it (whatif-replay.ts): PC
 * allocated GB-s + PC duration for the invocations it serves + on-demand for the spillover,
 * scaled to 30 days. A plan must cover the peak: its level in each hour is at least the
 * hour's peak concurrency / the utilisation target (settings.pcTargetUtilisation, 0.7 as in
 * AWS's target-tracking example), so no plan is cheaper by letting the peak spill over.
 * Among the covering plans — fixed, a daily UTC schedule, target tracking — the simpler one
 * wins unless a more complex one saves SIMPLER_PLAN_MARGIN of the fixed plan's allocation.
 */

/** Spillover below this share of the qualifier's invocations is noise, not a finding. */
export const LITTLE_SPILLOVER_RATIO = 0.001;
/** A latency SLO whose bad events are at least this share cold starts makes cold starts matter. */
export const SLO_COLD_START_SHARE = 0.25;
/** Busy hours of a cold-start schedule: the busiest hours of the day that together carry this share of invocations… */
export const BUSY_INVOCATION_SHARE = 0.8;
/** …when they are at most this many (else traffic is not sparse anywhere and a fixed level fits). */
export const MAX_BUSY_HOURS = 16;
/** A daily profile has a clear peak when its busiest hour needs this many times the median hour's level. */
export const CLEAR_PEAK_RATIO = 1.5;
/** More scheduled steps than this is a plan nobody reads. */
export const MAX_SCHEDULE_STEPS = 6;
/** A more complex plan must save this share of the fixed plan's allocation cost (and at least minMonthlySavingUsd). */
export const SIMPLER_PLAN_MARGIN = 0.1;

export interface PcRecommendationResult {
  recommendation: Recommendation | null;
  note: string | null;
}

/** A plan replayed over the lookback and scaled to a month / a day. */
interface PlanEvaluation {
  plan: PcPlan;
  monthlyCostUsd: number;
  allocationMonthlyUsd: number;
  spilloverPerDay: number;
  coldStartsPerDay: number;
  outcomes: PeriodOutcome[];
}

/**
 * Recommends provisioned concurrency for one function: for a function with PC, lower or
 * schedule it when idle, or cover the peak when it spills over; for one without, add it only
 * when cold starts matter (cold-start heavy and a latency SLO burned by them, or dominating
 * the p99). `note` says why there is no recommendation.
 */
export function recommendProvisionedConcurrency(input: SizingInput, model: DurationModel): PcRecommendationResult {
  const ctx = prepareLookbackReplay(input, model);
  if (ctx.periods.length === 0 || ctx.periods.every((p) => p.invocations === 0)) {
    return { recommendation: null, note: "Provisioned concurrency: no invocations in the lookback, nothing to size it on." };
  }
  if (input.hours.length < MIN_PROFILE_HOURS) {
    // A level or a schedule sized on part of a day would miss the peak it has not seen.
    return { recommendation: null, note: `Provisioned concurrency: ${input.hours.length} hours collected; sizing it by time of day needs a whole day (${MIN_PROFILE_HOURS} hours).` };
  }
  return ctx.current.pc.kind === "fixed" ? recommendForConfiguredPc(input, ctx) : recommendForColdStarts(input, ctx);
}

/** Hours of history before provisioned concurrency is sized: one whole daily cycle. */
export const MIN_PROFILE_HOURS = 24;

// ─── Plans ─────────────────────────────────────────────────────────────────────────────

/** Environments that keep a concurrency at or below the utilisation target. */
function levelFor(concurrency: number, target: number): number {
  return concurrency > 0 ? Math.ceil(concurrency / target - 1e-9) : 0;
}

function observedMs(ctx: ReplayContext): number {
  return ctx.periods.length * ctx.periodMs;
}

function evaluatePlan(ctx: ReplayContext, plan: PcPlan): PlanEvaluation {
  const outcomes = replayPeriods(ctx, { ...ctx.current, pc: plan }, 1);
  const sums = sumOutcomes(outcomes);
  const prices = lambdaPricesFor(ctx.fn.region, ctx.current.architecture).prices;
  const allocatedUsd = outcomes.reduce((sum, o) => sum + o.provisioned, 0) * prices.provisionedConcurrencyUsdPerGbSecond * (ctx.current.memoryMb / 1024) * (ctx.periodMs / 1000);
  const ms = observedMs(ctx);
  return {
    plan,
    monthlyCostUsd: perMonth(sums.costUsd, ms),
    allocationMonthlyUsd: perMonth(allocatedUsd, ms),
    spilloverPerDay: perDay(sums.spillover, ms),
    coldStartsPerDay: perDay(sums.coldStarts, ms),
    outcomes,
  };
}

/** Maximal runs of consecutive hours of the day (no wrap: a step never crosses midnight) that pass `inRun`. */
function hourRuns(inRun: (hour: number) => boolean): { from: number; to: number }[] {
  const runs: { from: number; to: number }[] = [];
  for (let h = 0; h < 24; h++) {
    if (!inRun(h)) continue;
    const last = runs[runs.length - 1];
    if (last && last.to === h) last.to = h + 1;
    else runs.push({ from: h, to: h + 1 });
  }
  return runs;
}

/** Steps over runs of hours, each at the highest level any of its hours needs. */
function stepsOver(runs: readonly { from: number; to: number }[], levels: readonly number[]): PcScheduleStep[] {
  return runs.map((r) => ({ fromMinute: r.from * 60, toMinute: r.to * 60, executions: Math.max(1, ...levels.slice(r.from, r.to)) }));
}

/**
 * Daily schedules that cover every hour of the day's peak (its highest concurrency on any
 * day): for each baseline level, steps over the hours needing more. Empty when the daily
 * profile has no clear peak (a schedule would be a fixed level in disguise).
 */
function coveringSchedules(day: readonly ProfileSlot[], target: number): PcPlan[] {
  const levels = day.map((s) => levelFor(s.concurrencyMax, target));
  const peak = Math.max(...levels);
  const median = nearestRank(levels, 0.5);
  if (peak <= 1 || peak < CLEAR_PEAK_RATIO * Math.max(1, median)) return [];
  const baselines = [...new Set(levels)].filter((b) => b < peak).sort((a, b) => a - b);
  const plans: PcPlan[] = [];
  for (const b of baselines) {
    const runs = hourRuns((h) => levels[h]! > b);
    if (runs.length === 0 || runs.length > MAX_SCHEDULE_STEPS) continue;
    const outside = levels.filter((l) => l <= b);
    plans.push({ kind: "schedule", baseline: Math.max(...outside, 0), steps: stepsOver(runs, levels) });
  }
  return plans;
}

/** Fixed, schedule and target-tracking plans that each cover the observed peak. */
function coveringPlans(ctx: ReplayContext, input: SizingInput): { fixed: PcPlan; schedules: PcPlan[]; tracking: PcPlan } {
  const target = input.settings.pcTargetUtilisation;
  const peak = Math.max(...ctx.periods.map((p) => p.concurrency));
  const fixedN = Math.max(1, levelFor(peak, target));
  const day = buildHourOfDayProfile(input.hours);
  const quietest = Math.min(...day.filter((s) => s.hours > 0).map((s) => levelFor(s.concurrencyMax, target)));
  return {
    fixed: { kind: "fixed", executions: fixedN },
    schedules: coveringSchedules(day, target),
    tracking: { kind: "target-tracking", targetUtilisation: target, min: Math.max(1, Math.min(fixedN, Number.isFinite(quietest) ? quietest : 1)), max: fixedN },
  };
}

/**
 * The plan to propose. Where the day has a clear peak (there are schedules), the cheapest
 * schedule — predictable, no lag — else target tracking, replaces the fixed level only when
 * it saves `margin` a month without more cold starts: the simpler plan is easier to run.
 */
function choosePlan(fixed: PlanEvaluation, schedules: readonly PlanEvaluation[], tracking: PlanEvaluation, margin: number): PlanEvaluation {
  const cheapestSchedule = [...schedules].sort((a, b) => a.monthlyCostUsd - b.monthlyCostUsd)[0];
  const next = cheapestSchedule ?? tracking;
  const noColder = next.coldStartsPerDay <= fixed.coldStartsPerDay * 1.1 + 0.5;
  return noColder && next.monthlyCostUsd <= fixed.monthlyCostUsd - margin ? next : fixed;
}

function planMargin(input: SizingInput, fixed: PlanEvaluation): number {
  return Math.max(input.settings.minMonthlySavingUsd, SIMPLER_PLAN_MARGIN * fixed.allocationMonthlyUsd);
}

function clock(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}

/** The minutes of the day a schedule's level changes, and the level from then on (adjacent steps merge). */
function scheduleTransitions(plan: Extract<PcPlan, { kind: "schedule" }>): { minute: number; executions: number }[] {
  const edges = [...new Set(plan.steps.flatMap((s) => [s.fromMinute, s.toMinute % 1440]))].sort((a, b) => a - b);
  return edges.flatMap((minute) => {
    const executions = scheduledLevelAt(plan, minute);
    return executions === scheduledLevelAt(plan, (minute + 1439) % 1440) ? [] : [{ minute, executions }];
  });
}

/** What Application Auto Scaling must be told for a schedule or target tracking (apply does not call it). */
function autoScalingInWords(fn: FunctionConfig, qualifier: string, plan: PcPlan): string {
  const target = `register ${fn.functionName}:${qualifier} (lambda:function:ProvisionedConcurrency) as a scalable target`;
  if (plan.kind === "schedule") {
    const actions = scheduleTransitions(plan).map((t) => `${t.executions} at ${clock(t.minute)}`);
    return `A schedule is set through Application Auto Scaling, which apply does not call: ${target}, then add daily scheduled actions (UTC) setting min and max capacity to ${actions.join(", ")}.`;
  }
  if (plan.kind === "target-tracking") {
    return `Target tracking is set through Application Auto Scaling, which apply does not call: ${target} with min ${plan.min} and max ${plan.max}, then add a target-tracking policy on LambdaProvisionedConcurrencyUtilization at ${plan.targetUtilisation}.`;
  }
  return "";
}

/** The p99 effect: now, and projected between all-warm and unchanged. */
function p99Effect(ctx: ReplayContext, now: PlanEvaluation, next: PlanEvaluation): Effect | undefined {
  const before = replayLatency(ctx, now.outcomes);
  const after = replayLatency(ctx, next.outcomes);
  if (before.p99Ms === null || after.p99Ms === null) return undefined;
  const lower = Math.min(after.p99Ms, after.warmP99Ms ?? after.p99Ms);
  return { current: before.p99Ms, projected: { lower, expected: after.p99Ms, upper: Math.max(after.p99Ms, before.p99Ms) } };
}

/** A count per day projected with the replay's rough ±: target tracking lags, so its upper end is wider. */
function countRange(expected: number, plan: PcPlan): Range {
  return { lower: expected * 0.75, expected, upper: expected * (plan.kind === "target-tracking" ? 1.5 : 1.25) + (expected === 0 ? 0.5 : 0) };
}

/** The latency SLO most burned by cold starts (coldStartBadShare ≥ SLO_COLD_START_SHARE), if any. */
function sloBurnedByColdStarts(slos: readonly LatencySloInput[]): LatencySloInput | null {
  const burned = slos.filter((s) => s.coldStartBadShare !== null && s.coldStartBadShare >= SLO_COLD_START_SHARE);
  return burned.sort((a, b) => (b.coldStartBadShare ?? 0) - (a.coldStartBadShare ?? 0))[0] ?? null;
}

/** A latency SLO's cold-start share of bad events after cold starts change by `factor` (other bad events unchanged). */
function sloShareEffect(slos: readonly LatencySloInput[], factor: number): Recommendation["effects"]["sloColdStartBadShare"] {
  const slo = sloBurnedByColdStarts(slos) ?? slos.find((s) => s.coldStartBadShare !== null);
  if (!slo || slo.coldStartBadShare === null) return undefined;
  const share = slo.coldStartBadShare;
  const project = (f: number) => (share * f + (1 - share) > 0 ? (share * f) / (share * f + (1 - share)) : 0);
  return {
    sloId: slo.sloId,
    sloName: slo.name,
    current: share,
    projected: { lower: project(factor * 0.75), expected: project(factor), upper: project(Math.min(1, factor * 1.25 + 0.05)) },
  };
}

function withPlanRisk(confidence: Confidence, plan: PcPlan, colderBy: number): number {
  const planRisk = plan.kind === "schedule" ? 0.5 : plan.kind === "target-tracking" ? 1 : 0;
  return confidenceRisk(confidence) + planRisk + (colderBy > 0.1 ? 0.5 : 0);
}

function capConfidence(confidence: Confidence, plan: PcPlan): Confidence {
  return plan.kind === "target-tracking" && confidence === "high" ? "medium" : confidence;
}

const PLAN_ASSUMPTIONS = (input: SizingInput): string[] => [
  `Monthly figures are 30 days (720 h) at the lookback's traffic; PC is billed for every allocated second (FACTS §2).`,
  `A plan covers an hour when it provisions at least the hour's peak concurrency / ${input.settings.pcTargetUtilisation} (the utilisation target).`,
  "Schedules are daily, in UTC; weekends are sized like weekdays.",
];

// ─── Functions with provisioned concurrency ─────────────────────────────────────────────

function pcSeriesOf(hours: readonly PcPeriodSample[]) {
  const points = (value: (h: PcPeriodSample) => number | null) =>
    hours.flatMap((h) => {
      const v = value(h);
      return v === null ? [] : [{ timestampMs: h.startMs, value: v }];
    });
  return {
    utilisation: points((h) => h.utilisationMax),
    provisionedExecutions: points((h) => h.provisionedExecutionsMax),
    provisionedInvocations: points((h) => h.provisionedInvocations),
    spilloverInvocations: points((h) => h.spilloverInvocations),
  };
}

function recommendForConfiguredPc(input: SizingInput, ctx: ReplayContext): PcRecommendationResult {
  const qualifier = ctx.qualifier!;
  const currentN = ctx.current.pc.kind === "fixed" ? ctx.current.pc.executions : 0;
  const pcHours = input.pc.find((q) => q.qualifier === qualifier)?.hours ?? [];
  const prices = lambdaPricesFor(input.fn.region, input.fn.architecture).prices;
  const breakEven = computePcBreakEvenUtilisationRatio(prices);
  const assessment = assessPcUtilisation(pcSeriesOf(pcHours), input.window, breakEven);
  if (assessment.kind === "insufficient-data") {
    return { recommendation: null, note: `Provisioned concurrency on ${qualifier}: cannot assess it yet (${assessment.reason}).` };
  }
  const spilling = assessment.spilloverInvocations > 0 && (assessment.spilloverRatio ?? 0) >= LITTLE_SPILLOVER_RATIO;
  const idle = assessment.meanUtilisationRatio < breakEven;
  if (!spilling && !idle) {
    return {
      recommendation: null,
      note: `Provisioned concurrency on ${qualifier} (${currentN}) is well used: mean utilisation ${formatRatio(assessment.meanUtilisationRatio)} is above the ${formatRatio(breakEven)} break-even and nothing spilled over.`,
    };
  }

  const now = evaluatePlan(ctx, ctx.current.pc);
  const candidates = coveringPlans(ctx, input);
  const fixed = evaluatePlan(ctx, candidates.fixed);
  const aliasIdle = assessment.provisionedInvocations + assessment.spilloverInvocations === 0;
  const chosen = aliasIdle
    ? evaluatePlan(ctx, { kind: "none" })
    : choosePlan(
        fixed,
        candidates.schedules.map((p) => evaluatePlan(ctx, p)),
        evaluatePlan(ctx, candidates.tracking),
        planMargin(input, fixed),
      );
  const days = observedMs(ctx) / (24 * HOUR_MS);
  const peak = Math.max(...ctx.periods.map((p) => p.concurrency));
  const confidence = capConfidence(confidenceFromDays(days), chosen.plan);
  const none = aliasIdle ? chosen : evaluatePlan(ctx, { kind: "none" });

  const evidence = [
    `Peak concurrency ${formatCount(peak)} in the ${days >= 2 ? `${Math.round(days)}-day` : `${Math.round(days * 24)}-hour`} lookback; ${currentN} provisioned on ${qualifier}.`,
    `Mean provisioned-concurrency utilisation ${formatRatio(assessment.meanUtilisationRatio)} (peak ${formatRatio(assessment.peakUtilisation.value)}), against a break-even of ${formatRatio(breakEven)} (FACTS §4: PC price / (on-demand − PC duration price)).`,
    `${formatCount(perDay(assessment.spilloverInvocations, observedMs(ctx)))} invocations a day spilled over to on-demand (${formatRatio(assessment.spilloverRatio ?? 0)} of ${qualifier}'s).`,
    `${formatCount(now.coldStartsPerDay)} cold starts a day now.`,
    `Allocated PC costs ${formatUsd(now.allocationMonthlyUsd)} a month (${currentN} × ${input.fn.memoryMb / 1024} GB × 2,592,000 s × $${prices.provisionedConcurrencyUsdPerGbSecond}/GB-s); with no PC the function would cost ${formatUsd(none.monthlyCostUsd)} a month, every invocation on demand and able to start cold.`,
  ];
  const shared = { input, ctx, qualifier, currentN, now, chosen, confidence, evidence, meanUtilisation: assessment.meanUtilisationRatio, breakEven };
  return spilling ? spilloverRecommendation(shared) : idleRecommendation(shared);
}

interface Shared {
  input: SizingInput;
  ctx: ReplayContext;
  qualifier: string;
  currentN: number;
  now: PlanEvaluation;
  chosen: PlanEvaluation;
  confidence: Confidence;
  evidence: string[];
  meanUtilisation: number;
  breakEven: number;
}

function pcChange(qualifier: string, executions: number): TuningChange {
  return { kind: "provisioned-concurrency", qualifier, executions };
}

function baseRecommendation(s: Shared, finding: TuningFinding, summary: string, applied: { change: TuningChange | null; reason: string | null }, extraAssumptions: string[]): Recommendation {
  const { input, ctx, now, chosen } = s;
  const delta = chosen.monthlyCostUsd - now.monthlyCostUsd;
  const usageShare = 0.05 * Math.max(0, chosen.monthlyCostUsd - chosen.allocationMonthlyUsd);
  const projected = { lower: chosen.monthlyCostUsd - usageShare, expected: chosen.monthlyCostUsd, upper: chosen.monthlyCostUsd + usageShare };
  const colderBy = now.coldStartsPerDay > 0 ? chosen.coldStartsPerDay / now.coldStartsPerDay - 1 : 0;
  const coldFactor = now.coldStartsPerDay > 0 ? chosen.coldStartsPerDay / now.coldStartsPerDay : 1;
  const p99 = finding === "idle-provisioned-concurrency" ? undefined : p99Effect(ctx, now, chosen);
  const slo = sloShareEffect(input.latencySlos, coldFactor);
  return {
    id: recommendationId(input.fn, "provisioned-concurrency"),
    accountId: input.fn.accountId,
    region: input.fn.region,
    functionName: input.fn.functionName,
    kind: "provisioned-concurrency",
    finding,
    summary,
    current: describePcPlan(ctx.current.pc, s.qualifier),
    proposed: describePcPlan(chosen.plan, s.qualifier),
    change: applied.change,
    notAppliableReason: applied.change === null ? applied.reason : null,
    revert: applied.change === null ? null : pcChange(s.qualifier, s.currentN),
    pcPlan: chosen.plan,
    monthlyCost: {
      currentUsd: now.monthlyCostUsd,
      projectedUsd: projected,
      deltaUsd: { lower: projected.lower - now.monthlyCostUsd, expected: delta, upper: projected.upper - now.monthlyCostUsd },
    },
    effects: {
      coldStartsPerDay: { current: now.coldStartsPerDay, projected: countRange(chosen.coldStartsPerDay, chosen.plan) },
      spilloverPerDay: { current: now.spilloverPerDay, projected: countRange(chosen.spilloverPerDay, chosen.plan) },
      ...(p99 ? { p99Ms: p99 } : {}),
      ...(slo ? { sloColdStartBadShare: slo } : {}),
    },
    confidence: s.confidence,
    evidence: s.evidence,
    assumptions: [...PLAN_ASSUMPTIONS(input), ...extraAssumptions, ...ctx.assumptions],
    riskUnits: withPlanRisk(s.confidence, chosen.plan, colderBy),
  };
}

/** Idle PC: lower it (appliable as a fixed level on the same qualifier), or schedule / track it. */
function idleRecommendation(s: Shared): PcRecommendationResult {
  const { input, now, chosen, qualifier, currentN } = s;
  const saving = now.monthlyCostUsd - chosen.monthlyCostUsd;
  if (saving < input.settings.minMonthlySavingUsd || saving < input.settings.minSavingShare * now.monthlyCostUsd) {
    return {
      recommendation: null,
      note: `Provisioned concurrency on ${qualifier} is used below the break-even, but no plan that still covers the peak saves enough (best: ${describePcPlan(chosen.plan, qualifier)}, ${formatUsd(saving)} a month).`,
    };
  }
  const fixedPart = planPeakExecutions(chosen.plan);
  const appliable = fixedPart < currentN;
  const fixedSaving = appliable && chosen.plan.kind !== "fixed" && chosen.plan.kind !== "none" ? now.monthlyCostUsd - evaluatePlan(s.ctx, { kind: "fixed", executions: fixedPart }).monthlyCostUsd : null;
  const extra: string[] = [];
  if (fixedSaving !== null) {
    extra.push(`Apply sets ${fixedPart} on ${qualifier} now (saves ${formatUsd(fixedSaving)} a month); the rest of the saving needs the plan. ${autoScalingInWords(input.fn, qualifier, chosen.plan)}`);
  }
  const verb = chosen.plan.kind === "none" ? `Remove provisioned concurrency from ${qualifier}` : chosen.plan.kind === "fixed" ? `Lower provisioned concurrency on ${qualifier} from ${currentN} to ${fixedPart}` : `Replace the fixed ${currentN} on ${qualifier} with ${describePcPlan(chosen.plan, null)}`;
  const why =
    chosen.plan.kind === "none"
      ? `${qualifier} received no invocations in the lookback`
      : `mean utilisation ${formatRatio(s.meanUtilisation)} is below the ${formatRatio(s.breakEven)} break-even, and the ${chosen.plan.kind === "fixed" ? "new level" : "plan"} still covers the peak`;
  const summary = `${verb}: ${why}; saves about ${formatUsd(saving)} a month.`;
  const reason = appliable ? null : autoScalingInWords(input.fn, qualifier, chosen.plan);
  return {
    recommendation: baseRecommendation(s, "idle-provisioned-concurrency", summary, { change: appliable ? pcChange(qualifier, fixedPart) : null, reason }, extra),
    note: null,
  };
}

/** Spillover: cover the peak, with a schedule where the day has a clear peak. */
function spilloverRecommendation(s: Shared): PcRecommendationResult {
  const { input, now, chosen, qualifier, currentN } = s;
  const fixedN = chosen.plan.kind === "fixed" ? chosen.plan.executions : null;
  const change = fixedN !== null && fixedN !== currentN ? pcChange(qualifier, fixedN) : null;
  const delta = chosen.monthlyCostUsd - now.monthlyCostUsd;
  const cost = delta >= 0 ? `costs about ${formatUsd(delta)} more a month` : `and saves about ${formatUsd(-delta)} a month`;
  const summary = `Cover the peak on ${qualifier} with ${describePcPlan(chosen.plan, null)} instead of ${currentN}: about ${formatCount(now.spilloverPerDay)} invocations a day spill over to on-demand now; ${cost}.`;
  const reason = change === null ? autoScalingInWords(input.fn, qualifier, chosen.plan) || `The plan keeps ${currentN} on ${qualifier}.` : null;
  return { recommendation: baseRecommendation(s, "provisioned-concurrency-spillover", summary, { change, reason }, []), note: null };
}

// ─── Functions without provisioned concurrency ──────────────────────────────────────────

/** Java 11 and later can use SnapStart (free for Java): cold starts become restores without paying for PC. */
function snapStartCandidate(fn: FunctionConfig): boolean {
  const match = /^java(\d+)/.exec(fn.runtime ?? "");
  return match !== null && Number(match[1]) >= 11;
}

/**
 * PC for cold starts: over the busy hours (the fewest hours of the day carrying
 * BUSY_INVOCATION_SHARE of invocations) when they are few, else all day; each at the hour's
 * peak concurrency / target.
 */
function coldStartPlan(input: SizingInput, ctx: ReplayContext): PcPlan {
  const target = input.settings.pcTargetUtilisation;
  const day = buildHourOfDayProfile(input.hours);
  const total = day.reduce((sum, s) => sum + s.meanInvocations, 0);
  const ranked = [...day].sort((a, b) => b.meanInvocations - a.meanInvocations || a.slot - b.slot);
  const busy = new Set<number>();
  let covered = 0;
  for (const s of ranked) {
    if (covered >= BUSY_INVOCATION_SHARE * total) break;
    busy.add(s.slot);
    covered += s.meanInvocations;
  }
  const levels = day.map((s) => Math.max(1, levelFor(s.concurrencyMax, target)));
  const runs = hourRuns((h) => busy.has(h));
  if (busy.size <= MAX_BUSY_HOURS && runs.length <= MAX_SCHEDULE_STEPS) return { kind: "schedule", baseline: 0, steps: stepsOver(runs, levels) };
  return { kind: "fixed", executions: Math.max(1, levelFor(Math.max(...ctx.periods.map((p) => p.concurrency)), target)) };
}

function recommendForColdStarts(input: SizingInput, ctx: ReplayContext): PcRecommendationResult {
  const fromMs = floorToHourMs(input.window.fromMs);
  const counts = countColdStarts(input.reportStats.filter((s) => s.hourStartMs >= fromMs && s.hourStartMs < input.window.toMs));
  if (counts.invocations === 0) return { recommendation: null, note: "Provisioned concurrency: no REPORT-line data in the lookback, so cold starts are unknown." };
  const ratio = counts.coldStartRatio ?? 0;
  // The cheap test first: the p99 model convolves distributions, worth it only for a heavy function.
  if (!isColdStartHeavy(counts)) {
    return { recommendation: null, note: `No provisioned concurrency needed: ${formatRatio(ratio)} of invocations start cold (${formatCount(counts.coldStarts)} in the lookback).` };
  }
  const now = evaluatePlan(ctx, { kind: "none" });
  const latency = replayLatency(ctx, now.outcomes);
  const coldShareOfP99 = latency.p99Ms !== null && latency.warmP99Ms !== null && latency.p99Ms > 0 ? (latency.p99Ms - latency.warmP99Ms) / latency.p99Ms : null;
  const slo = sloBurnedByColdStarts(input.latencySlos);
  const dominates = coldShareOfP99 !== null && coldShareOfP99 >= COLD_STARTS_DOMINATE_SHARE;
  if (slo === null && !dominates) {
    return { recommendation: null, note: `No provisioned concurrency needed: cold starts (${formatRatio(ratio)}) neither burn a latency SLO nor dominate the p99.` };
  }

  const plan = coldStartPlan(input, ctx);
  const chosen = evaluatePlan(ctx, plan);
  const qualifier = input.fn.aliases[0]?.name ?? null;
  const days = observedMs(ctx) / (24 * HOUR_MS);
  let confidence = capConfidence(confidenceFromDays(days), plan);
  if (counts.coldStarts < 20 && confidence === "high") confidence = "medium";
  const fixedN = plan.kind === "fixed" ? plan.executions : null;
  const change = qualifier !== null && fixedN !== null ? pcChange(qualifier, fixedN) : null;
  const reason =
    qualifier === null
      ? `Provisioned concurrency needs an alias or a published version, and ${input.fn.functionName} has no alias: publish a version, point the trigger at an alias, then set provisioned concurrency on it.${plan.kind === "schedule" ? ` ${autoScalingInWords(input.fn, "<alias>", plan)}` : ""}`
      : change === null
        ? autoScalingInWords(input.fn, qualifier, plan)
        : null;

  const evidence = [
    `${formatRatio(ratio)} of invocations start cold (${formatCount(counts.coldStarts)} of ${formatCount(counts.invocations)} in the lookback, ${formatCount(now.coldStartsPerDay)} a day).`,
    ...(slo ? [`Cold starts cause ${formatRatio(slo.coldStartBadShare ?? 0)} of the bad events of the latency SLO "${slo.name}" (${slo.thresholdMs} ms at ${formatRatio(slo.objective)}).`] : []),
    ...(coldShareOfP99 !== null && latency.p99Ms !== null ? [`Cold starts make up ${formatRatio(coldShareOfP99)} of the p99 (${Math.round(latency.p99Ms)} ms; ${Math.round(latency.warmP99Ms ?? 0)} ms were every call warm).`] : []),
    `Peak concurrency ${formatCount(Math.max(...ctx.periods.map((p) => p.concurrency)))}; proposed ${describePcPlan(plan, qualifier)}.`,
    ...(snapStartCandidate(input.fn)
      ? [
          input.fn.snapStart === "PublishedVersions"
            ? "SnapStart is already on: cold starts are restores; PC removes what is left."
            : `${input.fn.runtime} supports SnapStart, free for Java: it turns most of the INIT into a short restore without paying for provisioned concurrency — try it first (it also needs published versions).`,
        ]
      : []),
  ];
  const delta = chosen.monthlyCostUsd - now.monthlyCostUsd;
  const summary = `Add provisioned concurrency (${describePcPlan(plan, qualifier)}): ${formatRatio(ratio)} of invocations start cold${slo ? ` and cold starts cause ${formatRatio(slo.coldStartBadShare ?? 0)} of "${slo.name}"'s bad events` : ", dominating the p99"}; costs about ${formatUsd(delta)} more a month.`;
  const factor = now.coldStartsPerDay > 0 ? chosen.coldStartsPerDay / now.coldStartsPerDay : 1;
  const sloEffect = sloShareEffect(input.latencySlos, factor);
  const p99 = p99Effect(ctx, now, chosen);
  return {
    recommendation: {
      id: recommendationId(input.fn, "provisioned-concurrency"),
      accountId: input.fn.accountId,
      region: input.fn.region,
      functionName: input.fn.functionName,
      kind: "provisioned-concurrency",
      finding: "cold-start-heavy",
      summary,
      current: "none",
      proposed: describePcPlan(plan, qualifier),
      change,
      notAppliableReason: change === null ? reason : null,
      revert: change === null ? null : pcChange(qualifier!, 0),
      pcPlan: plan,
      monthlyCost: { currentUsd: now.monthlyCostUsd, projectedUsd: exactRange(chosen.monthlyCostUsd), deltaUsd: exactRange(delta) },
      effects: {
        coldStartsPerDay: { current: now.coldStartsPerDay, projected: countRange(chosen.coldStartsPerDay, plan) },
        ...(p99 ? { p99Ms: p99 } : {}),
        ...(sloEffect ? { sloColdStartBadShare: sloEffect } : {}),
      },
      confidence,
      evidence,
      assumptions: [...PLAN_ASSUMPTIONS(input), ...ctx.assumptions],
      riskUnits: withPlanRisk(confidence, plan, 0) + 0.5,
    },
    note: null,
  };
}
