import { COST_METRICS, type CostGranularity, type CostGrouping, type CostMetric } from "@/lib/domain/cost/cost-groupings";
import { usdAmountToMicroUsd, type MicroUsd } from "@/lib/domain/cost/micro-usd";

/**
 * One stored cost line: one group of one period of one grouping, as Cost Explorer answered it,
 * with money in integer micro-USD. Its identity (grouping, period, group keys) is its key, so
 * re-reading a period rewrites the same items.
 */
export interface CostLine {
  groupingId: string;
  granularity: CostGranularity;
  /** Start of the period (a UTC day, or an hour for HOURLY), epoch ms. */
  periodStartMs: number;
  /** The group's keys, decoded: tag groups without their `key$` prefix. */
  service?: string;
  usageType?: string;
  /** RESOURCE_ID: the function ARN for Lambda usage. */
  resourceId?: string;
  tagKey?: string;
  /** "" for usage without the tag (Cost Explorer's `key$`): the unallocated bucket. */
  tagValue?: string;
  unblendedCostMicroUsd: MicroUsd;
  amortizedCostMicroUsd: MicroUsd;
  netUnblendedCostMicroUsd: MicroUsd;
  netAmortizedCostMicroUsd: MicroUsd;
  /** Usage in `usageUnit` (not money: a float is fine); "N/A" when lines of mixed units add up. */
  usageQuantity: number;
  usageUnit: string;
  /** Cost Explorer's `Estimated` for the period: the bill of that period is not final yet. */
  estimated: boolean;
}

/** One group of a result period as the wire has it (already zod-parsed into strings). */
export interface CostGroupInput {
  keys: readonly string[];
  metrics: Readonly<Record<string, { amount: string; unit: string } | undefined>>;
}

export type CostLineParse = { kind: "ok"; line: CostLine } | { kind: "invalid"; reason: string };

/** A group key longer than this is not a real one (tag values ≤ 256, Lambda ARNs ≈ 140). */
const MAX_KEY_LENGTH = 400;
/** DynamoDB sort keys are at most 1024 bytes (UTF-8); the line's id is its sort key. */
const MAX_ID_BYTES = 1024;

/**
 * Converts one group of a result period into a line, or says why it cannot: keys that do not
 * match the grouping (count, `key$` prefix of tag groups), a missing metric, a cost not in USD
 * or not a decimal, a non-numeric quantity.
 */
export function toCostLine(grouping: CostGrouping, period: { startMs: number; estimated: boolean }, group: CostGroupInput): CostLineParse {
  if (group.keys.length !== grouping.groupBy.length) {
    return { kind: "invalid", reason: `expected ${grouping.groupBy.length} group keys, got ${group.keys.length}` };
  }
  const keys: Pick<CostLine, "service" | "usageType" | "resourceId" | "tagKey" | "tagValue"> = {};
  for (const [i, definition] of grouping.groupBy.entries()) {
    const key = group.keys[i]!;
    if (key.length > MAX_KEY_LENGTH) return { kind: "invalid", reason: `group key ${i + 1} is longer than ${MAX_KEY_LENGTH} characters` };
    if (definition.Type === "TAG") {
      const prefix = `${definition.Key}$`;
      if (!key.startsWith(prefix)) return { kind: "invalid", reason: `tag group key "${key}" does not start with "${prefix}"` };
      keys.tagKey = definition.Key;
      keys.tagValue = key.slice(prefix.length);
    } else if (definition.Key === "SERVICE") keys.service = key;
    else if (definition.Key === "USAGE_TYPE") keys.usageType = key;
    else if (definition.Key === "RESOURCE_ID") keys.resourceId = key;
    else return { kind: "invalid", reason: `dimension ${definition.Key} is not stored` };
  }
  const idBytes = new TextEncoder().encode(costLineId({ groupingId: grouping.id, granularity: grouping.granularity, periodStartMs: period.startMs, ...keys })).length;
  if (idBytes > MAX_ID_BYTES) return { kind: "invalid", reason: `the line's key would be ${idBytes} bytes (at most ${MAX_ID_BYTES})` };
  const costs = new Map<CostMetric, MicroUsd>();
  for (const metric of COST_METRICS) {
    const value = group.metrics[metric];
    if (value === undefined) return { kind: "invalid", reason: `${metric} is missing` };
    if (value.unit !== "USD") return { kind: "invalid", reason: `${metric} is in ${value.unit}, not USD` };
    const parsed = usdAmountToMicroUsd(value.amount);
    if (parsed.kind === "invalid") return { kind: "invalid", reason: `${metric}: ${parsed.reason}` };
    costs.set(metric, parsed.microUsd);
  }
  const usage = group.metrics.UsageQuantity;
  if (usage === undefined) return { kind: "invalid", reason: "UsageQuantity is missing" };
  const usageQuantity = Number(usage.amount);
  if (usage.amount.trim() === "" || !Number.isFinite(usageQuantity)) return { kind: "invalid", reason: `UsageQuantity "${usage.amount}" is not a number` };
  return {
    kind: "ok",
    line: {
      groupingId: grouping.id,
      granularity: grouping.granularity,
      periodStartMs: period.startMs,
      estimated: period.estimated,
      ...keys,
      unblendedCostMicroUsd: costs.get("UnblendedCost")!,
      amortizedCostMicroUsd: costs.get("AmortizedCost")!,
      netUnblendedCostMicroUsd: costs.get("NetUnblendedCost")!,
      netAmortizedCostMicroUsd: costs.get("NetAmortizedCost")!,
      usageQuantity,
      usageUnit: usage.unit,
    },
  };
}

