import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BatchGetTracesCommand, GetServiceGraphCommand, XRayClient, type Service } from "@aws-sdk/client-xray";
import { PutCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { createCollectorRuntime, type CollectorRuntime } from "@/collectors/_runtime/collector-runtime";
import { runCollector } from "@/collectors/_runtime/run-collector";
import { tracesCollector } from "@/collectors/traces";
import { loadScenario } from "@/infra/local/sim/load-scenario";
import { startSimulator } from "@/infra/local/sim/server";
import { DynamoServiceGraphStore } from "@/lib/adapters/dynamodb/service-graph-repository";
import type { CollectorRun } from "@/lib/domain/collection/collector-run";
import { pickTopExemplars, type TraceExemplar } from "@/lib/domain/service-map/exemplars";
import { nodeIdOf, type ServiceGraphSnapshot, type ServiceNode } from "@/lib/domain/service-map/service-graph-snapshot";
import { emptyTrafficStats } from "@/lib/domain/service-map/traffic-stats";
import { startTestDynamo } from "@/tests/support/embedded-dynamo";

/**
 * The traces collector end to end: the real X-Ray SDK client against the simulated account
 * (ecommerce scenario), dynalite for the table. Expectations come from the scenario file and
 * from asking the simulated X-Ray directly, not from the collector's own code.
 */
const MIN = 60_000;
const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 10, 26, 12, 0, 30);
const LAST_COMPLETE_END = Date.UTC(2026, 10, 26, 11);
const quiet = { info: () => {}, error: () => {} };
const scenario = loadScenario("ecommerce");
const ACCOUNT = scenario.account.id;
const REGION = scenario.account.region;
const scope = { accountId: ACCOUNT, region: REGION };
const credentials = { accessKeyId: "test", secretAccessKey: "test" };

let db: Awaited<ReturnType<typeof startTestDynamo>>;
let sim: Awaited<ReturnType<typeof startSimulator>>;
let simNow = NOW;
let runtime: CollectorRuntime;
let store: DynamoServiceGraphStore;
let xray: XRayClient;
let backfill: CollectorRun;
/** TraceIds of every BatchGetTraces call the collector's client sent. */
const batchCalls: string[][] = [];

function newRuntime(): CollectorRuntime {
  const env = {
    TABLE_NAME: db.tableName,
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL: sim.url,
    AWS_ENDPOINT_URL_DYNAMODB: db.url,
    SIGHTLINE_ACCOUNT_ID: ACCOUNT,
    BACKFILL_HOURS: String(14 * 24),
    SETTLE_MINUTES: "5",
  };
  const created = createCollectorRuntime({ env, log: quiet });
  // Watch what the collector's own (metered) X-Ray client sends.
  created.aws(scope).xray.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === "BatchGetTracesCommand") batchCalls.push([...((args.input as { TraceIds: string[] }).TraceIds)]);
      return next(args);
    },
    { step: "initialize", name: "testBatchGetTracesSpy" },
  );
  return created;
}

const runTraces = (nowMs: number, rt = runtime) => runCollector(rt, tracesCollector, scope, { nowMs });

async function scanItems(prefix: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(new ScanCommand({ TableName: db.tableName, ExclusiveStartKey: start }));
    items.push(...((page.Items ?? []) as Record<string, unknown>[]).filter((i) => String(i.pk).startsWith(prefix)));
    start = page.LastEvaluatedKey as Record<string, unknown> | undefined;
  } while (start);
  return items.sort((a, b) => `${a.pk}|${a.sk}`.localeCompare(`${b.pk}|${b.sk}`));
}

/** The GRAPH# and TRACE# items as one string: "the table", to compare byte for byte. */
async function tracesTable(): Promise<string> {
  return JSON.stringify([...(await scanItems(`GRAPH#${ACCOUNT}#`)), ...(await scanItems(`TRACE#${ACCOUNT}#`))]);
}

async function directGraph(fromMs: number, toMs: number): Promise<Service[]> {
  const out = await xray.send(new GetServiceGraphCommand({ StartTime: new Date(fromMs), EndTime: new Date(toMs) }));
  return out.Services ?? [];
}

