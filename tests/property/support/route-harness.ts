import { ScanCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import type { Server } from "node:http";
import dynalite from "dynalite";
import type { ConsoleDeps } from "@/app/_server/deps";
import { DynamoAnalysisStore } from "@/lib/adapters/dynamodb/analysis-repository";
import { DynamoApiTokenStore } from "@/lib/adapters/dynamodb/api-token-repository";
import { DynamoSignInThrottleStore } from "@/lib/adapters/dynamodb/sign-in-throttle-repository";
import { createDynamoClients } from "@/lib/adapters/dynamodb/client";
import { DynamoCostLineStore } from "@/lib/adapters/dynamodb/cost-repository";
import { DynamoCostSettingsStore } from "@/lib/adapters/dynamodb/cost-settings-repository";
import { DynamoFunctionStore } from "@/lib/adapters/dynamodb/function-repository";
import { DynamoMetricSeriesStore } from "@/lib/adapters/dynamodb/metric-series-repository";
import { DynamoReportStatsStore } from "@/lib/adapters/dynamodb/report-stats-repository";
import { DynamoRunLedgerStore } from "@/lib/adapters/dynamodb/run-ledger-repository";
import { DynamoServiceGraphStore } from "@/lib/adapters/dynamodb/service-graph-repository";
import { DynamoSettingsStore } from "@/lib/adapters/dynamodb/settings-repository";
import { DynamoSloStore } from "@/lib/adapters/dynamodb/slo-repository";
import { ensureTable } from "@/lib/adapters/dynamodb/table";
import { DynamoTuningAuditStore } from "@/lib/adapters/dynamodb/tuning-audit-repository";
import { DynamoUserStore } from "@/lib/adapters/dynamodb/user-repository";
import { DynamoWatermarkStore } from "@/lib/adapters/dynamodb/watermark-repository";
import { ScryptPasswordHasher } from "@/lib/adapters/crypto/scrypt-password-hasher";
import { loadConsoleConfig } from "@/lib/config/console-config";
import { InMemoryLambdaTuner } from "@/tests/fakes/in-memory-tuning";

process.env.AWS_ACCESS_KEY_ID ??= "test";
process.env.AWS_SECRET_ACCESS_KEY ??= "test";
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

/**
 * The console's real repositories over an in-memory dynalite (no files), with Lambda replaced
 * by an in-memory tuner: the routes run exactly as in production, and "nothing written" can be
 * checked by dumping the whole table.
 */
export interface RouteHarness {
  deps: ConsoleDeps;
  lambdaTuner: InMemoryLambdaTuner;
  /** Every item of the table (sorted), plus the tuner's writes: equal dumps mean nothing was written. */
  dump(): Promise<string>;
  close(): Promise<void>;
}

export async function startRouteHarness(): Promise<RouteHarness> {
  // No `path`: dynalite keeps the table in memory (memory-level).
  const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const endpoint = `http://127.0.0.1:${port}`;
  const tableName = "sightline-property";
  const config = loadConsoleConfig({
    TABLE_NAME: tableName,
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    NEXTAUTH_SECRET: "x".repeat(32),
    SIGHTLINE_ACCOUNT_ID: "123456789012",
    COST_ALLOCATION_TAG_KEYS: "team,env",
  });
  const { client, doc } = createDynamoClients({ region: config.AWS_REGION, endpoint });
  await ensureTable(client, tableName);
  const lambdaTuner = new InMemoryLambdaTuner();
  const deps: ConsoleDeps = {
    config,
    functions: new DynamoFunctionStore(doc, tableName),
    series: new DynamoMetricSeriesStore(doc, tableName),
    reportStats: new DynamoReportStatsStore(doc, tableName),
    serviceGraph: new DynamoServiceGraphStore(doc, tableName),
    analysis: new DynamoAnalysisStore(doc, tableName),
    watermarks: new DynamoWatermarkStore(doc, tableName),
    ledger: new DynamoRunLedgerStore(doc, tableName),
    slos: new DynamoSloStore(doc, tableName),
    settings: new DynamoSettingsStore(doc, tableName),
    users: new DynamoUserStore(doc, tableName),
    tokens: new DynamoApiTokenStore(doc, tableName),
    signInThrottle: new DynamoSignInThrottleStore(doc, tableName),
    hasher: new ScryptPasswordHasher(),
    hashToken: (token) => `hash:${token}`,
    tuningAudit: new DynamoTuningAuditStore(doc, tableName),
    costLines: new DynamoCostLineStore(doc, tableName),
    costSettings: new DynamoCostSettingsStore(doc, tableName),
    // The routes only call readSetting/write; the in-memory tuner records every write.
    lambdaTuner: lambdaTuner as unknown as ConsoleDeps["lambdaTuner"],
  };
  return {
    deps,
    lambdaTuner,
    async dump() {
      const items: Record<string, AttributeValue>[] = [];
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start !== undefined);
      const lines = items.map(canonicalJson).sort();
      return JSON.stringify({ items: lines, lambdaWrites: lambdaTuner.writes });
    },
    async close() {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** JSON with object keys sorted at every level, so equal items give equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString("base64"));
  if (value !== null && typeof value === "object") {
    const entries = Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
