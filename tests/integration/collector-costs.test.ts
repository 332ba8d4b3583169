import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CostExplorerClient, GetCostAndUsageCommand } from "@aws-sdk/client-cost-explorer";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { createCollectorRuntime, GLOBAL_REGION, type CollectorRuntime } from "@/collectors/_runtime/collector-runtime";
import { runCollector } from "@/collectors/_runtime/run-collector";
import { costsCollector } from "@/collectors/costs";
import { loadScenario } from "@/infra/local/sim/load-scenario";
import { startSimulator } from "@/infra/local/sim/server";
import { DynamoCostLineStore } from "@/lib/adapters/dynamodb/cost-repository";
import { usdAmountToMicroUsd } from "@/lib/domain/cost/micro-usd";
import type { CostLine } from "@/lib/domain/cost/cost-line";
import { startTestDynamo } from "@/tests/support/embedded-dynamo";

/**
 * The costs collector end to end: the real Cost Explorer SDK client against the simulated
 * account, dynalite for the table. Assertions are derived independently of the collector:
 * Cost Explorer's own totals (asked by the test with its own client), the scenario's tags,
 * and the TimePeriod each request carried.
 */
const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 10, 26, 12, 0, 30);
const TODAY = Date.UTC(2026, 10, 26);
const quiet = { info: () => {}, error: () => {} };
const scenario = loadScenario("ecommerce");
const ACCOUNT = scenario.account.id;
const SCOPE = { accountId: ACCOUNT, region: GLOBAL_REGION };
const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const day = (offset: number) => TODAY + offset * DAY;
const LEGACY_ARN = `arn:aws:lambda:${scenario.account.region}:${ACCOUNT}:function:legacy-report-generator`;

let clock = NOW;
let sim: Awaited<ReturnType<typeof startSimulator>>;
const dbs: Array<Awaited<ReturnType<typeof startTestDynamo>>> = [];

beforeAll(async () => {
  sim = await startSimulator({ host: "127.0.0.1", port: 0, seed: 1, scenario, now: () => clock });
  // The SDK reads AWS_ENDPOINT_URL from the process environment, as it does in Lambda.
  process.env.AWS_ENDPOINT_URL = sim.url;
});

afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL;
  await sim?.close();
  for (const db of dbs) await db.close();
});

interface Sent {
  operation: string;
  timePeriod: { Start: string; End: string };
}

/** A fresh table and runtime; records what its Cost Explorer client sends, and can crash it after k requests. */
async function setUp(extraEnv: Record<string, string> = {}) {
  const db = await startTestDynamo();
  dbs.push(db);
  const runtime: CollectorRuntime = createCollectorRuntime({
    env: {
      TABLE_NAME: db.tableName,
      AWS_REGION: scenario.account.region,
      AWS_ENDPOINT_URL: sim.url,
      AWS_ENDPOINT_URL_DYNAMODB: db.url,
      SIGHTLINE_ACCOUNT_ID: ACCOUNT,
      BACKFILL_HOURS: String(14 * 24),
      COST_BACKFILL_DAYS: "14",
      ...extraEnv,
    },
    log: quiet,
  });
  const sent: Sent[] = [];
  const crash = { afterRequests: null as number | null };
  type Next = (args: { input: Record<string, unknown> }) => Promise<unknown>;
  runtime.aws(SCOPE).costExplorer.middlewareStack.add(
    ((next: Next, context: { commandName?: string }) => async (args: { input: Record<string, unknown> }) => {
      if (crash.afterRequests !== null && sent.length >= crash.afterRequests) throw new Error("simulated crash");
      sent.push({ operation: (context.commandName ?? "").replace(/Command$/, ""), timePeriod: args.input.TimePeriod as Sent["timePeriod"] });
      return next(args);
    }) as never,
    { step: "initialize", name: "testRecordCostRequests" },
  );
  const store = new DynamoCostLineStore(runtime.doc, runtime.tableName);
  const run = (nowMs: number) => {
    clock = nowMs;
    return runCollector(runtime, costsCollector, SCOPE, { nowMs });
  };
  /** Every COST# item, sorted by key, as stored (the bytes a reader gets). */
  const costItems = async (): Promise<string> => {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await db.doc.send(new ScanCommand({ TableName: db.tableName, ExclusiveStartKey: start }));
      items.push(...((page.Items ?? []) as Record<string, unknown>[]).filter((i) => String(i.pk).startsWith("COST#")));
      start = page.LastEvaluatedKey as Record<string, unknown> | undefined;
    } while (start);
    items.sort((a, b) => (String(a.sk) < String(b.sk) ? -1 : 1));
    return JSON.stringify(items);
  };
  const lines = (groupingId: string, fromMs: number, toMs: number, granularity: "DAILY" | "HOURLY" = "DAILY") =>
    store.readLines({ accountId: ACCOUNT, groupingId, granularity, window: { fromMs, toMs } });
  const watermark = async () => (await runtime.watermarks.get("costs", ACCOUNT, GLOBAL_REGION))?.throughMs ?? null;
  return { db, runtime, sent, crash, run, costItems, lines, watermark };
}

