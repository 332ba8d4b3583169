import { BatchWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import type { FunctionConfig } from "@/lib/domain/inventory/function-config";
import type { FunctionStore } from "@/lib/ports/stores";
import { FUNCTION_PK, functionSk } from "@/lib/adapters/dynamodb/keys";
import { parseItem } from "@/lib/adapters/dynamodb/item-error";
import { queryAll } from "@/lib/adapters/dynamodb/query-all";

const FunctionItemSchema = z.object({
  pk: z.literal(FUNCTION_PK),
  sk: z.string(),
  accountId: z.string(),
  region: z.string(),
  functionName: z.string(),
  functionArn: z.string(),
  runtime: z.string().nullable(),
  architecture: z.enum(["x86_64", "arm64"]),
  memoryMb: z.number().int(),
  timeoutSeconds: z.number(),
  ephemeralStorageMb: z.number(),
  packageType: z.enum(["Zip", "Image"]),
  lastModified: z.string(),
  tags: z.record(z.string(), z.string()),
  reservedConcurrency: z.number().nullable(),
  provisionedConcurrency: z.array(
    z.object({
      qualifier: z.string(),
      requested: z.number(),
      allocated: z.number(),
      available: z.number(),
      status: z.string(),
    }),
  ),
  collectedAtMs: z.number(),
  removedAtMs: z.number().optional(),
});

function toItem(config: FunctionConfig) {
  return { pk: FUNCTION_PK, sk: functionSk(config.accountId, config.region, config.functionName), ...config };
}

function fromItem(item: Record<string, unknown>): FunctionConfig & { removedAtMs?: number } {
  const { pk: _pk, sk: _sk, ...config } = parseItem(FunctionItemSchema, item);
  return config;
}

/** Function configurations in one partition of the table (see keys.ts). */
export class DynamoFunctionStore implements FunctionStore {
  constructor(private readonly doc: DynamoDBDocumentClient, private readonly tableName: string) {}

  async putFunctions(functions: FunctionConfig[]): Promise<void> {
    for (let i = 0; i < functions.length; i += 25) {
      let requests = functions.slice(i, i + 25).map((f) => ({ PutRequest: { Item: toItem(f) } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 8) throw new Error(`BatchWrite left ${requests.length} unprocessed function items`);
        const out = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
        requests = (out.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
        if (requests.length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
    }
  }

  async markRemoved(accountId: string, region: string, keepNames: ReadonlySet<string>, nowMs: number): Promise<number> {
    const present = (await this.listFunctions()).filter(
      (f) => f.accountId === accountId && f.region === region && !keepNames.has(f.functionName),
    );
    for (const f of present) {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: FUNCTION_PK, sk: functionSk(f.accountId, f.region, f.functionName) },
          UpdateExpression: "SET removedAtMs = :now",
          ExpressionAttributeValues: { ":now": nowMs },
        }),
      );
    }
    return present.length;
  }

  async listFunctions(): Promise<FunctionConfig[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": FUNCTION_PK },
    });
    return items
      .map(fromItem)
      .filter((f) => f.removedAtMs === undefined)
      .map(({ removedAtMs: _removed, ...config }) => config);
  }
}
