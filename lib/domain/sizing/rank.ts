import type { Effect, Recommendation } from "@/lib/domain/sizing/tuning-types";

/**
 * The fleet list's order. Savings first, by monthly saving per risk unit (a sure $100 beats
 * a shaky $150); then the fixes that cost money, by how many bad events a day they remove
 * per risk unit (throttles, cold starts, spillover), and among equals the cheaper first.
 * Ties fall back to the function name, then the id, so the order is stable.
 */

export type RankedRecommendation = Recommendation & { savingPerRisk: number };

/** Reduction of an effect per day (current − projected expected), 0 when unknown or worse. */
function avoided(effect: Effect | undefined): number {
  if (!effect || effect.current === null) return 0;
  return Math.max(0, effect.current - effect.projected.expected);
}

/**
 * Bad events a fix removes per day: throttled invocations and cold starts count fully;
 * spillover only where no cold-start effect already counts it (a spilled invocation is not
 * always cold).
 */
export function fixBenefitPerDay(rec: Recommendation): number {
  const e = rec.effects;
  const cold = avoided(e.coldStartsPerDay);
  return avoided(e.throttlesPerDay) + cold + (e.coldStartsPerDay ? 0 : avoided(e.spilloverPerDay));
}

function riskOf(rec: Recommendation): number {
  return Math.max(1, rec.riskUnits);
}

function byName(a: Recommendation, b: Recommendation): number {
  return a.functionName.localeCompare(b.functionName) || a.id.localeCompare(b.id);
}

/** Orders recommendations for the fleet list and adds savingPerRisk (−ΔUSD expected / risk units; negative for fixes). */
export function rankRecommendations(recs: readonly Recommendation[]): RankedRecommendation[] {
  const ranked = recs.map((r) => ({ ...r, savingPerRisk: -r.monthlyCost.deltaUsd.expected / riskOf(r) }));
  const savings = ranked.filter((r) => r.monthlyCost.deltaUsd.expected < 0);
  const fixes = ranked.filter((r) => r.monthlyCost.deltaUsd.expected >= 0);
  savings.sort((a, b) => b.savingPerRisk - a.savingPerRisk || byName(a, b));
  fixes.sort(
    (a, b) =>
      fixBenefitPerDay(b) / riskOf(b) - fixBenefitPerDay(a) / riskOf(a) ||
      a.monthlyCost.deltaUsd.expected - b.monthlyCost.deltaUsd.expected ||
      byName(a, b),
  );
  return [...savings, ...fixes];
}
