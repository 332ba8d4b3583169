/**
 * One analysis task of the `analysis` bench section, run in a child process of its own so its
 * peak memory (maxRSS, heap) is the task's alone. The parent forks this file with
 * `--import tsx`, sends one {@link AnalysisTaskRequest} over IPC and gets one
 * {@link AnalysisTaskResult} back; then the child exits.
 *
 * Time is split at the DynamoDB client: `readMs` is the wall time during which at least one
 * DynamoDB request was in flight (requests overlap, so this is a union of intervals, not a
 * sum); `computeMs` is the rest. The client's own unmarshalling counts as reading; computing
 * that overlaps a request in flight counts as reading too, so `computeMs` is a lower bound.
 */
import { createHash } from "node:crypto";
import { getHeapStatistics } from "node:v8";
import { createCollectorRuntime } from "@/collectors/_runtime/collector-runtime";
import type { CollectorDefinition } from "@/collectors/_runtime/collector-definition";
import { runCollector, scopesFor } from "@/collectors/_runtime/run-collector";
import { analyzeCollector } from "@/collectors/analyze";
import { slosCollector } from "@/collectors/slos";
import { DynamoAnalysisStore } from "@/lib/adapters/dynamodb/analysis-repository";
import { DynamoCostLineStore } from "@/lib/adapters/dynamodb/cost-repository";
import { DynamoCostSettingsStore } from "@/lib/adapters/dynamodb/cost-settings-repository";
import { DynamoReportStatsStore } from "@/lib/adapters/dynamodb/report-stats-repository";
import { DynamoServiceGraphStore } from "@/lib/adapters/dynamodb/service-graph-repository";
import { DynamoSloStore } from "@/lib/adapters/dynamodb/slo-repository";
import { costPresetWindow, parseGroupBy } from "@/lib/queries/cost-params";
import { getCostView } from "@/lib/queries/cost-view";

export type AnalysisTaskName = "recommendations" | "slos" | "costs";

export interface AnalysisTaskRequest {
  task: AnalysisTaskName;
  /** The stack's environment (FleetStack.env). */
  env: Record<string, string>;
  /** The instant the task runs at (the backfill's nowMs, so the data is "now"). */
  nowMs: number;
}

export interface AnalysisTaskResult {
  task: AnalysisTaskName;
  ok: boolean;
  error: string | null;
  wallMs: number;
  readMs: number;
  computeMs: number;
  /** CPU time this process used during the task (user + system), ms: well under wall when it waits on DynamoDB. */
  cpuMs: number;
  dynamoRequests: Record<string, number>;
  /** process.resourceUsage().maxRSS at the end, MiB (the whole child: Node, tsx, modules, task). */
  peakRssMiB: number;
  /** RSS once the modules were loaded and before the task started, MiB. */
  baselineRssMiB: number;
  /** The largest used V8 heap sampled during the task (every 10 ms and at the end), MiB. */
  peakHeapMiB: number;
  /** What the task produced, in a few words (the collector's note, the view's size). */
  summary: string;
  /** sha256 of what the task produced, to compare runs before and after an optimisation. */
  resultSha256: string;
}

const MiB = 1024 * 1024;

/** Union-of-intervals timer: the time during which at least one request is in flight. */
function inFlightClock() {
  let inFlight = 0;
  let since = 0;
  let busyMs = 0;
  return {
    start() {
      if (inFlight++ === 0) since = performance.now();
    },
    end() {
      if (--inFlight === 0) busyMs += performance.now() - since;
    },
    get busyMs() {
      return busyMs + (inFlight > 0 ? performance.now() - since : 0);
    },
  };
}

