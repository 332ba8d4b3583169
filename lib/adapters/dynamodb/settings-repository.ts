import { GetCommand, PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { AccountIdSchema } from "@/lib/domain/shared/ids";
import { OWN_ACCOUNT_SK, SETTINGS_PK, SLO_SEED_SK } from "@/lib/adapters/dynamodb/keys";

/**
 * Facts the collectors learn once and keep: the account their own credentials act in, so a
 * pass can still file its errors under the right account when STS cannot be reached.
 */
export class DynamoSettingsStore {
  constructor(private readonly doc: DynamoDBDocumentClient, private readonly tableName: string) {}

  async getOwnAccountId(): Promise<string | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: SETTINGS_PK, sk: OWN_ACCOUNT_SK } }));
    const parsed = AccountIdSchema.safeParse(Item?.accountId);
    return parsed.success ? parsed.data : null;
  }

  async putOwnAccountId(accountId: string): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { pk: SETTINGS_PK, sk: OWN_ACCOUNT_SK, accountId } }));
  }

  /** Whether (and from what) default SLOs were imported into this table; null when never. */
  async getSloSeed(): Promise<{ source: string; atMs: number } | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: SETTINGS_PK, sk: SLO_SEED_SK } }));
    return typeof Item?.source === "string" && typeof Item.atMs === "number" ? { source: Item.source, atMs: Item.atMs } : null;
  }

  async putSloSeed(seed: { source: string; atMs: number }): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { pk: SETTINGS_PK, sk: SLO_SEED_SK, ...seed } }));
  }
}
