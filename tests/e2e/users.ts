import { ScryptPasswordHasher } from "@/lib/adapters/crypto/scrypt-password-hasher";
import { createDynamoClients } from "@/lib/adapters/dynamodb/client";
import { DynamoUserStore } from "@/lib/adapters/dynamodb/user-repository";
import type { Role } from "@/lib/domain/access/roles";
import type { Stack } from "@/tests/e2e/stack";

/**
 * Adds a user to a running stack's table with the product's own store and hasher (there is no
 * user-management command yet), for a browser test to sign in as another role.
 */
export async function createStackUser(stack: Stack, user: { username: string; password: string; role: Role }): Promise<void> {
  process.env.AWS_ACCESS_KEY_ID ??= "sightline-local";
  process.env.AWS_SECRET_ACCESS_KEY ??= "sightline-local";
  const { doc } = createDynamoClients({ region: "us-east-1", endpoint: `http://127.0.0.1:${stack.env.DYNAMODB_PORT ?? "4567"}` });
  const passwordHash = await new ScryptPasswordHasher().hash(user.password);
  await new DynamoUserStore(doc, "sightline").createIfAbsent({ username: user.username, passwordHash, role: user.role, createdAtMs: Date.now() });
}
