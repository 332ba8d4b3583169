import { DAY_MS, MINUTE_MS } from "@/lib/domain/shared/time";
import { UserFacingError } from "@/lib/domain/shared/user-facing-error";
import type { PcPlan, PcScheduleStep } from "@/lib/domain/sizing/tuning-types";

/**
 * Provisioned-concurrency plans (none, fixed, a daily UTC schedule, target tracking): how
 * many environments each keeps at a given time, how it reads in words, and the CLI text
 * format `09:00-18:00=20,base=2` both ways.
 */

export const MINUTES_PER_DAY = 1440;
/** Application Auto Scaling's target tracking alarms use the Average over ~3 minutes (FACTS §4): it lags by about this much. */
export const TARGET_TRACKING_LAG_MS = 3 * MINUTE_MS;
/** Its scale-in alarm waits for a longer run of low datapoints (about 15 minutes): it gives environments back late. */
export const TARGET_TRACKING_SCALE_IN_MS = 15 * MINUTE_MS;

/** Minute of the UTC day of an instant, 0..1439. */
export function minuteOfDay(epochMs: number): number {
  return Math.floor((((epochMs % DAY_MS) + DAY_MS) % DAY_MS) / MINUTE_MS);
}

/** Executions a non-tracking plan keeps at a minute of the UTC day (target tracking depends on demand: see targetTrackingLevel). */
export function scheduledLevelAt(plan: Exclude<PcPlan, { kind: "target-tracking" }>, minute: number): number {
  switch (plan.kind) {
    case "none":
      return 0;
    case "fixed":
      return plan.executions;
    case "schedule": {
      const step = plan.steps.find((s) => minute >= s.fromMinute && minute < s.toMinute);
      return step ? step.executions : plan.baseline;
    }
  }
}

/**
 * Time-weighted mean of a non-tracking plan's executions over [startMs, startMs + periodMs):
 * what is allocated (and billed) over an hour a schedule step starts or ends in.
 */
export function meanScheduledLevel(plan: Exclude<PcPlan, { kind: "target-tracking" }>, startMs: number, periodMs: number): number {
  if (plan.kind !== "schedule") return scheduledLevelAt(plan, 0);
  const minutes = Math.max(1, Math.round(periodMs / MINUTE_MS));
  const first = minuteOfDay(startMs);
  let sum = 0;
  for (let i = 0; i < minutes; i++) sum += scheduledLevelAt(plan, (first + i) % MINUTES_PER_DAY);
  return sum / minutes;
}

/** What target tracking settles on for a demand (busy environments): demand / target, within [min, max]. */
export function targetTrackingLevel(plan: Extract<PcPlan, { kind: "target-tracking" }>, demandConcurrency: number): number {
  const wanted = demandConcurrency > 0 ? Math.ceil(demandConcurrency / plan.targetUtilisation - 1e-9) : 0;
  return Math.min(plan.max, Math.max(plan.min, wanted));
}

/** The most environments a plan ever keeps (what a fixed change must not go below to stay safe). */
export function planPeakExecutions(plan: PcPlan): number {
  switch (plan.kind) {
    case "none":
      return 0;
    case "fixed":
      return plan.executions;
    case "schedule":
      return Math.max(plan.baseline, ...plan.steps.map((s) => s.executions));
    case "target-tracking":
      return plan.max;
  }
}

function clock(minute: number): string {
  const h = Math.floor(minute / 60);
  const m = minute % 60;
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
}

/** A plan in words for the console, e.g. "20 on live 09:00–18:00 UTC, 2 otherwise". */
export function describePcPlan(plan: PcPlan, qualifier: string | null): string {
  const on = qualifier ? ` on ${qualifier}` : "";
  switch (plan.kind) {
    case "none":
      return "none";
    case "fixed":
      return plan.executions === 0 ? "none" : `${plan.executions}${on}`;
    case "schedule": {
      const steps = plan.steps.map((s) => `${s.executions} ${clock(s.fromMinute)}–${clock(s.toMinute)}`).join(", ");
      return `${steps} UTC${on}, ${plan.baseline} otherwise`;
    }
    case "target-tracking":
      return `target tracking at ${Math.round(plan.targetUtilisation * 100)} % utilisation${on}, ${plan.min}–${plan.max}`;
  }
}

