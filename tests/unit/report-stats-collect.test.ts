import { describe, expect, it } from "vitest";
import type { ReportStats } from "@/lib/domain/cold-start/report-stats";
import type { FunctionConfig } from "@/lib/domain/inventory/function-config";
import { LogGroupNotFoundError } from "@/lib/domain/logs/insights-errors";
import { MAX_INSIGHTS_ROWS } from "@/lib/domain/logs/report-stats-query";
import type { InsightsRow } from "@/lib/domain/logs/report-stats-row";
import type { FunctionRef } from "@/lib/domain/shared/ids";
import type { TimeWindow } from "@/lib/domain/shared/time";
import type { InsightsQueryRequest, InsightsQueryResult, ReportStatsSource, ReportStatsStore } from "@/lib/ports/report-stats";
import type { Watermark } from "@/lib/ports/stores";
import type { CollectorContext } from "@/lib/use-cases/collector-context";
import { collectReportStats, type CollectReportStatsDeps } from "@/lib/use-cases/collect-report-stats";
import { toReportHourItems } from "@/lib/adapters/dynamodb/report-stats-repository";

const ACCOUNT = "123456789012";
const REGION = "us-east-1";
const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 10, 27, 12, 0, 30);
/** The last hour due at NOW (settle 5 min) ends at 11:00. */
const END = Date.UTC(2026, 10, 27, 11);
const NAMES = ["fn-a", "fn-b", "fn-c", "fn-d"];

function fn(functionName: string, accountId = ACCOUNT, region = REGION): FunctionConfig {
  return { accountId, region, functionName } as FunctionConfig;
}

/** `2026-11-27 10:00:00.000`, as Insights formats bin() values. */
function binLabel(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace("Z", "");
}

/**
 * A deterministic account: per group and hour one row (fn-b also a second memory size in
 * even hours), the bin at the window's inclusive end included, as Insights gives it.
 */
function modelRows(groups: readonly string[], window: TimeWindow): InsightsRow[] {
  const rows: InsightsRow[] = [];
  for (const group of groups) {
    const name = group.replace("/aws/lambda/", "");
    for (let hour = window.fromMs; hour <= window.toMs; hour += HOUR) {
      const h = Math.round(hour / HOUR);
      const memories = name === "fn-b" && h % 2 === 0 ? [512, 1024] : [512];
      for (const memoryMb of memories) {
        const invocations = 100 + (h % 24) * 10 + name.length + memoryMb / 512;
        rows.push({
          hour: binLabel(hour),
          logGroup: `${ACCOUNT}:${group}`,
          memorySize: String(memoryMb * 1_000_000),
          invocations: String(invocations),
          initCount: "2",
          initP50: "200.5",
          initP90: "300",
          initP99: "350.25",
          initMax: "351",
          initSum: "401",
          billedDurationSum: String(invocations * 21),
          durationSum: String(invocations * 20.25),
          memoryUsedP50: "90000000",
          memoryUsedP90: "100000000",
          memoryUsedP99: "110000000",
          memoryUsedMax: "120000000",
          timeouts: String(h % 3),
          outOfMemory: "0",
        });
      }
    }
  }
  return rows;
}

class FakeInsights implements ReportStatsSource {
  readonly calls: InsightsQueryRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;
  abortedSeen = 0;
  /** Queries started when the failing one failed. */
  callsWhenFailed: number | null = null;
  /** The n-th runQuery call (1-based) fails. */
  failOnCall: number | null = null;
  /** Queries over more group-hours than this return the row limit (padding rows). */
  truncateAboveGroupHours = Infinity;
  /** Groups that exist; `listings` answers each listLogGroupNames call in turn (last one repeats). */
  listings: Set<string>[];
  private listed = 0;
  existing: Set<string>;

  constructor(groups: readonly string[]) {
    this.existing = new Set(groups);
    this.listings = [new Set(groups)];
  }

  async listLogGroupNames(prefix: string) {
    const listing = this.listings[Math.min(this.listed++, this.listings.length - 1)]!;
    return new Set([...listing].filter((name) => name.startsWith(prefix)));
  }

