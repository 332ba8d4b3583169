import { GetCommand, PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { RoleSchema } from "@/lib/domain/access/roles";
import type { ApiTokenStore, StoredApiToken } from "@/lib/ports/stores";
import { TOKEN_PK } from "@/lib/adapters/dynamodb/keys";
import { parseItem } from "@/lib/adapters/dynamodb/item-error";

const TokenItemSchema = z.object({
  tokenHash: z.string(),
  name: z.string(),
  role: RoleSchema,
  createdAtMs: z.number(),
  createdBy: z.string(),
});

/** API tokens, keyed by the token's sha256 so a lookup is one GetItem. */
export class DynamoApiTokenStore implements ApiTokenStore {
  constructor(private readonly doc: DynamoDBDocumentClient, private readonly tableName: string) {}

  async put(token: StoredApiToken): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { pk: TOKEN_PK, sk: token.tokenHash, ...token } }));
  }

  async getByHash(tokenHash: string): Promise<StoredApiToken | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: TOKEN_PK, sk: tokenHash } }));
    return Item ? parseItem(TokenItemSchema, Item) : null;
  }
}