/** A plan in the CLI format parsePcSchedule reads: "none", "20", "base=2,09:00-18:00=20", "target=0.7,min=1,max=20". */
export function formatPcPlan(plan: PcPlan): string {
  switch (plan.kind) {
    case "none":
      return "none";
    case "fixed":
      return String(plan.executions);
    case "schedule": {
      const steps = mergeMidnight(plan.steps).map((s) => `${clock(s.fromMinute)}-${clock(s.toMinute > MINUTES_PER_DAY ? s.toMinute - MINUTES_PER_DAY : s.toMinute)}=${s.executions}`);
      return [...(plan.baseline !== 0 || steps.length === 0 ? [`base=${plan.baseline}`] : []), ...steps].join(",");
    }
    case "target-tracking":
      return `target=${plan.targetUtilisation},min=${plan.min},max=${plan.max}`;
  }
}

/** Steps as written: a pair split at midnight (…-24:00 and 00:00-…, same executions) is joined back into one wrapping step. */
function mergeMidnight(steps: readonly PcScheduleStep[]): PcScheduleStep[] {
  const sorted = [...steps].sort((a, b) => a.fromMinute - b.fromMinute);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (sorted.length >= 2 && first && last && first.fromMinute === 0 && last.toMinute === MINUTES_PER_DAY && first.executions === last.executions) {
    // Written as "22:00-02:00": toMinute beyond the day marks the wrap for formatting only.
    return [...sorted.slice(1, -1), { fromMinute: last.fromMinute, toMinute: first.toMinute + MINUTES_PER_DAY, executions: last.executions }];
  }
  return sorted;
}

const STEP_PATTERN = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*=\s*(\d+)$/;
const COUNT_PATTERN = /^\d+$/;
/** More than this many environments is a typo, not a plan (the default account limit is 1,000). */
const MAX_EXECUTIONS = 100_000;

function parseCount(text: string, part: string): number {
  if (!COUNT_PATTERN.test(text)) throw new UserFacingError(`"${part}": expected a whole number of environments, got "${text}".`);
  const n = Number(text);
  if (n > MAX_EXECUTIONS) throw new UserFacingError(`"${part}": ${n} environments is more than ${MAX_EXECUTIONS.toLocaleString("en-US")}.`);
  return n;
}

function parseClock(hours: string, minutes: string, part: string, allowEndOfDay: boolean): number {
  const h = Number(hours);
  const m = Number(minutes);
  if (m > 59 || h > 24 || (h === 24 && (m !== 0 || !allowEndOfDay))) throw new UserFacingError(`"${part}": ${hours}:${minutes} is not a time of day (00:00–23:59, or 24:00 as an end).`);
  return h * 60 + m;
}

/** One "HH:MM-HH:MM=N" part; a step over midnight becomes two. */
function parseStep(part: string): PcScheduleStep[] {
  const match = STEP_PATTERN.exec(part);
  if (!match) throw new UserFacingError(`"${part}": expected HH:MM-HH:MM=N (UTC), e.g. 09:00-18:00=20.`);
  const [, fh, fm, th, tm, n] = match as unknown as [string, string, string, string, string, string];
  const from = parseClock(fh, fm, part, false);
  const to = parseClock(th, tm, part, true);
  const executions = parseCount(n, part);
  if (from === to) throw new UserFacingError(`"${part}": the step starts and ends at the same time.`);
  if (from < to) return [{ fromMinute: from, toMinute: to, executions }];
  return [
    { fromMinute: from, toMinute: MINUTES_PER_DAY, executions },
    ...(to > 0 ? [{ fromMinute: 0, toMinute: to, executions }] : []),
  ];
}

