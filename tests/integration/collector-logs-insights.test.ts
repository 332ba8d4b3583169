import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { logsInsightsCollector } from "@/collectors/logs-insights";
import { createCollectorRuntime, type CollectorRuntime } from "@/collectors/_runtime/collector-runtime";
import { runCollector } from "@/collectors/_runtime/run-collector";
import { loadScenario } from "@/infra/local/sim/load-scenario";
import { revisionAt } from "@/infra/local/sim/model/fleet";
import { createSimModel } from "@/infra/local/sim/model/minute-stats";
import { startSimulator } from "@/infra/local/sim/server";
import type { ReportStats } from "@/lib/domain/cold-start/report-stats";
import { LogsInsightsReportSource } from "@/lib/adapters/aws/logs-insights-source";
import { DynamoReportStatsStore } from "@/lib/adapters/dynamodb/report-stats-repository";
import { collectReportStats } from "@/lib/use-cases/collect-report-stats";
import { aFunction } from "@/tests/builders/function-config";
import { startTestDynamo } from "@/tests/support/embedded-dynamo";

/**
 * The logs-insights collector end to end: the real CloudWatch Logs client against the
 * simulated account (ecommerce), dynalite for the table. Expectations come from other APIs of
 * the same account (CloudWatch's Invocations) and from the scenario's documented findings,
 * never from the collector's own arithmetic.
 */
const scenario = loadScenario("ecommerce");
const ACCOUNT = scenario.account.id;
const REGION = scenario.account.region;
const SCOPE = { accountId: ACCOUNT, region: REGION };
const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 10, 27, 12, 0, 30);
/** With SETTLE_MINUTES 5 the last complete hour at NOW is 10:00–11:00. */
const END = Date.UTC(2026, 10, 27, 11);
/** An hour after NOW: the hour 11:00–12:00 has settled. */
const LATER = NOW + HOUR;
/** BACKFILL_HOURS 336 from 12:00 fourteen days earlier. */
const START = Date.UTC(2026, 10, 13, 12);
const FUNCTIONS = scenario.functions.filter((f) => (f.region ?? REGION) === REGION);
/** The version a function's logs are written under: its first alias's, else $LATEST (docs/simulator.md). */
const aliasVersion = (name: string) => {
  const alias = FUNCTIONS.find((f) => f.name === name)?.aliases?.[0];
  return alias ? String(alias.functionVersion) : "$LATEST";
};
const quiet = { info: () => {}, error: () => {} };

let db: Awaited<ReturnType<typeof startTestDynamo>>;
let sim: Awaited<ReturnType<typeof startSimulator>>;
let runtime: CollectorRuntime;
let store: DynamoReportStatsStore;
let clockMs = NOW;

beforeAll(async () => {
  db = await startTestDynamo();
  sim = await startSimulator({ host: "127.0.0.1", port: 0, seed: 1, scenario, now: () => clockMs });
  process.env.AWS_ENDPOINT_URL = sim.url;
  runtime = createCollectorRuntime({
    env: {
      TABLE_NAME: db.tableName,
      AWS_REGION: REGION,
      AWS_ENDPOINT_URL: sim.url,
      AWS_ENDPOINT_URL_DYNAMODB: db.url,
      SIGHTLINE_ACCOUNT_ID: ACCOUNT,
      BACKFILL_HOURS: "336",
      SETTLE_MINUTES: "5",
    },
    log: quiet,
  });
  store = new DynamoReportStatsStore(runtime.doc, runtime.tableName);
  // Inventory is another collector's job: store the scenario's functions directly.
  await runtime.functions.putFunctions(
    FUNCTIONS.map((f) => aFunction({ accountId: ACCOUNT, region: REGION, functionName: f.name, memoryMb: f.memoryMb, runtime: f.runtime })),
  );
});

afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL;
  await sim?.close();
  await db?.close();
});

async function reportItems(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(new ScanCommand({ TableName: db.tableName, ExclusiveStartKey: start }));
    items.push(...((page.Items ?? []) as Record<string, unknown>[]).filter((i) => String(i.pk).startsWith("REPORT#")));
    start = page.LastEvaluatedKey as Record<string, unknown> | undefined;
  } while (start);
  return items.sort((a, b) => `${a.pk}|${a.sk}`.localeCompare(`${b.pk}|${b.sk}`));
}

async function statsOf(functionName: string, fromMs = START, toMs = END): Promise<ReportStats[]> {
  return store.readStats({ ...SCOPE, functionName }, { fromMs, toMs });
}

const run = (nowMs = NOW) => {
  clockMs = nowMs;
  return runCollector(runtime, logsInsightsCollector, SCOPE, { nowMs });
};

async function rewindWatermark(throughMs: number) {
  const current = await runtime.watermarks.get("logs-insights", ACCOUNT, REGION);
  await runtime.watermarks.put({ ...current!, throughMs });
}

