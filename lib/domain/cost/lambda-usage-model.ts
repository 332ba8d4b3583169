import { detectBilledDurationContents, INIT_BILLING_START_MS } from "@/lib/domain/cold-start/init-billing";
import type { ReportStats } from "@/lib/domain/cold-start/report-stats";
import type { FunctionDayModelCost, FunctionDayUsage } from "@/lib/domain/cost/cost-types";
import { FREE_EPHEMERAL_STORAGE_MB, resolvePcMemoryMb } from "@/lib/domain/cost/function-usage-cost";
import { LAMBDA_FREE_TIER, lambdaPricesFor, tieredDurationUsd, toGbSeconds } from "@/lib/domain/cost/lambda-price-book";
import type { MicroUsd } from "@/lib/domain/cost/micro-usd";
import type { FunctionConfig } from "@/lib/domain/inventory/function-config";
import { DAY_MS } from "@/lib/domain/shared/time";

/**
 * The usage-based Lambda cost model (issue 8, FACTS.md §2): what each function should have cost
 * on a day, from its REPORT lines (ReportStats per hour) and configuration, priced with the
 * price book's tiers — so it can be set against what Cost Explorer billed (reconciliation.ts),
 * gap shown.
 *
 * Billed Duration and INIT: the REPORT line's Billed Duration already holds the INIT of an
 * on-demand cold start (AWS since 2025-08-01, and the simulator: ⌈Duration + Init Duration⌉ per
 * invocation, infra/local/sim/logs/exact-log-records.ts `billedDurationMs`), and recorded
 * SnapStart lines hold the Billed Restore Duration too. So GB-s come from Billed Duration alone
 * and INIT is never added on top — unless the day's own sums prove the lines do *not* hold it
 * (`detectBilledDurationContents` says "not-included"), in which case billed INIT / restore is
 * added once. Either way it is counted exactly once.
 */

/** Seconds in a UTC day. */
const SECONDS_PER_DAY = DAY_MS / 1000;

export class LambdaUsageModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LambdaUsageModelError";
  }
}

export interface FunctionDayUsageInput {
  fn: Pick<FunctionConfig, "functionName" | "region" | "architecture" | "memoryMb" | "ephemeralStorageMb" | "provisionedConcurrency" | "aliases" | "versions">;
  /** Start of the UTC day (epoch ms, a multiple of 24 h). */
  dayMs: number;
  /** ReportStats of the hours of that day (hours outside it are ignored). */
  stats: readonly ReportStats[];
  /** ProvisionedConcurrencyInvocations / Invocations of the day (0..1); null or 0 = all on demand. */
  provisionedInvocationRatio: number | null;
}

/**
 * The Lambda usage of one function on one UTC day:
 * - requests = Σ invocations;
 * - billed GB-s = Σ per hour Billed Duration × Memory Size (the REPORT lines' own memory, so a
 *   memory change mid-day is priced right); INIT only inside it (see the module comment);
 * - split by `provisionedInvocationRatio`: that share of the warm billed GB-s is PC duration, the
 *   rest (and every cold start's INIT, which only on-demand environments have) on-demand;
 * - SnapStart Billed Restore Duration × memory, carved out of Billed Duration when the lines
 *   hold it (the usual case), added when they prove they do not;
 * - PC allocated = Σ allocated × memory of the qualifier's version × 86,400 s. Assumes the
 *   current configuration held all day (the inventory keeps no PC history; a PC change mid-day
 *   shows up as a reconciliation gap on that day);
 * - ephemeral = (ephemeral MB − 512) / 1024 × billed seconds;
 * - coveredHours = distinct hours of the day with stats (24 = complete).
 */
