import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { RoleSchema } from "@/lib/domain/access/roles";
import type { StoredUser, UserStore } from "@/lib/ports/stores";
import { USER_PK } from "@/lib/adapters/dynamodb/keys";
import { parseItem } from "@/lib/adapters/dynamodb/item-error";

const UserItemSchema = z.object({
  username: z.string(),
  passwordHash: z.string(),
  role: RoleSchema,
  createdAtMs: z.number(),
});

/** Console users; passwords only as hashes. */
export class DynamoUserStore implements UserStore {
  constructor(private readonly doc: DynamoDBDocumentClient, private readonly tableName: string) {}

  async get(username: string): Promise<StoredUser | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: USER_PK, sk: username } }));
    return Item ? parseItem(UserItemSchema, Item) : null;
  }

  async createIfAbsent(user: StoredUser): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: USER_PK, sk: user.username, ...user },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
      return true;
    } catch (error) {
      if ((error as { name?: string }).name === "ConditionalCheckFailedException") return false;
      throw error;
    }
  }

  async count(): Promise<number> {
    let total = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": USER_PK },
          Select: "COUNT",
          ExclusiveStartKey: startKey,
        }),
      );
      total += page.Count ?? 0;
      startKey = page.LastEvaluatedKey as Record<string, unknown> | undefined;
    } while (startKey);
    return total;
  }
}