const idOf = (s: Service) => nodeIdOf({ type: s.Type!, name: s.Name!, accountId: s.AccountId ?? null });

/** The X-Ray node a declared downstream call reaches (as docs/simulator.md and AWS name them). */
function downstreamId(call: { service: string; resource: string }): string {
  const type = { dynamodb: "AWS::DynamoDB::Table", sqs: "AWS::SQS::Queue", sns: "AWS::SNS", eventbridge: "AWS::Events", lambda: "AWS::Lambda", http: "remote" }[call.service]!;
  return nodeIdOf({ type, name: call.resource, accountId: type === "remote" ? null : ACCOUNT });
}

async function exemplarsOfLastDay(functionName: string): Promise<TraceExemplar[]> {
  return store.readExemplars(scope, functionName, { fromMs: NOW - 24 * HOUR, toMs: NOW });
}

async function fetchTraces(ids: string[]) {
  const traces = [];
  for (let i = 0; i < ids.length; i += 5) {
    const out = await xray.send(new BatchGetTracesCommand({ TraceIds: ids.slice(i, i + 5) }));
    traces.push(...(out.Traces ?? []));
  }
  return traces;
}

type Doc = { name: string; origin?: string; fault?: boolean; subsegments?: Doc[] };
const documentsOf = (trace: { Segments?: { Document?: string }[] }) => (trace.Segments ?? []).map((s) => JSON.parse(s.Document!) as Doc);

beforeAll(async () => {
  db = await startTestDynamo();
  sim = await startSimulator({ host: "127.0.0.1", port: 0, seed: 1, scenario, now: () => simNow });
  // The SDK reads AWS_ENDPOINT_URL from the process environment, as it does in Lambda.
  process.env.AWS_ENDPOINT_URL = sim.url;
  runtime = newRuntime();
  store = new DynamoServiceGraphStore(runtime.doc, runtime.tableName);
  xray = new XRayClient({ endpoint: sim.url, region: REGION, credentials, maxAttempts: 1 });
  backfill = await runTraces(NOW);
}, 240_000);

afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL;
  xray?.destroy();
  await sim?.close();
  await db?.close();
});

