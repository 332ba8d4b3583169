import type { ReportStats } from "@/lib/domain/cold-start/report-stats";
import { firstTierDurationUsdPerGbSecond, lambdaPricesFor, toGbSeconds } from "@/lib/domain/cost/lambda-price-book";
import type { Architecture, FunctionConfig } from "@/lib/domain/inventory/function-config";
import { DAY_MS, floorToHourMs, type TimeWindow } from "@/lib/domain/shared/time";

/**
 * What cold starts cost (FACTS §2–3), counted once.
 *
 * Which INIT is billed: since 2025-08-01 every on-demand INIT — it already was for custom
 * runtimes (`provided.*`) and container images; before that date, not for ZIP functions on
 * managed runtimes. Environments initialised for provisioned concurrency are not on-demand
 * INIT (PC pricing covers them) and their REPORT lines carry no Init Duration, so every Init
 * Duration seen here is an on-demand cold start. SnapStart bills Billed Restore Duration.
 *
 * Where it is billed: the REPORT line's Billed Duration may already hold the INIT (AWS since
 * 2025-08-01) or the Billed Restore Duration (what recorded SnapStart lines show, e.g.
 * Duration 2338.66 ms, Billed Restore 182 ms, Billed Duration 2521 ms), or not. That is not
 * assumed: it is detected from the sums (detectBilledDurationContents) and reported. When the
 * data cannot tell, the cold start is taken to be inside Billed Duration — the reading that can
 * never count it twice. Either way the INIT dollars are reported as a share of the duration
 * bill, never added to a Billed Duration total that already holds them.
 */

/** 2025-08-01T00:00Z: from then on Lambda bills the INIT phase of on-demand ZIP functions on managed runtimes. */
export const INIT_BILLING_START_MS = Date.UTC(2025, 7, 1);

/** Why INIT is (or is not) billed for a function at a time. */
export type InitBillingRule =
  /** Container images: INIT always billed. */
  | "container-image"
  /** Custom runtimes (`provided.*`): INIT always billed. */
  | "custom-runtime"
  /** ZIP on a managed runtime, on or after 2025-08-01: billed. */
  | "managed-runtime-billed"
  /** ZIP on a managed runtime before 2025-08-01: not billed. */
  | "managed-runtime-unbilled";

/** The billing rule for a function's INIT in the hour starting at `hourStartMs`. */
export function initBillingRuleFor(config: Pick<FunctionConfig, "packageType" | "runtime">, hourStartMs: number): InitBillingRule {
  if (config.packageType === "Image") return "container-image";
  if (config.runtime?.startsWith("provided")) return "custom-runtime";
  return hourStartMs >= INIT_BILLING_START_MS ? "managed-runtime-billed" : "managed-runtime-unbilled";
}

function isBilled(rule: InitBillingRule): boolean {
  return rule !== "managed-runtime-unbilled";
}

/** Whether the REPORT lines' Billed Duration already holds a cold start's extra time (INIT, or Billed Restore Duration). */
export interface BilledDurationFinding {
  /**
   * included / not-included: every decisive function-hour agrees; mixed: they disagree (e.g.
   * a window across a billing change); undetermined: none was decisive (no cold starts, or
   * cold starts too short to tell apart from the up-to-1-ms rounding of each invocation).
   */
  kind: "included" | "not-included" | "mixed" | "undetermined";
  /** Function-hour × version × memory combinations whose sums fit only one reading, both, or neither. */
  evidence: { included: number; notIncluded: number; ambiguous: number; unexplained: number };
}

/** Display rounding: each Duration is shown to 0.01 ms and stored sums are rounded to 0.01 ms. */
function roundingSlackMs(invocations: number): number {
  return 0.01 * invocations + 0.03;
}

type Reading = { init: boolean; restore: boolean };
const READINGS: readonly Reading[] = [
  { init: false, restore: false },
  { init: true, restore: false },
  { init: false, restore: true },
  { init: true, restore: true },
];

/**
 * Detects from ReportStats sums whether Billed Duration includes Init Duration and Billed
 * Restore Duration. Billing rounds each invocation up to the next ms, so for one combination
 * of n invocations, Σ Billed − Σ Duration lies in [X, X + n) ms, where X is the cold-start time
 * billed inside it (Σ Init and/or Σ Billed Restore, or 0). A combination is decisive for INIT
 * when every reading that fits its sums agrees on INIT (likewise for restore).
 */
export function detectBilledDurationContents(stats: readonly ReportStats[]): { init: BilledDurationFinding; restore: BilledDurationFinding } {
  const init = { included: 0, notIncluded: 0, ambiguous: 0, unexplained: 0 };
  const restore = { included: 0, notIncluded: 0, ambiguous: 0, unexplained: 0 };
  for (const s of stats) {
    const initMs = s.initDurationMsSum;
    const restoreMs = s.billedRestoreDurationMsSum;
    if (initMs <= 0 && restoreMs <= 0) continue;
    const excessMs = s.billedDurationMsSum - s.durationMsSum;
    const slackMs = roundingSlackMs(s.invocations);
    const fitting = READINGS.filter((r) => {
      const heldMs = (r.init ? initMs : 0) + (r.restore ? restoreMs : 0);
      return excessMs >= heldMs - slackMs && excessMs <= heldMs + s.invocations + slackMs;
    });
    if (initMs > 0) tally(init, fitting.map((r) => r.init));
    if (restoreMs > 0) tally(restore, fitting.map((r) => r.restore));
  }
  return { init: toFinding(init), restore: toFinding(restore) };
}

