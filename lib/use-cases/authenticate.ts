import type { Role } from "@/lib/domain/access/roles";
import type { PasswordHasher } from "@/lib/ports/password-hasher";
import type { ApiTokenStore, UserStore } from "@/lib/ports/stores";

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

/** Resolves a bearer token to its principal, or null when it is unknown. */
export async function authenticateToken(
  deps: { tokens: ApiTokenStore; hashToken: (token: string) => string },
  token: string,
): Promise<Principal | null> {
  const stored = await deps.tokens.getByHash(deps.hashToken(token));
  return stored ? { subject: `token:${stored.name}`, role: stored.role, via: "token" } : null;
}

/** Mints an API token: returns the token once; only its hash is stored. */
export async function createApiToken(
  deps: { tokens: ApiTokenStore; hashToken: (token: string) => string; generateToken: () => string },
  options: { name: string; role: Role; createdBy: string; nowMs: number },
): Promise<{ token: string }> {
  const token = deps.generateToken();
  await deps.tokens.put({
    tokenHash: deps.hashToken(token),
    name: options.name,
    role: options.role,
    createdAtMs: options.nowMs,
    createdBy: options.createdBy,
  });
  return { token };
}
