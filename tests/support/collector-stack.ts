import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { createCollectorRuntime, type CollectorRuntime } from "@/collectors/_runtime/collector-runtime";
import { ensureTable } from "@/lib/adapters/dynamodb/table";
import { loadScenario } from "@/infra/local/sim/load-scenario";
import { startSimulator } from "@/infra/local/sim/server";
import { startTestDynamo } from "@/tests/support/embedded-dynamo";

export const quietLog = { info: () => {}, error: () => {} };

/**
 * The collectors' test stack: dynalite and the simulator on loopback, the real SDK clients
 * between them. `runtimeFor(table)` builds a collector runtime on its own table, so a test can
 * compare an interrupted run's table with an uninterrupted one in the same dynalite.
 */
export async function startCollectorStack(options: { scenario?: string; now: () => number; seed?: number }) {
  const scenario = loadScenario(options.scenario ?? "ecommerce");
  const db = await startTestDynamo();
  const sim = await startSimulator({ host: "127.0.0.1", port: 0, seed: options.seed ?? 1, scenario, now: options.now });
  // The SDK reads AWS_ENDPOINT_URL from the process environment, as it does in Lambda.
  process.env.AWS_ENDPOINT_URL = sim.url;
  const baseEnv = (tableName: string): Record<string, string> => ({
    TABLE_NAME: tableName,
    AWS_REGION: scenario.account.region,
    AWS_ENDPOINT_URL: sim.url,
    AWS_ENDPOINT_URL_DYNAMODB: db.url,
    SETTLE_MINUTES: "5",
  });
  let tables = 0;
  return {
    scenario,
    db,
    sim,
    env: baseEnv,
    /** A runtime on a fresh table (created here) with extra environment on top. */
    async runtimeFor(extraEnv: Record<string, string> = {}): Promise<CollectorRuntime> {
      const tableName = `${db.tableName}-${++tables}`;
      await ensureTable(db.client, tableName);
      return createCollectorRuntime({ env: { ...baseEnv(tableName), ...extraEnv }, log: quietLog });
    },
    async close() {
      delete process.env.AWS_ENDPOINT_URL;
      await sim.close();
      await db.close();
    },
  };
}

/**
 * Every item of a table as canonical JSON lines (sorted by key, attributes in sorted order),
 * leaving out partitions whose key starts with one of `exclude` — the run ledger records
 * runs, so two runs always add two entries.
 */
export async function dumpTable(runtime: CollectorRuntime, exclude: readonly string[] = ["RUN#"]): Promise<string[]> {
  const lines: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await runtime.doc.send(new ScanCommand({ TableName: runtime.tableName, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      if (exclude.some((p) => String(item.pk).startsWith(p))) continue;
      lines.push(canonicalJson(item));
    }
    start = page.LastEvaluatedKey as Record<string, unknown> | undefined;
  } while (start);
  return lines.sort();
}

/** JSON with object keys sorted at every level, so equal items print equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}
