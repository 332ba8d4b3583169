import { burnRateRulesFor, type AlertSeverity } from "@/lib/domain/slo/alert-windows";
import { computeBudgetRemaining, computeBurnRate, computeErrorRatio, timeToExhaustionMs } from "@/lib/domain/slo/burn-rate";
import { evaluateBurnRates, type AlertLevel, type RuleEvaluation } from "@/lib/domain/slo/evaluate-burn-rates";
import type { SliBucket } from "@/lib/domain/slo/sli-bucket";
import type { SloSpec } from "@/lib/domain/slo/slo-definition";
import { sloPeriodAt } from "@/lib/domain/slo/slo-period";
import { sumSliWindow } from "@/lib/domain/slo/window-sums";
import { HOUR_MS } from "@/lib/domain/shared/time";

/**
 * Where an SLO stands at the end of its data: the SLI and budget over the period so far,
 * the burn rate of every alert window pair and the alert level they give. The evaluator
 * stores one per SLO after each collection; the list page, the API and the CLI read that,
 * and notifications are sent from it, so they all say the same.
 */
export interface SloStatus {
  sloId: string;
  /** The definition version evaluated (a later edit makes the status stale until the next run). */
  sloVersion: number;
  evaluatedAtMs: number;
  /** The end of the data the windows end at (the metrics watermark), not the wall clock. */
  throughMs: number;
  level: AlertLevel;
  period: { fromMs: number; toMs: number; periodMs: number };
  /** Events over the period so far. */
  good: number;
  total: number;
  /** good / total over the period so far; null without events. */
  sliRatio: number | null;
  /** 1 − error ratio / budget over the period so far; negative when overspent; null without events. */
  budgetRemainingRatio: number | null;
  /** Burn rate over the last hour ("now"). */
  currentBurnRate: number | null;
  /** When the remaining budget runs out at the current burn rate (ms from throughMs); null when it never does. */
  timeToExhaustionMs: number | null;
  rules: RuleStatus[];
  /** The low-traffic guard applied: events the long window needs before a rule may fire (minEventsFor). */
  minEvents: number;
  /** How much of the period the SLI has data for (0..1 of the elapsed part). */
  coverageRatio: number;
  /** Why the SLO cannot be evaluated (no function, no data yet); null when it was. */
  problem: string | null;
}

/** One window pair of the alerting table, as evaluated. */
export interface RuleStatus {
  severity: AlertSeverity;
  longWindowMs: number;
  shortWindowMs: number;
  burnRateThreshold: number;
  longBurnRate: number | null;
  shortBurnRate: number | null;
  longTotal: number;
  firing: boolean;
  /** Both windows burn past the threshold, but the long one has fewer events than the guard asks. */
  lowTraffic: boolean;
}

/**
 * A period-based SLO's events are minutes with traffic, each already the verdict on many
 * requests, and a 1-hour window holds at most 60 of them: its low-traffic guard is capped at
 * half of that, or its fastest page rule could never fire.
 */
export const TIMESLICE_MIN_EVENTS_CAP = 30;

/** The low-traffic guard of an SLO: its configured minimum, capped for period-based SLIs. */
export function minEventsFor(slo: Pick<SloSpec, "indicator" | "alerting">): number {
  const timeslices = slo.indicator.kind === "latency" && slo.indicator.method === "period";
  return timeslices ? Math.min(slo.alerting.minEvents, TIMESLICE_MIN_EVENTS_CAP) : slo.alerting.minEvents;
}

/** A status for an SLO that could not be evaluated, with the reason. */
export function unevaluatedStatus(slo: SloSpec & { version: number }, nowMs: number, problem: string): SloStatus {
  const period = sloPeriodAt(slo.window, nowMs);
  return {
    sloId: slo.id,
    sloVersion: slo.version,
    evaluatedAtMs: nowMs,
    throughMs: nowMs,
    level: "ok",
    period,
    good: 0,
    total: 0,
    sliRatio: null,
    budgetRemainingRatio: null,
    currentBurnRate: null,
    timeToExhaustionMs: null,
    rules: [],
    minEvents: minEventsFor(slo),
    coverageRatio: 0,
    problem,
  };
}

