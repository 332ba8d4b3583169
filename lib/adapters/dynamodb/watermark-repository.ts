import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import type { Watermark, WatermarkStore } from "@/lib/ports/stores";
import { WATERMARK_PK, watermarkSk } from "@/lib/adapters/dynamodb/keys";
import { parseItem } from "@/lib/adapters/dynamodb/item-error";
import { queryAll } from "@/lib/adapters/dynamodb/query-all";

const WatermarkItemSchema = z.object({
  collector: z.string(),
  accountId: z.string(),
  region: z.string(),
  throughMs: z.number().nullable(),
  // Absent on items written before it existed.
  sinceMs: z.number().nullable().default(null),
  lastAttemptMs: z.number(),
  lastSuccessMs: z.number().nullable(),
  lastError: z.string().nullable(),
});

/** Collector watermarks, one item per collector, account and region. */
export class DynamoWatermarkStore implements WatermarkStore {
  constructor(private readonly doc: DynamoDBDocumentClient, private readonly tableName: string) {}

  async get(collector: string, accountId: string, region: string): Promise<Watermark | null> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: WATERMARK_PK, sk: watermarkSk(collector, accountId, region) } }),
    );
    return Item ? parseItem(WatermarkItemSchema, Item) : null;
  }

  async put(watermark: Watermark): Promise<void> {
    // An unknown start is left out rather than stored as null, so advance() can still set it.
    const { sinceMs, ...rest } = watermark;
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: WATERMARK_PK, sk: watermarkSk(watermark.collector, watermark.accountId, watermark.region), ...rest, ...(sinceMs === null ? {} : { sinceMs }) },
      }),
    );
  }

  async advance(collector: string, accountId: string, region: string, throughMs: number, sinceMs?: number): Promise<void> {
    // Where the data starts is set by the first stored step and kept (if_not_exists): later
    // steps and runs only move throughMs forward. Never stored as null, so it can be set later.
    const since = sinceMs === undefined ? "" : ", sinceMs = if_not_exists(sinceMs, :s)";
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: WATERMARK_PK, sk: watermarkSk(collector, accountId, region) },
        // A new item gets the attributes a read needs; an existing one keeps its run history.
        UpdateExpression: `SET throughMs = :t, collector = :c, accountId = :a, #region = :r, lastAttemptMs = if_not_exists(lastAttemptMs, :zero), lastSuccessMs = if_not_exists(lastSuccessMs, :null), lastError = if_not_exists(lastError, :null)${since}`,
        ExpressionAttributeNames: { "#region": "region" },
        ExpressionAttributeValues: {
          ":t": throughMs,
          ":c": collector,
          ":a": accountId,
          ":r": region,
          ":zero": 0,
          ":null": null,
          ...(sinceMs === undefined ? {} : { ":s": sinceMs }),
        },
      }),
    );
  }

  async recordOutcome(collector: string, accountId: string, region: string, outcome: { nowMs: number; error: string | null }): Promise<void> {
    const succeeded = outcome.error === null;
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: WATERMARK_PK, sk: watermarkSk(collector, accountId, region) },
        UpdateExpression: succeeded
          ? "SET collector = :c, accountId = :a, #region = :r, throughMs = if_not_exists(throughMs, :null), lastAttemptMs = :now, lastSuccessMs = :now, lastError = :null"
          : "SET collector = :c, accountId = :a, #region = :r, throughMs = if_not_exists(throughMs, :null), lastAttemptMs = :now, lastSuccessMs = if_not_exists(lastSuccessMs, :null), lastError = :error",
        ExpressionAttributeNames: { "#region": "region" },
        ExpressionAttributeValues: {
          ":c": collector,
          ":a": accountId,
          ":r": region,
          ":now": outcome.nowMs,
          ":null": null,
          ...(succeeded ? {} : { ":error": outcome.error }),
        },
      }),
    );
  }

  async list(): Promise<Watermark[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": WATERMARK_PK },
    });
    return items.map((item) => parseItem(WatermarkItemSchema, item));
  }
}
