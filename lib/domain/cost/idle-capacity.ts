import { dyadicOf } from "@/lib/domain/cost/apportion";
import type { IdleCapacity } from "@/lib/domain/cost/cost-types";
import { divideRoundingHalfToEven, type MicroUsd } from "@/lib/domain/cost/micro-usd";

/**
 * Idle provisioned concurrency (issue 8): the part of a day's PC allocation charge that paid
 * for environments nobody used. Allocation moves it out of the function's team into `idle`,
 * so the cost of over-provisioning is visible instead of looking like the team's traffic.
 *
 * Utilisation is CloudWatch's ProvisionedConcurrencyUtilization of the alias or version with
 * PC, statistic Maximum, one datapoint per step (1 minute): a ratio 0..1 of the allocated
 * environments busy — the same series and unit the tuning code reads (lib/domain/metrics/
 * pc-utilisation.ts, lib/domain/sizing/provisioned-concurrency.ts).
 */

/**
 * Mean utilisation of allocated provisioned concurrency over a window, 0..1:
 * Σ over steps of the step's utilisation / the number of steps in the window.
 *
 * - Steps: ⌈(toMs − fromMs) / stepMs⌉, aligned to `fromMs`. A step without a datapoint counts
 *   as 0: CloudWatch publishes the metric only for minutes with invocations, and a minute
 *   without any while PC is allocated is a minute all of it sat unused. The caller therefore
 *   passes the window during which PC was allocated (the day, or the part of it the config
 *   existed) — outside it, a missing minute is not idle PC.
 * - Two datapoints in one step (a re-collected minute) count once, as their maximum; values
 *   are clamped to 0..1; non-finite values and points outside [fromMs, toMs) are ignored.
 * - null when the window holds no datapoint at all: no data is not "idle" (the metric was not
 *   collected, or the alias had no PC), so the caller makes no idle claim.
 *
 * Each step's value is a per-minute Maximum, at least that minute's average, so the mean is an
 * upper bound of the true time-averaged utilisation and the idle share derived from it is a
 * lower bound: Sightline never reports more idle PC than there was. (assessPcUtilisation
 * averages only the minutes with a datapoint, a looser bound meant for "is PC worth it"; this
 * one is for money, where the minutes with no invocation are exactly the idle ones.)
 */
export function meanUtilisationRatio(
  points: readonly { timestampMs: number; value: number }[],
  window: { fromMs: number; toMs: number },
  stepMs: number,
): number | null {
  if (!Number.isFinite(stepMs) || stepMs <= 0) throw new RangeError(`stepMs must be a positive number, got ${stepMs}`);
  if (!Number.isFinite(window.fromMs) || !Number.isFinite(window.toMs)) throw new RangeError(`window must have finite bounds, got [${window.fromMs}, ${window.toMs})`);
  if (window.toMs <= window.fromMs) return null;
  const expectedSteps = Math.ceil((window.toMs - window.fromMs) / stepMs);
  const byStep = new Map<number, number>();
  for (const point of points) {
    if (point.timestampMs < window.fromMs || point.timestampMs >= window.toMs || !Number.isFinite(point.value)) continue;
    const step = Math.floor((point.timestampMs - window.fromMs) / stepMs);
    const value = clampRatio(point.value);
    byStep.set(step, Math.max(byStep.get(step) ?? 0, value));
  }
  if (byStep.size === 0) return null;
  let sum = 0;
  for (const value of byStep.values()) sum += value;
  return Math.min(1, sum / expectedSteps);
}

function clampRatio(value: number): number {
  return Math.min(1, Math.max(0, value));
}


/**
 * A function's idle provisioned concurrency on a day:
 * idle = provisioned × (1 − utilisation), rounded to the nearest µUSD, ties to even (the same
 * rounding as money read from Cost Explorer, micro-usd.ts), computed exactly (the float
 * utilisation is read as the exact binary fraction it is, so no float product drifts).
 *
 * Utilisation is clamped to 0..1, so 0 ≤ idle ≤ provisioned. A negative or zero charge (a
 * credit or refund of PC) has nothing idle in it: idle 0. Throws a RangeError when the charge
 * is not a whole number of µUSD or the utilisation is not a finite number.
 */
export function idleCapacityOf(input: {
  functionName: string;
  tags: Record<string, string>;
  provisionedMicroUsd: MicroUsd;
  utilisationRatio: number;
}): IdleCapacity {
  if (!Number.isSafeInteger(input.provisionedMicroUsd)) {
    throw new RangeError(`provisionedMicroUsd of ${input.functionName} must be a whole number of µUSD, got ${input.provisionedMicroUsd}`);
  }
  if (!Number.isFinite(input.utilisationRatio)) {
    throw new RangeError(`utilisationRatio of ${input.functionName} must be a finite number, got ${input.utilisationRatio}`);
  }
  const utilisationRatio = clampRatio(input.utilisationRatio);
  let idleMicroUsd = 0;
  if (input.provisionedMicroUsd > 0) {
    // utilisation = mantissa × 2^exponent with exponent ≤ 0 for any value in [0, 1].
    const { mantissa, exponent } = dyadicOf(utilisationRatio);
    const denominator = 1n << BigInt(-Math.min(0, exponent));
    const used = mantissa << BigInt(Math.max(0, exponent));
    const idleNumerator = BigInt(input.provisionedMicroUsd) * (denominator - used);
    idleMicroUsd = Number(divideRoundingHalfToEven(idleNumerator, denominator));
  }
  return {
    functionName: input.functionName,
    tags: input.tags,
    provisionedMicroUsd: input.provisionedMicroUsd,
    utilisationRatio,
    idleMicroUsd,
  };
}
