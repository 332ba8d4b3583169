import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import type { CostLine } from "@/lib/domain/cost/cost-line";
import { costPeriodKey } from "@/lib/domain/cost/cost-line";
import type { CostLineRange, CostLineStore } from "@/lib/ports/cost-store";
import { deleteItems, putItems } from "@/lib/adapters/dynamodb/batch-write";
import { parseItem } from "@/lib/adapters/dynamodb/item-error";
import { costLineSk, costLineSkBound, costPk, parseTimeKey } from "@/lib/adapters/dynamodb/keys";
import { queryAll } from "@/lib/adapters/dynamodb/query-all";

const microUsd = z.number().int();

const CostLineItemSchema = z.object({
  accountId: z.string(),
  grouping: z.string(),
  granularity: z.enum(["DAILY", "HOURLY"]),
  /** `2026-11-26` or `2026-11-26T13`. */
  period: z.string().regex(/^\d{4}-\d{2}-\d{2}(T\d{2})?$/),
  service: z.string().optional(),
  usageType: z.string().optional(),
  resourceId: z.string().optional(),
  tagKey: z.string().optional(),
  tagValue: z.string().optional(),
  unblendedCostMicroUsd: microUsd,
  amortizedCostMicroUsd: microUsd,
  netUnblendedCostMicroUsd: microUsd,
  netAmortizedCostMicroUsd: microUsd,
  usageQuantity: z.number(),
  usageUnit: z.string(),
  estimated: z.boolean(),
});
type CostLineItem = z.infer<typeof CostLineItemSchema>;

/**
 * The whole item of a line. Attributes are written in one fixed order and absent keys are
 * left out (never null), so the same line always yields the same bytes; no run time is stored.
 */
function toCostLineItem(accountId: string, line: CostLine): Record<string, unknown> {
  return {
    pk: costPk(accountId),
    sk: costLineSk(line),
    accountId,
    grouping: line.groupingId,
    granularity: line.granularity,
    period: costPeriodKey(line.granularity, line.periodStartMs),
    ...(line.service === undefined ? {} : { service: line.service }),
    ...(line.usageType === undefined ? {} : { usageType: line.usageType }),
    ...(line.resourceId === undefined ? {} : { resourceId: line.resourceId }),
    ...(line.tagKey === undefined ? {} : { tagKey: line.tagKey }),
    ...(line.tagValue === undefined ? {} : { tagValue: line.tagValue }),
    unblendedCostMicroUsd: line.unblendedCostMicroUsd,
    amortizedCostMicroUsd: line.amortizedCostMicroUsd,
    netUnblendedCostMicroUsd: line.netUnblendedCostMicroUsd,
    netAmortizedCostMicroUsd: line.netAmortizedCostMicroUsd,
    usageQuantity: line.usageQuantity,
    usageUnit: line.usageUnit,
    estimated: line.estimated,
  };
}

function fromCostLineItem(item: CostLineItem): CostLine {
  return {
    groupingId: item.grouping,
    granularity: item.granularity,
    periodStartMs: parseTimeKey(item.period),
    ...(item.service === undefined ? {} : { service: item.service }),
    ...(item.usageType === undefined ? {} : { usageType: item.usageType }),
    ...(item.resourceId === undefined ? {} : { resourceId: item.resourceId }),
    ...(item.tagKey === undefined ? {} : { tagKey: item.tagKey }),
    ...(item.tagValue === undefined ? {} : { tagValue: item.tagValue }),
    unblendedCostMicroUsd: item.unblendedCostMicroUsd,
    amortizedCostMicroUsd: item.amortizedCostMicroUsd,
    netUnblendedCostMicroUsd: item.netUnblendedCostMicroUsd,
    netAmortizedCostMicroUsd: item.netAmortizedCostMicroUsd,
    usageQuantity: item.usageQuantity,
    usageUnit: item.usageUnit,
    estimated: item.estimated,
  };
}

/** Cost lines in the single table: pk COST#<account>, sk the line's identity (keys.ts). */
export class DynamoCostLineStore implements CostLineStore {
  constructor(private readonly doc: DynamoDBDocumentClient, private readonly tableName: string) {}

  async readLines(range: CostLineRange): Promise<CostLine[]> {
    if (range.window.fromMs >= range.window.toMs) return [];
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      // Bounds are `<grouping>#<period>` prefixes; every line's sk continues with `#`, so the
      // upper bound (inclusive in BETWEEN) excludes the lines of the period starting at toMs.
      KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
      ExpressionAttributeValues: {
        ":pk": costPk(range.accountId),
        ":from": costLineSkBound(range.groupingId, range.granularity, range.window.fromMs),
        ":to": costLineSkBound(range.groupingId, range.granularity, range.window.toMs),
      },
    });
    return items.map((item) => fromCostLineItem(parseItem(CostLineItemSchema, item)));
  }

  writeLines(accountId: string, lines: readonly CostLine[]): Promise<number> {
    return putItems(this.doc, this.tableName, lines.map((line) => toCostLineItem(accountId, line)));
  }

  deleteLines(accountId: string, lines: readonly CostLine[]): Promise<number> {
    return deleteItems(this.doc, this.tableName, lines.map((line) => ({ pk: costPk(accountId), sk: costLineSk(line) })));
  }
}
