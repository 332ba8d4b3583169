import { isColdStartHeavy } from "@/lib/domain/cold-start/cold-start-heavy";
import { NEAR_LIMIT_RATIO } from "@/lib/domain/metrics/concurrency-headroom";

/**
 * "What is wrong now": the rules behind the overview page. Each rule compares a short recent
 * window with the function's own baseline (the day before it), so a function that always
 * errs a little is not news and a quiet one that starts failing is. Every rule also needs a
 * minimum count, so one failed request out of three never raises an alarm.
 */

export type SignalKind = "slo-burning" | "error-spike" | "steady-failure" | "throttling" | "concurrency-near-limit" | "account-concurrency-near-limit" | "cold-start-storm";
export type SignalSeverity = "critical" | "warning";

/** The function (or, for account-wide signals, the account/region) a signal is about. */
export interface SignalSubject {
  accountId: string;
  region: string;
  functionName: string | null;
}

export interface Signal {
  kind: SignalKind;
  severity: SignalSeverity;
  subject: SignalSubject;
  /** The numbers that tripped the rule, named with their units, for the page and the API. */
  measured: Record<string, number>;
  /** Start of the first minute (or hour) in the recent window where the rule held; null when not known. */
  sinceMs: number | null;
  /** The SLO an `slo-burning` signal is about. */
  slo?: { id: string; name: string; service: string };
}

/** Fewer failures than this in the recent window is noise, whatever the ratio. */
export const MIN_EVENTS = 10;
/** An error ratio is a spike at this multiple of the baseline ratio … */
export const ERROR_SPIKE_BASELINE_FACTOR = 5;
/** … and never below 1 % (a baseline of 0 would make any error a spike). */
export const ERROR_SPIKE_MIN_RATIO = 0.01;
/** 5 % failing requests is an outage for an API: page-worthy. */
export const ERROR_SPIKE_CRITICAL_RATIO = 0.05;
/** Throttled share of requests (throttles / (invocations + throttles)). */
export const THROTTLE_WARNING_RATIO = 0.01;
export const THROTTLE_CRITICAL_RATIO = 0.1;
/** Peak concurrency as a share of the limit it runs into: the function page's "near the limit" (concurrency-headroom.ts). */
export const CONCURRENCY_WARNING_RATIO = NEAR_LIMIT_RATIO;
export const CONCURRENCY_CRITICAL_RATIO = 0.95;
/**
 * Below this limit a ratio says little (4 of a reserved 5 is 80 %, and a cap that small is
 * usually a deliberate brake on a batch job): such a function is flagged only at its cap.
 */
export const CONCURRENCY_MIN_LIMIT_FOR_RATIO = 10;
/** Cold starts in the last hour at this multiple of the hourly mean of the day before: a storm. */
export const COLD_START_STORM_FACTOR = 3;

/** Counts of one function over a window. */
export interface TrafficCounts {
  invocations: number;
  errors: number;
  throttles: number;
}

/** One minute of a function's counts, for "since when". */
export interface MinuteCounts extends TrafficCounts {
  minuteStartMs: number;
}

/**
 * An error spike: the recent error ratio is at least ERROR_SPIKE_BASELINE_FACTOR × the
 * baseline's and at least 1 %, with at least MIN_EVENTS errors. Critical from 5 %.
 * `sinceMs` is the first recent minute whose own ratio crossed the threshold.
 */
export function detectErrorSpike(subject: SignalSubject, recent: readonly MinuteCounts[], baseline: TrafficCounts): Signal | null {
  const total = sumCounts(recent);
  if (total.invocations <= 0 || total.errors < MIN_EVENTS) return null;
  const ratio = total.errors / total.invocations;
  const baselineRatio = baseline.invocations > 0 ? baseline.errors / baseline.invocations : 0;
  const threshold = Math.max(ERROR_SPIKE_MIN_RATIO, ERROR_SPIKE_BASELINE_FACTOR * baselineRatio);
  if (ratio < threshold) return null;
  const first = recent.find((m) => m.invocations > 0 && m.errors / m.invocations >= threshold);
  return {
    kind: "error-spike",
    severity: ratio >= ERROR_SPIKE_CRITICAL_RATIO ? "critical" : "warning",
    subject,
    measured: { errors: total.errors, invocations: total.invocations, errorRatio: ratio, baselineErrorRatio: baselineRatio },
    sinceMs: first?.minuteStartMs ?? null,
  };
}

/**
 * A steady failure: at least ERROR_SPIKE_CRITICAL_RATIO (5 %) of invocations failing now, as
 * they did the day before — no spike, since the baseline is just as bad, but still broken
 * for its callers. Use it where detectErrorSpike found nothing, so one failure is said once.
 */
export function detectSteadyFailure(subject: SignalSubject, recent: readonly MinuteCounts[], baseline: TrafficCounts): Signal | null {
  const total = sumCounts(recent);
  if (total.invocations <= 0 || total.errors < MIN_EVENTS) return null;
  const ratio = total.errors / total.invocations;
  if (ratio < ERROR_SPIKE_CRITICAL_RATIO) return null;
  return {
    kind: "steady-failure",
    severity: "warning",
    subject,
    measured: {
      errors: total.errors,
      invocations: total.invocations,
      errorRatio: ratio,
      baselineErrorRatio: baseline.invocations > 0 ? baseline.errors / baseline.invocations : 0,
    },
    sinceMs: null,
  };
}

