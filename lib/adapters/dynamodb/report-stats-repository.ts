import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { compareReportStats, type ReportStats } from "@/lib/domain/cold-start/report-stats";
import type { FunctionRef } from "@/lib/domain/shared/ids";
import { floorToHourMs, type TimeWindow } from "@/lib/domain/shared/time";
import type { ReportStatsStore } from "@/lib/ports/report-stats";
import { putItems } from "@/lib/adapters/dynamodb/batch-write";
import { parseItem } from "@/lib/adapters/dynamodb/item-error";
import { reportStatsPk, reportStatsSk } from "@/lib/adapters/dynamodb/keys";
import { queryAll } from "@/lib/adapters/dynamodb/query-all";

/**
 * ReportStats in the table (keys.ts): one item per function and UTC hour,
 *   pk `REPORT#<account>#<region>#<name>`, sk `H#2026-11-27T10`,
 * holding `combos`, one entry per (version, memory size) of that hour in a stable order.
 * Items are put whole, with nothing run-specific in them, so the same hour written twice is
 * the same bytes. A 14-day view of a function is one Query of ≤ 336 small items.
 */

const PercentilesSchema = z.object({ p50: z.number(), p90: z.number(), p99: z.number(), max: z.number() });

const ComboSchema = z.object({
  version: z.string().nullable(),
  memorySizeMb: z.number(),
  invocations: z.number(),
  coldStarts: z.number(),
  snapStartRestores: z.number(),
  initDurationMs: PercentilesSchema.nullable(),
  initDurationMsSum: z.number(),
  restoreDurationMs: PercentilesSchema.nullable(),
  restoreDurationMsSum: z.number(),
  billedRestoreDurationMsSum: z.number(),
  billedDurationMsSum: z.number(),
  durationMsSum: z.number(),
  maxMemoryUsedMb: PercentilesSchema,
  timeouts: z.number(),
  outOfMemory: z.number(),
});

const ReportHourItemSchema = z.object({
  pk: z.string(),
  sk: z.string(),
  accountId: z.string(),
  region: z.string(),
  functionName: z.string(),
  hourStartMs: z.number(),
  combos: z.array(ComboSchema),
});

type Combo = z.infer<typeof ComboSchema>;
type ReportHourItem = z.infer<typeof ReportHourItemSchema>;

/** The attributes of one combination, in one fixed order. */
function toCombo(stats: ReportStats): Combo {
  return {
    version: stats.version,
    memorySizeMb: stats.memorySizeMb,
    invocations: stats.invocations,
    coldStarts: stats.coldStarts,
    snapStartRestores: stats.snapStartRestores,
    initDurationMs: stats.initDurationMs === null ? null : { ...stats.initDurationMs },
    initDurationMsSum: stats.initDurationMsSum,
    restoreDurationMs: stats.restoreDurationMs === null ? null : { ...stats.restoreDurationMs },
    restoreDurationMsSum: stats.restoreDurationMsSum,
    billedRestoreDurationMsSum: stats.billedRestoreDurationMsSum,
    billedDurationMsSum: stats.billedDurationMsSum,
    durationMsSum: stats.durationMsSum,
    maxMemoryUsedMb: { ...stats.maxMemoryUsedMb },
    timeouts: stats.timeouts,
    outOfMemory: stats.outOfMemory,
  };
}

/** Groups stats into whole function-hour items, in key order. */
export function toReportHourItems(stats: readonly ReportStats[]): ReportHourItem[] {
  const items = new Map<string, ReportHourItem>();
  for (const s of [...stats].sort(compareReportStats)) {
    const pk = reportStatsPk(s.accountId, s.region, s.functionName);
    const sk = reportStatsSk(s.hourStartMs);
    const key = `${pk}\u0000${sk}`;
    let item = items.get(key);
    if (item === undefined) {
      item = { pk, sk, accountId: s.accountId, region: s.region, functionName: s.functionName, hourStartMs: s.hourStartMs, combos: [] };
      items.set(key, item);
    }
    item.combos.push(toCombo(s));
  }
  return [...items.values()];
}

function fromReportHourItem(raw: Record<string, unknown>): ReportStats[] {
  const item = parseItem(ReportHourItemSchema, raw);
  return item.combos.map((combo) => ({
    accountId: item.accountId,
    region: item.region,
    functionName: item.functionName,
    hourStartMs: item.hourStartMs,
    ...combo,
  }));
}

export class DynamoReportStatsStore implements ReportStatsStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async writeHours(stats: readonly ReportStats[]): Promise<number> {
    const items = toReportHourItems(stats);
    if (items.length === 0) return 0;
    return putItems(this.doc, this.tableName, items);
  }

  async readStats(ref: FunctionRef, window: TimeWindow): Promise<ReportStats[]> {
    if (window.toMs <= window.fromMs) return [];
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
      ExpressionAttributeValues: {
        ":pk": reportStatsPk(ref.accountId, ref.region, ref.functionName),
        ":from": reportStatsSk(floorToHourMs(window.fromMs)),
        ":to": reportStatsSk(floorToHourMs(window.toMs - 1)),
      },
    });
    return items.flatMap(fromReportHourItem);
  }
}
