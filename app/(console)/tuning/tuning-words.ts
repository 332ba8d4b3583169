/**
 * The Tuning pages' words: findings, money and metric ranges, provisioned-concurrency plans
 * and Lambda changes as a reader (and the what-if form) reads them. Pure text from view-model
 * values; nothing here computes a projection. Imported by client components too, so it
 * depends only on the formatters and types.
 */
import { MISSING, formatCompactNumber, formatDateTimeUtc, formatDurationMs, formatInteger, formatMemoryMb, formatPercent, formatUsd } from "@/app/(console)/_format/format";
import type { Confidence, PcPlan, Range, TuningAuditEntry, TuningChange, TuningFinding, TuningKind } from "@/lib/domain/sizing/tuning-types";

/** A short label per finding (the fleet table, the card titles). */
export const FINDING_WORDS: Record<TuningFinding, string> = {
  "over-provisioned-memory": "Memory over-provisioned",
  "memory-starved": "Memory too small",
  "arm64-candidate": "Cheaper on arm64 (Graviton)",
  "cold-start-heavy": "Cold starts hurt latency",
  "idle-provisioned-concurrency": "Provisioned concurrency mostly idle",
  "provisioned-concurrency-spillover": "Provisioned concurrency too small at peak",
  "reserved-concurrency-throttling": "Reserved concurrency throttles",
  "reserved-concurrency-missing": "No reserved concurrency cap",
};

/** What each finding means, for a tooltip. */
export const FINDING_MEANINGS: Record<TuningFinding, string> = {
  "over-provisioned-memory": "Memory is far above what the function uses and what its speed needs: lower it",
  "memory-starved": "Out of memory, too little headroom, or CPU-starved: raise it",
  "arm64-candidate": "The same work costs less on Graviton (arm64)",
  "cold-start-heavy": "Cold starts hurt latency (and a latency SLO): add provisioned concurrency",
  "idle-provisioned-concurrency": "Provisioned concurrency is paid for and mostly unused: lower or schedule it",
  "provisioned-concurrency-spillover": "At peak, invocations spill over to on-demand environments (cold)",
  "reserved-concurrency-throttling": "The reserved concurrency cap throttles invocations",
  "reserved-concurrency-missing": "No cap where one protects a downstream resource or the account pool",
};

/** The setting each kind of recommendation changes. */
export const KIND_WORDS: Record<TuningKind, string> = {
  memory: "Memory",
  architecture: "Architecture",
  "provisioned-concurrency": "Provisioned concurrency",
  "reserved-concurrency": "Reserved concurrency",
};

export const CONFIDENCE_WORDS: Record<Confidence, string> = {
  high: "high confidence",
  medium: "medium confidence",
  low: "low confidence",
};

export const CONFIDENCE_MEANINGS: Record<Confidence, string> = {
  high: "Plenty of history, a fitted model and little latency risk",
  medium: "Enough history, but some figures rest on assumptions",
  low: "Thin history or a prior model: try it in the what-if first",
};

/** A minus sign, not a hyphen, in money and deltas ("−$12"). */
const MINUS = "\u2212";

/**
 * A monthly amount at the precision a projection deserves: whole dollars from $10
 * ("$41", "$1,235"), cents below ("$4.50"), two significant digits under $1 ("$0.046").
 * Negative amounts read "−$41"; `signed` adds "+" to positive ones.
 */
export function formatMonthlyUsd(usd: number, signed = false): string {
  if (!Number.isFinite(usd)) return MISSING;
  const magnitude = Math.abs(usd);
  const rounded = magnitude >= 10 ? Math.round(magnitude) : magnitude;
  const sign = rounded === 0 ? "" : usd < 0 ? MINUS : signed ? "+" : "";
  if (rounded === 0) return "$0";
  const body = magnitude >= 10 ? `$${formatInteger(magnitude)}` : formatUsd(magnitude);
  return `${sign}${body}`;
}

/** Whether a range has any spread (else it reads as one figure). */
function hasSpread(range: Range, format: (value: number) => string): boolean {
  return format(range.lower) !== format(range.expected) || format(range.upper) !== format(range.expected);
}

/**
 * A projection with its uncertainty: "expected (lower … upper)", or just the figure when the
 * bounds round to it. `format` renders one value.
 */
