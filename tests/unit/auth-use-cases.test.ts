import { describe, expect, it } from "vitest";
import { bootstrapAdmin } from "@/lib/use-cases/bootstrap-admin";
import { authenticateToken, authenticateUser, createApiToken } from "@/lib/use-cases/authenticate";
import { roleCan, ROLES } from "@/lib/domain/access/roles";
import { InMemoryTokenStore, InMemoryUserStore } from "@/tests/fakes/in-memory-stores";

/** A transparent hasher: the use cases must only ever store what it returns. */
const hasher = {
  hash: async (p: string) => `hashed(${p})`,
  verify: async (p: string, h: string) => h === `hashed(${p})`,
};

describe("bootstrapAdmin", () => {
  it("creates admin with the configured password, storing only its hash", async () => {
    const users = new InMemoryUserStore();
    const result = await bootstrapAdmin({ users, hasher, generatePassword: () => "generated" }, { configuredPassword: "from-env-123", nowMs: 1 });
    expect(result).toEqual({ kind: "created", passwordSource: "environment", generatedPassword: null });
    expect(users.users.get("admin")).toMatchObject({ role: "admin", passwordHash: "hashed(from-env-123)" });
  });

  it("generates a password once and hands it back only on the first start", async () => {
    const users = new InMemoryUserStore();
    const first = await bootstrapAdmin({ users, hasher, generatePassword: () => "s3cret-generated" }, { configuredPassword: undefined, nowMs: 1 });
    expect(first).toEqual({ kind: "created", passwordSource: "generated", generatedPassword: "s3cret-generated" });
    const second = await bootstrapAdmin({ users, hasher, generatePassword: () => "other" }, { configuredPassword: undefined, nowMs: 2 });
    expect(second).toEqual({ kind: "exists" });
    expect(users.users.get("admin")?.passwordHash).toBe("hashed(s3cret-generated)");
  });
});

describe("authenticateUser", () => {
  it("accepts the right password and rejects a wrong one or an unknown user alike", async () => {
    const users = new InMemoryUserStore();
    await users.createIfAbsent({ username: "sam", passwordHash: "hashed(pw-sam-123)", role: "sre", createdAtMs: 0 });
    expect(await authenticateUser({ users, hasher }, "sam", "pw-sam-123")).toEqual({ subject: "sam", role: "sre", via: "session" });
    expect(await authenticateUser({ users, hasher }, "sam", "wrong")).toBeNull();
    expect(await authenticateUser({ users, hasher }, "nobody", "pw-sam-123")).toBeNull();
  });
});

describe("API tokens", () => {
  it("stores only the hash and resolves the token to its role", async () => {
    const tokens = new InMemoryTokenStore();
    const hashToken = (t: string) => `h:${t}`;
    const { token } = await createApiToken(
      { tokens, hashToken, generateToken: () => "sl_abc" },
      { name: "ci", role: "finance", createdBy: "cli", nowMs: 5 },
    );
    expect(token).toBe("sl_abc");
    expect([...tokens.tokens.keys()]).toEqual(["h:sl_abc"]);
    expect(JSON.stringify([...tokens.tokens.values()])).not.toContain('"sl_abc"');
    expect(await authenticateToken({ tokens, hashToken }, "sl_abc", 6)).toEqual({ subject: "token:ci", role: "finance", via: "token" });
    expect(await authenticateToken({ tokens, hashToken }, "sl_other", 6)).toBeNull();
  });
});

describe("roles", () => {
  it("lets every role read the fleet but only admin mint tokens", () => {
    for (const role of ROLES) expect(roleCan(role, "fleet:read")).toBe(true);
    expect(ROLES.filter((r) => roleCan(r, "tokens:create"))).toEqual(["admin"]);
    expect(ROLES.filter((r) => roleCan(r, "costs:read"))).toEqual(["finance", "admin"]);
  });
});