function tally(evidence: BilledDurationFinding["evidence"], verdicts: readonly boolean[]): void {
  if (verdicts.length === 0) evidence.unexplained++;
  else if (verdicts.every((v) => v)) evidence.included++;
  else if (verdicts.every((v) => !v)) evidence.notIncluded++;
  else evidence.ambiguous++;
}

function toFinding(evidence: BilledDurationFinding["evidence"]): BilledDurationFinding {
  if (evidence.included > 0 && evidence.notIncluded > 0) return { kind: "mixed", evidence };
  if (evidence.included > 0) return { kind: "included", evidence };
  if (evidence.notIncluded > 0) return { kind: "not-included", evidence };
  return { kind: "undetermined", evidence };
}

/**
 * How a cold start's billed time relates to the duration bill: inside Billed Duration (its
 * dollars are a share of the duration bill), billed on top of it, not billed, or there was none.
 */
export type ColdStartAccounting = "within-billed-duration" | "in-addition" | "not-billed" | "none";

export interface InitCostEstimate {
  /** What the REPORT lines say about Init Duration inside Billed Duration. */
  initFinding: BilledDurationFinding;
  /** The same for SnapStart's Billed Restore Duration. */
  restoreFinding: BilledDurationFinding;
  initAccounting: ColdStartAccounting;
  restoreAccounting: ColdStartAccounting;
  /** The INIT billing rule for the function now (its configuration, the end of the coverage). */
  rule: InitBillingRule;
  /** Billed INIT plus billed restore, GB-seconds per day. */
  initGbSecondsPerDay: number;
  /** Those GB-seconds at the price below, USD per day. */
  initCostUsdPerDay: number;
  /** The whole on-demand duration bill per day, cold starts counted exactly once. */
  durationCostUsdPerDay: number;
  /** initCostUsdPerDay / durationCostUsdPerDay, 0..1; null without a duration bill. */
  initShareOfDurationCostRatio: number | null;
  /** The price used: on-demand duration, first tier (lambda-price-book.ts), and where it came from. */
  price: { pricedRegion: string; assumed: boolean; architecture: Architecture; usdPerGbSecond: number };
}

/**
 * Estimates a function's INIT cost per day over the whole hours `coverage` spans: billed
 * INIT + billed restore GB-seconds (Σ ms × memory size / 1024) at the on-demand first-tier
 * price of its region and architecture, and the share of the duration bill it is. See the
 * module comment for what is billed and how double counting is avoided.
 */
export function estimateInitCost(input: {
  config: Pick<FunctionConfig, "region" | "architecture" | "runtime" | "packageType">;
  stats: readonly ReportStats[];
  coverage: TimeWindow;
}): InitCostEstimate {
  const { config, coverage } = input;
  const fromMs = floorToHourMs(coverage.fromMs);
  const stats = input.stats.filter((s) => s.hourStartMs >= fromMs && s.hourStartMs < coverage.toMs);
  const findings = detectBilledDurationContents(stats);
  const anyInit = stats.some((s) => s.initDurationMsSum > 0);
  const anyRestore = stats.some((s) => s.billedRestoreDurationMsSum > 0);
  const anyHourBilled = stats.some((s) => s.initDurationMsSum > 0 && isBilled(initBillingRuleFor(config, s.hourStartMs)));

  // Undetermined or mixed: inside Billed Duration (never counted twice), if billed at all.
  const initAccounting: ColdStartAccounting = !anyInit
    ? "none"
    : findings.init.kind === "included"
      ? "within-billed-duration"
      : findings.init.kind === "not-included"
        ? anyHourBilled ? "in-addition" : "not-billed"
        : anyHourBilled ? "within-billed-duration" : "not-billed";
  const restoreAccounting: ColdStartAccounting = !anyRestore ? "none" : findings.restore.kind === "not-included" ? "in-addition" : "within-billed-duration";

  let initGbSeconds = 0;
  let durationGbSeconds = 0;
  for (const s of stats) {
    // Billed INIT of this hour: the data shows it inside Billed Duration, or the rule bills it.
    const billedInitMs = findings.init.kind === "included" || isBilled(initBillingRuleFor(config, s.hourStartMs)) ? s.initDurationMsSum : 0;
    const billedRestoreMs = s.billedRestoreDurationMsSum;
    const addedMs = (initAccounting === "in-addition" ? billedInitMs : 0) + (restoreAccounting === "in-addition" ? billedRestoreMs : 0);
    initGbSeconds += toGbSeconds(billedInitMs + billedRestoreMs, s.memorySizeMb);
    durationGbSeconds += toGbSeconds(s.billedDurationMsSum + addedMs, s.memorySizeMb);
  }

  const { prices, pricedRegion, assumed } = lambdaPricesFor(config.region, config.architecture);
  const usdPerGbSecond = firstTierDurationUsdPerGbSecond(prices);
  const coveredMs = Math.max(0, coverage.toMs - fromMs);
  const perDay = coveredMs > 0 ? DAY_MS / coveredMs : 0;
  const initCostUsdPerDay = initGbSeconds * usdPerGbSecond * perDay;
  const durationCostUsdPerDay = durationGbSeconds * usdPerGbSecond * perDay;
  return {
    initFinding: findings.init,
    restoreFinding: findings.restore,
    initAccounting,
    restoreAccounting,
    rule: initBillingRuleFor(config, coverage.toMs),
    initGbSecondsPerDay: initGbSeconds * perDay,
    initCostUsdPerDay,
    durationCostUsdPerDay,
    initShareOfDurationCostRatio: durationCostUsdPerDay > 0 ? initCostUsdPerDay / durationCostUsdPerDay : null,
    price: { pricedRegion, assumed, architecture: config.architecture, usdPerGbSecond },
  };
}