  async runQuery(request: InsightsQueryRequest, signal?: AbortSignal): Promise<InsightsQueryResult> {
    this.calls.push(request);
    const call = this.calls.length;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      // Let other queries start meanwhile, as real queries run side by side.
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (signal?.aborted) {
        this.abortedSeen++;
        throw signal.reason;
      }
      if (call === this.failOnCall) {
        this.callsWhenFailed = this.calls.length;
        throw new Error(`query ${call} failed`);
      }
      if (request.logGroupNames.some((name) => !this.existing.has(name))) throw new LogGroupNotFoundError("no such group");
      const hours = (request.window.toMs - request.window.fromMs) / HOUR;
      const rows = modelRows(request.logGroupNames, request.window);
      if (request.logGroupNames.length * hours > this.truncateAboveGroupHours) {
        while (rows.length < MAX_INSIGHTS_ROWS) rows.push(rows[rows.length % 7]!);
        return { rows: rows.slice(0, request.limit), bytesScanned: 1 };
      }
      return { rows, bytesScanned: 1000 };
    } finally {
      this.inFlight--;
    }
  }
}

/** Whole-item semantics of the DynamoDB store, through the same item builder (JSON per key). */
class MemoryStore implements ReportStatsStore {
  readonly items = new Map<string, string>();
  async writeHours(stats: readonly ReportStats[]) {
    const items = toReportHourItems(stats);
    for (const item of items) this.items.set(`${item.pk}|${item.sk}`, JSON.stringify(item));
    return items.length;
  }
  async readStats(ref: FunctionRef, window: TimeWindow) {
    return [...this.items.values()]
      .map((json) => JSON.parse(json) as ReturnType<typeof toReportHourItems>[number])
      .filter((i) => i.functionName === ref.functionName && i.hourStartMs >= window.fromMs && i.hourStartMs < window.toMs)
      .flatMap((i) => i.combos.map((c) => ({ accountId: i.accountId, region: i.region, functionName: i.functionName, hourStartMs: i.hourStartMs, ...c })));
  }
  snapshot(): string[] {
    return [...this.items.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`);
  }
}

class MemoryWatermarks {
  throughMs: number | null = null;
  readonly advances: number[] = [];
  async get(collector: string, accountId: string, region: string): Promise<Watermark | null> {
    if (this.throughMs === null) return null;
    return { collector, accountId, region, throughMs: this.throughMs, sinceMs: null, lastAttemptMs: 0, lastSuccessMs: null, lastError: null };
  }
  async advance(_collector: string, _accountId: string, _region: string, throughMs: number, _sinceMs?: number) {
    this.advances.push(throughMs);
    this.throughMs = throughMs;
  }
}

function context(nowMs = NOW, backfillHours = 48) {
  const warnings: string[] = [];
  const progress: { done: number; total: number; unit: string }[] = [];
  const ctx: CollectorContext = {
    collector: "logs-insights",
    accountId: ACCOUNT,
    region: REGION,
    nowMs,
    backfillFromMs: nowMs - backfillHours * HOUR,
    warn: (message) => warnings.push(message),
    progress: (update) => progress.push(update),
  };
  return { ctx, warnings, progress };
}

function setup(options: { functions?: FunctionConfig[]; groups?: string[] } = {}) {
  const source = new FakeInsights(options.groups ?? NAMES.map((n) => `/aws/lambda/${n}`));
  const store = new MemoryStore();
  const watermarks = new MemoryWatermarks();
  const functions = options.functions ?? [...NAMES.map((n) => fn(n)), fn("elsewhere", ACCOUNT, "eu-west-1"), fn("theirs", "210987654321")];
  const deps: CollectReportStatsDeps = { source, store, watermarks, functions: { listFunctions: async () => functions } };
  return { source, store, watermarks, deps };
}

const OPTIONS = { settleMinutes: 5, maxConcurrentQueries: 3, byVersion: false };

async function referenceSnapshot(): Promise<string[]> {
  const { deps, store } = setup();
  await collectReportStats(deps, context().ctx, OPTIONS);
  return store.snapshot();
}

describe("collectReportStats", () => {
  it("backfills whole hours from the backfill start to the last settled hour, one item per function-hour", async () => {
    const { deps, source, store, watermarks } = setup();
    const { ctx, warnings, progress } = context();
    const result = await collectReportStats(deps, ctx, OPTIONS);
    const from = Date.UTC(2026, 10, 25, 12);
    expect(result).toMatchObject({ outcome: "collected", window: { fromMs: from, toMs: END }, itemsWritten: 4 * 47 });
    expect(warnings).toEqual([]);
    // 47 hours of 4 groups: two windows (24 h + 23 h), one query each; only this account/region's groups.
    expect(source.calls.map((c) => [c.logGroupNames.length, (c.window.toMs - c.window.fromMs) / HOUR])).toEqual([[4, 24], [4, 23]]);
    expect(watermarks.throughMs).toBe(END);
    expect(progress.at(-1)).toEqual({ done: 2, total: 2, unit: "queries" });

    const b = await store.readStats({ accountId: ACCOUNT, region: REGION, functionName: "fn-b" }, { fromMs: from, toMs: from + 2 * HOUR });
    // The row for 12:00 (even hour) has two memory sizes, 13:00 one.
    expect(b.map((s) => [s.hourStartMs, s.memorySizeMb])).toEqual([[from, 512], [from, 1024], [from + HOUR, 512]]);
    expect(b[0]).toMatchObject({ version: null, coldStarts: 2, initDurationMs: { p50: 200.5, p90: 300, p99: 350.25, max: 351 }, maxMemoryUsedMb: { max: 120 } });
  });

  it("is up to date until the next hour has settled, then collects just that hour", async () => {
    const { deps, source, watermarks } = setup();
    await collectReportStats(deps, context().ctx, OPTIONS);
    const calls = source.calls.length;
    expect(await collectReportStats(deps, context(NOW + 4 * 60_000).ctx, OPTIONS)).toMatchObject({ outcome: "up-to-date", itemsWritten: 0 });
    expect(source.calls.length).toBe(calls);
    const next = await collectReportStats(deps, context(NOW + HOUR + 4 * 60_000).ctx, OPTIONS);
    expect(next).toMatchObject({ outcome: "collected", window: { fromMs: END, toMs: END + HOUR }, itemsWritten: 4 });
    expect(source.calls.slice(calls).map((c) => c.window)).toEqual([{ fromMs: END, toMs: END + HOUR }]);
    expect(watermarks.throughMs).toBe(END + HOUR);
  });

  it("running the same window again leaves the same items", async () => {
    const { deps, store, watermarks } = setup();
    await collectReportStats(deps, context().ctx, OPTIONS);
    const first = store.snapshot();
    watermarks.throughMs = null; // as if the watermark had been lost: the same hours again
    await collectReportStats(deps, context().ctx, OPTIONS);
    expect(store.snapshot()).toEqual(first);
  });

  it("never stores a truncated result: splits the query in halves until each fits, and says so", async () => {
    const { deps, source, store } = setup();
    source.truncateAboveGroupHours = 10; // 4 groups × 2 hours is the most one query may cover
    const { ctx, warnings, progress } = context();
    const result = await collectReportStats(deps, ctx, OPTIONS);
    expect(result.outcome).toBe("collected");
    expect(store.snapshot()).toEqual(await referenceSnapshot());
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings[0]).toMatch(/^Logs Insights returned its 10000-row limit for \/aws\/lambda\/fn-a, \/aws\/lambda\/fn-b, \/aws\/lambda\/fn-c and 1 more, 2026-11-25T12:00Z–2026-11-26T12:00Z: split in two and re-run$/);
    // Every stored result came from a query within the bound; the progress total grew with the splits.
    const truncated = source.calls.filter((c) => c.logGroupNames.length * ((c.window.toMs - c.window.fromMs) / HOUR) > 10);
    expect(truncated.length).toBe(warnings.length);
    expect(progress.at(-1)).toEqual({ done: source.calls.length, total: source.calls.length, unit: "queries" });
  });

  it("fails rather than storing part of one group-hour that still returns the limit", async () => {
    const { deps, source, watermarks } = setup();
    source.truncateAboveGroupHours = 0;
    await expect(collectReportStats(deps, context().ctx, OPTIONS)).rejects.toThrow(/10000-row limit for \/aws\/lambda\/fn-\w, .*; nothing stored for it/);
    expect(watermarks.throughMs).toBeNull();
  });

  it("a run stopped after any k calls to its ports, rerun, leaves the same table as an uninterrupted run", async () => {
    const reference = await referenceSnapshot();
    /** Wraps every port method so that call number `failAt` (counted across all of them) throws. */
    const stopAfter = (deps: CollectReportStatsDeps, failAt: number) => {
      let calls = 0;
      const gate = <A extends unknown[], R>(f: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
        if (++calls === failAt) throw new Error(`stopped at call ${failAt}`);
        return f(...args);
      };
      const { source, store, watermarks, functions } = deps;
      return {
        deps: {
          source: { listLogGroupNames: gate(source.listLogGroupNames.bind(source)), runQuery: gate(source.runQuery.bind(source)) },
          store: { writeHours: gate(store.writeHours.bind(store)), readStats: store.readStats.bind(store) },
          watermarks: { get: gate(watermarks.get.bind(watermarks)), advance: gate(watermarks.advance.bind(watermarks)) },
          functions: { listFunctions: gate(functions.listFunctions.bind(functions)) },
        } satisfies CollectReportStatsDeps,
        calls: () => calls,
      };
    };
    const probe = setup();
    const counted = stopAfter(probe.deps, 0);
    await collectReportStats(counted.deps, context().ctx, OPTIONS);
    const callsOfAFullRun = counted.calls();
    expect(callsOfAFullRun).toBeGreaterThan(8);
    for (let k = 1; k <= callsOfAFullRun; k++) {
      const { deps, store, watermarks } = setup();
      await expect(collectReportStats(stopAfter(deps, k).deps, context().ctx, OPTIONS)).rejects.toThrow(`stopped at call ${k}`);
      // Whatever the watermark passed is stored (4 functions per hour).
      if (watermarks.throughMs !== null) {
        expect(store.items.size).toBeGreaterThanOrEqual(4 * ((watermarks.throughMs - Date.UTC(2026, 10, 25, 12)) / HOUR));
      }
      await collectReportStats(deps, context().ctx, OPTIONS);
      expect(store.snapshot()).toEqual(reference);
      expect(watermarks.throughMs).toBe(END);
      // The watermark only ever moved forward.
      expect(watermarks.advances).toEqual([...watermarks.advances].sort((a, b) => a - b));
    }
  });

  it("a crash between storing and advancing: the rerun collects from the old watermark and ends identical", async () => {
    const reference = await referenceSnapshot();
    const { deps, store, watermarks } = setup();
    let advancesLeft = 1;
    const advance = watermarks.advance.bind(watermarks);
    deps.watermarks = {
      get: watermarks.get.bind(watermarks),
      advance: async (...args) => {
        if (advancesLeft-- <= 0) throw new Error("Lambda timed out");
        await advance(...args);
      },
    };
    await expect(collectReportStats(deps, context().ctx, OPTIONS)).rejects.toThrow("Lambda timed out");
    expect(watermarks.throughMs).toBe(Date.UTC(2026, 10, 26, 12));
    deps.watermarks = watermarks;
    await collectReportStats(deps, context().ctx, OPTIONS);
    expect(store.snapshot()).toEqual(reference);
  });

  it("runs at most maxConcurrentQueries at once, and stops the others when one fails", async () => {
    const { deps, source } = setup({ functions: Array.from({ length: 120 }, (_, i) => fn(`f${i}`)), groups: Array.from({ length: 120 }, (_, i) => `/aws/lambda/f${i}`) });
    await collectReportStats(deps, context(NOW, 24 * 4).ctx, OPTIONS);
    // 3 batches of 40 groups × 4 windows.
    expect(source.calls).toHaveLength(12);
    expect(source.maxInFlight).toBe(3);

    const failing = setup({ functions: Array.from({ length: 120 }, (_, i) => fn(`f${i}`)), groups: Array.from({ length: 120 }, (_, i) => `/aws/lambda/f${i}`) });
    failing.source.failOnCall = 2;
    await expect(collectReportStats(failing.deps, context(NOW, 24 * 4).ctx, OPTIONS)).rejects.toThrow("query 2 failed");
    // The queries in flight were stopped, and none started after the failure.
    expect(failing.source.abortedSeen).toBeGreaterThan(0);
    expect(failing.source.calls.length).toBe(failing.source.callsWhenFailed);
  });

  it("skips functions without a log group, and groups deleted mid-run, with warnings", async () => {
    const { deps, source, store } = setup({ groups: ["/aws/lambda/fn-a", "/aws/lambda/fn-b", "/aws/lambda/fn-c"] });
    // fn-c disappears after the first listing.
    source.listings = [new Set(["/aws/lambda/fn-a", "/aws/lambda/fn-b", "/aws/lambda/fn-c"]), new Set(["/aws/lambda/fn-a", "/aws/lambda/fn-b"])];
    source.existing = new Set(["/aws/lambda/fn-a", "/aws/lambda/fn-b"]);
    const { ctx, warnings } = context();
    const result = await collectReportStats(deps, ctx, OPTIONS);
    expect(result.outcome).toBe("collected");
    expect(warnings).toEqual([
      "no log group for 1 function(s), skipped: /aws/lambda/fn-d",
      "log group(s) deleted during the run, skipped: /aws/lambda/fn-c",
      "log group(s) deleted during the run, skipped: /aws/lambda/fn-c",
    ]);
    const stored = new Set([...store.items.keys()].map((k) => k.split("|")[0]));
    expect(stored).toEqual(new Set([`REPORT#${ACCOUNT}#${REGION}#fn-a`, `REPORT#${ACCOUNT}#${REGION}#fn-b`]));
  });