/** JSON with object keys sorted, so equal results hash equal whatever the key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

const sha256 = (value: unknown) => createHash("sha256").update(canonical(value)).digest("hex");

async function runTask(request: AnalysisTaskRequest): Promise<AnalysisTaskResult> {
  const runtime = createCollectorRuntime({ env: request.env, log: { info: () => {}, error: (m) => console.error(m) } });
  const clock = inFlightClock();
  const requests: Record<string, number> = {};
  let counting = false;
  const send = runtime.doc.send.bind(runtime.doc) as (command: unknown) => Promise<unknown>;
  (runtime.doc as unknown as { send: (command: unknown) => Promise<unknown> }).send = async (command: unknown) => {
    if (!counting) return send(command);
    const name = (command as { constructor: { name: string } }).constructor.name.replace(/Command$/, "");
    requests[name] = (requests[name] ?? 0) + 1;
    clock.start();
    try {
      return await send(command);
    } finally {
      clock.end();
    }
  };
  const table = runtime.tableName;
  // Resolved before the clock starts: discovering the account is one STS call, not analysis.
  const [scope] = await scopesFor(runtime, analyzeCollector);
  if (!scope) throw new Error("no account/region to analyse");
  const collect = async (definition: CollectorDefinition) => {
    const run = await runCollector(runtime, definition, scope, { nowMs: request.nowMs });
    if (run.outcome === "failed") throw new Error(`${definition.name} failed: ${run.error}`);
    return run;
  };

  let peakHeap = getHeapStatistics().used_heap_size;
  const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size)), 10);
  const baselineRss = process.memoryUsage().rss;
  counting = true;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let summary = "";
  let produced: () => Promise<unknown>;
  switch (request.task) {
    case "recommendations": {
      const run = await collect(analyzeCollector);
      summary = run.note ?? "";
      produced = () => new DynamoAnalysisStore(runtime.doc, table).list(scope.accountId, scope.region);
      break;
    }
    case "slos": {
      const run = await collect(slosCollector);
      summary = run.note ?? "";
      produced = async () => (await new DynamoSloStore(runtime.doc, table).listStatuses()).map((s) => ({ ...s, evaluatedAtMs: 0 }));
      break;
    }
    case "costs": {
      const tagKeys = runtime.config.COST_ALLOCATION_TAG_KEYS;
      const groupBy = parseGroupBy(`tag:${tagKeys[0]}`, tagKeys) ?? { kind: "service" as const };
      const result = await getCostView(
        {
          functions: runtime.functions,
          costLines: new DynamoCostLineStore(runtime.doc, table),
          series: runtime.series,
          reportStats: new DynamoReportStatsStore(runtime.doc, table),
          serviceGraph: new DynamoServiceGraphStore(runtime.doc, table),
          watermarks: runtime.watermarks,
          costSettings: new DynamoCostSettingsStore(runtime.doc, table),
          tagKeys,
          homeAccountId: scope.accountId,
        },
        { groupBy, window: costPresetWindow("14d", request.nowMs), bucket: null, accountId: null },
        request.nowMs,
      );
      if (result.kind !== "ok") throw new Error(`the cost view has no data: ${result.message}`);
      const { view } = result;
      summary = `${view.buckets.length} buckets by ${view.groupBy}, ${view.unitCosts.functions.length} functions' unit costs, ${view.anomalies.length} anomalies`;
      produced = async () => view;
      break;
    }
  }
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  counting = false;
  clearInterval(sampler);
  peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size);
  const readMs = clock.busyMs;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  return {
    task: request.task,
    ok: true,
    error: null,
    wallMs,
    readMs,
    computeMs: Math.max(0, wallMs - readMs),
    cpuMs: (cpu.user + cpu.system) / 1000,
    dynamoRequests: requests,
    peakRssMiB: peakRss / MiB,
    baselineRssMiB: baselineRss / MiB,
    peakHeapMiB: peakHeap / MiB,
    summary,
    resultSha256: sha256(await produced()),
  };
}

process.once("message", (message: AnalysisTaskRequest) => {
  runTask(message).then(
    (result) => process.send?.(result, () => process.exit(0)),
    (error: unknown) => {
      const failed: Partial<AnalysisTaskResult> = { task: message.task, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
      process.send?.(failed, () => process.exit(1));
    },
  );
});
