import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { createCollectorRuntime, type CollectorRuntime } from "@/collectors/_runtime/collector-runtime";
import { handler as inventoryHandler, runInventory } from "@/collectors/inventory";
import { runMetrics } from "@/collectors/metrics";
import { runCollectionOnce } from "@/infra/local/scheduler";
import { loadScenario } from "@/infra/local/sim/load-scenario";
import { startSimulator } from "@/infra/local/sim/server";
import { getFunctionsView } from "@/lib/queries/functions-view";
import { startTestDynamo } from "@/tests/support/embedded-dynamo";

/**
 * The collectors end to end through the real AWS SDK clients: the simulator speaks the Lambda
 * and CloudWatch wire protocols, dynalite the DynamoDB one. Only the endpoints differ from AWS.
 */
const NOW = Date.UTC(2026, 10, 26, 12, 0, 30);
const HOUR = 3_600_000;
const quiet = { info: () => {}, error: () => {} };
const scenario = loadScenario("ecommerce");

let db: Awaited<ReturnType<typeof startTestDynamo>>;
let sim: Awaited<ReturnType<typeof startSimulator>>;
let runtime: CollectorRuntime;
let env: Record<string, string>;

function envFor(awsEndpoint: string): Record<string, string> {
  return {
    TABLE_NAME: db.tableName,
    AWS_REGION: scenario.account.region,
    AWS_ENDPOINT_URL: awsEndpoint,
    AWS_ENDPOINT_URL_DYNAMODB: db.url,
    BACKFILL_HOURS: "24",
    SETTLE_MINUTES: "5",
  };
}

beforeAll(async () => {
  db = await startTestDynamo();
  sim = await startSimulator({ host: "127.0.0.1", port: 0, seed: 1, scenario, now: () => NOW });
  // The SDK reads AWS_ENDPOINT_URL from the process environment, as it does in Lambda.
  process.env.AWS_ENDPOINT_URL = sim.url;
  env = envFor(sim.url);
  runtime = createCollectorRuntime({ env, log: quiet });
});

afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL;
  await sim?.close();
  await db?.close();
});

async function countSeriesItems(): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(new ScanCommand({ TableName: db.tableName, ExclusiveStartKey: start }));
    count += (page.Items ?? []).filter((i) => String(i.pk).startsWith("SERIES#")).length;
    start = page.LastEvaluatedKey as Record<string, unknown> | undefined;
  } while (start);
  return count;
}

