import { describe, expect, it } from "vitest";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { StoredItemError } from "@/lib/adapters/dynamodb/item-error";
import { TUNING_AUDIT_PK } from "@/lib/adapters/dynamodb/keys";
import { DynamoTuningAuditStore } from "@/lib/adapters/dynamodb/tuning-audit-repository";
import { TuningAuditExistsError } from "@/lib/ports/tuning-apply";
import { aTuningAuditEntry } from "@/tests/builders/tuning-audit";
import { dynamoPerTestFile } from "@/tests/support/embedded-dynamo";

const dynamo = dynamoPerTestFile("tuning-audit");

/** Each test gets its own table, so list order is about that test's entries alone. */
async function freshStore(): Promise<{ store: DynamoTuningAuditStore; tableName: string }> {
  const tableName = await dynamo.freshTable();
  return { store: new DynamoTuningAuditStore(dynamo.db.doc, tableName), tableName };
}

const T = Date.UTC(2026, 10, 27, 12);

describe("DynamoTuningAuditStore", () => {
  it("appends an entry and reads it back by id, every field intact (nulls and nested changes included)", async () => {
    const { store } = await freshStore();
    const failed = aTuningAuditEntry({
      result: "failed",
      error: "InvalidParameterValueException: Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].",
      before: { kind: "reserved-concurrency", executions: null },
      after: { kind: "reserved-concurrency", executions: 900 },
      operation: "PutFunctionConcurrency",
      recommendationId: null,
    });
    await store.append(failed);
    expect(await store.get(failed.id)).toEqual(failed);
    expect(await store.get("0000000000000-deadbeef")).toBeNull();
  });

  it("is append-only: a second append with the same id is refused and the first entry is unchanged", async () => {
    const { store } = await freshStore();
    const first = aTuningAuditEntry({ atMs: T });
    await store.append(first);
    const impostor = { ...first, actor: "mallory", after: { kind: "memory" as const, memoryMb: 128 } };
    const refused = store.append(impostor);
    await expect(refused).rejects.toBeInstanceOf(TuningAuditExistsError);
    await expect(refused).rejects.toThrow(`a tuning audit entry with id "${first.id}" is already recorded`);
    expect(await store.get(first.id)).toEqual(first);
    expect(await store.list({ limit: 10 })).toEqual([first]);
  });

  it("has no way to change or remove an entry", () => {
    const methods = Object.getOwnPropertyNames(DynamoTuningAuditStore.prototype).filter((m) => m !== "constructor").sort();
    expect(methods).toEqual(["append", "get", "list"]);
  });

  it("lists newest first across accounts and regions, filters by function, account and region, and stops at the limit", async () => {
    const { store } = await freshStore();
    const entries = [
      aTuningAuditEntry({ atMs: T + 3_000, functionName: "orders-api" }),
      aTuningAuditEntry({ atMs: T }),
      aTuningAuditEntry({ atMs: T + 2_000, accountId: "210987654321" }),
      aTuningAuditEntry({ atMs: T + 1_000, region: "eu-west-1" }),
      aTuningAuditEntry({ atMs: T + 4_000, action: "rollback", rollbackOf: "1795000000000-00000001", recommendationId: null }),
    ];
    for (const entry of entries) await store.append(entry);
    const newestFirst = [...entries].sort((a, b) => b.atMs - a.atMs);
    expect((await store.list({ limit: 50 })).map((e) => e.atMs)).toEqual(newestFirst.map((e) => e.atMs));
    expect((await store.list({ limit: 2 })).map((e) => e.id)).toEqual(newestFirst.slice(0, 2).map((e) => e.id));
    expect((await store.list({ functionName: "payments-api", limit: 50 })).map((e) => e.atMs)).toEqual([T + 4_000, T + 2_000, T + 1_000, T]);
    expect((await store.list({ functionName: "payments-api", limit: 2 })).map((e) => e.atMs)).toEqual([T + 4_000, T + 2_000]);
    expect((await store.list({ accountId: "123456789012", region: "us-east-1", functionName: "payments-api", limit: 50 })).map((e) => e.atMs)).toEqual([T + 4_000, T]);
    expect(await store.list({ functionName: "nobody", limit: 50 })).toEqual([]);
    expect(await store.list({ limit: 0 })).toEqual([]);
  });

  it("names the item and field when a stored entry is malformed", async () => {
    const { store, tableName } = await freshStore();
    const entry = aTuningAuditEntry();
    await dynamo.db.doc.send(new PutCommand({ TableName: tableName, Item: { pk: TUNING_AUDIT_PK, sk: entry.id, ...entry, after: { kind: "memory", memoryMb: "big" } } }));
    const read = store.get(entry.id);
    await expect(read).rejects.toBeInstanceOf(StoredItemError);
    await expect(read).rejects.toThrow(/after\.memoryMb/);
  });
});
