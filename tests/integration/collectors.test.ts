import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { createCollectorRuntime, type CollectorRuntime } from "@/collectors/_runtime/collector-runtime";
import { handler as inventoryHandler, inventoryCollector } from "@/collectors/inventory";
import { metricsCollector } from "@/collectors/metrics";
import { runCollector } from "@/collectors/_runtime/run-collector";
import { runCollectionPass } from "@/infra/local/scheduler";
import { FUNCTION_METRIC_KEYS, ALIAS_METRIC_KEYS, REGION_METRIC_KEYS } from "@/lib/domain/metrics/lambda-metrics";
import { getFunctionsView } from "@/lib/queries/functions-view";
import { formatAccountsSetting, hostedAccounts } from "@/infra/local/sim/accounts";
import { dumpTable, quietLog, startCollectorStack } from "@/tests/support/collector-stack";

/**
 * The collectors end to end through the real AWS SDK clients: the simulator speaks the AWS
 * wire protocols, dynalite the DynamoDB one. Only the endpoints differ from AWS.
 */
const NOW = Date.UTC(2026, 10, 26, 12, 0, 30);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let stack: Awaited<ReturnType<typeof startCollectorStack>>;
let runtime: CollectorRuntime;
let account: { accountId: string; region: string };

beforeAll(async () => {
  stack = await startCollectorStack({ now: () => NOW });
  account = { accountId: stack.scenario.account.id, region: stack.scenario.account.region };
  runtime = await stack.runtimeFor();
});

afterAll(async () => {
  await stack?.close();
});

/** Makes every AWS call of a runtime fail once `k` calls have gone out: a crash mid-run. */
function crashAfter(target: CollectorRuntime, k: number): void {
  let calls = 0;
  const clients = target.aws(account);
  for (const client of [clients.lambda, clients.cloudwatch, clients.logs, clients.xray, clients.costExplorer, clients.sts]) {
    (client.middlewareStack as unknown as { add(m: unknown, o: object): void }).add(
      (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
        if (++calls > k) throw new Error(`simulated crash after ${k} calls`);
        return next(args);
      },
      { step: "initialize", name: "simulatedCrash" },
    );
  }
}

