import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PutCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { DynamoFunctionStore } from "@/lib/adapters/dynamodb/function-repository";
import { DynamoMetricSeriesStore } from "@/lib/adapters/dynamodb/metric-series-repository";
import { DynamoWatermarkStore } from "@/lib/adapters/dynamodb/watermark-repository";
import { DynamoUserStore } from "@/lib/adapters/dynamodb/user-repository";
import { DynamoApiTokenStore } from "@/lib/adapters/dynamodb/api-token-repository";
import { ensureTable } from "@/lib/adapters/dynamodb/table";
import { aFunction } from "@/tests/builders/function-config";
import { startTestDynamo } from "@/tests/support/embedded-dynamo";

let db: Awaited<ReturnType<typeof startTestDynamo>>;
beforeAll(async () => {
  db = await startTestDynamo();
});
afterAll(async () => {
  await db?.close();
});

const ref = { accountId: "123456789012", region: "us-east-1", functionName: "orders-api" };
const invocations = { metric: "Invocations", stat: "Sum" } as const;
const T0 = Date.UTC(2026, 10, 26, 10, 58);
const MIN = 60_000;

async function countItems(prefix: string): Promise<number> {
  const { Items } = await db.doc.send(new ScanCommand({ TableName: db.tableName }));
  return (Items ?? []).filter((i) => String(i.pk).startsWith(prefix)).length;
}

describe("DynamoDB repositories on dynalite", () => {
  it("ensureTable is idempotent", async () => {
    expect(await ensureTable(db.client, db.tableName)).toBe("exists");
  });

  it("stores functions, lists them, and hides removed ones", async () => {
    const store = new DynamoFunctionStore(db.doc, db.tableName);
    const fns = Array.from({ length: 30 }, (_, i) => aFunction({ functionName: `fn-${String(i).padStart(2, "0")}`, tags: { team: `t${i % 3}` } }));
    await store.putFunctions(fns);
    const listed = await store.listFunctions();
    expect(listed).toHaveLength(30);
    expect(listed.find((f) => f.functionName === "fn-07")).toEqual(fns[7]);
    const removed = await store.markRemoved("123456789012", "us-east-1", new Set(fns.slice(0, 28).map((f) => f.functionName)), 5);
    expect(removed).toBe(2);
    expect((await store.listFunctions()).map((f) => f.functionName)).not.toContain("fn-29");
    // Seen again: it comes back.
    await store.putFunctions([fns[29]!]);
    expect((await store.listFunctions()).map((f) => f.functionName)).toContain("fn-29");
  });

  it("writes minute points into hour buckets and reads them back across the boundary", async () => {
    const store = new DynamoMetricSeriesStore(db.doc, db.tableName);
    const points = [0, 1, 2, 3, 4].map((i) => ({ timestampMs: T0 + i * MIN, value: 10 + i }));
    expect(await store.writePoints(ref, invocations, points)).toBe(5);
    expect(await countItems("SERIES#")).toBe(2); // 10:58-10:59 and 11:00-11:02
    expect(await store.readSeries(ref, invocations, { fromMs: T0, toMs: T0 + 5 * MIN })).toEqual(points);
    expect(await store.readSeries(ref, invocations, { fromMs: T0 + MIN, toMs: T0 + 3 * MIN })).toEqual(points.slice(1, 3));
  });

  it("is idempotent and lets a late datapoint overwrite its minute without touching others", async () => {
    const store = new DynamoMetricSeriesStore(db.doc, db.tableName);
    const other = { ...ref, functionName: "payments-api" };
    const points = [0, 1, 2].map((i) => ({ timestampMs: T0 + i * MIN, value: i }));
    await store.writePoints(other, invocations, points);
    await store.writePoints(other, invocations, points);
    await store.writePoints(other, invocations, [{ timestampMs: T0 + MIN, value: 42 }]);
    expect(await store.readSeries(other, invocations, { fromMs: T0, toMs: T0 + 3 * MIN })).toEqual([
      { timestampMs: T0, value: 0 },
      { timestampMs: T0 + MIN, value: 42 },
      { timestampMs: T0 + 2 * MIN, value: 2 },
    ]);
  });

  it("round-trips watermarks, users and tokens", async () => {
    const watermarks = new DynamoWatermarkStore(db.doc, db.tableName);
    const wm = { collector: "metrics", accountId: "123456789012", region: "us-east-1", throughMs: 100, lastAttemptMs: 200, lastSuccessMs: null, lastError: "boom" };
    await watermarks.put(wm);
    expect(await watermarks.get("metrics", "123456789012", "us-east-1")).toEqual(wm);
    expect(await watermarks.list()).toEqual([wm]);

    const users = new DynamoUserStore(db.doc, db.tableName);
    const user = { username: "admin", passwordHash: "scrypt$x", role: "admin" as const, createdAtMs: 1 };
    expect(await users.createIfAbsent(user)).toBe(true);
    expect(await users.createIfAbsent({ ...user, passwordHash: "other" })).toBe(false);
    expect(await users.get("admin")).toEqual(user);
    expect(await users.count()).toBe(1);

    const tokens = new DynamoApiTokenStore(db.doc, db.tableName);
    const token = { tokenHash: "ab".repeat(32), name: "ci", role: "viewer" as const, createdAtMs: 3, createdBy: "cli" };
    await tokens.put(token);
    expect(await tokens.getByHash(token.tokenHash)).toEqual(token);
    expect(await tokens.getByHash("cd".repeat(32))).toBeNull();
  });

  it("names the item and field when a stored item is malformed", async () => {
    await db.doc.send(new PutCommand({ TableName: db.tableName, Item: { pk: "USER", sk: "mallory", username: "mallory", passwordHash: "x", role: "root", createdAtMs: 1 } }));
    await expect(new DynamoUserStore(db.doc, db.tableName).get("mallory")).rejects.toThrow(/USER \/ mallory is malformed: role:/);
  });
});