export function functionDayUsage(input: FunctionDayUsageInput): FunctionDayUsage {
  const { fn, dayMs } = input;
  if (!Number.isInteger(dayMs) || dayMs % DAY_MS !== 0) throw new LambdaUsageModelError(`dayMs ${dayMs} is not the start of a UTC day`);
  const ratio = input.provisionedInvocationRatio;
  if (ratio !== null && !(ratio >= 0 && ratio <= 1)) throw new LambdaUsageModelError(`provisionedInvocationRatio ${ratio} is not within 0..1`);
  const provisionedShare = ratio ?? 0;

  const stats = input.stats.filter((s) => s.hourStartMs >= dayMs && s.hourStartMs < dayMs + DAY_MS);
  const found = detectBilledDurationContents(stats);
  // Proven absent from Billed Duration: add once (INIT only where AWS bills it, from 2025-08-01).
  const addInit = found.init.kind === "not-included" && dayMs >= INIT_BILLING_START_MS;
  const addRestore = found.restore.kind === "not-included";

  let invocations = 0;
  let warmGbSeconds = 0;
  let initGbSeconds = 0;
  let restoreGbSeconds = 0;
  let billedSeconds = 0;
  const hours = new Set<number>();
  for (const s of stats) {
    hours.add(s.hourStartMs);
    invocations += s.invocations;
    const billedGbS = toGbSeconds(s.billedDurationMsSum, s.memorySizeMb);
    const initGbS = toGbSeconds(s.initDurationMsSum, s.memorySizeMb);
    const restoreGbS = toGbSeconds(s.billedRestoreDurationMsSum, s.memorySizeMb);
    // What of Billed Duration was cold-start time (held inside it), the rest is the invocations' own.
    const heldInitGbS = found.init.kind === "not-included" ? 0 : initGbS;
    const heldRestoreGbS = addRestore ? 0 : restoreGbS;
    warmGbSeconds += Math.max(0, billedGbS - heldInitGbS - heldRestoreGbS);
    initGbSeconds += heldInitGbS + (addInit ? initGbS : 0);
    restoreGbSeconds += restoreGbS;
    billedSeconds += s.billedDurationMsSum / 1000;
  }

  const provisionedAllocatedGbSeconds = fn.provisionedConcurrency.reduce(
    (sum, pc) => sum + pc.allocated * (resolvePcMemoryMb(fn, pc.qualifier) / 1024) * SECONDS_PER_DAY,
    0,
  );
  const extraStorageGb = Math.max(0, fn.ephemeralStorageMb - FREE_EPHEMERAL_STORAGE_MB) / 1024;

  return {
    functionName: fn.functionName,
    region: fn.region,
    architecture: fn.architecture,
    dayMs,
    invocations,
    onDemandGbSeconds: warmGbSeconds * (1 - provisionedShare) + initGbSeconds,
    provisionedDurationGbSeconds: warmGbSeconds * provisionedShare,
    restoreGbSeconds,
    provisionedAllocatedGbSeconds,
    ephemeralGbSeconds: billedSeconds * extraStorageGb,
    coveredHours: hours.size,
  };
}

export interface PriceLambdaUsageOptions {
  /** Deduct the monthly free tier (1 M requests, 400,000 GB-s, both architectures and all regions together). */
  applyFreeTier: boolean;
  /**
   * On-demand GB-s already used in the month of the earliest usage before its first day, per
   * `${region}|${architecture}` (tiers accumulate per region and architecture). Later months start at 0.
   */
  monthToDateGbSecondsBefore?: ReadonlyMap<string, number>;
  /** Requests already made in that month before the first day (for the free tier). */
  monthToDateRequestsBefore?: number;
}

type Component = FunctionDayModelCost["components"][number]["component"];
const COMPONENTS: readonly Component[] = ["requests", "duration", "provisioned-duration", "restore", "provisioned-concurrency", "ephemeral-storage"];