/** `2026-11-26` (DAILY) or `2026-11-26T13` (HOURLY): a period as it appears in keys. */
export function costPeriodKey(granularity: CostGranularity, periodStartMs: number): string {
  return new Date(periodStartMs).toISOString().slice(0, granularity === "HOURLY" ? 13 : 10);
}

/** Escapes a key part so `#` only ever separates parts. */
function escapeKeyPart(part: string): string {
  return part.replace(/%/g, "%25").replace(/#/g, "%23");
}

/** What identifies a line. */
export type CostLineIdentity = Pick<CostLine, "groupingId" | "granularity" | "periodStartMs" | "service" | "usageType" | "resourceId" | "tagValue">;

/**
 * The identity of a line: `<grouping>#<period>#<key>[#<key>]`, parts escaped, keys in a fixed
 * order (service, resource, usage type, tag value: a function's lines sit together). Within a
 * grouping, sort order is time order (periods are fixed-width ISO prefixes). The sort key.
 */
export function costLineId(line: CostLineIdentity): string {
  const keys = [line.service, line.resourceId, line.usageType, line.tagValue].filter((k): k is string => k !== undefined);
  return [line.groupingId, costPeriodKey(line.granularity, line.periodStartMs), ...keys].map(escapeKeyPart).join("#");
}

/**
 * The id prefix every line of a grouping from `periodStartMs` on sorts at or after, and every
 * line of an earlier period before: `<grouping>#<period>`. Lines of periods in [from, to) are
 * exactly those with ids between the prefixes of `from` and `to` (ids continue with `#`).
 */
export function costLineIdPrefix(groupingId: string, granularity: CostGranularity, periodStartMs: number): string {
  return `${escapeKeyPart(groupingId)}#${costPeriodKey(granularity, periodStartMs)}`;
}

/** Whether two lines carry the same data (identity, money, usage and the Estimated flag). */
export function sameCostLine(a: CostLine, b: CostLine): boolean {
  return (
    costLineId(a) === costLineId(b) &&
    a.tagKey === b.tagKey &&
    a.unblendedCostMicroUsd === b.unblendedCostMicroUsd &&
    a.amortizedCostMicroUsd === b.amortizedCostMicroUsd &&
    a.netUnblendedCostMicroUsd === b.netUnblendedCostMicroUsd &&
    a.netAmortizedCostMicroUsd === b.netAmortizedCostMicroUsd &&
    a.usageQuantity === b.usageQuantity &&
    a.usageUnit === b.usageUnit &&
    a.estimated === b.estimated
  );
}