describe("the traces collector against the simulator and dynalite", () => {
  it("backfills 14 days: a snapshot per hour, the unsettled hour partial, the watermark at the last complete hour", async () => {
    expect(backfill).toMatchObject({ outcome: "collected", error: null, warnings: [] });
    expect(backfill.note).toMatch(/^335 hours \+ 1 partial, \d+ exemplar traces$/);
    // One GetServiceGraph per hour (336), exemplar calls for the last day's 23 complete hours only.
    expect(backfill.apiUsage["XRay.GetServiceGraph"]!.requests).toBe(336);
    expect(backfill.apiUsage["XRay.GetTraceSummaries"]!.requests).toBeLessThanOrEqual(23 * 5);
    expect(backfill.apiUsage["XRay.BatchGetTraces"]!.requests).toBeLessThanOrEqual(23 * 6);
    expect(sim.requestCounts().services.xray).toEqual({
      GetServiceGraph: 336,
      GetTraceSummaries: backfill.apiUsage["XRay.GetTraceSummaries"]!.requests,
      BatchGetTraces: backfill.apiUsage["XRay.BatchGetTraces"]!.requests,
    });
    expect((await runtime.watermarks.get("traces", ACCOUNT, REGION))?.throughMs).toBe(LAST_COMPLETE_END);
    expect(backfill.itemsWritten).toBe((await scanItems(`GRAPH#${ACCOUNT}#`)).length + (await scanItems(`TRACE#${ACCOUNT}#`)).length);

    const graph = await store.readServiceGraph(scope, { fromMs: Date.UTC(2026, 10, 12, 12), toMs: Date.UTC(2026, 10, 26, 12) });
    expect(graph).toMatchObject({ hourCount: 336, includesPartialHour: true, missingHourStarts: [], coveredMs: 336 * HOUR });
  });

  it("never sent more than 5 trace ids in one BatchGetTraces call", () => {
    expect(batchCalls.length).toBe(backfill.apiUsage["XRay.BatchGetTraces"]!.requests);
    expect(batchCalls.every((ids) => ids.length >= 1 && ids.length <= 5)).toBe(true);
    expect(backfill.apiUsage["XRay.BatchGetTraces"]!.units).toBeLessThanOrEqual(5 * batchCalls.length);
  });

  it("the stored graph has the scenario's call graph: every traced function with its declared downstream calls", async () => {
    const graph = await store.readServiceGraph(scope, { fromMs: NOW - 24 * HOUR, toMs: LAST_COMPLETE_END });
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const targetsOf = (id: string) => (byId.get(id)?.edges ?? []).map((e) => e.toId).sort();
    const traced = scenario.functions.filter((fn) => fn.tracing === "Active" && (fn.region ?? REGION) === REGION);
    expect(traced.length).toBeGreaterThan(3);
    const functionNodes = graph.nodes.filter((n) => n.type === "AWS::Lambda::Function").map((n) => n.name).sort();
    expect(functionNodes).toEqual(traced.map((fn) => fn.name).sort());
    for (const fn of traced) {
      const fnId = nodeIdOf({ type: "AWS::Lambda::Function", name: fn.name, accountId: ACCOUNT });
      expect(targetsOf(fnId), fn.name).toEqual([...new Set(fn.calls.map(downstreamId))].sort());
      expect(targetsOf(nodeIdOf({ type: "AWS::Lambda", name: fn.name, accountId: ACCOUNT }))).toEqual([fnId]);
      if (fn.trigger?.type === "api") {
        const stage = `${fn.api!.name}/${fn.api!.stage}`;
        expect(targetsOf(nodeIdOf({ type: "AWS::ApiGateway::Stage", name: stage, accountId: ACCOUNT }))).toContain(nodeIdOf({ type: "AWS::Lambda", name: fn.name, accountId: ACCOUNT }));
        expect(targetsOf(nodeIdOf({ type: "client", name: stage, accountId: null }))).toEqual([nodeIdOf({ type: "AWS::ApiGateway::Stage", name: stage, accountId: ACCOUNT })]);
      }
    }
  });

  it("counts of six merged hours equal X-Ray's own graph over the same six hours, node by node and edge by edge", async () => {
    const from = LAST_COMPLETE_END - 6 * HOUR;
    const merged = await store.readServiceGraph(scope, { fromMs: from, toMs: LAST_COMPLETE_END });
    expect(merged.hourCount).toBe(6);
    const direct = await directGraph(from, LAST_COMPLETE_END);
    const byRef = new Map(direct.map((s) => [s.ReferenceId!, s]));
    const byId = new Map(merged.nodes.map((n) => [n.id, n]));
    expect([...byId.keys()].sort()).toEqual(direct.map(idOf).sort());
    let edges = 0;
    for (const service of direct) {
      const node = byId.get(idOf(service))!;
      expect(node.stats.totalCount, idOf(service)).toBe(service.SummaryStatistics?.TotalCount ?? 0);
      expect(node.stats.faultCount).toBe(service.SummaryStatistics?.FaultStatistics?.TotalCount ?? 0);
      for (const edge of service.Edges ?? []) {
        const stored = node.edges.find((e) => e.toId === idOf(byRef.get(edge.ReferenceId!)!));
        expect(stored?.stats.totalCount, `${idOf(service)} → ${idOf(byRef.get(edge.ReferenceId!)!)}`).toBe(edge.SummaryStatistics!.TotalCount);
        // Histograms add up to the counts they describe.
        expect(stored!.stats.histogram.counts.reduce((a, b) => a + b, 0)).toBe(edge.SummaryStatistics!.TotalCount);
        edges++;
      }
    }
    expect(edges).toBeGreaterThan(15);
  });

  it("faulted exemplars have faults when fetched again; cold-start exemplars have the Initialization subsegment", async () => {
    const functions = scenario.functions.filter((fn) => fn.tracing === "Active").map((fn) => fn.name);
    const all = (await Promise.all(functions.map(exemplarsOfLastDay))).flat();
    const faulted = all.filter((e) => e.kind === "faulted");
    const cold = all.filter((e) => e.kind === "cold-start");
    expect(faulted.length).toBeGreaterThan(10);
    expect(cold.length).toBeGreaterThan(0);
    expect(cold.every((e) => e.coldStart === true && e.initDurationMs! > 0)).toBe(true);

    const faultedSample = [...new Set(faulted.map((e) => e.traceId))].slice(0, 20);
    const fetchedFaulted = await fetchTraces(faultedSample);
    expect(fetchedFaulted.map((t) => t.Id).sort()).toEqual([...faultedSample].sort());
    for (const trace of fetchedFaulted) expect(documentsOf(trace).some((d) => d.fault === true), trace.Id).toBe(true);

    const coldSample = cold.slice(0, 10);
    const fetchedCold = new Map((await fetchTraces(coldSample.map((e) => e.traceId))).map((t) => [t.Id!, t]));
    for (const exemplar of coldSample) {
      const fnSegment = documentsOf(fetchedCold.get(exemplar.traceId)!).find((d) => d.origin === "AWS::Lambda::Function" && d.name === exemplar.functionName);
      expect(fnSegment?.subsegments?.map((s) => s.name), exemplar.traceId).toContain("Initialization");
    }
  });

  it("slowest exemplars come from each function's tail: at least the hour's p90, slowest first", async () => {
    const hour = LAST_COMPLETE_END - HOUR;
    const graph = await store.readServiceGraph(scope, { fromMs: hour, toMs: hour + HOUR });
    for (const fn of graph.nodes.filter((n) => n.type === "AWS::Lambda::Function" && n.stats.totalCount >= 100)) {
      const slowest = (await store.readExemplars(scope, fn.name, { fromMs: hour, toMs: hour + HOUR })).filter((e) => e.kind === "slowest");
      expect(slowest, fn.name).toHaveLength(3);
      expect(slowest.map((e) => e.responseTimeMs)).toEqual([...slowest.map((e) => e.responseTimeMs)].sort((a, b) => b - a));
      // X-Ray's own view of the hour: the 90th percentile of the function's response times.
      const direct = (await directGraph(hour, hour + HOUR)).find((s) => s.Type === "AWS::Lambda::Function" && s.Name === fn.name)!;
      const histogram = [...direct.ResponseTimeHistogram!].sort((a, b) => a.Value! - b.Value!);
      const total = histogram.reduce((n, e) => n + e.Count!, 0);
      let seen = 0;
      const p90Sec = histogram.find((e) => (seen += e.Count!) >= 0.9 * total)!.Value!;
      // Bin values are bin centres: allow the bin's half-width (±13 %).
      for (const e of slowest) expect(e.responseTimeMs, `${fn.name} ${e.traceId}`).toBeGreaterThanOrEqual(p90Sec * 1000 * 0.88);
      expect(pickTopExemplars(slowest, 1)[0]!.traceId).toBe(slowest[0]!.traceId);
    }
  });

  it("collecting the same windows again leaves the GRAPH# and TRACE# items byte-identical", async () => {
    const before = await tracesTable();
    // The same instant: only the partial hour is read and rewritten.
    const again = await runTraces(NOW, newRuntime());
    expect(again.note).toBe("0 hours + 1 partial, 0 exemplar traces");
    expect(await tracesTable()).toBe(before);
    // Rewind the watermark three hours: the same complete hours, exemplars included, once more.
    await runtime.watermarks.advance("traces", ACCOUNT, REGION, LAST_COMPLETE_END - 3 * HOUR);
    const rewound = await runTraces(NOW, newRuntime());
    expect(rewound.note).toMatch(/^3 hours \+ 1 partial, [1-9]\d* exemplar traces$/);
    expect(await tracesTable()).toBe(before);
  });

  it("replaces the partial hour with the complete snapshot once the hour settles", async () => {
    const hour = LAST_COMPLETE_END;
    const partialBefore = await store.readServiceGraph(scope, { fromMs: hour, toMs: hour + HOUR });
    expect(partialBefore.includesPartialHour).toBe(true);
    simNow = NOW + HOUR + 5 * MIN; // 13:05:30: 11:00 and 12:00 have settled
    const later = await runTraces(simNow);
    expect(later.note).toMatch(/^2 hours \+ 1 partial, \d+ exemplar traces$/);
    const complete = await store.readServiceGraph(scope, { fromMs: hour, toMs: hour + HOUR });
    expect(complete).toMatchObject({ hourCount: 1, includesPartialHour: false, coveredMs: HOUR });
    const direct = await directGraph(hour, hour + HOUR);
    const total = (nodes: { totalCount: number }[]) => nodes.reduce((n, s) => n + s.totalCount, 0);
    expect(total(complete.nodes.map((n) => n.stats))).toBe(total(direct.map((s) => ({ totalCount: s.SummaryStatistics?.TotalCount ?? 0 }))));
    const items = (await scanItems(`GRAPH#${ACCOUNT}#`)).filter((i) => String(i.sk).startsWith("2026-11-26T11#"));
    expect(items.map((i) => [i.sk, i.complete])).toEqual([["2026-11-26T11#000", true]]);
    expect((await runtime.watermarks.get("traces", ACCOUNT, REGION))?.throughMs).toBe(hour + 2 * HOUR);
  });
});

