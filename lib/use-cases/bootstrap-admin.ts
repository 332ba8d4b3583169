import type { PasswordHasher } from "@/lib/ports/password-hasher";
import type { UserStore } from "@/lib/ports/stores";

export const ADMIN_USERNAME = "admin";

export type BootstrapAdminResult =
  | { kind: "exists" }
  | { kind: "created"; passwordSource: "environment" | "generated"; generatedPassword: string | null };

/**
 * Creates the `admin` user on first start. The password comes from the configuration or is
 * generated and handed back once so the caller can show it; only its hash is stored.
 */
export async function bootstrapAdmin(
  deps: { users: UserStore; hasher: PasswordHasher; generatePassword: () => string },
  options: { configuredPassword: string | undefined; nowMs: number },
): Promise<BootstrapAdminResult> {
  if (await deps.users.get(ADMIN_USERNAME)) return { kind: "exists" };
  const password = options.configuredPassword ?? deps.generatePassword();
  const created = await deps.users.createIfAbsent({
    username: ADMIN_USERNAME,
    passwordHash: await deps.hasher.hash(password),
    role: "admin",
    createdAtMs: options.nowMs,
  });
  if (!created) return { kind: "exists" };
  return options.configuredPassword
    ? { kind: "created", passwordSource: "environment", generatedPassword: null }
    : { kind: "created", passwordSource: "generated", generatedPassword: password };
}
