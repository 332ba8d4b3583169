import { describe, expect, it } from "vitest";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import {
  CorruptCostSettingsError,
  CostSettingsVersionConflictError,
  DynamoCostSettingsStore,
} from "@/lib/adapters/dynamodb/cost-settings-repository";
import { StoredItemError } from "@/lib/adapters/dynamodb/item-error";
import { COST_SETTINGS_SK, SETTINGS_PK, costAlertPk } from "@/lib/adapters/dynamodb/keys";
import { DEFAULT_COST_SETTINGS } from "@/lib/domain/cost/cost-settings";
import type { CostSettings } from "@/lib/domain/cost/cost-types";
import { dynamoPerTestFile } from "@/tests/support/embedded-dynamo";

const dynamo = dynamoPerTestFile("cost-settings");

/** Each test gets its own table, so "nothing saved yet" is true at its start. */
async function freshStore(): Promise<{ store: DynamoCostSettingsStore; tableName: string }> {
  const tableName = await dynamo.freshTable();
  return { store: new DynamoCostSettingsStore(dynamo.db.doc, tableName), tableName };
}

const T = Date.UTC(2026, 10, 27, 12);
const NOV = Date.UTC(2026, 10, 1);
const DEC = Date.UTC(2026, 11, 1);

const SETTINGS: CostSettings = {
  pools: [
    { name: "platform", services: ["Amazon API Gateway", "Amazon EventBridge"], tagKey: "team", rule: { method: "fixed", percentages: { payments: 60, checkout: 40 } } },
    { name: "data", services: ["Amazon DynamoDB"], tagKey: "env", rule: { method: "proportional", basis: "gb-seconds" } },
  ],
  budgets: [
    { groupBy: "tag:team", bucket: "value:payments", monthlyMicroUsd: 1_200_000_000, alertAtRatios: [0.8, 1] },
    { groupBy: "service", bucket: "idle", monthlyMicroUsd: 50_000_000, alertAtRatios: [1] },
  ],
  applyFreeTier: true,
};

