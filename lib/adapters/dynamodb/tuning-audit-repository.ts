import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import type { TuningAuditEntry } from "@/lib/domain/sizing/tuning-types";
import { TuningAuditEntrySchema } from "@/lib/domain/sizing/tuning-change";
import { TuningAuditExistsError, type TuningAuditQuery, type TuningAuditStore } from "@/lib/ports/tuning-apply";
import { TUNING_AUDIT_PK } from "@/lib/adapters/dynamodb/keys";
import { parseItem } from "@/lib/adapters/dynamodb/item-error";

/**
 * The tuning audit log in the single table (keys.ts, TUNING_AUDIT_PK): one item per entry,
 * sk = the entry's time-sortable id. Append-only by construction: the only write is a put
 * conditioned on the item not existing, and this class has no update or delete.
 */
export class DynamoTuningAuditStore implements TuningAuditStore {
  constructor(private readonly doc: DynamoDBDocumentClient, private readonly tableName: string) {}

  async append(entry: TuningAuditEntry): Promise<void> {
    // Validate before writing: an entry that could not be read back must not be stored.
    const valid = TuningAuditEntrySchema.parse(entry);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: TUNING_AUDIT_PK, sk: valid.id, ...valid },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
    } catch (error) {
      if ((error as { name?: string }).name === "ConditionalCheckFailedException") throw new TuningAuditExistsError(entry.id);
      throw error;
    }
  }

  async get(id: string): Promise<TuningAuditEntry | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: TUNING_AUDIT_PK, sk: id } }));
    return Item ? parseItem(TuningAuditEntrySchema, Item) : null;
  }

  /** Newest first; filters run on the one Query, which pages on until `limit` entries matched or the log ends. */
  async list(query: TuningAuditQuery): Promise<TuningAuditEntry[]> {
    const limit = Math.max(0, Math.floor(query.limit));
    if (limit === 0) return [];
    const filters: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ":pk": TUNING_AUDIT_PK };
    for (const field of ["accountId", "region", "functionName"] as const) {
      const value = query[field];
      if (value === undefined) continue;
      filters.push(`#${field} = :${field}`);
      names[`#${field}`] = field;
      values[`:${field}`] = value;
    }
    const input: QueryCommandInput = {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
      // Without filters every item read matches, so read no more than asked for.
      ...(filters.length === 0 ? { Limit: limit } : { FilterExpression: filters.join(" AND "), ExpressionAttributeNames: names }),
    };
    const entries: TuningAuditEntry[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
      for (const item of (page.Items ?? []) as Record<string, unknown>[]) {
        entries.push(parseItem(TuningAuditEntrySchema, item));
        if (entries.length === limit) return entries;
      }
      startKey = page.LastEvaluatedKey as Record<string, unknown> | undefined;
    } while (startKey);
    return entries;
  }
}
