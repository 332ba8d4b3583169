import { firstTierDurationUsdPerGbSecond, type LambdaPrices } from "@/lib/domain/cost/lambda-price-book";
import { findPeak, type SeriesPeak } from "@/lib/domain/metrics/concurrency-headroom";
import type { MetricPoint } from "@/lib/domain/metrics/lambda-metrics";
import type { TimeWindow } from "@/lib/domain/shared/time";

/**
 * How one alias or version uses the provisioned concurrency configured on it: is it mostly
 * idle (paid for, not used), or does traffic spill over to on-demand because it is all busy?
 */

/**
 * The utilisation above which provisioned concurrency is cheaper than on-demand for the same
 * busy time (FACTS.md §4): PC price / (on-demand duration price − PC duration price), at the
 * first on-demand tier. ≈ 0.60 on both architectures at us-east-1 prices.
 */
export function computePcBreakEvenUtilisationRatio(prices: LambdaPrices): number {
  const saving = firstTierDurationUsdPerGbSecond(prices) - prices.provisionedDurationUsdPerGbSecond;
  // A price book where PC duration is not cheaper than on-demand has no break-even: PC never pays.
  if (saving <= 0) return Number.POSITIVE_INFINITY;
  return prices.provisionedConcurrencyUsdPerGbSecond / saving;
}

/**
 * - `idle`: mean utilisation below the break-even, no spillover: PC costs more than on-demand would.
 * - `spilling`: invocations went to on-demand because every provisioned environment was busy.
 * - `idle-and-spilling`: both — PC sized for a peak it does not cover, unused the rest of the
 *   time (scheduled scaling by time of day fits such a profile, FACTS.md §4).
 * - `well-used`: at or above the break-even, nothing spilled.
 */
export type PcVerdict = "idle" | "spilling" | "idle-and-spilling" | "well-used";

export type PcUtilisation =
  | { kind: "insufficient-data"; reason: string; provisionedInvocations: number; spilloverInvocations: number }
  | {
      kind: "assessed";
      verdict: PcVerdict;
      /** Highest ProvisionedConcurrencyUtilization (per-period Maximum), 0..1. */
      peakUtilisation: SeriesPeak;
      /**
       * Mean of the per-period Maximum utilisation over the periods that have a datapoint, 0..1.
       * An upper bound of the time-averaged utilisation (a Maximum is at least the average,
       * and CloudWatch publishes nothing for a period without invocations), so `idle` errs
       * towards not calling PC idle.
       */
      meanUtilisationRatio: number;
      /** Highest ProvisionedConcurrentExecutions (environments busy on PC at once). */
      peakProvisionedExecutions: number | null;
      provisionedInvocations: number;
      spilloverInvocations: number;
      /** spillover / (provisioned + spillover) invocations of the alias, 0..1; null without invocations. */
      spilloverRatio: number | null;
      breakEvenUtilisationRatio: number;
    };

export interface PcSeries {
  /** ProvisionedConcurrencyUtilization, Maximum (a ratio 0..1). */
  utilisation: readonly MetricPoint[];
  /** ProvisionedConcurrentExecutions, Maximum. */
  provisionedExecutions: readonly MetricPoint[];
  /** ProvisionedConcurrencyInvocations, Sum. */
  provisionedInvocations: readonly MetricPoint[];
  /** ProvisionedConcurrencySpilloverInvocations, Sum. */
  spilloverInvocations: readonly MetricPoint[];
}

function sumInWindow(points: readonly MetricPoint[], window: TimeWindow): number {
  let total = 0;
  for (const p of points) if (p.timestampMs >= window.fromMs && p.timestampMs < window.toMs) total += p.value;
  return total;
}

/**
 * Classifies one alias's or version's provisioned concurrency over a window as idle, spilling,
 * both, or well used (see PcVerdict), with the figures behind the verdict. "Cannot say" when
 * the window has no utilisation datapoint.
 */
export function assessPcUtilisation(series: PcSeries, window: TimeWindow, breakEvenUtilisationRatio: number): PcUtilisation {
  const provisionedInvocations = sumInWindow(series.provisionedInvocations, window);
  const spilloverInvocations = sumInWindow(series.spilloverInvocations, window);
  const inWindow = series.utilisation.filter((p) => p.timestampMs >= window.fromMs && p.timestampMs < window.toMs);
  const peakUtilisation = findPeak(inWindow, window);
  if (peakUtilisation === null) {
    return { kind: "insufficient-data", reason: "no ProvisionedConcurrencyUtilization datapoints in this range", provisionedInvocations, spilloverInvocations };
  }
  const meanUtilisationRatio = inWindow.reduce((sum, p) => sum + p.value, 0) / inWindow.length;
  const idle = meanUtilisationRatio < breakEvenUtilisationRatio;
  const spilling = spilloverInvocations > 0;
  const verdict: PcVerdict = idle && spilling ? "idle-and-spilling" : spilling ? "spilling" : idle ? "idle" : "well-used";
  const throughAlias = provisionedInvocations + spilloverInvocations;
  return {
    kind: "assessed",
    verdict,
    peakUtilisation,
    meanUtilisationRatio,
    peakProvisionedExecutions: findPeak(series.provisionedExecutions, window)?.value ?? null,
    provisionedInvocations,
    spilloverInvocations,
    spilloverRatio: throughAlias > 0 ? spilloverInvocations / throughAlias : null,
    breakEvenUtilisationRatio,
  };
}
