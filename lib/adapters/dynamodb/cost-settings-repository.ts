import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { DEFAULT_COST_SETTINGS, parseCostSettings } from "@/lib/domain/cost/cost-settings";
import type { CostSettings } from "@/lib/domain/cost/cost-types";
import { UserFacingError } from "@/lib/domain/shared/user-facing-error";
import type { CostSettingsStore } from "@/lib/ports/cost-settings-store";
import { COST_SETTINGS_SK, SETTINGS_PK, costAlertPk, costAlertSk } from "@/lib/adapters/dynamodb/keys";
import { parseItem } from "@/lib/adapters/dynamodb/item-error";
import { queryAll } from "@/lib/adapters/dynamodb/query-all";

/** The settings with who saved them and their version (0 = never saved: the defaults). */
export interface StoredCostSettings {
  settings: CostSettings;
  /** Bumped by every save; what `expectedVersion` compares against. */
  version: number;
  updatedBy: string | null;
  updatedAtMs: number | null;
}

/**
 * The stored settings item does not pass parseCostSettings (edited by hand, or written by a
 * newer Sightline). Thrown rather than falling back to the defaults: the defaults would
 * silently drop finance's pools and budgets, change every allocation on the page and stop
 * budget alerts without anyone knowing, and a save made from that view would overwrite the
 * real settings. The message names the item and every field at fault; saving valid settings
 * (PUT /api/v1/costs/settings, `sightline cost budget …`) replaces the item and repairs it,
 * since a save never reads the old document.
 */
export class CorruptCostSettingsError extends UserFacingError {
  override readonly name = "CorruptCostSettingsError";
  constructor(readonly errors: readonly { path: string; message: string }[]) {
    super(
      `the stored cost settings (item ${SETTINGS_PK} / ${COST_SETTINGS_SK}) are invalid: ` +
        errors.map((e) => `${e.path}: ${e.message}`).join("; ") +
        "; save valid settings (PUT /api/v1/costs/settings) to replace them",
    );
  }
}

/** A save expected another version than the one stored: someone saved in between. */
export class CostSettingsVersionConflictError extends UserFacingError {
  override readonly name = "CostSettingsVersionConflictError";
  constructor(readonly expectedVersion: number) {
    super(`the cost settings changed since version ${expectedVersion} was read; read them again and reapply the change`);
  }
}

const SettingsItemSchema = z.object({
  pk: z.literal(SETTINGS_PK),
  sk: z.literal(COST_SETTINGS_SK),
  settings: z.unknown(),
  version: z.number().int().positive(),
  updatedBy: z.string(),
  updatedAtMs: z.number(),
});

const AlertItemSchema = z.object({ key: z.string().min(1), monthStartMs: z.number(), atMs: z.number() });

function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string }).name === "ConditionalCheckFailedException";
}

/**
 * Cost settings and sent budget alerts in the single table (keys.ts): one settings document
 * (SETTINGS / cost-settings), replaced whole with a version counter, and one append-only
 * marker per budget alert sent (COSTALERT#<month> / <alert key>).
 */
export class DynamoCostSettingsStore implements CostSettingsStore {
  constructor(private readonly doc: DynamoDBDocumentClient, private readonly tableName: string) {}

  async get(): Promise<CostSettings> {
    return (await this.getStored()).settings;
  }

  /** The settings with their version and last editor; the defaults at version 0 when none were saved. */
  async getStored(): Promise<StoredCostSettings> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: SETTINGS_PK, sk: COST_SETTINGS_SK }, ConsistentRead: true }));
    if (!Item) return { settings: structuredClone(DEFAULT_COST_SETTINGS), version: 0, updatedBy: null, updatedAtMs: null };
    return toStored(Item);
  }

  async put(settings: CostSettings, meta: { updatedBy: string; atMs: number }): Promise<CostSettings> {
    return (await this.putStored(settings, meta)).settings;
  }

  /**
   * Replaces the settings. They are validated again first (a document that could not be read
   * back must never be stored). With `expectedVersion` the save happens only if the stored
   * version is still that one (0: nothing saved yet), else CostSettingsVersionConflictError;
   * without it the last save wins. The version is bumped atomically (ADD), with no read.
   */
  async putStored(settings: CostSettings, meta: { updatedBy: string; atMs: number }, expectedVersion?: number): Promise<StoredCostSettings> {
    const parsed = parseCostSettings(settings);
    if (parsed.kind === "invalid") throw new RangeError(`refusing to store invalid cost settings: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`);
    const condition =
      expectedVersion === undefined ? {} : expectedVersion === 0 ? { ConditionExpression: "attribute_not_exists(pk)" } : { ConditionExpression: "#v = :expected" };
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: SETTINGS_PK, sk: COST_SETTINGS_SK },
          UpdateExpression: "SET #s = :settings, #by = :by, #at = :at ADD #v :one",
          ExpressionAttributeNames: { "#s": "settings", "#by": "updatedBy", "#at": "updatedAtMs", "#v": "version" },
          ExpressionAttributeValues: {
            ":settings": parsed.settings,
            ":by": meta.updatedBy,
            ":at": meta.atMs,
            ":one": 1,
            ...(expectedVersion !== undefined && expectedVersion !== 0 ? { ":expected": expectedVersion } : {}),
          },
          ...condition,
          ReturnValues: "ALL_NEW",
        }),
      );
      return toStored(Attributes ?? {});
    } catch (error) {
      if (isConditionFailure(error)) throw new CostSettingsVersionConflictError(expectedVersion ?? 0);
      throw error;
    }
  }

  async sentAlertKeys(monthStartMs: number): Promise<Set<string>> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": costAlertPk(monthStartMs) },
    });
    return new Set(items.map((item) => parseItem(AlertItemSchema, item).key));
  }

  async recordSentAlert(key: string, monthStartMs: number, atMs: number): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: costAlertPk(monthStartMs), sk: costAlertSk(key), key, monthStartMs, atMs },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

/** A stored settings item as the domain's settings, or an error naming the item and the fields. */
function toStored(item: Record<string, unknown>): StoredCostSettings {
  const valid = parseItem(SettingsItemSchema, item);
  const parsed = parseCostSettings(valid.settings);
  if (parsed.kind === "invalid") throw new CorruptCostSettingsError(parsed.errors);
  return { settings: parsed.settings, version: valid.version, updatedBy: valid.updatedBy, updatedAtMs: valid.updatedAtMs };
}
