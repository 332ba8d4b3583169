import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { RoleSchema } from "@/lib/domain/access/roles";
import type { ApiTokenStore, StoredApiToken } from "@/lib/ports/stores";
import { TOKEN_PK } from "@/lib/adapters/dynamodb/keys";
import { parseItem } from "@/lib/adapters/dynamodb/item-error";
import { queryAll } from "@/lib/adapters/dynamodb/query-all";

const TokenItemSchema = z.object({
  tokenHash: z.string(),
  name: z.string(),
  role: RoleSchema,
  createdAtMs: z.number(),
  createdBy: z.string(),
  expiresAtMs: z.number().optional(),
  revokedAtMs: z.number().optional(),
  revokedBy: z.string().optional(),
});

function toStoredApiToken(item: Record<string, unknown>): StoredApiToken {
  return parseItem(TokenItemSchema, item);
}

/**
 * API tokens, keyed by the token's sha256 so a lookup is one GetItem; listing is one Query of
 * the TOKEN partition (tens of tokens). Revoked tokens stay, marked, for the record.
 */
export class DynamoApiTokenStore implements ApiTokenStore {
  constructor(private readonly doc: DynamoDBDocumentClient, private readonly tableName: string) {}

  async put(token: StoredApiToken): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { pk: TOKEN_PK, sk: token.tokenHash, ...token } }));
  }

  async getByHash(tokenHash: string): Promise<StoredApiToken | null> {
    // Strongly consistent, so a revocation answers 401 on the very next request.
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: TOKEN_PK, sk: tokenHash }, ConsistentRead: true }));
    return Item ? toStoredApiToken(Item) : null;
  }

  async list(): Promise<StoredApiToken[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": TOKEN_PK },
      ConsistentRead: true,
    });
    return items.map(toStoredApiToken);
  }

  async revoke(tokenHash: string, revokedAtMs: number, revokedBy: string): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: TOKEN_PK, sk: tokenHash },
          UpdateExpression: "SET revokedAtMs = :at, revokedBy = :by",
          ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(revokedAtMs)",
          ExpressionAttributeValues: { ":at": revokedAtMs, ":by": revokedBy },
        }),
      );
      return true;
    } catch (error) {
      if ((error as { name?: string }).name === "ConditionalCheckFailedException") return false;
      throw error;
    }
  }
}