describe("the service-graph repository on dynalite", () => {
  const HOUR0 = Date.UTC(2026, 9, 1, 8);
  const otherScope = { accountId: "210987654321", region: "eu-west-1" };

  /** A graph of n function nodes, each calling the next, with dense histograms (big enough to need several items). */
  function aBigSnapshot(n: number, complete: boolean): ServiceGraphSnapshot {
    const histogram = { firstBin: 5, counts: Array.from({ length: 60 }, (_, i) => 100_000 + i * 7919) };
    const nodes: ServiceNode[] = Array.from({ length: n }, (_, i) => {
      const name = `fleet-function-${String(i).padStart(4, "0")}`;
      return { id: nodeIdOf({ type: "AWS::Lambda::Function", name, accountId: otherScope.accountId }), name, type: "AWS::Lambda::Function", accountId: otherScope.accountId, root: i === 0, stats: { ...emptyTrafficStats(), okCount: 1, totalCount: 1, histogram }, edges: [] };
    });
    nodes.forEach((node, i) => {
      for (let k = 1; k <= 3; k++) node.edges.push({ toId: nodes[(i + k) % n]!.id, stats: { ...emptyTrafficStats(), okCount: 1, totalCount: 1, histogram } });
    });
    return { ...otherScope, window: { fromMs: HOUR0, toMs: complete ? HOUR0 + HOUR : HOUR0 + 20 * MIN }, complete, nodes };
  }

  const chunkKeys = async () => (await scanItems(`GRAPH#${otherScope.accountId}#`)).map((i) => String(i.sk));

  it("splits a large graph over several items and reads it back whole; a smaller rewrite removes the extra chunks", async () => {
    const big = aBigSnapshot(200, false);
    const written = await store.putSnapshot(big);
    expect(written).toBeGreaterThan(1);
    expect(await chunkKeys()).toEqual(Array.from({ length: written }, (_, i) => `2026-10-01T08#${String(i).padStart(3, "0")}`));
    const read = await store.readServiceGraph(otherScope, { fromMs: HOUR0, toMs: HOUR0 + HOUR });
    expect(read.nodes).toHaveLength(200);
    expect(read.nodes.reduce((n, node) => n + node.edges.length, 0)).toBe(600);
    expect(read.includesPartialHour).toBe(true);

    expect(await store.putSnapshot(aBigSnapshot(40, true))).toBe(1);
    expect(await chunkKeys()).toEqual(["2026-10-01T08#000"]);
    const small = await store.readServiceGraph(otherScope, { fromMs: HOUR0, toMs: HOUR0 + HOUR });
    expect(small).toMatchObject({ hourCount: 1, includesPartialHour: false });
    expect(small.nodes).toHaveLength(40);
  });

  it("reads an hour torn by a crashed rewrite as missing, never as a mix", async () => {
    await store.putSnapshot(aBigSnapshot(200, true));
    const [, second] = await scanItems(`GRAPH#${otherScope.accountId}#`);
    await db.doc.send(new PutCommand({ TableName: db.tableName, Item: { ...second!, revision: "00000000000000" } }));
    const read = await store.readServiceGraph(otherScope, { fromMs: HOUR0, toMs: HOUR0 + HOUR });
    expect(read).toMatchObject({ hourCount: 0, missingHourStarts: [HOUR0], nodes: [] });
  });
});