/**
 * Throttling: at least MIN_EVENTS throttles and 1 % of requests throttled in the recent
 * window (10 % is critical). Throttles are requests Lambda refused, so they are not among
 * the invocations: the share is throttles / (invocations + throttles).
 */
export function detectThrottling(subject: SignalSubject, recent: readonly MinuteCounts[]): Signal | null {
  const total = sumCounts(recent);
  const requests = total.invocations + total.throttles;
  if (total.throttles < MIN_EVENTS || requests <= 0) return null;
  const ratio = total.throttles / requests;
  if (ratio < THROTTLE_WARNING_RATIO) return null;
  const first = recent.find((m) => m.throttles > 0 && m.throttles / (m.invocations + m.throttles) >= THROTTLE_WARNING_RATIO);
  return {
    kind: "throttling",
    severity: ratio >= THROTTLE_CRITICAL_RATIO ? "critical" : "warning",
    subject,
    measured: { throttles: total.throttles, requests, throttleRatio: ratio },
    sinceMs: first?.minuteStartMs ?? null,
  };
}

/**
 * Concurrency near a limit: the recent peak (the per-minute Maximum, as AWS advises) at 80 %
 * of the limit or more, 95 % critical; a limit under CONCURRENCY_MIN_LIMIT_FOR_RATIO only
 * at the cap. For a function the limit is its reserved concurrency (functions without one
 * share the account pool, watched with kind `account-concurrency-near-limit`).
 */
export function detectConcurrencyNearLimit(
  subject: SignalSubject,
  peakConcurrency: number | null,
  limit: number | null,
  kind: "concurrency-near-limit" | "account-concurrency-near-limit" = "concurrency-near-limit",
): Signal | null {
  if (peakConcurrency === null || limit === null || limit <= 0) return null;
  const ratio = peakConcurrency / limit;
  if (ratio < CONCURRENCY_WARNING_RATIO) return null;
  if (limit < CONCURRENCY_MIN_LIMIT_FOR_RATIO && peakConcurrency < limit) return null;
  return {
    kind,
    severity: ratio >= CONCURRENCY_CRITICAL_RATIO ? "critical" : "warning",
    subject,
    measured: { peakConcurrency, limit, utilisationRatio: ratio },
    sinceMs: null,
  };
}

/**
 * A cold-start storm: the last complete hour had at least COLD_START_STORM_FACTOR × the
 * function's mean hourly cold starts of the day before, and is cold-start heavy by the same
 * rule as the map's badge. A function that is always cold (sparse traffic) is not a storm;
 * the cold-starts page ranks those.
 */
export function detectColdStartStorm(
  subject: SignalSubject,
  lastHour: { hourStartMs: number; invocations: number; coldStarts: number },
  baselineHourlyColdStarts: number,
): Signal | null {
  if (!isColdStartHeavy(lastHour)) return null;
  if (lastHour.coldStarts < COLD_START_STORM_FACTOR * baselineHourlyColdStarts) return null;
  return {
    kind: "cold-start-storm",
    severity: "warning",
    subject,
    measured: {
      coldStarts: lastHour.coldStarts,
      invocations: lastHour.invocations,
      coldStartRatio: lastHour.coldStarts / lastHour.invocations,
      baselineHourlyColdStarts,
    },
    sinceMs: lastHour.hourStartMs,
  };
}

const SEVERITY_ORDER: Record<SignalSeverity, number> = { critical: 0, warning: 1 };
const KIND_ORDER: Record<SignalKind, number> = {
  "slo-burning": 0,
  "error-spike": 1,
  "steady-failure": 2,
  throttling: 3,
  "account-concurrency-near-limit": 4,
  "concurrency-near-limit": 5,
  "cold-start-storm": 6,
};

/**
 * An SLO alerting now, as a signal: paging is critical, a ticket a warning. The SLO's own
 * multiwindow rules decided it (lib/domain/slo); this only carries it onto the overview.
 */
export function sloBurningSignal(slo: {
  id: string;
  name: string;
  service: string;
  level: "page" | "ticket";
  accountId: string;
  region: string;
  functionName: string | null;
  currentBurnRate: number | null;
  budgetRemainingRatio: number | null;
}): Signal {
  const measured: Record<string, number> = {};
  if (slo.currentBurnRate !== null) measured.burnRate = slo.currentBurnRate;
  if (slo.budgetRemainingRatio !== null) measured.budgetRemainingRatio = slo.budgetRemainingRatio;
  return {
    kind: "slo-burning",
    severity: slo.level === "page" ? "critical" : "warning",
    subject: { accountId: slo.accountId, region: slo.region, functionName: slo.functionName },
    measured,
    sinceMs: null,
    slo: { id: slo.id, name: slo.name, service: slo.service },
  };
}

/** Most urgent first: severity, then kind (SLOs alerting, new errors, steady errors, throttles, capacity, cold starts), then name. */
export function rankSignals(signals: readonly Signal[]): Signal[] {
  return [...signals].sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      (a.subject.functionName ?? "").localeCompare(b.subject.functionName ?? "") ||
      a.subject.accountId.localeCompare(b.subject.accountId),
  );
}

/** Invocations, errors and throttles added up (minutes of a function, or functions of a fleet). */
export function sumCounts(minutes: readonly TrafficCounts[]): TrafficCounts {
  const total = { invocations: 0, errors: 0, throttles: 0 };
  for (const m of minutes) {
    total.invocations += m.invocations;
    total.errors += m.errors;
    total.throttles += m.throttles;
  }
  return total;
}