describe("collectors against the simulator and dynalite", () => {
  it("inventory stores every function with configuration, tags, aliases, versions, concurrency and the account's limits", async () => {
    const run = await runCollector(runtime, inventoryCollector, account, { nowMs: NOW });
    expect(run).toMatchObject({ outcome: "collected", error: null, itemsWritten: stack.scenario.functions.length + 1 });
    const stored = await runtime.functions.listFunctions();
    expect(stored.map((f) => f.functionName).sort()).toEqual(stack.scenario.functions.map((f) => f.name).sort());
    const orders = stored.find((f) => f.functionName === "orders-api")!;
    const declared = stack.scenario.functions.find((f) => f.name === "orders-api")!;
    expect(orders).toMatchObject({ accountId: account.accountId, runtime: declared.runtime, memoryMb: declared.memoryMb, architecture: declared.architecture, tags: declared.tags });
    expect(orders.aliases).toEqual([{ name: "live", functionVersion: "57" }]);
    expect(orders.versions.map((v) => v.version)).toEqual(["57"]);
    expect(orders.provisionedConcurrency).toEqual([expect.objectContaining({ qualifier: "live", status: "READY" })]);
    expect(stored.find((f) => f.functionName === "legacy-report-generator")?.tags).toEqual({});
    const [limits] = await runtime.functions.listAccountConcurrency();
    expect(limits).toMatchObject({ ...account, concurrentExecutionsLimit: stack.scenario.account.concurrentExecutionsLimit, functionCount: stack.scenario.functions.length });
    // The ledger has the run, with every Lambda request counted per operation.
    expect(run.apiUsage["Lambda.ListTags"]?.requests).toBe(stack.scenario.functions.length);
    const [entry] = await runtime.ledger.listRecent({ sinceMs: 0, nowMs: Date.now(), limit: 1, collector: "inventory" });
    expect(entry).toEqual(run);
  });

  it("metrics backfills 14 days at the GetMetricData floor, and the stored minutes add up to CloudWatch's own hourly sums", async () => {
    stack.sim.resetRequestCounts();
    const run = await runCollector(runtime, metricsCollector, account, { nowMs: NOW });
    expect(run.outcome).toBe("collected");
    const pcAliases = (await runtime.functions.listFunctions()).reduce((n, f) => n + f.provisionedConcurrency.length, 0);
    const queries = stack.scenario.functions.length * FUNCTION_METRIC_KEYS.length + pcAliases * ALIAS_METRIC_KEYS.length + REGION_METRIC_KEYS.length;
    expect(queries).toBeLessThan(500);
    // One batch per slice. Hourly: 15 days (Nov 12 → Nov 26 12:00) fit one call at this batch
    // size; minute: 3 days (72 h) in slices of floor(100,800 / queries / 60) hours.
    const minuteSliceHours = Math.floor(100_800 / queries / 60);
    const expectedCalls = 1 + Math.ceil(72 / minuteSliceHours);
    expect(stack.sim.requestCounts().services.cloudwatch?.GetMetricData).toBe(expectedCalls);
    expect(run.apiUsage["CloudWatch.GetMetricData"]).toEqual({ requests: expectedCalls, units: expectedCalls * queries });
    expect(run.estimatedCostUsd).toBeCloseTo((expectedCalls * queries * 0.01) / 1000, 9);

    const ref = { ...account, functionName: "orders-api" };
    // The last settled hour: 11:00–12:00 settles at 12:05.
    const window = { fromMs: Date.UTC(2026, 10, 25, 11), toMs: Date.UTC(2026, 10, 26, 11) };
    const target = { kind: "function", functionName: "orders-api" } as const;
    const invocations = [{ metric: "Invocations", stat: "Sum" }] as const;
    const minutes = (await runtime.series.readSeries(ref, target, invocations, window, "minute"))["Invocations:Sum"]!;
    const hours = (await runtime.series.readSeries(ref, target, invocations, window, "hour"))["Invocations:Sum"]!;
    expect(minutes.length).toBeGreaterThan(1400);
    expect(hours).toHaveLength(24);

    // An independent question to the same account: hourly Sum straight from CloudWatch.
    const cw = new CloudWatchClient({ region: account.region, endpoint: stack.sim.url, maxAttempts: 1 });
    const direct = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(window.fromMs),
        EndTime: new Date(window.toMs),
        MetricDataQueries: [{ Id: "h", MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: "Invocations", Dimensions: [{ Name: "FunctionName", Value: "orders-api" }] }, Period: 3600, Stat: "Sum" } }],
      }),
    );
    const directTotal = (direct.MetricDataResults?.[0]?.Values ?? []).reduce((a, b) => a + b, 0);
    expect(minutes.reduce((a, p) => a + p.value, 0)).toBe(directTotal);
    expect(hours.reduce((a, p) => a + p.value, 0)).toBe(directTotal);
    // ~1 M orders a day (seed article case study): within a generous band.
    expect(directTotal).toBeGreaterThan(500_000);
    expect(directTotal).toBeLessThan(2_000_000);
    // Hourly data reaches back 14 days; minute data 3.
    const old = { fromMs: NOW - 14 * DAY + DAY, toMs: NOW - 13 * DAY + DAY };
    expect((await runtime.series.readSeries(ref, target, invocations, old, "hour"))["Invocations:Sum"]!.length).toBe(24);
    expect((await runtime.series.readSeries(ref, target, invocations, old, "minute"))["Invocations:Sum"]).toEqual([]);
    // Provisioned concurrency per alias, and the account's pool.
    const pc = await runtime.series.readSeries(ref, { kind: "alias", functionName: "orders-api", qualifier: "live" }, ALIAS_METRIC_KEYS, window, "hour");
    expect(pc["ProvisionedConcurrentExecutions:Maximum"]!.length).toBe(24);
    const pool = await runtime.series.readSeries(ref, { kind: "region" }, REGION_METRIC_KEYS, window, "hour");
    expect(Math.max(...pool["ClaimedAccountConcurrency:Maximum"]!.map((p) => p.value))).toBeGreaterThan(0);
  });

  it("a rerun of the same instant leaves the table identical; a minute later costs one call per 500 queries", async () => {
    const before = await dumpTable(runtime);
    await runCollector(runtime, inventoryCollector, account, { nowMs: NOW });
    await runCollector(runtime, metricsCollector, account, { nowMs: NOW });
    expect(await dumpTable(runtime)).toEqual(before);
    const later = await runCollector(runtime, metricsCollector, account, { nowMs: NOW + 2 * 60_000 });
    expect(later.apiUsage["CloudWatch.GetMetricData"]?.requests).toBe(1);
  });

  it("the functions view shows the fleet with traffic from minute data (24 h) and hourly data (7 d)", async () => {
    const to = Date.UTC(2026, 10, 26, 12, 0);
    const deps = { functions: runtime.functions, series: runtime.series, watermarks: runtime.watermarks };
    const sort = { sort: "invocations", dir: "desc" } as const;
    const day = await getFunctionsView(deps, { window: { fromMs: to - DAY, toMs: to }, sort, nowMs: NOW + 60_000 });
    expect(day.rows).toHaveLength(stack.scenario.functions.length);
    const orders = day.rows.find((r) => r.functionName === "orders-api")!;
    expect(orders.invocations).toBeGreaterThan(0);
    expect(orders.p99DurationMs).toBeGreaterThan(0);
    expect(orders.sparkline).toHaveLength(24);
    const week = await getFunctionsView(deps, { window: { fromMs: to - 7 * DAY, toMs: to }, sort, nowMs: NOW + 60_000 });
    const weekOrders = week.rows.find((r) => r.functionName === "orders-api")!;
    expect(weekOrders.sparkline).toHaveLength(7 * 24);
    // The last day of the week equals the day view (hourly sums = minute sums).
    const lastDay = weekOrders.sparkline.slice(-24).reduce((a, h) => a + h.invocationsPerHour, 0);
    expect(lastDay).toBe(orders.invocations);
    expect(weekOrders.invocations).toBeGreaterThan(6 * orders.invocations * 0.5);
  });

  describe("a pass killed mid-run and rerun", () => {
    const env = () => ({ SIGHTLINE_ACCOUNT_ID: account.accountId, BACKFILL_HOURS: "6" });
    let reference: CollectorRuntime;
    let referenceCalls = 0;
    beforeAll(async () => {
      reference = await stack.runtimeFor(env());
      const pass = await runCollectionPass(reference, { nowMs: NOW, force: true });
      expect(pass.ok).toBe(true);
      referenceCalls = pass.runs.reduce((n, r) => n + Object.values(r.apiUsage).reduce((m, u) => m + u.requests, 0), 0);
    });

    // Crash points spread over the whole pass: inventory, metrics, logs-insights, costs.
    it.each([0.01, 0.3, 0.6, 0.8, 0.95])("converges to the uninterrupted table when killed after %f of its AWS calls", async (share) => {
      const k = Math.max(1, Math.floor(referenceCalls * share));
      const crashing = await stack.runtimeFor(env());
      crashAfter(crashing, k);
      const crashed = await runCollectionPass(crashing, { nowMs: NOW, force: true });
      expect(crashed.ok).toBe(false);
      const rerun = createCollectorRuntime({ env: { ...stack.env(crashing.tableName), ...env() }, log: quietLog });
      expect((await runCollectionPass(rerun, { nowMs: NOW, force: true })).ok).toBe(true);
      expect(await dumpTable(rerun)).toEqual(await dumpTable(reference));
    });
  });

  it("fans out over both simulated accounts, reading the member through its role", async () => {
    const accounts = hostedAccounts(stack.scenario);
    expect(accounts).toHaveLength(2);
    const member = accounts.find((a) => a.roleArn !== null)!;
    const multi = await stack.runtimeFor({ SIGHTLINE_ACCOUNTS: formatAccountsSetting(accounts), BACKFILL_HOURS: "6" });
    stack.sim.resetRequestCounts();
    const pass = await runCollectionPass(multi, { nowMs: NOW, force: true, only: ["inventory", "metrics"] });
    expect(pass.ok).toBe(true);
    // Every collector ran once per account, each filed under its own account.
    expect(pass.runs.map((r) => `${r.collector}@${r.accountId}`).sort()).toEqual(
      ["inventory", "metrics"].flatMap((c) => accounts.map((a) => `${c}@${a.accountId}`)).sort(),
    );
    const stored = await multi.functions.listFunctions();
    const memberFunctions = stored.filter((f) => f.accountId === member.accountId);
    const byAccount = stack.sim.requestCountsByAccount();
    expect(memberFunctions.length).toBeGreaterThan(0);
    expect(memberFunctions.every((f) => f.functionArn.includes(`:${member.accountId}:`))).toBe(true);
    expect(stored.filter((f) => f.accountId === account.accountId)).toHaveLength(stack.scenario.functions.length);
    // The member's requests reached the member's simulated account, after one AssumeRole.
    expect(byAccount[member.accountId]?.services.lambda?.ListFunctions).toBe(1);
    expect(byAccount[member.accountId]?.services.cloudwatch?.GetMetricData).toBeGreaterThan(0);
    expect(byAccount[account.accountId]?.services.sts?.AssumeRole ?? 0).toBeGreaterThanOrEqual(1);
    const memberMetrics = await multi.series.readSeries(
      { accountId: member.accountId, region: account.region },
      { kind: "function", functionName: memberFunctions[0]!.functionName },
      [{ metric: "Invocations", stat: "Sum" }],
      { fromMs: NOW - 6 * HOUR, toMs: NOW },
      "minute",
    );
    expect(memberMetrics["Invocations:Sum"]!.length).toBeGreaterThan(0);
  });

  it("when the AWS endpoint is unreachable, each run records a clear error and stored data stays readable", async () => {
    const closed = "http://127.0.0.1:9"; // discard port: nothing listens
    process.env.AWS_ENDPOINT_URL = closed;
    try {
      const offline = createCollectorRuntime({ env: { ...stack.env(runtime.tableName), AWS_ENDPOINT_URL: closed }, log: quietLog });
      const report = await runCollectionPass(offline, { nowMs: NOW + HOUR, force: true });
      expect(report.ok).toBe(false);
      const inventory = report.runs.find((r) => r.collector === "inventory");
      expect(inventory?.error).toBe("cannot reach the Lambda API (connect ECONNREFUSED 127.0.0.1:9)");
      const watermark = await runtime.watermarks.get("inventory", account.accountId, account.region);
      expect(watermark?.lastError).toBe("cannot reach the Lambda API (connect ECONNREFUSED 127.0.0.1:9)");
      expect(watermark?.lastSuccessMs).toBe(NOW);
      expect(await runtime.functions.listFunctions()).toHaveLength(stack.scenario.functions.length);
    } finally {
      process.env.AWS_ENDPOINT_URL = stack.sim.url;
    }
  });

  it("the Lambda handler runs the same collector from its own environment and logs structured JSON", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, stack.env(runtime.tableName), { SIGHTLINE_ACCOUNT_ID: account.accountId });
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    let runs;
    try {
      runs = await inventoryHandler({ nowMs: NOW });
    } finally {
      spy.mockRestore();
      process.env = saved;
    }
    expect(runs).toEqual([expect.objectContaining({ collector: "inventory", ...account, outcome: "collected" })]);
    const logged = written.flatMap((c) => c.split("\n")).filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toContainEqual(expect.objectContaining({ level: "INFO", collector: "inventory", service: "sightline-collectors", outcome: "collected", accountId: account.accountId }));
  });

  it("the Lambda handler rejects a malformed event naming the field", async () => {
    await expect(inventoryHandler({ nowMs: "yesterday" })).rejects.toThrow(/invalid collector event: nowMs: /);
  });
});
