import { UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import type { AccountConcurrency, FunctionConfig } from "@/lib/domain/inventory/function-config";
import type { FunctionStore } from "@/lib/ports/stores";
import { ACCOUNT_PK, accountSk, FUNCTION_PK, functionSk } from "@/lib/adapters/dynamodb/keys";
import { parseItem } from "@/lib/adapters/dynamodb/item-error";
import { queryAll } from "@/lib/adapters/dynamodb/query-all";
import { putItems } from "@/lib/adapters/dynamodb/batch-write";

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
  revisionId: z.string(),
  snapStart: z.enum(["PublishedVersions", "None"]),
  layers: z.array(z.string()),
  tracingMode: z.enum(["Active", "PassThrough"]),
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
  aliases: z.array(z.object({ name: z.string(), functionVersion: z.string() })),
  versions: z.array(
    z.object({ version: z.string(), memoryMb: z.number(), architecture: z.enum(["x86_64", "arm64"]), runtime: z.string().nullable(), lastModified: z.string() }),
  ),
  collectedAtMs: z.number(),
  detailsCollectedAtMs: z.number(),
  removedAtMs: z.number().optional(),
});

const AccountItemSchema = z.object({
  accountId: z.string(),
  region: z.string(),
  concurrentExecutionsLimit: z.number(),
  unreservedConcurrentExecutions: z.number(),
  functionCount: z.number(),
  collectedAtMs: z.number(),
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
    await putItems(this.doc, this.tableName, functions.map(toItem));
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

  async putAccountConcurrency(settings: AccountConcurrency): Promise<void> {
    await putItems(this.doc, this.tableName, [{ pk: ACCOUNT_PK, sk: accountSk(settings.accountId, settings.region), ...settings }]);
  }

  async listAccountConcurrency(): Promise<AccountConcurrency[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": ACCOUNT_PK },
    });
    return items.map((item) => {
      const { accountId, region, concurrentExecutionsLimit, unreservedConcurrentExecutions, functionCount, collectedAtMs } = parseItem(AccountItemSchema, item);
      return { accountId, region, concurrentExecutionsLimit, unreservedConcurrentExecutions, functionCount, collectedAtMs };
    });
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
