import type { FunctionConfig } from "@/lib/domain/inventory/function-config";
import { DAY_MS } from "@/lib/domain/shared/time";
import type { Confidence, Range, TuningKind } from "@/lib/domain/sizing/tuning-types";

/**
 * Small shared pieces of the concurrency recommendations (provisioned and reserved): the
 * month they project to, their id, and how their figures read.
 */

/** A month is 30 days of the observed traffic (Recommendation.monthlyCost): 2,592,000 seconds. */
export const MONTH_DAYS = 30;
export const MONTH_SECONDS = MONTH_DAYS * 86_400;

/** Scales an amount observed over `observedMs` to 30 days. */
export function perMonth(amount: number, observedMs: number): number {
  return observedMs > 0 ? (amount * MONTH_DAYS * DAY_MS) / observedMs : 0;
}

/** Scales an amount observed over `observedMs` to one day. */
export function perDay(amount: number, observedMs: number): number {
  return observedMs > 0 ? (amount * DAY_MS) / observedMs : 0;
}

export function recommendationId(fn: FunctionConfig, kind: TuningKind): string {
  return `${fn.accountId}/${fn.region}/${fn.functionName}/${kind}`;
}

export function formatUsd(usd: number): string {
  const abs = Math.abs(usd);
  const digits = abs >= 100 ? 0 : 2;
  return `${usd < 0 ? "−" : ""}$${abs.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

export function formatRatio(ratio: number): string {
  return `${(ratio * 100).toFixed(ratio < 0.1 ? 1 : 0)} %`;
}

export function exactRange(value: number): Range {
  return { lower: value, expected: value, upper: value };
}

/** Confidence from how many days of data a recommendation rests on. */
export function confidenceFromDays(days: number): Confidence {
  return days >= 7 ? "high" : days >= 3 ? "medium" : "low";
}

/** Risk units a confidence adds (1 = high). */
export function confidenceRisk(confidence: Confidence): number {
  return confidence === "high" ? 1 : confidence === "medium" ? 1.5 : 2;
}