describe("collectors against the simulator and dynalite", () => {
  it("inventory stores every function of the scenario with its configuration and tags", async () => {
    const result = await runInventory(runtime, { nowMs: NOW });
    expect(result.functionCount).toBe(scenario.functions.length);
    const stored = await runtime.functions.listFunctions();
    expect(stored.map((f) => f.functionName).sort()).toEqual(scenario.functions.map((f) => f.name).sort());
    const payments = stored.find((f) => f.functionName === "payments-api");
    const declared = scenario.functions.find((f) => f.name === "payments-api")!;
    expect(payments).toMatchObject({ accountId: scenario.account.id, runtime: declared.runtime, memoryMb: declared.memoryMb, architecture: declared.architecture });
    expect(payments?.tags).toEqual(declared.tags);
    expect(stored.find((f) => f.functionName === "legacy-report-generator")?.tags).toEqual({});
  });

  it("metrics backfills 24 h at the GetMetricData floor and matches CloudWatch's own hourly sums", async () => {
    const result = await runMetrics(runtime, { nowMs: NOW });
    expect(result.outcome).toBe("collected");
    // 4 slices of 6 h; every function × 7 metric keys fits in one ≤ 500-query batch per slice.
    expect(result.apiCalls).toBe(4);
    const to = Date.UTC(2026, 10, 26, 12, 0);
    const from = to - 24 * HOUR;
    const ref = { accountId: scenario.account.id, region: scenario.account.region, functionName: "orders-api" };
    const stored = await runtime.series.readSeries(ref, { metric: "Invocations", stat: "Sum" }, { fromMs: from, toMs: to });
    expect(stored.length).toBeGreaterThan(1400);

    // An independent question to the same account: hourly Sum straight from CloudWatch.
    const cw = new CloudWatchClient({ region: scenario.account.region, endpoint: sim.url });
    const hourly = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(from),
        EndTime: new Date(to),
        MetricDataQueries: [
          { Id: "h", MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: "Invocations", Dimensions: [{ Name: "FunctionName", Value: "orders-api" }] }, Period: 3600, Stat: "Sum" } },
        ],
      }),
    );
    const hourlyTotal = (hourly.MetricDataResults?.[0]?.Values ?? []).reduce((a, b) => a + b, 0);
    const storedTotal = stored.reduce((a, p) => a + p.value, 0);
    expect(storedTotal).toBe(hourlyTotal);
    // ~1 M orders a day (seed article case study): within a generous band.
    expect(storedTotal).toBeGreaterThan(500_000);
    expect(storedTotal).toBeLessThan(2_000_000);
  });

  it("a rerun of the same window rewrites the same items, and a restart does not backfill again", async () => {
    const itemsBefore = await countSeriesItems();
    const again = await runMetrics(createCollectorRuntime({ env, log: quiet }), { nowMs: NOW });
    expect(again.outcome).toBe("collected");
    if (again.outcome !== "collected") return;
    // Same instant: only the settling window is re-read, not the day.
    expect(again.plan.kind).toBe("incremental");
    expect(again.plan.window.toMs - again.plan.window.fromMs).toBe(5 * 60_000);
    const later = await runMetrics(createCollectorRuntime({ env, log: quiet }), { nowMs: NOW + 2 * 60_000 });
    expect(later.outcome === "collected" && later.plan.kind).toBe("incremental");
    expect(later.apiCalls).toBe(1);
    expect(await countSeriesItems()).toBe(itemsBefore);
  });

  it("the functions view shows the fleet with non-zero traffic from the stored data", async () => {
    const to = Date.UTC(2026, 10, 26, 12, 0);
    const view = await getFunctionsView(
      { functions: runtime.functions, series: runtime.series, watermarks: runtime.watermarks },
      { window: { fromMs: to - 24 * HOUR, toMs: to }, sort: { sort: "invocations", dir: "desc" }, nowMs: NOW + 60_000 },
    );
    expect(view.rows).toHaveLength(scenario.functions.length);
    expect(view.rows[0]!.invocations).toBeGreaterThanOrEqual(view.rows.at(-1)!.invocations);
    const orders = view.rows.find((r) => r.functionName === "orders-api")!;
    expect(orders.invocations).toBeGreaterThan(0);
    expect(orders.p99DurationMs).toBeGreaterThan(0);
    expect(orders.sparkline).toHaveLength(24);
    expect(view.collection).toMatchObject({ stale: false, lastError: null });
  });

  it("when the AWS endpoint is unreachable, the run reports it and stored data stays readable", async () => {
    const closed = "http://127.0.0.1:9"; // discard port: nothing listens
    process.env.AWS_ENDPOINT_URL = closed;
    try {
      const offline = createCollectorRuntime({ env: { ...env, AWS_ENDPOINT_URL: closed }, log: quiet });
      const report = await runCollectionOnce(offline, { json: true });
      expect(report.ok).toBe(false);
      expect(report.inventory.error).toBe("cannot reach the Lambda API (connect ECONNREFUSED 127.0.0.1:9)");
      const watermark = await runtime.watermarks.get("inventory", scenario.account.id, scenario.account.region);
      expect(watermark?.lastError).toBe("cannot reach the Lambda API (connect ECONNREFUSED 127.0.0.1:9)");
      expect(watermark?.lastSuccessMs).toBe(NOW);
      expect(await runtime.functions.listFunctions()).toHaveLength(scenario.functions.length);
    } finally {
      process.env.AWS_ENDPOINT_URL = sim.url;
    }
  });

  it("the Lambda handler runs the same collector from its own environment and logs structured JSON", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const result = await inventoryHandler({ nowMs: NOW });
      expect(result.functionCount).toBe(scenario.functions.length);
    } finally {
      spy.mockRestore();
      process.env = saved;
    }
    const logged = written.flatMap((c) => c.split("\n")).filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toContainEqual(
      expect.objectContaining({ level: "INFO", message: "inventory collected", collector: "inventory", service: "sightline-collectors", functionCount: scenario.functions.length }),
    );
  });

  it("the Lambda handler rejects a malformed event naming the field", async () => {
    await expect(inventoryHandler({ nowMs: "yesterday" })).rejects.toThrow(/invalid collector event: nowMs: /);
  });
});
