import { apiTokenStatus, tokenHashPrefix, type ApiTokenStatus } from "@/lib/domain/access/api-token-lifecycle";
import type { Role } from "@/lib/domain/access/roles";
import { decideSignIn, signInThrottleKeys, type SignInThrottlePolicy } from "@/lib/domain/access/sign-in-throttle";
import { UserFacingError } from "@/lib/domain/shared/user-facing-error";
import type { PasswordHasher } from "@/lib/ports/password-hasher";
import type { ApiTokenStore, SignInThrottleStore, StoredApiToken, UserStore } from "@/lib/ports/stores";

/** Who is calling, as every API route and page sees it after authentication. */
export interface Principal {
  subject: string;
  role: Role;
  via: "session" | "token";
}

/**
 * Checks a username and password. Unknown users and wrong passwords look the same to the
 * caller (null) so sign-in does not reveal which usernames exist.
 */
export async function authenticateUser(
  deps: { users: UserStore; hasher: PasswordHasher },
  username: string,
  password: string,
): Promise<Principal | null> {
  const user = await deps.users.get(username);
  if (!user) {
    // Spend the same time as a real check so timing does not reveal unknown usernames.
    await deps.hasher.verify(password, DUMMY_HASH);
    return null;
  }
  return (await deps.hasher.verify(password, user.passwordHash))
    ? { subject: user.username, role: user.role, via: "session" }
    : null;
}

/** A well-formed scrypt hash of a random string, used only to equalise timing. */
const DUMMY_HASH = "scrypt$16384$8$1$c2lnaHRsaW5lLWR1bW15$0000000000000000000000000000000000000000000000000000000000000000";

export type PasswordSignIn =
  | { kind: "signed-in"; principal: Principal }
  | { kind: "refused" }
  /** Too many failures for the username or the address; not even the right password is checked. */
  | { kind: "throttled"; retryAfterMs: number };

/**
 * A password sign-in with throttling (lib/domain/access/sign-in-throttle.ts): refused without
 * checking the password while the username or the address has used up its failures; a wrong
 * password counts against both; the right one clears the username's count only (never the
 * address's, so one valid account cannot reset a client's count while it sprays others).
 */
export async function signInWithPassword(
  deps: { users: UserStore; hasher: PasswordHasher; signInThrottle: SignInThrottleStore },
  attempt: { username: string; password: string; clientAddress: string | null; nowMs: number; policy: SignInThrottlePolicy },
): Promise<PasswordSignIn> {
  const keys = signInThrottleKeys(attempt.username, attempt.clientAddress);
  const decision = decideSignIn(await deps.signInThrottle.get(keys), attempt.nowMs, attempt.policy);
  if (decision.kind === "throttled") return decision;
  const principal = await authenticateUser(deps, attempt.username, attempt.password);
  if (principal === null) {
    for (const key of keys) await deps.signInThrottle.recordFailure(key, attempt.nowMs, attempt.policy);
    return { kind: "refused" };
  }
  await deps.signInThrottle.clear(keys[0] as string);
  return { kind: "signed-in", principal };
}

/** Resolves a bearer token to its principal, or null when it is unknown, revoked or expired. */
export async function authenticateToken(
  deps: { tokens: ApiTokenStore; hashToken: (token: string) => string },
  token: string,
  nowMs: number,
): Promise<Principal | null> {
  const stored = await deps.tokens.getByHash(deps.hashToken(token));
  if (!stored || apiTokenStatus(stored, nowMs) !== "active") return null;
  return { subject: `token:${stored.name}`, role: stored.role, via: "token" };
}

/** An active token already has the name asked for; `revoke <name>` must stay unambiguous. */
export class ApiTokenNameTakenError extends UserFacingError {
  override readonly name = "ApiTokenNameTakenError";
}

/** No active token has the name given to `revoke`. */
export class ApiTokenNotFoundError extends UserFacingError {
  override readonly name = "ApiTokenNotFoundError";
}

/** Mints an API token: returns the token once; only its hash is stored. Names are unique among active tokens. */
export async function createApiToken(
  deps: { tokens: ApiTokenStore; hashToken: (token: string) => string; generateToken: () => string },
  options: { name: string; role: Role; createdBy: string; nowMs: number; expiresAtMs?: number },
): Promise<{ token: string }> {
  const taken = (await deps.tokens.list()).some((t) => t.name === options.name && apiTokenStatus(t, options.nowMs) === "active");
  if (taken) throw new ApiTokenNameTakenError(`an active API token is already named "${options.name}"; choose another --name, or revoke it first`);
  const token = deps.generateToken();
  await deps.tokens.put({
    tokenHash: deps.hashToken(token),
    name: options.name,
    role: options.role,
    createdAtMs: options.nowMs,
    createdBy: options.createdBy,
    ...(options.expiresAtMs !== undefined ? { expiresAtMs: options.expiresAtMs } : {}),
  });
  return { token };
}

/** A token as `token list` shows it: never the token, only the first digits of its hash. */
export interface ApiTokenSummary {
  name: string;
  role: Role;
  status: ApiTokenStatus;
  hashPrefix: string;
  createdAtMs: number;
  createdBy: string;
  expiresAtMs: number | null;
  revokedAtMs: number | null;
  revokedBy: string | null;
}

/** Every token, active first, then newest first. */
export async function listApiTokens(deps: { tokens: ApiTokenStore }, nowMs: number): Promise<ApiTokenSummary[]> {
  const order: Record<ApiTokenStatus, number> = { active: 0, expired: 1, revoked: 2 };
  return (await deps.tokens.list())
    .map((t) => summarise(t, nowMs))
    .sort((a, b) => order[a.status] - order[b.status] || b.createdAtMs - a.createdAtMs || a.name.localeCompare(b.name));
}

function summarise(t: StoredApiToken, nowMs: number): ApiTokenSummary {
  return {
    name: t.name,
    role: t.role,
    status: apiTokenStatus(t, nowMs),
    hashPrefix: tokenHashPrefix(t.tokenHash),
    createdAtMs: t.createdAtMs,
    createdBy: t.createdBy,
    expiresAtMs: t.expiresAtMs ?? null,
    revokedAtMs: t.revokedAtMs ?? null,
    revokedBy: t.revokedBy ?? null,
  };
}

/**
 * Revokes the token(s) with this name that still work (expired ones too, so they can never
 * come back); the items stay, marked, for the record. Takes effect on the next request: every
 * request looks its token up.
 */
export async function revokeApiToken(
  deps: { tokens: ApiTokenStore },
  options: { name: string; revokedBy: string; nowMs: number },
): Promise<ApiTokenSummary[]> {
  const targets = (await deps.tokens.list()).filter((t) => t.name === options.name && t.revokedAtMs === undefined);
  if (targets.length === 0) throw new ApiTokenNotFoundError(`no API token named "${options.name}" is left to revoke; \`sightline token list\` shows them`);
  const revoked: ApiTokenSummary[] = [];
  for (const t of targets) {
    if (await deps.tokens.revoke(t.tokenHash, options.nowMs, options.revokedBy)) {
      revoked.push(summarise({ ...t, revokedAtMs: options.nowMs, revokedBy: options.revokedBy }, options.nowMs));
    }
  }
  return revoked;
}
