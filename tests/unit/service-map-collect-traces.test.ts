import { beforeAll, describe, expect, it } from "vitest";
import type { FunctionExemplars, TraceSummaryInfo } from "@/lib/domain/service-map/exemplars";
import type { TraceDetail } from "@/lib/domain/service-map/segment-summary";
import { nodeIdOf, type ServiceGraphSnapshot, type ServiceNode } from "@/lib/domain/service-map/service-graph-snapshot";
import { canonicalJson } from "@/lib/domain/service-map/snapshot-chunks";
import { emptyTrafficStats, type TrafficStats } from "@/lib/domain/service-map/traffic-stats";
import type { TimeWindow } from "@/lib/domain/shared/time";
import type { ServiceGraphWriter } from "@/lib/ports/service-graph-store";
import type { TraceSource } from "@/lib/ports/trace-source";
import type { CollectorContext } from "@/lib/use-cases/collector-context";
import { collectTraces, TRACES_COLLECTOR } from "@/lib/use-cases/collect-traces";
import { InMemoryWatermarkStore } from "@/tests/fakes/in-memory-stores";

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ACCOUNT = "123456789012";
const REGION = "us-east-1";
const NOW = Date.UTC(2026, 10, 26, 12, 0, 30);
const hourKey = (ms: number) => new Date(ms).toISOString().slice(0, 13);

function stats(total: number, faults: number, histogram = { firstBin: 20, counts: [Math.max(0, total - 10), 4, 3, 2, 1] }): TrafficStats {
  return { ...emptyTrafficStats(), okCount: total - faults, faultCount: faults, totalCount: total, responseTimeSumMs: total * 12.5, histogram };
}

const node = (type: string, name: string, over: Partial<ServiceNode> = {}): ServiceNode => {
  const accountId = type === "client" ? null : ACCOUNT;
  return { id: nodeIdOf({ type, name, accountId }), name, type, accountId, root: false, stats: emptyTrafficStats(), edges: [], ...over };
};

/** A 24-hex random part of a trace id, deterministic per window, function, kind and rank. */
function traceIdOf(window: TimeWindow, fn: string, kind: string, rank: number): string {
  const sec = Math.floor(window.fromMs / 1000) + rank;
  let h = 0;
  for (const ch of `${fn}|${kind}|${rank}|${window.fromMs}`) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return `1-${sec.toString(16).padStart(8, "0")}-${h.toString(16).padStart(8, "0")}${"0".repeat(16)}`;
}

/**
 * X-Ray as a script: every answer is a function of the window, so a test can predict what
 * must be stored. Records each call (per window) and can be told to fail on the nth call.
 */
class ScriptedTraceSource implements TraceSource {
  calls: { op: string; window: TimeWindow | null; ids?: number; maxPages?: number }[] = [];
  constructor(private readonly failOnCall: number | null = null) {}

  private call(op: string, window: TimeWindow | null, extra: { ids?: number; maxPages?: number } = {}) {
    this.calls.push({ op, window, ...extra });
    if (this.failOnCall === this.calls.length) throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:4566"), { code: "ECONNREFUSED" });
  }

  async getServiceGraph(window: TimeWindow) {
    this.call("GetServiceGraph", window);
    const minutes = (window.toMs - window.fromMs) / MIN;
    const hour = Math.floor(window.fromMs / HOUR);
    const table = node("AWS::DynamoDB::Table", "orders-table", { stats: stats(minutes * 9, 0) });
    const fnA = node("AWS::Lambda::Function", "fn-a", { stats: stats(minutes * 6, hour % 3 === 0 ? 2 : 0), edges: [{ toId: table.id, stats: stats(minutes * 9, 0) }] });
    const fnB = node("AWS::Lambda::Function", "fn-b", { stats: stats(minutes * 4, 0) });
    const stage = node("AWS::ApiGateway::Stage", "shop/prod", {
      root: true,
      stats: stats(minutes * 10, 0),
      edges: [{ toId: fnA.id, stats: stats(minutes * 6, 0) }, { toId: fnB.id, stats: stats(minutes * 4, 0) }],
    });
    const client = node("client", "shop/prod", { edges: [{ toId: stage.id, stats: stats(minutes * 10, 0) }] });
    return { nodes: [fnB, table, client, fnA, stage], warnings: hour % 50 === 0 ? [`X-Ray service graph ${hourKey(window.fromMs)}: skipped 1 services of unknown type "Custom"`] : [] };
  }

