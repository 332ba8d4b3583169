import { describe, expect, it } from "vitest";
import { apiTokenStatus, tokenHashPrefix, TokenLifetimeSchema, TokenNameSchema } from "@/lib/domain/access/api-token-lifecycle";
import { ApiTokenNameTakenError, ApiTokenNotFoundError, authenticateToken, createApiToken, listApiTokens, revokeApiToken } from "@/lib/use-cases/authenticate";
import { InMemoryTokenStore } from "@/tests/fakes/in-memory-stores";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 26);
const hashToken = (t: string) => `${t.length.toString(16).padStart(4, "0")}${Buffer.from(t).toString("hex")}`;

function mint(tokens: InMemoryTokenStore, values: string[]) {
  let i = 0;
  return (name: string, nowMs: number, extra: { expiresAtMs?: number } = {}) =>
    createApiToken({ tokens, hashToken, generateToken: () => values[i++] ?? "sl_exhausted" }, { name, role: "viewer", createdBy: "cli", nowMs, ...extra });
}

describe("API token lifecycle (domain)", () => {
  it.each([
    [{}, T0, "active"],
    [{ expiresAtMs: T0 + 1 }, T0, "active"],
    [{ expiresAtMs: T0 }, T0, "expired"],
    [{ revokedAtMs: T0 - 1 }, T0, "revoked"],
    [{ revokedAtMs: T0 - 1, expiresAtMs: T0 - 5 }, T0, "revoked"],
  ] as const)("%o at T0 is %s", (dates, now, status) => {
    expect(apiTokenStatus(dates, now)).toBe(status);
  });

  it.each([
    ["12h", 12 * 3_600_000],
    ["90d", 90 * DAY],
    ["730d", 730 * DAY],
  ])("takes --expires-in %s", (raw, ms) => {
    expect(TokenLifetimeSchema.parse(raw)).toBe(ms);
  });

  it.each(["0d", "90", "1w", "-3d", "731d", "1.5d", ""])("refuses --expires-in %j", (raw) => {
    expect(TokenLifetimeSchema.safeParse(raw).success).toBe(false);
  });

  it("shows 8 hex digits of the hash, and validates names", () => {
    expect(tokenHashPrefix("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")).toBe("9f86d081");
    expect(TokenNameSchema.safeParse("ci-deploy.v2@team_a").success).toBe(true);
    expect(TokenNameSchema.safeParse("has space").success).toBe(false);
  });
});

describe("API token use cases", () => {
  it("revokes by name: the token answers null at once, stays listed as revoked, and its name can be reused", async () => {
    const tokens = new InMemoryTokenStore();
    const create = mint(tokens, ["sl_first", "sl_second"]);
    await create("ci", T0);
    expect(await authenticateToken({ tokens, hashToken }, "sl_first", T0 + 1)).toMatchObject({ subject: "token:ci", role: "viewer" });
    const revoked = await revokeApiToken({ tokens }, { name: "ci", revokedBy: "cli", nowMs: T0 + 2 });
    expect(revoked).toEqual([expect.objectContaining({ name: "ci", status: "revoked", revokedAtMs: T0 + 2, revokedBy: "cli" })]);
    expect(await authenticateToken({ tokens, hashToken }, "sl_first", T0 + 3)).toBeNull();
    await expect(revokeApiToken({ tokens }, { name: "ci", revokedBy: "cli", nowMs: T0 + 4 })).rejects.toBeInstanceOf(ApiTokenNotFoundError);
    await create("ci", T0 + 5);
    expect(await authenticateToken({ tokens, hashToken }, "sl_second", T0 + 6)).not.toBeNull();
    const listed = await listApiTokens({ tokens }, T0 + 7);
    expect(listed.map((t) => [t.name, t.status])).toEqual([
      ["ci", "active"],
      ["ci", "revoked"],
    ]);
    expect(JSON.stringify(listed)).not.toMatch(/sl_first|sl_second/);
    expect(listed[0]?.hashPrefix).toBe(hashToken("sl_second").slice(0, 8));
  });

  it("refuses a second active token of the same name", async () => {
    const tokens = new InMemoryTokenStore();
    const create = mint(tokens, ["sl_a", "sl_b"]);
    await create("ci", T0);
    await expect(create("ci", T0 + 1)).rejects.toBeInstanceOf(ApiTokenNameTakenError);
    expect(tokens.tokens.size).toBe(1);
  });

  it("stops an expiring token at its expiry; an expired name is free again but still revocable", async () => {
    const tokens = new InMemoryTokenStore();
    const create = mint(tokens, ["sl_short", "sl_next"]);
    await create("nightly", T0, { expiresAtMs: T0 + DAY });
    expect(await authenticateToken({ tokens, hashToken }, "sl_short", T0 + DAY - 1)).not.toBeNull();
    expect(await authenticateToken({ tokens, hashToken }, "sl_short", T0 + DAY)).toBeNull();
    await create("nightly", T0 + DAY);
    expect((await revokeApiToken({ tokens }, { name: "nightly", revokedBy: "cli", nowMs: T0 + DAY + 1 })).map((t) => t.hashPrefix).sort()).toEqual(
      [hashToken("sl_short").slice(0, 8), hashToken("sl_next").slice(0, 8)].sort(),
    );
  });
});