/** Start of the UTC month holding `dayMs`. */
function monthStartOf(dayMs: number): number {
  const d = new Date(dayMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** USD → integer µUSD, to the nearest, ties to even (the rounding rule of micro-usd.ts), applied once per component. */
export function usdToMicroUsdHalfEven(usd: number): MicroUsd {
  if (!Number.isFinite(usd)) throw new LambdaUsageModelError(`cannot round ${usd} USD to micro-USD`);
  const micro = usd * 1_000_000;
  const floor = Math.floor(micro);
  const fraction = micro - floor;
  // A tie within float noise (a product of decimal prices is rarely exact in binary).
  const rounded = Math.abs(fraction - 0.5) < 1e-9 ? (floor % 2 === 0 ? floor : floor + 1) : Math.round(micro);
  return rounded === 0 ? 0 : rounded;
}

/**
 * Prices function-days (output in input order), FACTS.md §2:
 * - on-demand duration tiered by month-to-date GB-s per region + architecture, accumulating
 *   day by day in dayMs order within each UTC month (reset at each month start). Within one
 *   day the region/architecture's day total is priced across the tiers it spans and every
 *   function-day pays the day's blended price per GB-s (so crossing 6 B GB-s mid-day prices
 *   the part above at the next tier, and no function is arbitrarily "first");
 * - free tier (when on): requests and on-demand GB-s month to date, across both architectures
 *   and all regions, consumed day by day; a day's free part is spread over its function-days in
 *   proportion to their requests / on-demand GB-s. The free GB-s sit at the bottom of the day's
 *   band (they take the first tier's room);
 * - PC allocated, PC duration and ephemeral storage at their flat prices; SnapStart restore at
 *   the first-tier on-demand price, flat (the book has no restore price; FACTS bills it as
 *   duration) and without free tier.
 * Each component is rounded once to µUSD, ties to even; microUsd = Σ components.
 */
export function priceLambdaUsage(usages: readonly FunctionDayUsage[], options: PriceLambdaUsageOptions): FunctionDayModelCost[] {
  const order = usages.map((_, i) => i).sort((a, b) => usages[a]!.dayMs - usages[b]!.dayMs);
  const firstMonth = order.length > 0 ? monthStartOf(usages[order[0]!]!.dayMs) : null;

  const durationUsd = new Array<number>(usages.length).fill(0);
  const chargedRequests = usages.map((u) => u.invocations);

  let month: number | null = null;
  let gbSecondsMtd = new Map<string, number>();
  let freeGbSecondsLeft = 0;
  let freeRequestsLeft = 0;

  // Days in order; all function-days of one day together.
  for (let start = 0; start < order.length; ) {
    const dayMs = usages[order[start]!]!.dayMs;
    let end = start;
    while (end < order.length && usages[order[end]!]!.dayMs === dayMs) end++;
    const day = order.slice(start, end);
    start = end;

    const thisMonth = monthStartOf(dayMs);
    if (thisMonth !== month) {
      month = thisMonth;
      const before = thisMonth === firstMonth ? options.monthToDateGbSecondsBefore : undefined;
      gbSecondsMtd = new Map(before ?? []);
      const usedGbS = [...gbSecondsMtd.values()].reduce((a, b) => a + b, 0);
      const usedRequests = thisMonth === firstMonth ? (options.monthToDateRequestsBefore ?? 0) : 0;
      freeGbSecondsLeft = options.applyFreeTier ? Math.max(0, LAMBDA_FREE_TIER.gbSeconds - usedGbS) : 0;
      freeRequestsLeft = options.applyFreeTier ? Math.max(0, LAMBDA_FREE_TIER.requests - usedRequests) : 0;
    }

    // Free tier of the day, shared in proportion.
    const dayRequests = day.reduce((sum, i) => sum + usages[i]!.invocations, 0);
    const dayGbS = day.reduce((sum, i) => sum + usages[i]!.onDemandGbSeconds, 0);
    const freeRequests = Math.min(freeRequestsLeft, dayRequests);
    const freeGbS = Math.min(freeGbSecondsLeft, dayGbS);
    freeRequestsLeft -= freeRequests;
    freeGbSecondsLeft -= freeGbS;
    const requestsChargedShare = dayRequests > 0 ? 1 - freeRequests / dayRequests : 1;
    const gbSChargedShare = dayGbS > 0 ? 1 - freeGbS / dayGbS : 1;
    for (const i of day) chargedRequests[i] = usages[i]!.invocations * requestsChargedShare;

    // Tiers per region|architecture.
    const groups = new Map<string, number[]>();
    for (const i of day) {
      const key = `${usages[i]!.region}|${usages[i]!.architecture}`;
      const list = groups.get(key);
      if (list === undefined) groups.set(key, [i]);
      else list.push(i);
    }
    for (const [key, members] of groups) {
      const { region, architecture } = usages[members[0]!]!;
      const { prices } = lambdaPricesFor(region, architecture);
      const grossGbS = members.reduce((sum, i) => sum + usages[i]!.onDemandGbSeconds, 0);
      const chargedGbS = grossGbS * gbSChargedShare;
      const before = gbSecondsMtd.get(key) ?? 0;
      const groupUsd = tieredDurationUsd(prices, chargedGbS, before + (grossGbS - chargedGbS));
      gbSecondsMtd.set(key, before + grossGbS);
      for (const i of members) durationUsd[i] = grossGbS > 0 ? (groupUsd * usages[i]!.onDemandGbSeconds) / grossGbS : 0;
    }
  }

  return usages.map((u, i) => {
    const { prices } = lambdaPricesFor(u.region, u.architecture);
    const usd: Record<Component, number> = {
      requests: chargedRequests[i]! * prices.requestUsd,
      duration: durationUsd[i]!,
      "provisioned-duration": u.provisionedDurationGbSeconds * prices.provisionedDurationUsdPerGbSecond,
      restore: u.restoreGbSeconds * prices.durationTiers[0]!.usdPerUnit,
      "provisioned-concurrency": u.provisionedAllocatedGbSeconds * prices.provisionedConcurrencyUsdPerGbSecond,
      "ephemeral-storage": u.ephemeralGbSeconds * prices.ephemeralStorageUsdPerGbSecond,
    };
    const components = COMPONENTS.map((component) => ({ component, microUsd: usdToMicroUsdHalfEven(usd[component]) }));
    return {
      functionName: u.functionName,
      dayMs: u.dayMs,
      microUsd: components.reduce((sum, c) => sum + c.microUsd, 0),
      components,
    };
  });
}
