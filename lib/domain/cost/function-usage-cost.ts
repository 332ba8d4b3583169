import type { ReportStats } from "@/lib/domain/cold-start/report-stats";
import {
  firstTierDurationUsdPerGbSecond,
  lambdaPricesFor,
  toGbSeconds,
} from "@/lib/domain/cost/lambda-price-book";
import type { FunctionConfig } from "@/lib/domain/inventory/function-config";
import type { MetricPoint } from "@/lib/domain/metrics/lambda-metrics";
import { DAY_MS, HOUR_MS, type TimeWindow } from "@/lib/domain/shared/time";

/**
 * A usage-based estimate of what one function cost over some hours: its REPORT lines priced
 * with the Lambda price book (FACTS.md §2). An estimate, not the bill: on-demand duration is
 * priced at the first tier (tiers accumulate over the whole account, which one function's
 * view cannot see), the free tier is not deducted, and provisioned concurrency is assumed to
 * have been configured as it is now for the whole time. Cost Explorer's figures (issue 8)
 * are what was billed.
 */

/** Ephemeral storage up to this size is free (FACTS.md §2). */
export const FREE_EPHEMERAL_STORAGE_MB = 512;

export type UsageCostComponent =
  | "requests"
  | "on-demand-duration"
  | "provisioned-duration"
  | "snapstart-restore"
  | "provisioned-concurrency"
  | "ephemeral-storage";

/** One priced line: quantity × rate = cost. */
export interface UsageCostLine {
  component: UsageCostComponent;
  quantity: number;
  unit: "requests" | "GB-s";
  usdPerUnit: number;
  costUsd: number;
}

export type UsageCost =
  | { kind: "insufficient-data"; reason: string }
  | {
      kind: "estimated";
      /** The region whose prices were used, and whether it stands in for one the book lacks. */
      pricedRegion: string;
      priceAssumed: boolean;
      architecture: FunctionConfig["architecture"];
      /** On-demand duration is priced at the first tier; see the module comment. */
      durationTier: "first";
      /** The whole hours priced. */
      covered: TimeWindow;
      coveredHours: number;
      invocations: number;
      lines: UsageCostLine[];
      totalCostUsd: number;
      /** Total scaled to 24 hours of the covered hours' rate. */
      costPerDayUsd: number;
      /** Total / invocations (PC allocation included); null without invocations. */
      costPerInvocationUsd: number | null;
    };

export interface UsageCostInput {
  fn: Pick<FunctionConfig, "region" | "architecture" | "memoryMb" | "ephemeralStorageMb" | "provisionedConcurrency" | "aliases" | "versions">;
  /** ReportStats of the covered hours (see selectReportHours). */
  stats: readonly ReportStats[];
  /** The whole hours the stats stand for; null when none was collected. */
  covered: TimeWindow | null;
  /**
   * The share of invocations served by provisioned concurrency (ProvisionedConcurrencyInvocations
   * / Invocations, 0..1), billed at the PC duration price; null or 0 prices all at on-demand.
   */
  provisionedInvocationRatio: number | null;
}

/**
 * The memory (MB) that provisioned concurrency on a qualifier keeps allocated: the memory of
 * the version it points to (an alias resolves to its version), else the function's memory.
 */
export function resolvePcMemoryMb(fn: UsageCostInput["fn"], qualifier: string): number {
  const version = fn.aliases.find((a) => a.name === qualifier)?.functionVersion ?? qualifier;
  return fn.versions.find((v) => v.version === version)?.memoryMb ?? fn.memoryMb;
}

/**
 * The share of a function's invocations that provisioned concurrency served in a window:
 * ProvisionedConcurrencyInvocations summed over every PC alias/version, over the function's
 * Invocations, 0..1. null without invocations.
 */
