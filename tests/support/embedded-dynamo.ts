import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmbeddedDynamo } from "@/infra/local/embedded-dynamodb";
import { createDynamoClients } from "@/lib/adapters/dynamodb/client";
import { ensureTable } from "@/lib/adapters/dynamodb/table";

process.env.AWS_ACCESS_KEY_ID ??= "test";
process.env.AWS_SECRET_ACCESS_KEY ??= "test";
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

/** A fresh dynalite on a random loopback port with the table created; close() removes its files. */
export async function startTestDynamo(tableName = "sightline-test") {
  const dir = await mkdtemp(join(tmpdir(), "sightline-dynamo-"));
  const db = await startEmbeddedDynamo({ path: join(dir, "dynamodb"), host: "127.0.0.1", port: 0 });
  const clients = createDynamoClients({ region: "us-east-1", endpoint: db.url });
  await ensureTable(clients.client, tableName);
  return {
    ...clients,
    url: db.url,
    dir,
    tableName,
    async close() {
      clients.client.destroy();
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
