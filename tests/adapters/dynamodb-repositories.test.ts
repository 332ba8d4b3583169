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

  it("stores a bucket per target and hour with every key, reads points back across buckets, and skips nulls", async () => {
    const store = new DynamoMetricSeriesStore(db.doc, db.tableName);
    const hour = (startMs: number, fill: (m: number) => number | null) => ({
      accountId: ref.accountId,
      region: ref.region,
      target: { kind: "function" as const, functionName: ref.functionName },
      resolution: "minute" as const,
      startMs,
      values: { "Invocations:Sum": Array.from({ length: 60 }, (_, m) => fill(m)), "Errors:Sum": Array.from({ length: 60 }, () => 0) },
    });
    const H10 = Date.UTC(2026, 10, 26, 10);
    const H11 = Date.UTC(2026, 10, 26, 11);
    expect(await store.writeBuckets([hour(H10, (m) => m), hour(H11, (m) => (m < 3 ? 100 + m : null))])).toBe(2);
    expect(await countItems("METRICS#123456789012#us-east-1#fn:orders-api")).toBe(2);
    const read = await store.readSeries(ref, { kind: "function", functionName: ref.functionName }, [invocations], { fromMs: T0, toMs: T0 + 10 * MIN }, "minute");
    expect(read["Invocations:Sum"]).toEqual([
      { timestampMs: T0, value: 58 },
      { timestampMs: T0 + MIN, value: 59 },
      { timestampMs: T0 + 2 * MIN, value: 100 },
      { timestampMs: T0 + 3 * MIN, value: 101 },
      { timestampMs: T0 + 4 * MIN, value: 102 },
    ]);
    // Hourly data is a separate resolution: none stored, none read.
    expect((await store.readSeries(ref, { kind: "function", functionName: ref.functionName }, [invocations], { fromMs: H10, toMs: H11 }, "hour"))["Invocations:Sum"]).toEqual([]);
  });

  it("overwrites a whole bucket when it is written again (a late datapoint lands on the next pass)", async () => {
    const store = new DynamoMetricSeriesStore(db.doc, db.tableName);
    const target = { kind: "alias" as const, functionName: "payments-api", qualifier: "live" };
    const day = Date.UTC(2026, 10, 26);
    const bucket = (v: number | null) => ({ ...ref, target, resolution: "hour" as const, startMs: day, values: { "ProvisionedConcurrencyUtilization:Maximum": [0.5, v, ...Array.from({ length: 22 }, () => null)] } });
    await store.writeBuckets([bucket(null)]);
    await store.writeBuckets([bucket(0.75)]);
    const read = await store.readSeries(ref, target, [{ metric: "ProvisionedConcurrencyUtilization", stat: "Maximum" }], { fromMs: day, toMs: day + 86_400_000 }, "hour");
    expect(read["ProvisionedConcurrencyUtilization:Maximum"]).toEqual([
      { timestampMs: day, value: 0.5 },
      { timestampMs: day + 3_600_000, value: 0.75 },
    ]);
    expect(await countItems("METRICS#123456789012#us-east-1#alias:payments-api:live")).toBe(1);
  });

  it("round-trips watermarks, users and tokens", async () => {
    const watermarks = new DynamoWatermarkStore(db.doc, db.tableName);
    const wm = { collector: "metrics", accountId: "123456789012", region: "us-east-1", throughMs: 100, sinceMs: null, lastAttemptMs: 200, lastSuccessMs: null, lastError: "boom" };
    await watermarks.put(wm);
    expect(await watermarks.get("metrics", "123456789012", "us-east-1")).toEqual(wm);
    expect(await watermarks.list()).toEqual([wm]);
    // advance moves only the watermark; recordOutcome only the run history.
    await watermarks.advance("metrics", "123456789012", "us-east-1", 150, 50);
    await watermarks.recordOutcome("metrics", "123456789012", "us-east-1", { nowMs: 300, error: null });
    expect(await watermarks.get("metrics", "123456789012", "us-east-1")).toEqual({ ...wm, throughMs: 150, sinceMs: 50, lastAttemptMs: 300, lastSuccessMs: 300, lastError: null });
    // Where the data starts is set by the first stored step and kept.
    await watermarks.advance("metrics", "123456789012", "us-east-1", 160, 140);
    await watermarks.recordOutcome("metrics", "123456789012", "us-east-1", { nowMs: 400, error: "throttled" });
    expect(await watermarks.get("metrics", "123456789012", "us-east-1")).toEqual({ ...wm, throughMs: 160, sinceMs: 50, lastAttemptMs: 400, lastSuccessMs: 300, lastError: "throttled" });
    // A watermark first touched by advance reads back complete.
    await watermarks.advance("traces", "123456789012", "us-east-1", 7);
    expect(await watermarks.get("traces", "123456789012", "us-east-1")).toEqual({ collector: "traces", accountId: "123456789012", region: "us-east-1", throughMs: 7, sinceMs: null, lastAttemptMs: 0, lastSuccessMs: null, lastError: null });
    await watermarks.put(wm);

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