  async getTraceSummaries(window: TimeWindow, filterExpression: string, maxPages: number) {
    this.call("GetTraceSummaries", window, { maxPages });
    const summaries: TraceSummaryInfo[] = [];
    for (const [, fn, seconds] of filterExpression.matchAll(/name: "([^"]+)", type: "AWS::Lambda::Function"\)\) \{ responsetime >= ([\d.]+) \}/g)) {
      for (let rank = 0; rank < 8; rank++) {
        const responseTimeMs = Number(seconds) * 1000 + 100 * (8 - rank);
        summaries.push({ traceId: traceIdOf(window, fn!, "slow", rank), startMs: window.fromMs + rank * MIN, responseTimeMs, durationMs: responseTimeMs, hasFault: false, hasError: false, hasThrottle: false, functionNames: [fn!], faultCause: null, http: null });
      }
      if (filterExpression.startsWith("(fault = true")) {
        for (let rank = 0; rank < 2; rank++) {
          summaries.push({ traceId: traceIdOf(window, fn!, "fault", rank), startMs: window.fromMs + rank * MIN, responseTimeMs: 5, durationMs: 5, hasFault: true, hasError: false, hasThrottle: false, functionNames: [fn!], faultCause: `Error: cause ${rank}`, http: null });
        }
      }
    }
    // Two pages' worth of matches in every window.
    return { summaries, pagesRead: Math.min(maxPages, 2), complete: maxPages >= 2, warnings: [] };
  }

  async batchGetTraces(traceIds: readonly string[]) {
    this.call("BatchGetTraces", null, { ids: traceIds.length });
    if (traceIds.length > 5) throw new Error(`more than 5 ids: ${traceIds.length}`);
    const traces: TraceDetail[] = traceIds.map((traceId) => ({
      traceId,
      // fn-a's 5th slowest trace cold-started: only cold-start hunting beyond rank 3 finds it.
      coldStarts: traceId === this.coldTraceId(traceId) ? [{ functionName: "fn-a", initDurationMs: 640 }] : [],
      spans: [{ name: "fn", origin: "AWS::Lambda::Function", operation: null, depth: 0, offsetMs: 0, durationMs: 10, status: "ok" }],
      spanCount: 1,
      exception: null,
    }));
    return { traces, unprocessedIds: [], warnings: [] };
  }

  private coldTraceId(traceId: string): string {
    const sec = Number.parseInt(traceId.slice(2, 10), 16);
    const hourStart = Math.floor((sec * 1000) / HOUR) * HOUR;
    return traceIdOf({ fromMs: hourStart, toMs: hourStart + HOUR }, "fn-a", "slow", 4);
  }
}

/**
 * The store as items: what the DynamoDB repository writes, serialised, per key — so tests
 * compare "the table" byte for byte. Can be told to fail on the nth write.
 */
class InMemoryGraphStore implements ServiceGraphWriter {
  readonly items = new Map<string, string>();
  writes = 0;
  constructor(private readonly failOnWrite: number | null = null) {}

  private write() {
    this.writes++;
    if (this.failOnWrite === this.writes) throw new Error("DynamoDB is unavailable");
  }

  async putSnapshot(snapshot: ServiceGraphSnapshot) {
    this.write();
    this.items.set(`GRAPH#${hourKey(snapshot.window.fromMs)}`, canonicalJson(snapshot));
    return 1;
  }

  async putExemplars(_scope: { accountId: string; region: string }, window: TimeWindow, exemplars: readonly FunctionExemplars[]) {
    this.write();
    for (const f of exemplars) this.items.set(`TRACE#${f.functionName}#${hourKey(window.fromMs)}`, canonicalJson(f));
    return exemplars.length;
  }

  snapshot(hourStart: number): ServiceGraphSnapshot | undefined {
    const json = this.items.get(`GRAPH#${hourKey(hourStart)}`);
    return json === undefined ? undefined : (JSON.parse(json) as ServiceGraphSnapshot);
  }

