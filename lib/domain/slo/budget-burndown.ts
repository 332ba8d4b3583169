import { computeBudgetRemaining } from "@/lib/domain/slo/burn-rate";
import { type SliBucket } from "@/lib/domain/slo/sli-bucket";
import { type SloPeriod } from "@/lib/domain/slo/slo-period";
import { bucketShareIn } from "@/lib/domain/slo/window-sums";

/** One sample of the burndown chart. */
export interface BurndownPoint {
  atMs: number;
  /** Budget left from the period start up to atMs (1 − errorRatio / budget); `null` before any event. */
  budgetRemainingRatio: number | null;
  /** Where an even spend of the whole budget would be: 1 at the period start, 0 at its end. */
  idealRatio: number;
}

export interface BudgetBurndown {
  points: BurndownPoint[];
}

/** A guard against a step far too small for the period (a quarter in minutes is 132,480 points). */
export const MAX_BURNDOWN_POINTS = 200_000;

/**
 * The error budget remaining over the SLO period so far, for the burndown chart. Sampled at
 * the period start and every `stepMs` after it while before `throughMs` (the end of the data,
 * capped at the period end), plus a last point at `throughMs` itself so the latest value is
 * always drawn. Each point sums good/total from the period start to its instant (buckets
 * straddling either edge count pro rata, as in sumSliWindow) and measures the budget
 * against the events so far (FACTS.md §1), so it can go below 0 when overspent and is `null`
 * until the first event. The ideal line falls linearly from 1 at the period start to 0 at its
 * end (over periodMs, the whole month for a calendar window).
 *
 * No points when throughMs is before the period start. One pass over the buckets, however
 * many points.
 */
export function computeBudgetBurndown(input: {
  buckets: readonly SliBucket[];
  period: SloPeriod;
  throughMs: number;
  objective: number;
  stepMs: number;
}): BudgetBurndown {
  const { buckets, period, objective, stepMs } = input;
  if (!(stepMs > 0)) throw new RangeError(`stepMs must be positive, got ${stepMs}`);
  const endMs = Math.min(input.throughMs, period.toMs);
  if (endMs < period.fromMs) return { points: [] };
  const pointCount = Math.ceil((endMs - period.fromMs) / stepMs) + 1;
  if (pointCount > MAX_BURNDOWN_POINTS) {
    throw new RangeError(`stepMs ${stepMs} gives ${pointCount} points, more than ${MAX_BURNDOWN_POINTS}`);
  }

  const instants: number[] = [];
  for (let atMs = period.fromMs; atMs < endMs; atMs += stepMs) instants.push(atMs);
  instants.push(endMs);

  // Sweep: buckets start in order; a started bucket is "active" until it ends, then its
  // share of the period (clipped at the period start) joins the running sums for good.
  const sorted = [...buckets].sort((a, b) => a.startMs - b.startMs);
  const sincePeriodStart = { fromMs: period.fromMs, toMs: Number.POSITIVE_INFINITY };
  let next = 0;
  let active: SliBucket[] = [];
  let doneGood = 0;
  let doneTotal = 0;

  const points = instants.map((atMs): BurndownPoint => {
    while (next < sorted.length && sorted[next]!.startMs < atMs) active.push(sorted[next++]!);
    const stillActive: SliBucket[] = [];
    for (const bucket of active) {
      if (bucket.startMs + Math.max(0, bucket.durationMs) <= atMs) {
        const { fraction } = bucketShareIn(bucket, sincePeriodStart);
        doneGood += bucket.good * fraction;
        doneTotal += bucket.total * fraction;
      } else {
        stillActive.push(bucket);
      }
    }
    active = stillActive;

    let good = doneGood;
    let total = doneTotal;
    for (const bucket of active) {
      const { fraction } = bucketShareIn(bucket, { fromMs: period.fromMs, toMs: atMs });
      good += bucket.good * fraction;
      total += bucket.total * fraction;
    }
    const idealRatio = Math.min(1, Math.max(0, 1 - (atMs - period.fromMs) / period.periodMs));
    return { atMs, budgetRemainingRatio: computeBudgetRemaining(good, total, objective), idealRatio };
  });
  return { points };
}
