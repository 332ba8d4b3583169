import type { FunctionDayModelCost, Reconciliation, ReconciliationDay } from "@/lib/domain/cost/cost-types";
import type { MicroUsd } from "@/lib/domain/cost/micro-usd";

/**
 * The usage model's AWS Lambda total against Cost Explorer's, day by day — the gap shown, not
 * hidden. A day has a model only when REPORT lines covered all of it (`coveredDays`): a model of
 * part of a day would show a gap that is only missing hours. Where Cost Explorer's
 * resource-level lines exist (the last 14 days), the functions that differ most are named.
 */

/** How many functions a day names as its largest gaps. */
export const LARGEST_GAPS_PER_DAY = 5;

export interface ReconcileLambdaInput {
  /** AWS Lambda µUSD per UTC day (Cost Explorer, service-usage lines). */
  billedByDay: ReadonlyMap<number, MicroUsd>;
  /** functionName → day → µUSD (resource-level lines); null when none were collected. */
  billedByFunctionDay: ReadonlyMap<string, ReadonlyMap<number, MicroUsd>> | null;
  model: readonly FunctionDayModelCost[];
  /** Days whose REPORT lines cover all 24 h for every function with usage. */
  coveredDays: ReadonlySet<number>;
  /** What the caller knows the model assumes (free tier off, tiers from month-to-date, …). */
  notes?: string[];
}

/**
 * Per day (every day with a bill, a model or coverage, oldest first): billed, model (null when
 * the day is not covered), gap = model − billed, gapRatio = gap / billed (null without a bill),
 * and the five functions with the largest |model − billed| when per-function lines exist that
 * day. Totals are over the days that have a model; notes say what was left out.
 */
export function reconcileLambda(input: ReconcileLambdaInput): Reconciliation {
  const modelByDay = new Map<number, Map<string, MicroUsd>>();
  for (const m of input.model) {
    const fns = modelByDay.get(m.dayMs) ?? new Map<string, MicroUsd>();
    fns.set(m.functionName, (fns.get(m.functionName) ?? 0) + m.microUsd);
    modelByDay.set(m.dayMs, fns);
  }
  const dayList = [...new Set([...input.billedByDay.keys(), ...modelByDay.keys(), ...input.coveredDays])].sort((a, b) => a - b);

  let billedTotal = 0;
  let modelTotal = 0;
  const uncovered: number[] = [];
  const days: ReconciliationDay[] = dayList.map((dayMs) => {
    const billedMicroUsd = input.billedByDay.get(dayMs) ?? 0;
    const fns = modelByDay.get(dayMs) ?? new Map<string, MicroUsd>();
    if (!input.coveredDays.has(dayMs)) {
      uncovered.push(dayMs);
      return { dayMs, billedMicroUsd, modelMicroUsd: null, gapMicroUsd: null, gapRatio: null, largestGaps: [] };
    }
    const modelMicroUsd = [...fns.values()].reduce((a, b) => a + b, 0);
    billedTotal += billedMicroUsd;
    modelTotal += modelMicroUsd;
    const gapMicroUsd = modelMicroUsd - billedMicroUsd;
    return {
      dayMs,
      billedMicroUsd,
      modelMicroUsd,
      gapMicroUsd,
      gapRatio: billedMicroUsd !== 0 ? gapMicroUsd / billedMicroUsd : null,
      largestGaps: largestGaps(dayMs, fns, input.billedByFunctionDay),
    };
  });

  const notes = [...(input.notes ?? [])];
  if (uncovered.length > 0) {
    notes.push(
      `${uncovered.length} day(s) have no model because the collected REPORT lines do not cover the whole day (${uncovered.map(isoDay).join(", ")}); totals leave them out.`,
    );
  }
  if (input.billedByFunctionDay === null) notes.push("No per-function Cost Explorer lines: the gap cannot be traced to functions.");
  const gapMicroUsd = modelTotal - billedTotal;
  return {
    days,
    billedMicroUsd: billedTotal,
    modelMicroUsd: modelTotal,
    gapMicroUsd,
    gapRatio: billedTotal !== 0 ? gapMicroUsd / billedTotal : null,
    notes,
  };
}

/**
 * The functions whose model differs most from their billed lines on a day. A day with no
 * per-function billed line at all (beyond the 14 days resource-level data reaches) names none:
 * every function would otherwise look unbilled.
 */
function largestGaps(
  dayMs: number,
  modelByFunction: ReadonlyMap<string, MicroUsd>,
  billedByFunctionDay: ReconcileLambdaInput["billedByFunctionDay"],
): ReconciliationDay["largestGaps"] {
  if (billedByFunctionDay === null) return [];
  const billedByFunction = new Map<string, MicroUsd>();
  for (const [functionName, byDay] of billedByFunctionDay) {
    const billed = byDay.get(dayMs);
    if (billed !== undefined) billedByFunction.set(functionName, billed);
  }
  if (billedByFunction.size === 0) return [];
  const names = [...new Set([...modelByFunction.keys(), ...billedByFunction.keys()])];
  return names
    .map((functionName) => ({ functionName, billedMicroUsd: billedByFunction.get(functionName) ?? 0, modelMicroUsd: modelByFunction.get(functionName) ?? 0 }))
    .filter((g) => g.modelMicroUsd !== g.billedMicroUsd)
    .sort((a, b) => Math.abs(b.modelMicroUsd - b.billedMicroUsd) - Math.abs(a.modelMicroUsd - a.billedMicroUsd) || compare(a.functionName, b.functionName))
    .slice(0, LARGEST_GAPS_PER_DAY);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isoDay(dayMs: number): string {
  return new Date(dayMs).toISOString().slice(0, 10);
}