function parseTargetTracking(parts: readonly string[]): PcPlan {
  const values = new Map<string, string>();
  for (const part of parts) {
    const [key, value, ...rest] = part.split("=").map((s) => s.trim());
    if (!key || value === undefined || rest.length > 0 || !["target", "min", "max"].includes(key)) {
      throw new UserFacingError(`"${part}": target tracking takes target=R,min=N,max=N (e.g. target=0.7,min=1,max=20).`);
    }
    values.set(key, value);
  }
  const target = Number(values.get("target"));
  if (!(target > 0 && target <= 1)) throw new UserFacingError(`"target=${values.get("target") ?? ""}": the utilisation target is a ratio above 0 and at most 1, e.g. 0.7.`);
  const min = parseCount(values.get("min") ?? "0", `min=${values.get("min") ?? ""}`);
  const maxText = values.get("max");
  if (maxText === undefined) throw new UserFacingError(`target tracking needs max=N (the most environments it may provision).`);
  const max = parseCount(maxText, `max=${maxText}`);
  if (max < min) throw new UserFacingError(`"max=${max}": below min=${min}.`);
  return { kind: "target-tracking", targetUtilisation: target, min, max };
}

/**
 * Parses the CLI's provisioned-concurrency plan: "none"; a bare number (fixed); comma-
 * separated UTC steps "09:00-18:00=20" with an optional "base=N" for the rest of the day
 * (a step over midnight, "22:00-02:00=5", is split); or "target=0.7,min=1,max=20".
 * Throws a UserFacingError naming the part it cannot read.
 */
export function parsePcSchedule(text: string): PcPlan {
  const trimmed = text.trim();
  if (trimmed === "") throw new UserFacingError(`Empty provisioned-concurrency plan: write "none", a number, or steps like 09:00-18:00=20.`);
  if (trimmed.toLowerCase() === "none") return { kind: "none" };
  if (COUNT_PATTERN.test(trimmed)) {
    const executions = parseCount(trimmed, trimmed);
    return executions === 0 ? { kind: "none" } : { kind: "fixed", executions };
  }
  const parts = trimmed.split(",").map((p) => p.trim());
  const empty = parts.findIndex((p) => p === "");
  if (empty >= 0) throw new UserFacingError(`"${trimmed}": empty part ${empty + 1} (two commas in a row, or a trailing comma).`);
  if (parts.some((p) => /^target\s*=/.test(p))) return parseTargetTracking(parts);

  let baseline: number | null = null;
  const steps: PcScheduleStep[] = [];
  for (const part of parts) {
    const base = /^base\s*=\s*(.*)$/.exec(part);
    if (base) {
      if (baseline !== null) throw new UserFacingError(`"${part}": base is given twice.`);
      baseline = parseCount(base[1]!.trim(), part);
    } else if (COUNT_PATTERN.test(part)) {
      if (baseline !== null) throw new UserFacingError(`"${part}": the baseline is given twice.`);
      baseline = parseCount(part, part);
    } else {
      steps.push(...parseStep(part));
    }
  }
  steps.sort((a, b) => a.fromMinute - b.fromMinute);
  for (let i = 1; i < steps.length; i++) {
    const prev = steps[i - 1]!;
    const next = steps[i]!;
    if (next.fromMinute < prev.toMinute) throw new UserFacingError(`Steps overlap: ${clock(prev.fromMinute)}-${clock(prev.toMinute)} and ${clock(next.fromMinute)}-${clock(next.toMinute)}.`);
  }
  if (steps.length === 0) return (baseline ?? 0) === 0 ? { kind: "none" } : { kind: "fixed", executions: baseline! };
  return { kind: "schedule", baseline: baseline ?? 0, steps };
}
