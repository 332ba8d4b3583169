import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { ScryptPasswordHasher } from "@/lib/adapters/crypto/scrypt-password-hasher";
import { DynamoApiTokenStore } from "@/lib/adapters/dynamodb/api-token-repository";
import { DynamoSignInThrottleStore } from "@/lib/adapters/dynamodb/sign-in-throttle-repository";
import { DynamoUserStore } from "@/lib/adapters/dynamodb/user-repository";
import { SIGN_IN_THROTTLE_POLICY } from "@/lib/domain/access/sign-in-throttle";
import { authenticateToken, createApiToken, revokeApiToken, signInWithPassword } from "@/lib/use-cases/authenticate";
import { startTestDynamo } from "@/tests/support/embedded-dynamo";

let db: Awaited<ReturnType<typeof startTestDynamo>>;
beforeAll(async () => {
  db = await startTestDynamo();
});
afterAll(async () => {
  await db?.close();
});

const T0 = Date.UTC(2026, 10, 26, 9, 0);
const MIN = 60_000;

describe("sign-in throttling in DynamoDB (the product's policy, an injected clock)", () => {
  it("refuses the 6th attempt with the right password, and lets it in once the window has passed", async () => {
    const users = new DynamoUserStore(db.doc, db.tableName);
    const hasher = new ScryptPasswordHasher();
    await users.createIfAbsent({ username: "sam", passwordHash: await hasher.hash("sam-right-password"), role: "sre", createdAtMs: 0 });
    const deps = { users, hasher, signInThrottle: new DynamoSignInThrottleStore(db.doc, db.tableName) };
    const attempt = (password: string, nowMs: number) =>
      signInWithPassword(deps, { username: "sam", password, clientAddress: "203.0.113.7", nowMs, policy: SIGN_IN_THROTTLE_POLICY });

    for (let i = 0; i < 5; i++) expect((await attempt(`wrong-${i}`, T0 + i * MIN)).kind).toBe("refused");
    expect(await attempt("sam-right-password", T0 + 5 * MIN)).toEqual({ kind: "throttled", retryAfterMs: 10 * MIN });
    expect((await attempt("sam-right-password", T0 + 15 * MIN - 1)).kind).toBe("throttled");
    expect((await attempt("sam-right-password", T0 + 15 * MIN)).kind).toBe("signed-in");

    // The items carry the window's end for TTL; the username's was cleared by the success.
    const { Items } = await db.doc.send(new ScanCommand({ TableName: db.tableName }));
    const throttleItems = (Items ?? []).filter((i) => String(i.pk).startsWith("SIGNIN#"));
    expect(throttleItems.map((i) => [i.pk, i.failures, i.expiresAt])).toEqual([["SIGNIN#addr:203.0.113.7", 5, (T0 + 15 * MIN) / 1000]]);
  });

  it("counts concurrent failures from several console instances exactly", async () => {
    const stores = Array.from({ length: 4 }, () => new DynamoSignInThrottleStore(db.doc, db.tableName));
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => stores[i % 4]!.recordFailure("user:burst", T0 + i, SIGN_IN_THROTTLE_POLICY)));
    expect(Math.max(...results.map((r) => r.failures))).toBe(12);
    expect(await stores[0]!.get(["user:burst", "user:none"])).toEqual([{ windowStartMs: expect.any(Number), failures: 12 }, null]);
    // After the window a failure opens a new one.
    expect(await stores[1]!.recordFailure("user:burst", T0 + 20 * MIN, SIGN_IN_THROTTLE_POLICY)).toEqual({ windowStartMs: T0 + 20 * MIN, failures: 1 });
  });
});

describe("API tokens in DynamoDB", () => {
  it("lists and revokes by name; the revoked item stays, marked", async () => {
    const tokens = new DynamoApiTokenStore(db.doc, db.tableName);
    const hashToken = (t: string) => `h-${t}`;
    await createApiToken({ tokens, hashToken, generateToken: () => "sl_one" }, { name: "deploy", role: "engineer", createdBy: "cli", nowMs: T0, expiresAtMs: T0 + 90 * 86_400_000 });
    expect(await authenticateToken({ tokens, hashToken }, "sl_one", T0 + 1)).toEqual({ subject: "token:deploy", role: "engineer", via: "token" });
    await revokeApiToken({ tokens }, { name: "deploy", revokedBy: "cli", nowMs: T0 + 2 });
    expect(await authenticateToken({ tokens, hashToken }, "sl_one", T0 + 3)).toBeNull();
    expect(await tokens.list()).toEqual([
      { tokenHash: "h-sl_one", name: "deploy", role: "engineer", createdAtMs: T0, createdBy: "cli", expiresAtMs: T0 + 90 * 86_400_000, revokedAtMs: T0 + 2, revokedBy: "cli" },
    ]);
    expect(await tokens.revoke("h-sl_one", T0 + 4, "cli")).toBe(false);
    expect(await tokens.revoke("h-missing", T0 + 4, "cli")).toBe(false);
  });
});
