import { lineCostUsd, lineQuantity, type CostLedger, type LineIdentity } from "./cost-ledger";
import { matchesFilter, type FilterExpression } from "./cost-filter";
import { filterSubject, forEachLine } from "./cost-query";
import { dimensionValue, lineTags, tagValue, type DimensionKey } from "./dimensions";

/**
 * GetDimensionValues and GetTags: the values a dimension (or the keys / values of tags) takes
 * on the lines with usage in a period, optionally filtered, searched and sorted by a metric.
 */

export interface SortSpec {
  metric: "cost" | "quantity" | "none";
  descending: boolean;
}

export interface ValueAggregate {
  value: string;
  attributes: Record<string, string>;
  costUsd: number;
  quantity: number;
}

interface ListingQuery {
  startMs: number;
  endMs: number;
  cutoffMinute: number;
  filter: FilterExpression | undefined;
  /** Case-insensitive substring the values must contain. */
  searchString: string | undefined;
  sort: SortSpec | undefined;
}

/** Values of `dimension` among the lines with usage in the period. */
export function listDimensionValues(ledger: CostLedger, accountId: string, query: ListingQuery & { dimension: DimensionKey }): ValueAggregate[] {
  return collect(ledger, accountId, query, (line) => {
    const value = dimensionValue(line, query.dimension, accountId);
    return [{ value, attributes: attributesOf(query.dimension, line, accountId) }];
  });
}

/**
 * Tag keys of the lines with usage in the period, or with `tagKey` the values of that key ("" for
 * lines without it, as GroupBy TAG shows them).
 */
export function listTags(ledger: CostLedger, accountId: string, query: ListingQuery & { tagKey: string | undefined }): ValueAggregate[] {
  return collect(ledger, accountId, query, (line) => {
    if (query.tagKey !== undefined) return [{ value: tagValue(line, query.tagKey) ?? "", attributes: {} }];
    return Object.keys(lineTags(line)).map((key) => ({ value: key, attributes: {} }));
  });
}

function collect(
  ledger: CostLedger,
  accountId: string,
  query: ListingQuery,
  valuesOf: (line: LineIdentity) => { value: string; attributes: Record<string, string> }[],
): ValueAggregate[] {
  const passes = new Map<number, boolean>();
  const search = query.searchString?.toLowerCase();
  const byValue = new Map<string, ValueAggregate>();
  forEachLine(ledger, query.cutoffMinute, query.startMs, query.endMs, (day, line, fromHour, toHour) => {
    const quantity = lineQuantity(line, fromHour, toHour);
    if (quantity === 0) return;
    let pass = passes.get(line.identity.id);
    if (pass === undefined) {
      pass = query.filter === undefined || matchesFilter(query.filter, filterSubject(line.identity, accountId));
      passes.set(line.identity.id, pass);
    }
    if (!pass) return;
    const cost = lineCostUsd(day, line, fromHour, toHour);
    for (const { value, attributes } of valuesOf(line.identity)) {
      if (search !== undefined && !value.toLowerCase().includes(search)) continue;
      const aggregate = byValue.get(value) ?? { value, attributes, costUsd: 0, quantity: 0 };
      aggregate.costUsd += cost;
      aggregate.quantity += quantity;
      byValue.set(value, aggregate);
    }
  });
  const values = [...byValue.values()];
  const byName = (a: ValueAggregate, b: ValueAggregate) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
  const sort = query.sort;
  if (sort === undefined || sort.metric === "none") return values.sort(byName);
  const metric = (v: ValueAggregate) => (sort.metric === "cost" ? v.costUsd : v.quantity);
  return values.sort((a, b) => (sort.descending ? metric(b) - metric(a) : metric(a) - metric(b)) || byName(a, b));
}

/** Attributes Cost Explorer attaches: the account's name, a usage type's unit. */
function attributesOf(dimension: DimensionKey, line: LineIdentity, accountId: string): Record<string, string> {
  if (dimension === "LINKED_ACCOUNT") return { description: `sightline-sim-${accountId}` };
  if (dimension === "USAGE_TYPE") return { unit: line.spec.unit };
  return {};
}
