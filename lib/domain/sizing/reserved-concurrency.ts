import { NEAR_LIMIT_RATIO } from "@/lib/domain/metrics/concurrency-headroom";
import { DAY_MS, HOUR_MS } from "@/lib/domain/shared/time";
import {
  confidenceFromDays,
  confidenceRisk,
  formatCount,
  formatRatio,
  formatUsd,
  perDay,
  perMonth,
  recommendationId,
} from "@/lib/domain/sizing/concurrency-format";
import { nearestRank } from "@/lib/domain/sizing/hour-of-week";
import type { Confidence, DurationModel, PeriodSample, Recommendation, SizingInput, TuningFinding } from "@/lib/domain/sizing/tuning-types";
import { prepareLookbackReplay, replayPeriods, sumOutcomes, type ReplayContext } from "@/lib/domain/sizing/whatif-replay";

/**
 * Reserved concurrency: a cap that throttles, or a missing cap under account pool pressure.
 *
 * Raising a throttling cap sizes it so the peak demand (what ran plus what was throttled,
 * through Little's law) stays at NEAR_LIMIT_RATIO of the new cap, within what the account can
 * reserve (AWS keeps at least MIN_UNRESERVED executions unreserved, FACTS §4). A cap is set on
 * purpose, often to protect a downstream (a database's connections, a rate-limited API), so
 * the recommendation always names that trade-off and carries the risk for it.
 *
 * A missing cap is recommended only when the function alone can take most of the shared
 * unreserved pool in a burst far above its usual peak: capping it at its usual peak protects
 * every other function's room. Without that evidence nothing is recommended.
 */

/** At least this many executions stay unreserved in an account/region (FACTS §4). */
export const MIN_UNRESERVED = 100;
/** Throttling below either of these is noise, not a cap that is too low: under ten a day, or under 0.01 % of the requests. */
const MIN_THROTTLES_PER_DAY = 10;
const MIN_THROTTLED_SHARE = 0.0001;

/** A throttled hour counts as throttled by the cap when its peak concurrency reached this share of the cap. */
export const AT_CAP_RATIO = 0.95;
/** Pool pressure: the function's own peak reached this share of the unreserved pool. */
export const POOL_PRESSURE_RATIO = 0.8;
/** …in a burst: its usual peak (p95 of hourly peaks) is at most this share of its highest. */
export const BURST_RATIO = 0.5;
/** The usual peak: this percentile of the hourly peaks. */
export const USUAL_PEAK_PERCENTILE = 0.95;
/** Risk a cap change carries beyond its confidence: it moves load onto, or away from, something else. */
const CAP_CHANGE_RISK = 1;

export interface ReservedRecommendationResult {
  recommendation: Recommendation | null;
  note: string | null;
}

/**
 * Recommends a reserved-concurrency change for one function: raise a cap that throttles, or
 * add one under account pool pressure. `note` says why there is none.
 */
export function recommendReservedConcurrency(input: SizingInput, model: DurationModel): ReservedRecommendationResult {
  const ctx = prepareLookbackReplay(input, model);
  if (ctx.periods.length === 0) return { recommendation: null, note: "Reserved concurrency: no metrics in the lookback." };
  const cap = input.fn.reservedConcurrency;
  return cap === null ? recommendMissingCap(input, ctx) : recommendHigherCap(input, ctx, cap);
}

/** Peak concurrency the demand would have reached unthrottled: concurrency × (ran + throttled) / ran, per hour. */
function peakDemandConcurrency(hours: readonly PeriodSample[]): number {
  let peak = 0;
  for (const h of hours) {
    const c = h.concurrencyMax ?? 0;
    peak = Math.max(peak, h.invocations > 0 ? (c * (h.invocations + h.throttles)) / h.invocations : c);
  }
  return peak;
}

/** The most this function may reserve: the limit minus what others reserve minus the unreserved minimum; null without account settings. */
function reservableMax(input: SizingInput): number | null {
  return input.account === null ? null : input.account.concurrentExecutionsLimit - input.reservedByOthers - MIN_UNRESERVED;
}

interface Projection {
  currentUsd: number;
  projectedUsd: number;
  throttlesPerDayNow: number;
  throttlesPerDay: number;
}

function projectCap(ctx: ReplayContext, cap: number | null): Projection {
  const ms = ctx.periods.length * ctx.periodMs;
  const now = sumOutcomes(replayPeriods(ctx, ctx.current, 1));
  const next = sumOutcomes(replayPeriods(ctx, { ...ctx.current, reservedConcurrency: cap }, 1));
  return { currentUsd: perMonth(now.costUsd, ms), projectedUsd: perMonth(next.costUsd, ms), throttlesPerDayNow: perDay(now.throttles, ms), throttlesPerDay: perDay(next.throttles, ms) };
}

