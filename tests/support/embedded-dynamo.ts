import { mkdtemp, rm } from "node:fs/promises";
import { afterAll, beforeAll } from "vitest";
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

/**
 * One dynalite for a test file — started before its tests, closed after — and a fresh table per
 * `freshTable()` call, so each test starts from an empty table. `db` is set once the file's
 * tests run.
 */
export function dynamoPerTestFile(tablePrefix: string) {
  const state = { db: undefined as Awaited<ReturnType<typeof startTestDynamo>> | undefined, tables: 0 };
  beforeAll(async () => {
    state.db = await startTestDynamo();
  });
  afterAll(async () => {
    await state.db?.close();
  });
  return {
    get db() {
      if (!state.db) throw new Error("dynamoPerTestFile: the database is started in beforeAll; use it inside a test");
      return state.db;
    },
    async freshTable(): Promise<string> {
      const tableName = `${tablePrefix}-${++state.tables}`;
      await ensureTable(this.db.client, tableName);
      return tableName;
    },
  };
}