describe("DynamoCostSettingsStore: settings", () => {
  it("answers the defaults at version 0 before anything is saved", async () => {
    const { store } = await freshStore();
    expect(await store.get()).toEqual(DEFAULT_COST_SETTINGS);
    expect(await store.getStored()).toEqual({ settings: DEFAULT_COST_SETTINGS, version: 0, updatedBy: null, updatedAtMs: null });
  });

  it("stores settings whole and reads them back with who saved them, every field intact", async () => {
    const { store } = await freshStore();
    expect(await store.put(SETTINGS, { updatedBy: "fiona", atMs: T })).toEqual(SETTINGS);
    expect(await store.get()).toEqual(SETTINGS);
    expect(await store.getStored()).toEqual({ settings: SETTINGS, version: 1, updatedBy: "fiona", updatedAtMs: T });
  });

  it("replaces the whole document on the next save (a removed budget is gone) and bumps the version", async () => {
    const { store } = await freshStore();
    await store.put(SETTINGS, { updatedBy: "fiona", atMs: T });
    const fewer: CostSettings = { ...SETTINGS, pools: [], budgets: [SETTINGS.budgets[1]!] };
    const saved = await store.putStored(fewer, { updatedBy: "admin", atMs: T + 1 });
    expect(saved).toEqual({ settings: fewer, version: 2, updatedBy: "admin", updatedAtMs: T + 1 });
    expect(await store.get()).toEqual(fewer);
  });

  it("normalises as parseCostSettings does (alert ratios ascending, once each)", async () => {
    const { store } = await freshStore();
    const messy: CostSettings = { ...SETTINGS, budgets: [{ ...SETTINGS.budgets[0]!, alertAtRatios: [1, 0.8, 1] }] };
    expect((await store.put(messy, { updatedBy: "fiona", atMs: T })).budgets[0]!.alertAtRatios).toEqual([0.8, 1]);
  });

  it("refuses to store settings that would not read back, and stores nothing", async () => {
    const { store } = await freshStore();
    const bad = { ...SETTINGS, budgets: [{ ...SETTINGS.budgets[0]!, monthlyMicroUsd: -5 }] };
    await expect(store.put(bad, { updatedBy: "fiona", atMs: T })).rejects.toThrow(/budgets\[0\]\.monthlyMicroUsd/);
    expect((await store.getStored()).version).toBe(0);
  });

  it("with an expected version, saves only over that version (0 = nothing saved yet)", async () => {
    const { store } = await freshStore();
    await store.putStored(SETTINGS, { updatedBy: "fiona", atMs: T }, 0);
    await expect(store.putStored(SETTINGS, { updatedBy: "bob", atMs: T + 1 }, 0)).rejects.toBeInstanceOf(CostSettingsVersionConflictError);
    const second = await store.putStored({ ...SETTINGS, applyFreeTier: false }, { updatedBy: "fiona", atMs: T + 2 }, 1);
    expect(second.version).toBe(2);
    const stale = store.putStored({ ...SETTINGS, budgets: [] }, { updatedBy: "bob", atMs: T + 3 }, 1);
    await expect(stale).rejects.toBeInstanceOf(CostSettingsVersionConflictError);
    await expect(stale).rejects.toThrow("the cost settings changed since version 1 was read");
    expect(await store.getStored()).toEqual({ settings: { ...SETTINGS, applyFreeTier: false }, version: 2, updatedBy: "fiona", updatedAtMs: T + 2 });
  });

  it("throws an error naming the item and the fields when the stored document is invalid, and a save repairs it", async () => {
    const { store, tableName } = await freshStore();
    await dynamo.db.doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: SETTINGS_PK, sk: COST_SETTINGS_SK, version: 3, updatedBy: "hand-edit", updatedAtMs: T, settings: { ...SETTINGS, budgets: [{ ...SETTINGS.budgets[0], bucket: "payments" }], extra: 1 } },
      }),
    );
    const read = store.get();
    await expect(read).rejects.toBeInstanceOf(CorruptCostSettingsError);
    await expect(read).rejects.toThrow(/item SETTINGS \/ cost-settings.*budgets\[0\]\.bucket: .*bucket id/);
    await store.put(SETTINGS, { updatedBy: "fiona", atMs: T + 1 });
    expect(await store.getStored()).toEqual({ settings: SETTINGS, version: 4, updatedBy: "fiona", updatedAtMs: T + 1 });
  });

  it("throws StoredItemError when the item's own attributes are malformed", async () => {
    const { store, tableName } = await freshStore();
    await dynamo.db.doc.send(new PutCommand({ TableName: tableName, Item: { pk: SETTINGS_PK, sk: COST_SETTINGS_SK, settings: SETTINGS, version: "one" } }));
    await expect(store.get()).rejects.toBeInstanceOf(StoredItemError);
  });

  it("leaves the collectors' other SETTINGS items alone", async () => {
    const { store, tableName } = await freshStore();
    await dynamo.db.doc.send(new PutCommand({ TableName: tableName, Item: { pk: SETTINGS_PK, sk: "own-account", accountId: "123456789012" } }));
    await store.put(SETTINGS, { updatedBy: "fiona", atMs: T });
    const { Item } = await dynamo.db.doc.send(new GetCommand({ TableName: tableName, Key: { pk: SETTINGS_PK, sk: "own-account" } }));
    expect(Item).toEqual({ pk: SETTINGS_PK, sk: "own-account", accountId: "123456789012" });
  });
});

describe("DynamoCostSettingsStore: sent budget alerts", () => {
  it("records an alert once: a second record of the same key in the same month is refused", async () => {
    const { store } = await freshStore();
    const key = "tag:team|value:payments|2026-11|actual|0.8";
    expect(await store.recordSentAlert(key, NOV, T)).toBe(true);
    expect(await store.recordSentAlert(key, NOV, T + 60_000)).toBe(false);
    expect(await store.sentAlertKeys(NOV)).toEqual(new Set([key]));
  });

  it("keeps months apart", async () => {
    const { store } = await freshStore();
    await store.recordSentAlert("tag:team|value:payments|2026-11|actual|1", NOV, T);
    await store.recordSentAlert("tag:team|value:payments|2026-11|forecast|1", NOV, T);
    await store.recordSentAlert("tag:team|value:payments|2026-12|actual|1", DEC, DEC + 1);
    expect(await store.sentAlertKeys(NOV)).toEqual(new Set(["tag:team|value:payments|2026-11|actual|1", "tag:team|value:payments|2026-11|forecast|1"]));
    expect(await store.sentAlertKeys(DEC)).toEqual(new Set(["tag:team|value:payments|2026-12|actual|1"]));
    expect(await store.sentAlertKeys(Date.UTC(2027, 0, 1))).toEqual(new Set());
    expect(costAlertPk(NOV)).toBe("COSTALERT#2026-11");
  });

  it("settles two runs racing to record the same alert: exactly one wins", async () => {
    const { store } = await freshStore();
    const key = "service|idle|2026-11|forecast|1";
    const outcomes = await Promise.all(Array.from({ length: 5 }, (_, i) => store.recordSentAlert(key, NOV, T + i)));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
  });
});