/** Cost Explorer's own daily totals (no GroupBy), asked with the test's own client, in µUSD. */
async function dailyTotals(fromMs: number, toMs: number, filterLambda = false): Promise<Map<number, number>> {
  const ce = new CostExplorerClient({ region: "us-east-1", endpoint: sim.url, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  const output = await ce.send(
    new GetCostAndUsageCommand({
      TimePeriod: { Start: date(fromMs), End: date(toMs) },
      Granularity: "DAILY",
      Metrics: ["UnblendedCost"],
      ...(filterLambda ? { Filter: { Dimensions: { Key: "SERVICE", Values: ["AWS Lambda"] } } } : {}),
    }),
  );
  ce.destroy();
  const totals = new Map<number, number>();
  for (const result of output.ResultsByTime ?? []) {
    const parsed = usdAmountToMicroUsd(result.Total?.UnblendedCost?.Amount ?? "");
    if (parsed.kind !== "ok") throw new Error(parsed.reason);
    totals.set(Date.parse(`${result.TimePeriod?.Start}T00:00:00Z`), parsed.microUsd);
  }
  return totals;
}

/** Σ µUSD per day of some lines. */
function sumByDay(lines: readonly CostLine[], keep: (line: CostLine) => boolean = () => true): Map<number, { microUsd: number; lines: number }> {
  const sums = new Map<number, { microUsd: number; lines: number }>();
  for (const line of lines) {
    if (!keep(line)) continue;
    const d = Math.floor(line.periodStartMs / DAY) * DAY;
    const sum = sums.get(d) ?? { microUsd: 0, lines: 0 };
    sum.microUsd += line.unblendedCostMicroUsd;
    sum.lines += 1;
    sums.set(d, sum);
  }
  return sums;
}

/** Each line is rounded once to the µUSD (at most 0.5 off), so n lines may differ from a total by n/2 µUSD. */
function expectSameMoney(actual: { microUsd: number; lines: number } | undefined, expectedMicroUsd: number, otherLines = 1, label = "") {
  expect(actual, label).toBeDefined();
  expect(Math.abs(actual!.microUsd - expectedMicroUsd), label).toBeLessThanOrEqual(Math.ceil((actual!.lines + otherLines) / 2));
}

describe("costs collector against the simulated Cost Explorer", () => {
  let main: Awaited<ReturnType<typeof setUp>>;
  let afterBackfill: string;

  it("backfills 14 days with one request per grouping: the bill by service, by each allocation tag and per function", async () => {
    main = await setUp();
    sim.resetRequestCounts();
    const run = await main.run(NOW);
    expect(run.error).toBeNull();
    expect(run.outcome).toBe("collected");
    expect(run.apiUsage).toEqual({
      "CostExplorer.GetCostAndUsage": { requests: 4, units: 4 },
      "CostExplorer.GetCostAndUsageWithResources": { requests: 1, units: 1 },
    });
    expect(run.estimatedCostUsd).toBeCloseTo(0.05, 10);
    expect(sim.requestCounts().services.ce).toEqual({ GetCostAndUsage: 4, GetCostAndUsageWithResources: 1 });
    expect(main.sent).toEqual([
      { operation: "GetCostAndUsage", timePeriod: { Start: "2026-11-12", End: "2026-11-27" } },
      { operation: "GetCostAndUsage", timePeriod: { Start: "2026-11-12", End: "2026-11-27" } },
      { operation: "GetCostAndUsage", timePeriod: { Start: "2026-11-12", End: "2026-11-27" } },
      { operation: "GetCostAndUsage", timePeriod: { Start: "2026-11-12", End: "2026-11-27" } },
      { operation: "GetCostAndUsageWithResources", timePeriod: { Start: "2026-11-13", End: "2026-11-27" } },
    ]);
    expect(run.warnings).toEqual([]);
    expect(run.note).toBe("15 days read, 2 still estimated, 5 Cost Explorer requests");
    expect(await main.watermark()).toBe(day(-1));
    afterBackfill = await main.costItems();
  });

  it("per day, the lines add up to Cost Explorer's own total, for the service lines and for every tag key", async () => {
    const totals = await dailyTotals(day(-14), day(1));
    const bySource = {
      "service-usage": sumByDay(await main.lines("service-usage", day(-14), day(1))),
      "tag:team": sumByDay(await main.lines("tag:team", day(-14), day(1))),
      "tag:service": sumByDay(await main.lines("tag:service", day(-14), day(1))),
      "tag:env": sumByDay(await main.lines("tag:env", day(-14), day(1))),
    };
    expect(totals.size).toBe(15);
    for (const [d, total] of totals) {
      expect(total).toBeGreaterThan(0);
      for (const [grouping, sums] of Object.entries(bySource)) expectSameMoney(sums.get(d), total, 1, `${grouping} ${date(d)}`);
    }
  });

  it("the untagged function lands in the empty tag group, and per-function lines add up to the AWS Lambda line", async () => {
    const team = await main.lines("tag:team", day(-13), day(1));
    const perFunction = await main.lines("lambda-resource", day(-13), day(1));
    const service = await main.lines("service-usage", day(-13), day(1));
    expect(new Set(perFunction.map((l) => l.resourceId)).size).toBe(scenario.functions.length);
    const untaggedLambda = sumByDay(team, (l) => l.service === "AWS Lambda" && l.tagValue === "");
    const legacy = sumByDay(perFunction, (l) => l.resourceId === LEGACY_ARN);
    const lambdaTotals = await dailyTotals(day(-13), day(1), true);
    const functionsByDay = sumByDay(perFunction);
    const lambdaServiceByDay = sumByDay(service, (l) => l.service === "AWS Lambda");
    for (let d = day(-13); d <= TODAY; d += DAY) {
      // Only legacy-report-generator carries no team tag (the scenario's own list).
      expectSameMoney(untaggedLambda.get(d), legacy.get(d)!.microUsd, legacy.get(d)!.lines, `team$ ${date(d)}`);
      expect(untaggedLambda.get(d)!.microUsd).toBeGreaterThan(0);
      expectSameMoney(functionsByDay.get(d), lambdaTotals.get(d)!, 1, `functions ${date(d)}`);
      expectSameMoney(lambdaServiceByDay.get(d), lambdaTotals.get(d)!, 1, `AWS Lambda ${date(d)}`);
    }
    // Every other tag value is one of the scenario's teams.
    const teams = new Set(scenario.functions.map((f) => f.tags?.team).filter((t): t is string => t !== undefined));
    expect(new Set(team.map((l) => l.tagValue).filter((v) => v !== ""))).toEqual(teams);
  });

  it("only the days still settling (yesterday and today) are estimated", async () => {
    const all = await main.lines("service-usage", day(-14), day(1));
    expect(all.filter((l) => l.estimated).every((l) => l.periodStartMs >= day(-1))).toBe(true);
    expect(all.some((l) => l.periodStartMs === TODAY && l.estimated)).toBe(true);
    expect(all.some((l) => l.periodStartMs === day(-1) && l.estimated)).toBe(true);
    expect(all.filter((l) => l.periodStartMs < day(-1)).every((l) => !l.estimated)).toBe(true);
  });

  it("a run a few hours later re-requests only the estimated day", async () => {
    const yesterdayBefore = JSON.stringify(await main.lines("service-usage", day(-1), TODAY));
    const todayBefore = sumByDay(await main.lines("service-usage", TODAY, day(1))).get(TODAY)!.microUsd;
    const sentBefore = main.sent.length;
    sim.resetRequestCounts();
    const run = await main.run(NOW + 4 * HOUR);
    expect(run.outcome).toBe("collected");
    expect(sim.requestCounts().services.ce).toEqual({ GetCostAndUsage: 4, GetCostAndUsageWithResources: 1 });
    expect(main.sent.slice(sentBefore).map((s) => s.timePeriod)).toEqual(Array(5).fill({ Start: "2026-11-25", End: "2026-11-27" }));
    expect(JSON.stringify(await main.lines("service-usage", day(-1), TODAY))).toBe(yesterdayBefore);
    expect(sumByDay(await main.lines("service-usage", TODAY, day(1))).get(TODAY)!.microUsd).toBeGreaterThan(todayBefore);
    expect(await main.watermark()).toBe(day(-1));
  });

  it("after the day closes it is read once more, final, and then never again", async () => {
    let sentBefore = main.sent.length;
    // The 27th 06:00: the 25th is now final, today (the 26th) is still settling.
    await main.run(day(1) + 6 * HOUR);
    expect(main.sent.slice(sentBefore).map((s) => s.timePeriod)).toEqual(Array(5).fill({ Start: "2026-11-25", End: "2026-11-28" }));
    expect(await main.watermark()).toBe(TODAY);
    sentBefore = main.sent.length;
    await main.run(day(2) + 6 * HOUR);
    expect(main.sent.slice(sentBefore).map((s) => s.timePeriod.Start)).toEqual(Array(5).fill("2026-11-26"));
    expect(main.sent.slice(sentBefore).map((s) => s.timePeriod.End)).toEqual(Array(5).fill("2026-11-29"));
    const closed = await main.lines("tag:team", TODAY, day(1));
    expect(closed.length).toBeGreaterThan(0);
    expect(closed.every((l) => !l.estimated)).toBe(true);
    // The closed day now holds the whole day: Cost Explorer's final total.
    expectSameMoney(sumByDay(closed).get(TODAY), (await dailyTotals(TODAY, day(1))).get(TODAY)!, 1);
    expect(await main.watermark()).toBe(day(1));

    sentBefore = main.sent.length;
    await main.run(day(2) + 12 * HOUR);
    expect(main.sent.slice(sentBefore).map((s) => s.timePeriod)).toEqual(Array(5).fill({ Start: "2026-11-27", End: "2026-11-29" }));
  });

  it("the same nowMs twice: COST# items byte-identical, nothing written the second time", async () => {
    const t = day(2) + 12 * HOUR;
    const before = await main.costItems();
    const again = await main.run(t);
    expect(again.itemsWritten).toBe(0);
    expect(await main.costItems()).toBe(before);
  });

  it.each([1, 2, 3, 4])("a crash after %i Cost Explorer requests, then a rerun: the same table as an uninterrupted backfill", async (k) => {
    const fresh = await setUp();
    fresh.crash.afterRequests = k;
    const crashed = await fresh.run(NOW);
    expect(crashed.outcome).toBe("failed");
    expect(crashed.error).toMatch(/simulated crash/);
    expect(await fresh.watermark()).toBeNull();
    fresh.crash.afterRequests = null;
    const rerun = await fresh.run(NOW);
    expect(rerun.outcome).toBe("collected");
    expect(await fresh.costItems()).toBe(afterBackfill);
    expect(await fresh.watermark()).toBe(day(-1));
  });

  it("short pages and throttling: every page followed and counted, the same table", async () => {
    const fresh = await setUp();
    sim.faults.set([
      { kind: "truncated-pages", service: "ce", pageSize: 100 },
      { kind: "throttle", service: "ce", count: 1 },
    ]);
    try {
      sim.resetRequestCounts();
      const run = await fresh.run(NOW);
      expect(run.error).toBeNull();
      const served = sim.requestCounts().services.ce!;
      const pages = run.apiUsage["CostExplorer.GetCostAndUsage"]!.units + run.apiUsage["CostExplorer.GetCostAndUsageWithResources"]!.units;
      expect(pages).toBeGreaterThan(5);
      // Requests sent include the throttled one the SDK retried; units count the pages answered.
      expect(run.apiUsage["CostExplorer.GetCostAndUsage"]!.requests + run.apiUsage["CostExplorer.GetCostAndUsageWithResources"]!.requests).toBe(pages + 1);
      expect((served.GetCostAndUsage ?? 0) + (served.GetCostAndUsageWithResources ?? 0)).toBe(pages + 1);
      expect(run.note).toBe(`15 days read, 2 still estimated, ${pages} Cost Explorer requests`);
      expect(await fresh.costItems()).toBe(afterBackfill);
    } finally {
      sim.faults.set([]);
    }
  });

  it("hourly where enabled: 14 days by hour, adding up to the daily lines", async () => {
    const fresh = await setUp({ COST_HOURLY: "true", COST_ALLOCATION_TAG_KEYS: "team" });
    const run = await fresh.run(NOW);
    expect(run.error).toBeNull();
    // One request per grouping; the hourly answer (14 × 24 periods) takes several pages of 1,000 groups.
    const hourlyPages = run.apiUsage["CostExplorer.GetCostAndUsage"]!.units - 2;
    expect(hourlyPages).toBeGreaterThan(1);
    expect(fresh.sent.map((s) => s.timePeriod)).toEqual([
      { Start: "2026-11-12", End: "2026-11-27" },
      { Start: "2026-11-12", End: "2026-11-27" },
      { Start: "2026-11-13", End: "2026-11-27" },
      ...Array(hourlyPages).fill({ Start: "2026-11-13T00:00:00Z", End: "2026-11-27T00:00:00Z" }),
    ]);
    const hourly = await fresh.lines("hourly:service-usage", day(-13), day(1), "HOURLY");
    const daily = sumByDay(await fresh.lines("service-usage", day(-13), day(1)));
    const hourlyByDay = sumByDay(hourly);
    for (let d = day(-13); d < TODAY; d += DAY) expectSameMoney(hourlyByDay.get(d), daily.get(d)!.microUsd, daily.get(d)!.lines, `hourly ${date(d)}`);
    expect(hourly.filter((l) => l.estimated).every((l) => l.periodStartMs >= day(-1))).toBe(true);
    expect(await fresh.watermark()).toBe(day(-1));
  });
});