function days(ctx: ReplayContext): number {
  return (ctx.periods.length * ctx.periodMs) / DAY_MS;
}

function build(
  input: SizingInput,
  fields: { finding: TuningFinding; summary: string; proposed: number; projection: Projection; projectedUsd: number; confidence: Confidence; evidence: string[]; assumptions: string[] },
): Recommendation {
  const { projection: p } = fields;
  const current = input.fn.reservedConcurrency;
  const delta = fields.projectedUsd - p.currentUsd;
  return {
    id: recommendationId(input.fn, "reserved-concurrency"),
    accountId: input.fn.accountId,
    region: input.fn.region,
    functionName: input.fn.functionName,
    kind: "reserved-concurrency",
    finding: fields.finding,
    summary: fields.summary,
    current: current === null ? "none" : formatCount(current),
    proposed: formatCount(fields.proposed),
    change: { kind: "reserved-concurrency", executions: fields.proposed },
    notAppliableReason: null,
    revert: { kind: "reserved-concurrency", executions: current },
    monthlyCost: {
      currentUsd: p.currentUsd,
      projectedUsd: { lower: Math.min(p.currentUsd, fields.projectedUsd), expected: fields.projectedUsd, upper: Math.max(p.currentUsd, fields.projectedUsd) },
      deltaUsd: { lower: Math.min(0, delta), expected: delta, upper: Math.max(0, delta) },
    },
    effects: {
      throttlesPerDay: { current: p.throttlesPerDayNow, projected: { lower: 0, expected: p.throttlesPerDay, upper: Math.max(p.throttlesPerDay, p.throttlesPerDay * 1.5) } },
    },
    confidence: fields.confidence,
    evidence: fields.evidence,
    assumptions: fields.assumptions,
    riskUnits: confidenceRisk(fields.confidence) + CAP_CHANGE_RISK,
  };
}

/** A cap that throttles at the peak: raise it to cover the peak demand with headroom, within the account pool. */
function recommendHigherCap(input: SizingInput, ctx: ReplayContext, cap: number): ReservedRecommendationResult {
  if (cap === 0) return { recommendation: null, note: "Reserved concurrency 0 switches the function off on purpose; not changed." };
  const throttles = input.hours.reduce((sum, h) => sum + h.throttles, 0);
  const observedPeak = Math.max(0, ...input.hours.map((h) => h.concurrencyMax ?? 0));
  if (throttles === 0) return { recommendation: null, note: `Reserved concurrency ${cap} did not throttle (peak concurrency ${formatCount(observedPeak)}).` };
  const invocations = input.hours.reduce((sum, h) => sum + h.invocations, 0);
  const spanDays = (input.hours.length * HOUR_MS) / DAY_MS;
  if (throttles < MIN_THROTTLES_PER_DAY * spanDays || throttles < MIN_THROTTLED_SHARE * (invocations + throttles)) {
    return { recommendation: null, note: `Reserved concurrency ${cap} throttled ${formatCount(throttles)} of ${formatCount(invocations + throttles)} requests in ${spanDays.toFixed(1)} days: too rare to be worth raising the cap.` };
  }
  const atCap = input.hours.filter((h) => h.throttles > 0 && (h.concurrencyMax ?? 0) >= AT_CAP_RATIO * cap);
  if (atCap.length === 0) {
    return { recommendation: null, note: `${formatCount(throttles)} throttles, but never with concurrency at the cap of ${cap}: not the cap (the account pool or the scaling rate?).` };
  }
  const demand = peakDemandConcurrency(input.hours);
  let proposed = Math.max(cap + 1, Math.ceil(demand / NEAR_LIMIT_RATIO - 1e-9));
  const max = reservableMax(input);
  const evidence = [
    `${formatCount(perDay(throttles, ctx.periods.length * ctx.periodMs))} throttles a day; in ${atCap.length} hour${atCap.length === 1 ? "" : "s"} concurrency reached the cap (${formatCount(observedPeak)} of ${cap}).`,
    `Peak demand ≈ ${demand.toFixed(1)} concurrent executions (concurrency × (ran + throttled) / ran); ${proposed} keeps it at ${formatRatio(NEAR_LIMIT_RATIO)} of the cap.`,
  ];
  const assumptions = [
    "Throttled invocations would have run at the same duration had the cap allowed them.",
    "A reserved cap is usually set on purpose — often to protect a downstream (database connections, a rate-limited API): raising it passes that much more concurrency to it; check it can take it.",
    "Async sources (SQS, SNS, EventBridge) retry throttled events, so part of the throttled work already ran later and costs nothing extra.",
  ];
  if (max === null) {
    assumptions.push("The account's concurrency settings were not collected: the raise is not checked against the unreserved pool.");
  } else {
    evidence.push(`Account limit ${formatCount(input.account!.concurrentExecutionsLimit)}, ${formatCount(input.reservedByOthers)} reserved by other functions: up to ${formatCount(max)} can be reserved here while ${MIN_UNRESERVED} stay unreserved.`);
    if (max <= cap) return { recommendation: null, note: `Reserved concurrency ${cap} throttles, but the account has no room to raise it (${MIN_UNRESERVED} must stay unreserved): request a higher concurrency quota.` };
    if (proposed > max) {
      evidence.push(`Covering the peak needs ${proposed}; the pool allows ${max}, so the cap is raised as far as it can go.`);
      proposed = max;
    }
  }
  const projection = projectCap(ctx, proposed);
  const confidence: Confidence = max === null && confidenceFromDays(days(ctx)) === "high" ? "medium" : confidenceFromDays(days(ctx));
  const delta = projection.projectedUsd - projection.currentUsd;
  const summary = `Raise reserved concurrency from ${cap} to ${proposed}: the cap throttled about ${formatCount(projection.throttlesPerDayNow)} invocations a day at peak (concurrency ${formatCount(observedPeak)} of ${cap}); the throttled work adds about ${formatUsd(delta)} a month. If the cap protects a downstream, check it can take ${proposed}.`;
  return {
    recommendation: build(input, { finding: "reserved-concurrency-throttling", summary, proposed, projection, projectedUsd: projection.projectedUsd, confidence, evidence, assumptions }),
    note: null,
  };
}

