import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import type { AnalysisStore, FunctionAnalysis } from "@/lib/ports/analysis-store";
import { analysisPk } from "@/lib/adapters/dynamodb/keys";
import { deleteItems, putItems } from "@/lib/adapters/dynamodb/batch-write";
import { parseItem } from "@/lib/adapters/dynamodb/item-error";
import { queryAll } from "@/lib/adapters/dynamodb/query-all";
import { FunctionTuningSchema } from "@/lib/adapters/dynamodb/tuning-item-schema";

const AnalysisItemSchema = z.object({
  accountId: z.string(),
  region: z.string(),
  functionName: z.string(),
  asOfMs: z.number(),
  lookbackDays: z.number(),
  sufficiency: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("enough"), invocations: z.number(), hoursWithTraffic: z.number() }),
    z.object({ kind: z.literal("insufficient-data"), invocations: z.number(), hoursWithTraffic: z.number(), reason: z.string() }),
  ]),
  // Items written before tuning existed have none.
  tuning: FunctionTuningSchema.nullable().default(null),
});

/** Per-function analyses (data sufficiency, tuning), one partition per account/region (keys.ts). */
export class DynamoAnalysisStore implements AnalysisStore {
  constructor(private readonly doc: DynamoDBDocumentClient, private readonly tableName: string) {}

  async replaceAll(accountId: string, region: string, analyses: readonly FunctionAnalysis[]): Promise<number> {
    const pk = analysisPk(accountId, region);
    const written = await putItems(this.doc, this.tableName, analyses.map((a) => ({ pk, sk: a.functionName, ...a })));
    // Write first, then drop functions that are gone: a crash in between leaves extra rows a rerun removes.
    const keep = new Set(analyses.map((a) => a.functionName));
    const stale = (await this.list(accountId, region)).filter((a) => !keep.has(a.functionName));
    await deleteItems(this.doc, this.tableName, stale.map((a) => ({ pk, sk: a.functionName })));
    return written + stale.length;
  }

  async list(accountId: string, region: string): Promise<FunctionAnalysis[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": analysisPk(accountId, region) },
    });
    return items.map((item) => parseItem(AnalysisItemSchema, item));
  }
}