export function formatRange(range: Range, format: (value: number) => string): string {
  const expected = format(range.expected);
  return hasSpread(range, format) ? `${expected} (${format(range.lower)} … ${format(range.upper)})` : expected;
}

/** A monthly cost: "$412 ($380 … $455) /month". */
export function formatMonthlyCost(range: Range): string {
  return `${formatRange(range, (v) => formatMonthlyUsd(v))} /month`;
}

/** A monthly cost change, signed: "−$41 (−$55 … −$12) /month", "+$18 /month". */
export function formatMonthlyDelta(range: Range): string {
  return `${formatRange(range, (v) => formatMonthlyUsd(v, true))} /month`;
}

/**
 * A fleet total as a positive amount whatever its sign convention (a saving may be stored
 * as a negative delta): "$1,204 ($890 … $1,510) /month".
 */
export function formatMonthlyTotal(range: Range): string {
  const values = [Math.abs(range.lower), Math.abs(range.upper)].sort((a, b) => a - b);
  return formatMonthlyCost({ lower: values[0]!, expected: Math.abs(range.expected), upper: values[1]! });
}

/** What a cost delta means for the reader: "saves $41 a month", "costs $18 more a month", "no cost change". */
export function describeDelta(range: Range): string {
  const expected = formatMonthlyUsd(Math.abs(range.expected));
  if (expected === "$0") return "no cost change";
  return range.expected < 0 ? `saves ${expected} a month` : `costs ${expected} more a month`;
}

/** "09:00" for a minute of the UTC day (1440 → "24:00"). */
export function formatMinuteOfDay(minute: number): string {
  const hours = Math.floor(minute / 60);
  const minutes = minute % 60;
  return `${String(hours).padStart(2, "0")}:${String(minutes).padStart(2, "0")}`;
}

/**
 * A provisioned-concurrency plan in words: "none", "20 all day", "20 from 09:00 to 18:00
 * UTC, 2 otherwise", "target tracking at 70% utilisation, 2 to 40".
 */
export function describePcPlan(plan: PcPlan): string {
  switch (plan.kind) {
    case "none":
      return "none";
    case "fixed":
      return `${formatInteger(plan.executions)} all day`;
    case "schedule": {
      const steps = plan.steps.map((s) => `${formatInteger(s.executions)} from ${formatMinuteOfDay(s.fromMinute)} to ${formatMinuteOfDay(s.toMinute)}`).join(", ");
      return steps.length === 0 ? `${formatInteger(plan.baseline)} all day` : `${steps} UTC, ${formatInteger(plan.baseline)} otherwise`;
    }
    case "target-tracking":
      return `target tracking at ${formatPercent(plan.targetUtilisation)} utilisation, ${formatInteger(plan.min)} to ${formatInteger(plan.max)}`;
  }
}

/**
 * A plan as the what-if form's PC field (and POST /api/v1/whatif's `pc`) takes it: "none",
 * "20", "09:00-18:00=20,base=2", "target=0.7,min=2,max=40".
 */
export function formatPcPlanInput(plan: PcPlan): string {
  switch (plan.kind) {
    case "none":
      return "none";
    case "fixed":
      return String(plan.executions);
    case "schedule":
      return [...plan.steps.map((s) => `${formatMinuteOfDay(s.fromMinute)}-${formatMinuteOfDay(s.toMinute)}=${s.executions}`), `base=${plan.baseline}`].join(",");
    case "target-tracking":
      return `target=${plan.targetUtilisation},min=${plan.min},max=${plan.max}`;
  }
}

/** The setting a change touches: "Memory", "Provisioned concurrency (live)", "Reserved concurrency". */
export function describeChangeSetting(change: TuningChange): string {
  switch (change.kind) {
    case "memory":
      return "Memory";
    case "provisioned-concurrency":
      return `Provisioned concurrency (${change.qualifier})`;
    case "reserved-concurrency":
      return "Reserved concurrency";
  }
}

/** The value a change sets: "1,024 MB", "20", "none". */
export function describeChangeValue(change: TuningChange): string {
  switch (change.kind) {
    case "memory":
      return formatMemoryMb(change.memoryMb);
    case "provisioned-concurrency":
      return change.executions === 0 ? "none" : formatInteger(change.executions);
    case "reserved-concurrency":
      return change.executions === null ? "none" : formatInteger(change.executions);
  }
}