/**
 * No cap, and the function alone can take most of the unreserved pool in bursts far above its
 * usual peak: cap it at the usual peak with headroom. Conservative — no recommendation unless
 * all of that holds and the cap fits the pool.
 */
function recommendMissingCap(input: SizingInput, ctx: ReplayContext): ReservedRecommendationResult {
  if (input.account === null) return { recommendation: null, note: "No reserved concurrency; the account's concurrency settings were not collected, so pool pressure is unknown." };
  const pool = input.account.unreservedConcurrentExecutions;
  const hourlyPeaks = input.hours.filter((h) => h.invocations > 0).map((h) => h.concurrencyMax ?? 0);
  const peak = Math.max(0, ...hourlyPeaks);
  const usual = nearestRank(hourlyPeaks, USUAL_PEAK_PERCENTILE);
  if (pool <= 0 || peak < POOL_PRESSURE_RATIO * pool) {
    return { recommendation: null, note: `No reserved concurrency needed: peak concurrency ${formatCount(peak)} is ${formatRatio(pool > 0 ? peak / pool : 1)} of the ${formatCount(pool)} unreserved executions.` };
  }
  if (usual > BURST_RATIO * peak) {
    return { recommendation: null, note: `Peak concurrency ${formatCount(peak)} takes ${formatRatio(peak / pool)} of the unreserved pool, but it is the function's usual load (p95 ${formatCount(usual)}), not a burst a cap should cut: raise the account quota instead.` };
  }
  const proposed = Math.max(1, Math.ceil(usual / NEAR_LIMIT_RATIO - 1e-9));
  const max = reservableMax(input)!;
  if (proposed > max || proposed >= peak) return { recommendation: null, note: `A cap for ${input.fn.functionName} would not fit the account pool (${formatCount(max)} reservable): no recommendation.` };
  const projection = projectCap(ctx, proposed);
  const confidence: Confidence = confidenceFromDays(days(ctx)) === "low" ? "low" : "medium";
  const summary = `Reserve ${proposed} concurrent executions for ${input.fn.functionName}: its bursts reach ${formatCount(peak)}, ${formatRatio(peak / pool)} of the ${formatCount(pool)} executions every unreserved function shares, against a usual peak of ${formatCount(usual)}.`;
  return {
    recommendation: build(input, {
      finding: "reserved-concurrency-missing",
      summary,
      proposed,
      projection,
      // Throttled burst work is retried (or dropped) rather than saved: cost is taken as unchanged.
      projectedUsd: projection.currentUsd,
      confidence,
      evidence: [
        `Peak concurrency ${formatCount(peak)} against ${formatCount(pool)} unreserved executions (account limit ${formatCount(input.account.concurrentExecutionsLimit)}); usual peak (p95 of hours) ${formatCount(usual)}.`,
        `About ${formatCount(projection.throttlesPerDay)} invocations a day would be throttled in the bursts instead of starving other functions.`,
      ],
      assumptions: [
        "Only this function's own concurrency is known here, not the region's ClaimedAccountConcurrency: the pressure is what this function alone can take.",
        "Burst work throttled by the cap is retried by async sources (and fails for synchronous callers); monthly cost is taken as unchanged.",
      ],
    }),
    note: null,
  };
}
