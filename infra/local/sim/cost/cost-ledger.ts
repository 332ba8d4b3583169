import type { FunctionSpec } from "../model/fleet";
import { MinuteSeriesCache, type SimModel } from "../model/minute-stats";
import { MINUTES_PER_DAY } from "../model/time";
import { pricesFor, tieredCostUsd, unitPriceUsd } from "./price-book";
import { computeFunctionUsage, followTrees } from "./usage";
import { USAGE_KINDS, usageTypeFor, type Architecture, type UsageKind, type UsageKindSpec } from "./usage-types";

/**
 * The simulated bill, one UTC day at a time: every function's usage lines per hour (from the
 * model's minute series) and the price of each. Complete days are memoised — history never
 * changes, API writes only shape minutes from their own minute on — while the open day is
 * recomputed for each publication cutoff.
 *
 * On-demand Lambda duration is tiered by month-to-date GB-s per architecture and region, so a
 * day's price depends on the days before it in the month. Those days are computed only when
 * the tier could actually be crossed: an upper bound (every execution the regional limit
 * allows, at the largest memory the architecture runs at, all day) keeps small fleets from
 * computing history they were not asked for. The bound relies on the regional concurrency
 * limit holding for the fleet as a whole; should a computed day ever exceed it, the days
 * priced with it are dropped and tiers are computed exactly from then on.
 */

export const HOURS_PER_DAY = 24;
/** Headroom over concurrency × time for INIT phases and per-ms rounding in the tier bound. */
const TIER_BOUND_SAFETY = 2;

/** What one billing line is, independent of the day (its dimensions and tags). */
export interface LineIdentity {
  id: number;
  fn: FunctionSpec;
  kind: UsageKind;
  spec: UsageKindSpec;
  architecture: Architecture;
  usageType: string;
  resourceId: string;
  /** USD per unit; undefined for tiered on-demand duration (priced per hour, see DayLedger). */
  unitPriceUsd: number | undefined;
  /** `${region}|${architecture}`: the scope duration tiers accumulate in. */
  tierScope: string;
}

export interface DayLine {
  identity: LineIdentity;
  /** Quantity per hour of the day (index 0 = 00:00 UTC). */
  quantityByHour: Float64Array;
}

export interface DayLedger {
  day: number;
  lines: readonly DayLine[];
  /** On-demand Lambda GB-s per hour, per tier scope. */
  onDemandGbSecondsByHour: ReadonlyMap<string, Float64Array>;
  /** Tier-blended USD per on-demand GB-s per hour, per tier scope. */
  durationUsdPerGbSecondByHour: ReadonlyMap<string, Float64Array>;
}

/** Cost of `line` over hours [fromHour, toHour) of its day. */
export function lineCostUsd(ledger: DayLedger, line: DayLine, fromHour: number, toHour: number): number {
  const { quantityByHour, identity } = line;
  if (identity.unitPriceUsd !== undefined) return lineQuantity(line, fromHour, toHour) * identity.unitPriceUsd;
  const rates = ledger.durationUsdPerGbSecondByHour.get(identity.tierScope);
  let cost = 0;
  for (let h = fromHour; h < toHour; h++) cost += quantityByHour[h]! * (rates?.[h] ?? 0);
  return cost;
}

/** Quantity of `line` over hours [fromHour, toHour) of its day. */
export function lineQuantity(line: DayLine, fromHour: number, toHour: number): number {
  let quantity = 0;
  for (let h = fromHour; h < toHour; h++) quantity += line.quantityByHour[h]!;
  return quantity;
}

/** Work done so far (for performance reports). */
export interface LedgerStats {
  daysComputed: number;
  computeMs: number;
}

export class CostLedger {
  private readonly completeDays = new Map<number, DayLedger>();
  private openDay: { day: number; cutoffMinute: number; ledger: DayLedger } | undefined;
  /** Days whose duration prices relied on the upper bound instead of the actual days before them. */
  private readonly boundPricedDays = new Set<number>();
  private exactTiers = false;
  private readonly identities = new Map<string, LineIdentity>();
  readonly stats: LedgerStats = { daysComputed: 0, computeMs: 0 };

  constructor(private readonly model: SimModel) {}