/**
 * A change in words: "memory 1,024 MB", "provisioned concurrency 20 on live", "no provisioned
 * concurrency on live", "reserved concurrency 50", "no reserved concurrency".
 */
export function describeChange(change: TuningChange): string {
  switch (change.kind) {
    case "memory":
      return `memory ${formatMemoryMb(change.memoryMb)}`;
    case "provisioned-concurrency":
      return change.executions === 0 ? `no provisioned concurrency on ${change.qualifier}` : `provisioned concurrency ${formatInteger(change.executions)} on ${change.qualifier}`;
    case "reserved-concurrency":
      return change.executions === null ? "no reserved concurrency" : `reserved concurrency ${formatInteger(change.executions)}`;
  }
}

/**
 * The Lambda API call that makes a change, as the apply path sends it:
 * "UpdateFunctionConfiguration(FunctionName=orders-api, MemorySize=512)".
 */
export function describeLambdaCall(change: TuningChange, functionName: string): string {
  switch (change.kind) {
    case "memory":
      return `UpdateFunctionConfiguration(FunctionName=${functionName}, MemorySize=${change.memoryMb})`;
    case "provisioned-concurrency":
      return change.executions === 0
        ? `DeleteProvisionedConcurrencyConfig(FunctionName=${functionName}, Qualifier=${change.qualifier})`
        : `PutProvisionedConcurrencyConfig(FunctionName=${functionName}, Qualifier=${change.qualifier}, ProvisionedConcurrentExecutions=${change.executions})`;
    case "reserved-concurrency":
      return change.executions === null
        ? `DeleteFunctionConcurrency(FunctionName=${functionName})`
        : `PutFunctionConcurrency(FunctionName=${functionName}, ReservedConcurrentExecutions=${change.executions})`;
  }
}

/** One side of an apply or rollback, "before → after" in values: "1,024 MB → 512 MB". */
export function describeBeforeAfter(before: TuningChange, after: TuningChange): string {
  return `${describeChangeValue(before)} → ${describeChangeValue(after)}`;
}

export const AUDIT_ACTION_WORDS: Record<TuningAuditEntry["action"], string> = {
  apply: "Apply",
  rollback: "Roll back",
};

/** An audit entry in one line: "Apply by ana (engineer) at 2026-01-05 10:12 UTC: memory 1,024 MB → 512 MB, succeeded". */
export function describeAuditEntry(entry: TuningAuditEntry): string {
  const what = `${describeChangeSetting(entry.after).toLowerCase()} ${describeBeforeAfter(entry.before, entry.after)}`;
  const outcome = entry.result === "succeeded" ? "succeeded" : `failed${entry.error ? ` (${entry.error})` : ""}`;
  return `${AUDIT_ACTION_WORDS[entry.action]} by ${entry.actor} (${entry.role}) at ${formatDateTimeUtc(entry.atMs)}: ${what}, ${outcome}`;
}

/** A burn rate as "14.4×" (two decimals under 10, one above, none from 100); 1× spends the budget exactly. */
export function formatBurnRate(burnRate: number | null): string {
  if (burnRate === null || !Number.isFinite(burnRate)) return MISSING;
  if (burnRate >= 100) return `${Math.round(burnRate)}×`;
  if (burnRate >= 10) return `${Number(burnRate.toFixed(1))}×`;
  return `${Number(burnRate.toFixed(2))}×`;
}

/** A metric's value as each effect shows it. */
export type EffectUnit = "ms" | "per-day" | "ratio";

/** One value of an effect: "120 ms", "1.2k", "35%". */
export function formatEffectValue(value: number, unit: EffectUnit): string {
  switch (unit) {
    case "ms":
      return formatDurationMs(value);
    case "per-day":
      return formatCompactNumber(value);
    case "ratio":
      return formatPercent(value);
  }
}

/**
 * An effect "now → lower … upper": "180 ms → 95 ms … 140 ms", "not measured → 0 … 3",
 * one figure when the bounds agree ("12 → 0").
 */
export function formatEffect(effect: { current: number | null; projected: Range }, unit: EffectUnit): string {
  const format = (value: number) => formatEffectValue(value, unit);
  const now = effect.current === null ? "not measured" : format(effect.current);
  const { lower, upper } = effect.projected;
  const after = format(lower) === format(upper) ? format(lower) : `${format(lower)} … ${format(upper)}`;
  return `${now} → ${after}`;
}