  table(): string {
    return JSON.stringify([...this.items.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  }
}

function aContext(nowMs: number, over: Partial<CollectorContext> = {}) {
  const warnings: string[] = [];
  const progress: { done: number; total: number; unit: string }[] = [];
  const ctx: CollectorContext = {
    collector: "traces",
    accountId: ACCOUNT,
    region: REGION,
    nowMs,
    backfillFromMs: nowMs - 14 * DAY,
    warn: (m) => warnings.push(m),
    progress: (p) => progress.push(p),
    ...over,
  };
  return { ctx, warnings, progress };
}

async function run(nowMs: number, deps: { source?: TraceSource; store: InMemoryGraphStore; watermarks: InMemoryWatermarkStore }, over: Partial<CollectorContext> = {}) {
  const { ctx, warnings, progress } = aContext(nowMs, over);
  const result = await collectTraces({ source: deps.source ?? new ScriptedTraceSource(), store: deps.store, watermarks: deps.watermarks }, ctx, { settleMinutes: 5 });
  return { result, warnings, progress };
}

const watermarkOf = async (w: InMemoryWatermarkStore) => (await w.get(TRACES_COLLECTOR, ACCOUNT, REGION))?.throughMs ?? null;
const LAST_COMPLETE_END = Date.UTC(2026, 10, 26, 11);

describe("collectTraces", () => {
  it("backfills 14 days of hourly snapshots, exemplars for the last day, and the unsettled hour as partial", async () => {
    const store = new InMemoryGraphStore();
    const watermarks = new InMemoryWatermarkStore();
    const source = new ScriptedTraceSource();
    const { result, warnings, progress } = await run(NOW, { source, store, watermarks });

    // Exemplars per hour: fn-a 3 slowest + 1 cold start, fn-b 3 slowest; in the 8 of 23 hours
    // where fn-a faulted, also 2 faulted each: 15 × 7 + 8 × 11 = 193.
    expect(result).toMatchObject({ outcome: "collected", window: { fromMs: Date.UTC(2026, 10, 12, 12), toMs: Date.UTC(2026, 10, 26, 12) }, note: "335 hours + 1 partial, 193 exemplar traces" });
    // One item per snapshot, one per function and hour with exemplars — counted right although hours run concurrently.
    expect(result.itemsWritten).toBe(336 + 46);
    expect(await watermarkOf(watermarks)).toBe(LAST_COMPLETE_END);
    expect(source.calls.filter((c) => c.op === "GetServiceGraph")).toHaveLength(336);
    expect([...store.items.keys()].filter((k) => k.startsWith("GRAPH#"))).toHaveLength(336);
    // 23 complete hours since 12:00 yesterday get exemplars, for both functions.
    const traceKeys = [...store.items.keys()].filter((k) => k.startsWith("TRACE#"));
    expect(traceKeys).toHaveLength(46);
    expect(traceKeys.map((k) => k.slice(-13)).sort()[0]).toBe("2026-11-25T12");
    expect(progress.at(-1)).toEqual({ done: 336, total: 336, unit: "hours" });
    expect(progress.map((p) => p.done)).toEqual(Array.from({ length: 336 }, (_, i) => i + 1));
    // The scripted graph reports an unknown node type every 50th hour: passed on, counted.
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every((w) => w.includes('unknown type "Custom"'))).toBe(true);

    const partial = store.snapshot(Date.UTC(2026, 10, 26, 11))!;
    expect(partial).toMatchObject({ complete: false, window: { fromMs: Date.UTC(2026, 10, 26, 11), toMs: Date.UTC(2026, 10, 26, 12) } });
    const complete = store.snapshot(Date.UTC(2026, 10, 26, 10))!;
    expect(complete.complete).toBe(true);
    expect(complete.nodes.map((n) => n.id)).toEqual([...complete.nodes.map((n) => n.id)].sort());
  });

  it("keeps every hour within the call budget: ≤ 5 summary pages, ≤ 6 BatchGetTraces calls of ≤ 5 ids", async () => {
    const source = new ScriptedTraceSource();
    await run(NOW, { source, store: new InMemoryGraphStore(), watermarks: new InMemoryWatermarkStore() });
    const byHour = new Map<number, { pages: number; batches: number }>();
    let current = 0;
    for (const call of source.calls) {
      if (call.window) current = call.window.fromMs;
      const entry = byHour.get(current) ?? { pages: 0, batches: 0 };
      if (call.op === "GetTraceSummaries") entry.pages += Math.min(call.maxPages!, 2);
      if (call.op === "BatchGetTraces") entry.batches += 1;
      byHour.set(current, entry);
    }
    for (const entry of byHour.values()) {
      expect(entry.pages).toBeLessThanOrEqual(5);
      expect(entry.batches).toBeLessThanOrEqual(6);
    }
    expect(source.calls.filter((c) => c.op === "BatchGetTraces").every((c) => c.ids! <= 5)).toBe(true);
  });

  it("stores slowest, faulted and cold-start exemplars; the cold start found beyond the top 3", async () => {
    const store = new InMemoryGraphStore();
    await run(NOW, { store, watermarks: new InMemoryWatermarkStore() }, { backfillFromMs: NOW - 3 * HOUR });
    // 09:00 is divisible by 3 in hour index: fn-a had faults, so the query asked for them.
    const hour = Date.UTC(2026, 10, 26, 9);
    expect(Math.floor(hour / HOUR) % 3).toBe(0);
    const fnA = JSON.parse(store.items.get(`TRACE#fn-a#${hourKey(hour)}`)!) as FunctionExemplars;
    const kinds = fnA.exemplars.map((e) => e.kind);
    expect(kinds).toEqual(["slowest", "slowest", "slowest", "faulted", "faulted", "cold-start"]);
    expect(fnA.exemplars.at(-1)).toMatchObject({ coldStart: true, initDurationMs: 640 });
    expect(fnA.exemplars.filter((e) => e.kind === "faulted").map((e) => e.faultCause)).toEqual(["Error: cause 1", "Error: cause 0"]);
  });

  it("running the same instant twice leaves the table byte-for-byte identical", async () => {
    const store = new InMemoryGraphStore();
    const watermarks = new InMemoryWatermarkStore();
    await run(NOW, { store, watermarks });
    const first = store.table();
    const again = new ScriptedTraceSource();
    const { result } = await run(NOW, { source: again, store, watermarks });
    expect(store.table()).toBe(first);
    // Only the partial hour is read again.
    expect(again.calls.map((c) => c.op)).toEqual(["GetServiceGraph"]);
    expect(result.note).toBe("0 hours + 1 partial, 0 exemplar traces");
  });

  it("replaces the partial hour with the complete snapshot once it settles", async () => {
    const store = new InMemoryGraphStore();
    const watermarks = new InMemoryWatermarkStore();
    const hour = Date.UTC(2026, 10, 26, 11);
    await run(NOW, { store, watermarks });
    expect(store.snapshot(hour)!.complete).toBe(false);
    const { result } = await run(Date.UTC(2026, 10, 26, 12, 5), { store, watermarks });
    expect(store.snapshot(hour)).toMatchObject({ complete: true, window: { fromMs: hour, toMs: hour + HOUR } });
    expect(store.snapshot(hour + HOUR)).toMatchObject({ complete: false, window: { fromMs: hour + HOUR, toMs: hour + HOUR + 5 * MIN } });
    expect(result.note).toBe("1 hours + 1 partial, 7 exemplar traces");
    expect(await watermarkOf(watermarks)).toBe(hour + HOUR);
  });

  it("is up to date when no minute has completed since the last complete hour", async () => {
    const watermarks = new InMemoryWatermarkStore();
    await watermarks.advance(TRACES_COLLECTOR, ACCOUNT, REGION, Date.UTC(2026, 10, 26, 12));
    const source = new ScriptedTraceSource();
    const { result } = await run(NOW, { source, store: new InMemoryGraphStore(), watermarks });
    expect(result).toEqual({ outcome: "up-to-date", window: null, itemsWritten: 0 });
    expect(source.calls).toEqual([]);
  });

  describe("a run aborted after k calls, then rerun, leaves the same table as an uninterrupted run", () => {
    const reference = new InMemoryGraphStore();
    const referenceWatermarks = new InMemoryWatermarkStore();
    beforeAll(async () => {
      await run(NOW, { store: reference, watermarks: referenceWatermarks }, { backfillFromMs: NOW - 30 * HOUR });
      expect(reference.items.size).toBeGreaterThan(30);
    });

    it.each([1, 2, 3, 7, 8, 12, 25, 40, 61])("source fails on call %i", async (k) => {
      const store = new InMemoryGraphStore();
      const watermarks = new InMemoryWatermarkStore();
      await expect(run(NOW, { source: new ScriptedTraceSource(k), store, watermarks }, { backfillFromMs: NOW - 30 * HOUR })).rejects.toThrow("ECONNREFUSED");
      const stoppedAt = await watermarkOf(watermarks);
      // Never past an hour that was not stored.
      if (stoppedAt !== null) expect(store.snapshot(stoppedAt - HOUR)?.complete).toBe(true);
      await run(NOW, { store, watermarks }, { backfillFromMs: NOW - 30 * HOUR });
      expect(store.table()).toBe(reference.table());
      expect(await watermarkOf(watermarks)).toBe(await watermarkOf(referenceWatermarks));
    });

    it.each([1, 2, 5, 9, 20])("the store fails on write %i", async (k) => {
      const store = new InMemoryGraphStore(k);
      const watermarks = new InMemoryWatermarkStore();
      await expect(run(NOW, { store, watermarks }, { backfillFromMs: NOW - 30 * HOUR })).rejects.toThrow("DynamoDB is unavailable");
      await run(NOW, { store, watermarks }, { backfillFromMs: NOW - 30 * HOUR });
      expect(store.table()).toBe(reference.table());
    });
  });
});