  /**
   * The day's usage and prices as published before `cutoffMinute` (the first unpublished
   * epoch minute): complete before it, partial on the day containing it, empty after.
   */
  day(day: number, cutoffMinute: number): DayLedger {
    const dayStart = day * MINUTES_PER_DAY;
    const dataEnd = Math.min(dayStart + MINUTES_PER_DAY, cutoffMinute);
    if (dataEnd <= Math.max(dayStart, this.model.fleet.historyStartMinute)) return emptyDay(day);
    const complete = dataEnd === dayStart + MINUTES_PER_DAY;
    if (complete) {
      const cached = this.completeDays.get(day);
      if (cached !== undefined) return cached;
    } else if (this.openDay?.day === day && this.openDay.cutoffMinute === cutoffMinute) {
      return this.openDay.ledger;
    }
    // The hours the open day had complete at its cutoff are final: only the rest is computed.
    const previous = this.openDay?.day === day && this.openDay.cutoffMinute < cutoffMinute ? this.openDay : undefined;
    const finalHours = previous === undefined ? 0 : Math.floor((Math.min(previous.cutoffMinute, dayStart + MINUTES_PER_DAY) - dayStart) / 60);
    const ledger = this.computeDay(day, dataEnd, cutoffMinute, previous?.ledger, Math.max(0, finalHours));
    if (complete) {
      this.completeDays.set(day, ledger);
      if (this.openDay?.day === day) this.openDay = undefined;
    } else {
      this.openDay = { day, cutoffMinute, ledger };
    }
    return ledger;
  }

  /**
   * Computes the day's lines up to `dataEnd`; hours [0, reusedHours) are taken from `previous`
   * (the same day at an earlier cutoff) instead of being recomputed.
   */
  private computeDay(day: number, dataEnd: number, cutoffMinute: number, previous: DayLedger | undefined, reusedHours: number): DayLedger {
    const started = performance.now();
    const dayStart = day * MINUTES_PER_DAY;
    const byIdentity = new Map<number, DayLine>();
    for (const line of previous?.lines ?? []) {
      if (reusedHours === 0) break;
      const quantityByHour = new Float64Array(HOURS_PER_DAY);
      quantityByHour.set(line.quantityByHour.subarray(0, reusedHours));
      byIdentity.set(line.identity.id, { identity: line.identity, quantityByHour });
    }
    const fromMinute = dayStart + reusedHours * 60;
    const fnIndex = new Map(this.model.fleet.functions.map((fn, index) => [fn.name, index]));
    // One series cache per follow tree: followers reuse their upstream's series, and memory
    // stays bounded by the largest tree instead of the whole fleet.
    for (const tree of fromMinute < dataEnd ? followTrees(this.model.fleet.functions, this.model.fleet.byName) : []) {
      const cache = new MinuteSeriesCache(this.model, fromMinute, dataEnd - fromMinute);
      for (const fn of tree) {
        const series = cache.series(fn.name);
        if (series === undefined) continue;
        for (const usage of computeFunctionUsage(this.model, series)) {
          const identity = this.identity(fn, fnIndex.get(fn.name) ?? 0, usage.kind, usage.architecture, usage.resourceId);
          let line = byIdentity.get(identity.id);
          if (line === undefined) {
            line = { identity, quantityByHour: new Float64Array(HOURS_PER_DAY) };
            byIdentity.set(identity.id, line);
          }
          line.quantityByHour.set(usage.quantityByHour, reusedHours);
        }
      }
    }
    const lines = [...byIdentity.values()];
    const onDemandGbSecondsByHour = new Map<string, Float64Array>();
    for (const line of lines) {
      if (line.identity.kind !== "lambda-duration") continue;
      const totals = onDemandGbSecondsByHour.get(line.identity.tierScope) ?? new Float64Array(HOURS_PER_DAY);
      for (let h = 0; h < HOURS_PER_DAY; h++) totals[h]! += line.quantityByHour[h]!;
      onDemandGbSecondsByHour.set(line.identity.tierScope, totals);
    }
    this.stats.daysComputed++;
    this.stats.computeMs += performance.now() - started;
    this.checkBound(day, onDemandGbSecondsByHour);
    const durationUsdPerGbSecondByHour = this.durationRates(day, cutoffMinute, onDemandGbSecondsByHour);
    return { day, lines, onDemandGbSecondsByHour, durationUsdPerGbSecondByHour };
  }

