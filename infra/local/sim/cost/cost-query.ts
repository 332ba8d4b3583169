import { HOURS_PER_DAY, lineCostUsd, lineQuantity, type CostLedger, type DayLedger, type DayLine, type LineIdentity } from "./cost-ledger";
import { matchesFilter, type FilterExpression, type FilterSubject } from "./cost-filter";
import { dimensionValue, tagValue, type DimensionKey } from "./dimensions";
import { MS_PER_HOUR, type CostPeriod } from "./time-period";

/**
 * Cost and usage over periods, filtered and grouped like GetCostAndUsage: each billing line is
 * classified once per query (filter, group keys), then its hourly quantities and costs are
 * summed over each period.
 */

export type GroupDefinitionSpec =
  | { type: "DIMENSION"; key: DimensionKey }
  | { type: "TAG" | "COST_CATEGORY"; key: string };

/** Sum of lines: cost, usage, and the usage unit when all lines share one. */
export interface CostAggregate {
  costUsd: number;
  quantity: number;
  /** The common unit of the lines; "N/A" when they differ; undefined when empty. */
  unit: string | undefined;
}

export interface CostGroup {
  keys: readonly string[];
  aggregate: CostAggregate;
}

export interface PeriodCosts {
  period: CostPeriod;
  total: CostAggregate;
  /** Groups with usage, sorted by keys (empty without GroupBy). */
  groups: readonly CostGroup[];
}

export interface CostQuery {
  periods: readonly CostPeriod[];
  filter: FilterExpression | undefined;
  groupBy: readonly GroupDefinitionSpec[];
  /** First unpublished epoch minute: data stops there. */
  cutoffMinute: number;
}

/** A billing line as filters and group keys see it. */
export function filterSubject(line: LineIdentity, accountId: string): FilterSubject {
  return {
    dimension: (key) => dimensionValue(line, key, accountId),
    tag: (key) => tagValue(line, key),
  };
}

/** The key a line has under one group definition (`key$value` for tags and cost categories). */
export function groupKey(definition: GroupDefinitionSpec, line: LineIdentity, accountId: string): string {
  switch (definition.type) {
    case "DIMENSION":
      return dimensionValue(line, definition.key, accountId);
    case "TAG":
      return `${definition.key}$${tagValue(line, definition.key) ?? ""}`;
    case "COST_CATEGORY":
      // No cost categories are defined in the simulated account: everything is uncategorised.
      return `${definition.key}$`;
  }
}

/**
 * Visits every billing line with usage in [startMs, endMs), day by day, with the hours of its
 * day that fall in the range.
 */
export function forEachLine(
  ledger: CostLedger,
  cutoffMinute: number,
  startMs: number,
  endMs: number,
  visit: (day: DayLedger, line: DayLine, fromHour: number, toHour: number) => void,
): void {
  const startHour = Math.floor(startMs / MS_PER_HOUR);
  const endHour = Math.ceil(endMs / MS_PER_HOUR);
  for (let day = Math.floor(startHour / HOURS_PER_DAY); day * HOURS_PER_DAY < endHour; day++) {
    const dayLedger = ledger.day(day, cutoffMinute);
    if (dayLedger.lines.length === 0) continue;
    const fromHour = Math.max(startHour, day * HOURS_PER_DAY) - day * HOURS_PER_DAY;
    const toHour = Math.min(endHour, (day + 1) * HOURS_PER_DAY) - day * HOURS_PER_DAY;
    for (const line of dayLedger.lines) visit(dayLedger, line, fromHour, toHour);
  }
}

/** Adds `quantity` of `unit` and `costUsd` to an aggregate. */
export function addTo(aggregate: CostAggregate, costUsd: number, quantity: number, unit: string): void {
  aggregate.costUsd += costUsd;
  aggregate.quantity += quantity;
  aggregate.unit = aggregate.unit === undefined || aggregate.unit === unit ? unit : "N/A";
}

/** An aggregate of no lines. */
export function emptyAggregate(): CostAggregate {
  return { costUsd: 0, quantity: 0, unit: undefined };
}

/** Evaluates a query over the ledger. */
export function evaluateCostQuery(ledger: CostLedger, accountId: string, query: CostQuery): PeriodCosts[] {
  // Per line identity: its joined group key, or null when the filter drops it.
  const classified = new Map<number, { joined: string; keys: string[] } | null>();
  const classify = (line: LineIdentity) => {
    let result = classified.get(line.id);
    if (result === undefined) {
      const passes = query.filter === undefined || matchesFilter(query.filter, filterSubject(line, accountId));
      const keys = query.groupBy.map((definition) => groupKey(definition, line, accountId));
      result = passes ? { joined: keys.join("\u0000"), keys } : null;
      classified.set(line.id, result);
    }
    return result;
  };

  return query.periods.map((period) => {
    const total = emptyAggregate();
    const groups = new Map<string, CostGroup & { aggregate: CostAggregate }>();
    forEachLine(ledger, query.cutoffMinute, period.startMs, period.endMs, (day, line, fromHour, toHour) => {
      const quantity = lineQuantity(line, fromHour, toHour);
      if (quantity === 0) return;
      const classification = classify(line.identity);
      if (classification === null) return;
      const cost = lineCostUsd(day, line, fromHour, toHour);
      const unit = line.identity.spec.unit;
      addTo(total, cost, quantity, unit);
      if (query.groupBy.length === 0) return;
      let group = groups.get(classification.joined);
      if (group === undefined) {
        group = { keys: classification.keys, aggregate: emptyAggregate() };
        groups.set(classification.joined, group);
      }
      addTo(group.aggregate, cost, quantity, unit);
    });
    const sorted = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, group]) => group);
    return { period, total, groups: sorted };
  });
}