function toRuleStatus(r: RuleEvaluation): RuleStatus {
  return {
    severity: r.rule.severity,
    longWindowMs: r.rule.longWindowMs,
    shortWindowMs: r.rule.shortWindowMs,
    burnRateThreshold: r.rule.burnRateThreshold,
    longBurnRate: r.long.burnRate,
    shortBurnRate: r.short.burnRate,
    longTotal: r.long.total,
    firing: r.firing,
    lowTraffic: r.lowTraffic,
  };
}

/**
 * Evaluates an SLO over its SLI series at the end of the data (`throughMs`): the period's
 * budget, the current (1 h) burn rate, time to exhaustion at that rate, and the multiwindow
 * multi-burn-rate rules for the period's length (FACTS.md §1).
 */
export function computeSloStatus(input: {
  slo: SloSpec & { version: number };
  buckets: readonly SliBucket[];
  throughMs: number;
  evaluatedAtMs: number;
}): SloStatus {
  const { slo, buckets, throughMs } = input;
  const period = sloPeriodAt(slo.window, throughMs);
  const inPeriod = sumSliWindow(buckets, { fromMs: period.fromMs, toMs: throughMs });
  const budgetRemainingRatio = computeBudgetRemaining(inPeriod.good, inPeriod.total, slo.objective);
  const lastHour = sumSliWindow(buckets, { fromMs: throughMs - HOUR_MS, toMs: throughMs });
  const lastHourRatio = computeErrorRatio(lastHour.good, lastHour.total);
  const currentBurnRate = lastHourRatio === null ? null : computeBurnRate(lastHourRatio, slo.objective);
  const evaluation = evaluateBurnRates({
    buckets,
    throughMs,
    objective: slo.objective,
    rules: burnRateRulesFor(period.periodMs),
    minEvents: minEventsFor(slo),
  });
  const elapsedMs = Math.max(1, throughMs - period.fromMs);
  return {
    sloId: slo.id,
    sloVersion: slo.version,
    evaluatedAtMs: input.evaluatedAtMs,
    throughMs,
    // Alerting switched off: the numbers are still shown, the level stays ok.
    level: slo.alerting.enabled ? evaluation.level : "ok",
    period,
    good: inPeriod.good,
    total: inPeriod.total,
    sliRatio: inPeriod.total > 0 ? inPeriod.good / inPeriod.total : null,
    budgetRemainingRatio,
    currentBurnRate,
    timeToExhaustionMs:
      budgetRemainingRatio === null || currentBurnRate === null ? null : timeToExhaustionMs(budgetRemainingRatio, currentBurnRate, period.periodMs),
    rules: evaluation.rules.map((r) => ({ ...toRuleStatus(r), firing: slo.alerting.enabled && r.firing })),
    minEvents: minEventsFor(slo),
    coverageRatio: Math.min(1, inPeriod.coveredMs / elapsedMs),
    problem: null,
  };
}

/**
 * The burn rate a notification of a severity reports: the highest long-window burn among that
 * severity's firing rules (the rule that fired, not a faster window that did not), else among
 * all its rules.
 */
export function peakBurnRateOf(status: SloStatus, severity: AlertSeverity): number | null {
  const ofSeverity = status.rules.filter((r) => r.severity === severity && r.longBurnRate !== null);
  const firing = ofSeverity.filter((r) => r.firing);
  const rates = (firing.length > 0 ? firing : ofSeverity).map((r) => r.longBurnRate!);
  return rates.length === 0 ? null : Math.max(...rates);
}

/** The order /slos sorts by: paging first, then ticket, then the least budget left. */
export function compareByRisk(a: SloStatus, b: SloStatus): number {
  const rank: Record<AlertLevel, number> = { page: 0, ticket: 1, ok: 2 };
  if (rank[a.level] !== rank[b.level]) return rank[a.level] - rank[b.level];
  const left = (s: SloStatus) => s.budgetRemainingRatio ?? Number.POSITIVE_INFINITY;
  if (left(a) !== left(b)) return left(a) - left(b);
  return (b.currentBurnRate ?? 0) - (a.currentBurnRate ?? 0);
}