  /** A day above its upper bound means the bound cannot be trusted: forget what it priced. */
  private checkBound(day: number, dayTotals: ReadonlyMap<string, Float64Array>): void {
    if (this.exactTiers) return;
    for (const [scope, hourly] of dayTotals) {
      const [region = "", architecture = "x86_64"] = scope.split("|") as [string, Architecture];
      if (hourly.reduce((a, b) => a + b, 0) <= this.dayUpperBound(day, region, architecture)) continue;
      this.exactTiers = true;
      for (const priced of this.boundPricedDays) this.completeDays.delete(priced);
      this.boundPricedDays.clear();
      this.openDay = undefined;
      return;
    }
  }

  /** Tier-blended on-demand duration prices per hour of `day`, per tier scope. */
  private durationRates(day: number, cutoffMinute: number, dayTotals: ReadonlyMap<string, Float64Array>): Map<string, Float64Array> {
    const rates = new Map<string, Float64Array>();
    const monthStartDay = firstDayOfMonth(day);
    for (const [scope, hourly] of dayTotals) {
      const [region = "", architecture = "x86_64"] = scope.split("|") as [string, Architecture];
      const tiers = pricesFor(region).lambda[architecture].durationTiers;
      const firstTier = tiers[0]!;
      const dayTotal = hourly.reduce((a, b) => a + b, 0);
      let upperBound = dayTotal;
      let usedBound = false;
      for (let d = monthStartDay; d < day; d++) {
        const known = this.completeDays.get(d);
        const bound = known === undefined ? this.dayUpperBound(d, region, architecture) : 0;
        usedBound ||= bound > 0;
        upperBound += known?.onDemandGbSecondsByHour.get(scope)?.reduce((a, b) => a + b, 0) ?? bound;
      }
      const rate = new Float64Array(HOURS_PER_DAY);
      if (!this.exactTiers && upperBound <= firstTier.upToUnits) {
        rate.fill(firstTier.usdPerUnit);
        if (usedBound) this.boundPricedDays.add(day);
      } else {
        let cumulative = 0;
        for (let d = monthStartDay; d < day; d++) {
          const earlier = this.day(d, cutoffMinute).onDemandGbSecondsByHour.get(scope);
          if (earlier !== undefined) cumulative += earlier.reduce((a, b) => a + b, 0);
        }
        for (let h = 0; h < HOURS_PER_DAY; h++) {
          const quantity = hourly[h]!;
          rate[h] = quantity > 0 ? tieredCostUsd(tiers, cumulative, cumulative + quantity) / quantity : tieredCostUsd(tiers, cumulative, cumulative + 1);
          cumulative += quantity;
        }
      }
      rates.set(scope, rate);
    }
    return rates;
  }

  /** Most on-demand GB-s a region's functions of one architecture could run in a day. */
  private dayUpperBound(day: number, region: string, architecture: Architecture): number {
    if ((day + 1) * MINUTES_PER_DAY <= this.model.fleet.historyStartMinute) return 0;
    let maxMemoryMb = 0;
    for (const fn of this.model.fleet.functions) {
      if (fn.region !== region) continue;
      for (const revision of fn.revisions) if (revision.architecture === architecture) maxMemoryMb = Math.max(maxMemoryMb, revision.memoryMb);
    }
    return MINUTES_PER_DAY * 60 * this.model.fleet.concurrentExecutionsLimit * (maxMemoryMb / 1024) * TIER_BOUND_SAFETY;
  }

  private identity(fn: FunctionSpec, fnIndex: number, kind: UsageKind, architecture: Architecture, resourceId: string): LineIdentity {
    const key = `${fnIndex}|${kind}|${architecture}|${resourceId}`;
    const known = this.identities.get(key);
    if (known !== undefined) return known;
    const identity: LineIdentity = {
      id: this.identities.size,
      fn,
      kind,
      spec: USAGE_KINDS[kind],
      architecture,
      usageType: usageTypeFor(kind, fn.region, architecture),
      resourceId,
      unitPriceUsd: kind === "lambda-duration" ? undefined : unitPriceUsd(pricesFor(fn.region), kind, architecture),
      tierScope: `${fn.region}|${architecture}`,
    };
    this.identities.set(key, identity);
    return identity;
  }
}

function emptyDay(day: number): DayLedger {
  return { day, lines: [], onDemandGbSecondsByHour: new Map(), durationUsdPerGbSecondByHour: new Map() };
}

/** Epoch day of the first day of the UTC month containing epoch day `day`. */
export function firstDayOfMonth(day: number): number {
  const date = new Date(day * 86_400_000);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / 86_400_000;
}