export function computeProvisionedInvocationRatio(
  provisionedInvocations: readonly (readonly MetricPoint[])[],
  invocations: readonly MetricPoint[],
  window: TimeWindow,
): number | null {
  const sum = (points: readonly MetricPoint[]) =>
    points.reduce((total, p) => (p.timestampMs >= window.fromMs && p.timestampMs < window.toMs ? total + p.value : total), 0);
  const all = sum(invocations);
  if (all <= 0) return null;
  // Clamped: the alias and function series come from separate datapoints and may disagree slightly.
  return Math.min(1, provisionedInvocations.reduce((total, series) => total + sum(series), 0) / all);
}

/**
 * Estimates a function's cost over the covered hours from its REPORT stats: requests ×
 * request price; billed GB-s (Billed Duration × memory size; it already includes a billed
 * INIT, never added twice) at the first-tier on-demand price, the share served by provisioned
 * concurrency at the PC duration price; SnapStart's Billed Restore Duration at the duration
 * price (FACTS.md §2 bills it on top); allocated PC GB-s over the hours at the PC price; and
 * ephemeral storage above 512 MB. Per day and per invocation follow from the total.
 */
export function estimateFunctionUsageCost(input: UsageCostInput): UsageCost {
  if (input.covered === null || input.covered.toMs <= input.covered.fromMs) {
    return { kind: "insufficient-data", reason: "no hour of REPORT lines has been collected for this range yet" };
  }
  const { fn, covered } = input;
  const { prices, pricedRegion, assumed } = lambdaPricesFor(fn.region, fn.architecture);
  const durationUsdPerGbSecond = firstTierDurationUsdPerGbSecond(prices);

  let invocations = 0;
  let billedGbSeconds = 0;
  let restoreGbSeconds = 0;
  let billedSeconds = 0;
  for (const s of input.stats) {
    invocations += s.invocations;
    billedGbSeconds += toGbSeconds(s.billedDurationMsSum, s.memorySizeMb);
    restoreGbSeconds += toGbSeconds(s.billedRestoreDurationMsSum, s.memorySizeMb);
    billedSeconds += s.billedDurationMsSum / 1000;
  }
  const provisionedShare = Math.min(1, Math.max(0, input.provisionedInvocationRatio ?? 0));
  const coveredMs = covered.toMs - covered.fromMs;
  const allocatedGbSeconds = fn.provisionedConcurrency.reduce(
    (sum, pc) => sum + pc.allocated * toGbSeconds(coveredMs, resolvePcMemoryMb(fn, pc.qualifier)),
    0,
  );
  const extraStorageGb = Math.max(0, fn.ephemeralStorageMb - FREE_EPHEMERAL_STORAGE_MB) / 1024;

  const line = (component: UsageCostComponent, quantity: number, unit: UsageCostLine["unit"], usdPerUnit: number): UsageCostLine => ({
    component,
    quantity,
    unit,
    usdPerUnit,
    costUsd: quantity * usdPerUnit,
  });
  const lines = [
    line("requests", invocations, "requests", prices.requestUsd),
    line("on-demand-duration", billedGbSeconds * (1 - provisionedShare), "GB-s", durationUsdPerGbSecond),
    line("provisioned-duration", billedGbSeconds * provisionedShare, "GB-s", prices.provisionedDurationUsdPerGbSecond),
    line("snapstart-restore", restoreGbSeconds, "GB-s", durationUsdPerGbSecond),
    line("provisioned-concurrency", allocatedGbSeconds, "GB-s", prices.provisionedConcurrencyUsdPerGbSecond),
    line("ephemeral-storage", billedSeconds * extraStorageGb, "GB-s", prices.ephemeralStorageUsdPerGbSecond),
  ].filter((l) => l.quantity > 0 || l.component === "requests" || l.component === "on-demand-duration");
  const totalCostUsd = lines.reduce((sum, l) => sum + l.costUsd, 0);
  return {
    kind: "estimated",
    pricedRegion,
    priceAssumed: assumed,
    architecture: fn.architecture,
    durationTier: "first",
    covered,
    coveredHours: coveredMs / HOUR_MS,
    invocations,
    lines,
    totalCostUsd,
    costPerDayUsd: (totalCostUsd * DAY_MS) / coveredMs,
    costPerInvocationUsd: invocations > 0 ? totalCostUsd / invocations : null,
  };
}