describe("logs-insights collector against the simulator and dynalite", () => {
  it("backfills 14 days of 15 log groups in 14 day-long queries and moves the watermark to the last settled hour", { timeout: 180_000 }, async () => {
    sim.resetRequestCounts();
    const result = await run();
    expect(result.error).toBeNull();
    expect(result.outcome).toBe("collected");
    expect(result.window).toEqual({ fromMs: START, toMs: END });
    expect(result.warnings).toEqual([]);
    expect(sim.requestCounts().services.logs?.StartQuery).toBe(14);
    expect(result.apiUsage["CloudWatchLogs.StartQuery"]?.requests).toBe(14);
    expect(result.apiUsage["CloudWatchLogs.GetQueryResults"]?.units).toBeGreaterThan(0); // bytes scanned
    expect((await runtime.watermarks.get("logs-insights", ACCOUNT, REGION))?.throughMs).toBe(END);
    // One item per function and hour it ran (shipping-rates-api, sparse, skips a few hours).
    const items = await reportItems();
    expect(result.itemsWritten).toBe(items.length);
    expect(items.length).toBeGreaterThan(FUNCTIONS.length * 335 - 50);
  });

  it("invocations per function and hour equal CloudWatch's Invocations Sum for that hour", async () => {
    const cloudwatch = new CloudWatchClient({ region: REGION, endpoint: sim.url });
    const output = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(START),
        EndTime: new Date(END),
        ScanBy: "TimestampAscending",
        MetricDataQueries: FUNCTIONS.map((f, i) => ({
          Id: `m${i}`,
          MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: "Invocations", Dimensions: [{ Name: "FunctionName", Value: f.name }] }, Period: 3600, Stat: "Sum" },
        })),
      }),
    );
    cloudwatch.destroy();
    for (const [i, f] of FUNCTIONS.entries()) {
      const result = output.MetricDataResults!.find((r) => r.Id === `m${i}`)!;
      // Hours without invocations have no REPORT lines, hence no stats.
      const fromCloudWatch = new Map<number, number>();
      result.Timestamps!.forEach((t, j) => {
        if (result.Values![j]! > 0) fromCloudWatch.set(t.getTime(), result.Values![j]!);
      });
      const fromLogs = new Map<number, number>();
      for (const s of await statsOf(f.name)) fromLogs.set(s.hourStartMs, (fromLogs.get(s.hourStartMs) ?? 0) + s.invocations);
      expect(fromLogs.size, f.name).toBeGreaterThan(300);
      expect(Object.fromEntries(fromLogs), f.name).toEqual(Object.fromEntries(fromCloudWatch));
    }
  });

  it("shows the scenario's findings: cold-start heavy Java, out-of-memory kills, memory use within memory size", async () => {
    const all = (await Promise.all(FUNCTIONS.map((f) => statsOf(f.name)))).flat();
    // The memory each hour ran at, as the model configured it then (the scenario changes two functions' memory in its history).
    const model = createSimModel(scenario, { seed: sim.seed, anchorDay: sim.anchorDay });
    const memoryAt = (name: string, hourStartMs: number) => revisionAt(model.fleet.byName.get(name)!, hourStartMs / 60_000).memoryMb;
    expect(new Set(all.filter((s) => s.functionName === "inventory-queue-worker").map((s) => s.memorySizeMb))).toEqual(new Set([256, 1024]));
    for (const s of all) {
      expect(s.memorySizeMb).toBe(memoryAt(s.functionName, s.hourStartMs));
      expect(s.maxMemoryUsedMb.max).toBeLessThanOrEqual(s.memorySizeMb);
      expect(s.maxMemoryUsedMb.p50).toBeLessThanOrEqual(s.maxMemoryUsedMb.max);
      expect(s.billedDurationMsSum).toBeGreaterThanOrEqual(s.durationMsSum);
      expect(s.coldStarts).toBeLessThanOrEqual(s.invocations);
      // Invoked through an alias → its published version; otherwise $LATEST (the stream name's label).
      expect(s.version).toBe(aliasVersion(s.functionName));
    }
    const sum = (name: string, field: "invocations" | "coldStarts" | "outOfMemory") =>
      all.filter((s) => s.functionName === name).reduce((n, s) => n + s[field], 0);
    // shipping-rates-api (java17, sparse traffic) starts cold on a large share of calls, for seconds.
    expect(sum("shipping-rates-api", "coldStarts") / sum("shipping-rates-api", "invocations")).toBeGreaterThan(0.1);
    const shippingInit = all.filter((s) => s.functionName === "shipping-rates-api" && s.initDurationMs !== null);
    expect(Math.max(...shippingInit.map((s) => s.initDurationMs!.p50))).toBeGreaterThan(2000);
    // notifications-worker runs near its 128 MB and is killed for it now and then.
    expect(sum("notifications-worker", "outOfMemory")).toBeGreaterThan(10);
    expect(Math.max(...all.filter((s) => s.functionName === "notifications-worker").map((s) => s.maxMemoryUsedMb.max))).toBeGreaterThan(120);
    // inventory-queue-worker uses under a fifth of its 1024 MB.
    expect(Math.max(...all.filter((s) => s.functionName === "inventory-queue-worker").map((s) => s.maxMemoryUsedMb.max))).toBeLessThan(1024 / 5);
    // payments-api keeps 50 provisioned on `live` for a peak need under 20: it never starts cold; everyone else does.
    expect(sum("payments-api", "coldStarts")).toBe(0);
    for (const f of FUNCTIONS.filter((f) => f.name !== "payments-api")) expect(sum(f.name, "coldStarts"), f.name).toBeGreaterThan(0);
  });

  it("a rerun of the same window leaves the REPORT items byte-identical", { timeout: 120_000 }, async () => {
    const before = JSON.stringify(await reportItems());
    await rewindWatermark(END - 24 * HOUR);
    const again = await run();
    expect(again.outcome).toBe("collected");
    expect(again.window).toEqual({ fromMs: END - 24 * HOUR, toMs: END });
    expect(again.itemsWritten).toBe((await reportItems()).filter((i) => Number(i.hourStartMs) >= END - 24 * HOUR).length);
    expect(JSON.stringify(await reportItems())).toBe(before);
    // Same instant again: nothing is due, nothing is scanned twice.
    sim.resetRequestCounts();
    expect((await run()).outcome).toBe("up-to-date");
    expect(sim.requestCounts().services.logs).toBeUndefined();
  });

  it("collects the next hour once it has settled, with one query", async () => {
    sim.resetRequestCounts();
    const next = await run(LATER);
    expect(next.window).toEqual({ fromMs: END, toMs: END + HOUR });
    expect(sim.requestCounts().services.logs?.StartQuery).toBe(1);
    expect(next.itemsWritten).toBe(FUNCTIONS.length);
    expect((await runtime.watermarks.get("logs-insights", ACCOUNT, REGION))?.throughMs).toBe(END + HOUR);
  });

  it("with malformed REPORT lines, warns about the rows it cannot read and still stores the rest", async () => {
    sim.faults.set([{ kind: "malformed-log-lines", ratio: 0.02 }]);
    try {
      await rewindWatermark(END - 2 * HOUR);
      const result = await run(LATER);
      expect(result.outcome).toBe("collected");
      expect(result.warnings.some((w) => /skipped \d+ unreadable Logs Insights row\(s\) for .* \(memorySize: /.test(w))).toBe(true);
      expect(result.itemsWritten).toBe((await reportItems()).filter((i) => Number(i.hourStartMs) >= END - 2 * HOUR).length);
    } finally {
      sim.faults.set([]);
    }
  });

  it("a query that times out fails the run naming its log groups and window; the watermark stays", async () => {
    sim.faults.set([{ kind: "logs-query-timeout", afterSeconds: 0 }]);
    try {
      await rewindWatermark(END - HOUR);
      const result = await run(LATER);
      expect(result.outcome).toBe("failed");
      expect(result.error).toMatch(
        /^Logs Insights query [0-9a-f-]+ ended Timeout for \/aws\/lambda\/inventory-api, \/aws\/lambda\/inventory-queue-worker, \/aws\/lambda\/legacy-report-generator and 12 more, 2026-11-27T10:00Z–2026-11-27T12:00Z$/,
      );
      expect((await runtime.watermarks.get("logs-insights", ACCOUNT, REGION))?.throughMs).toBe(END - HOUR);
    } finally {
      sim.faults.set([]);
    }
    expect((await run(LATER)).outcome).toBe("collected");
  });

  it("skips a function whose log group does not exist, with a warning", async () => {
    await runtime.functions.putFunctions([aFunction({ accountId: ACCOUNT, region: REGION, functionName: "never-invoked" })]);
    await rewindWatermark(END);
    const result = await run(LATER);
    expect(result.outcome).toBe("collected");
    expect(result.warnings).toEqual(["no log group for 1 function(s), skipped: /aws/lambda/never-invoked"]);
  });

  it("splits by version from the log stream name (one hour, two functions)", async () => {
    const written: ReportStats[] = [];
    const names = ["orders-api", "users-api"];
    const result = await collectReportStats(
      {
        source: new LogsInsightsReportSource(runtime.aws(SCOPE).logs),
        store: {
          writeHours: async (stats) => {
            written.push(...stats);
            return stats.length;
          },
          readStats: async () => [],
        },
        functions: { listFunctions: async () => names.map((functionName) => aFunction({ accountId: ACCOUNT, region: REGION, functionName })) },
        watermarks: { get: async () => null, advance: async () => {} },
      },
      {
        collector: "logs-insights",
        accountId: ACCOUNT,
        region: REGION,
        nowMs: NOW,
        backfillFromMs: END - HOUR,
        warn: () => {},
        progress: () => {},
      },
      { settleMinutes: 5, maxConcurrentQueries: 2, byVersion: true },
    );
    expect(result.outcome).toBe("collected");
    // orders-api is invoked through its alias `live` → version 57; users-api as $LATEST.
    expect(written.map((s) => [s.functionName, s.version]).sort()).toEqual([["orders-api", "57"], ["users-api", "$LATEST"]]);
    const byFunction = await statsOf("orders-api", END - HOUR, END);
    expect(written.find((s) => s.functionName === "orders-api")!.invocations).toBe(byFunction[0]!.invocations);
  });
});