  it("skips unreadable rows with a warning and stores the rest", async () => {
    const { deps, source, store } = setup();
    const run = source.runQuery.bind(source);
    source.runQuery = async (request, signal) => {
      const result = await run(request, signal);
      return { ...result, rows: result.rows.map((row, i) => (i === 0 ? { ...row, invocations: "many" } : row)) };
    };
    const { ctx, warnings } = context();
    const result = await collectReportStats(deps, ctx, OPTIONS);
    expect(result.itemsWritten).toBe(4 * 47 - 2);
    expect(store.items.size).toBe(4 * 47 - 2);
    expect(warnings).toEqual([
      "skipped 1 unreadable Logs Insights row(s) for /aws/lambda/fn-a, /aws/lambda/fn-b, /aws/lambda/fn-c and 1 more, 2026-11-25T12:00Z–2026-11-26T12:00Z (invocations: not a number)",
      "skipped 1 unreadable Logs Insights row(s) for /aws/lambda/fn-a, /aws/lambda/fn-b, /aws/lambda/fn-c and 1 more, 2026-11-26T12:00Z–2026-11-27T11:00Z (invocations: not a number)",
    ]);
  });

  it("is skipped without functions in inventory, and moves on when none has a log group", async () => {
    const none = setup({ functions: [] });
    expect(await collectReportStats(none.deps, context().ctx, OPTIONS)).toMatchObject({ outcome: "skipped", itemsWritten: 0 });
    const noGroups = setup({ groups: [] });
    expect(await collectReportStats(noGroups.deps, context().ctx, OPTIONS)).toMatchObject({ outcome: "collected", itemsWritten: 0 });
    expect(noGroups.watermarks.throughMs).toBe(END);
  });
});
