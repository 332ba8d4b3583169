import {
  EXEMPLAR_BUDGET,
  groupCandidates,
  planExemplarSearch,
  planTraceFetch,
  selectExemplars,
  type ExemplarBudget,
  type FunctionExemplars,
  type TraceSummaryInfo,
} from "@/lib/domain/service-map/exemplars";
import type { TraceDetail } from "@/lib/domain/service-map/segment-summary";
import { assembleSnapshot, type ServiceGraphSnapshot } from "@/lib/domain/service-map/service-graph-snapshot";
import { planTraceWindows } from "@/lib/domain/service-map/trace-windows";
import type { TimeWindow } from "@/lib/domain/shared/time";
import type { ServiceGraphWriter } from "@/lib/ports/service-graph-store";
import type { WatermarkStore } from "@/lib/ports/stores";
import type { TraceSource } from "@/lib/ports/trace-source";
import type { CollectorContext, CollectorResult } from "@/lib/use-cases/collector-context";

export const TRACES_COLLECTOR = "traces";

export interface CollectTracesDeps {
  source: TraceSource;
  store: ServiceGraphWriter;
  watermarks: Pick<WatermarkStore, "get" | "advance">;
}

export interface CollectTracesOptions {
  /** Minutes after an hour's end before it counts as complete (late segments). */
  settleMinutes: number;
  /** Complete hours this close to now get exemplars (trace-windows.ts); default 24. */
  exemplarLookbackHours?: number;
  budget?: ExemplarBudget;
  /** Complete hours read at once (default HOUR_CONCURRENCY); 1 makes the call order strictly sequential. */
  hourConcurrency?: number;
}

async function readSnapshot(source: TraceSource, ctx: CollectorContext, window: TimeWindow, complete: boolean): Promise<ServiceGraphSnapshot> {
  const graph = await source.getServiceGraph(window);
  graph.warnings.forEach((w) => ctx.warn(w));
  const { snapshot, danglingEdges } = assembleSnapshot({ accountId: ctx.accountId, region: ctx.region, window, complete, nodes: graph.nodes });
  if (danglingEdges > 0) ctx.warn(`service graph ${new Date(window.fromMs).toISOString()}: skipped ${danglingEdges} edges to nodes not in the graph`);
  return snapshot;
}

/** A full GetTraceSummaries page (X-Ray returns up to 100 summaries a call): the unit of the exemplar budget's summaryPages. */
const SUMMARIES_PER_PAGE = 100;
/** Short pages a budgeted page may take before the search stops anyway (X-Ray may answer with few or empty pages). */
const SHORT_PAGES_PER_PAGE = 10;

/**
 * Finds the exemplar traces of one complete hour within the budget (exemplars.ts explains the
 * strategy): the exemplar query's pages while they last, then BatchGetTraces of the planned
 * ids, ≤ 5 per call.
 */
async function findExemplars(source: TraceSource, ctx: CollectorContext, snapshot: ServiceGraphSnapshot, budget: ExemplarBudget): Promise<FunctionExemplars[]> {
  const search = planExemplarSearch(snapshot, budget);
  const window = snapshot.window;
  const summaries: TraceSummaryInfo[] = [];
  // The budget is counted in full pages of summaries (X-Ray bills the traces scanned, not the
  // calls), so pages X-Ray cuts short are read on to the same summaries: the exemplars do not
  // depend on how the answer was paged. A page guard stops a run of short or empty pages.
  let pagesLeft = budget.summaryPages;
  for (const [i, filter] of search.filters.entries()) {
    if (pagesLeft <= 0) break;
    // Pages shared out evenly among the expressions still to run (usually there is one).
    const share = Math.max(1, Math.floor(pagesLeft / (search.filters.length - i)));
    const result = await source.getTraceSummaries(window, filter, share * SHORT_PAGES_PER_PAGE, share * SUMMARIES_PER_PAGE);
    result.warnings.forEach((w) => ctx.warn(w));
    // What full pages would have held: as many as the calls of a fully paged answer.
    pagesLeft -= result.complete ? Math.min(share, Math.max(1, Math.ceil(result.summaries.length / SUMMARIES_PER_PAGE))) : share;
    summaries.push(...result.summaries);
  }
  const candidates = groupCandidates(search, summaries, budget);
  const details = new Map<string, TraceDetail>();
  let unprocessed = 0;
  for (const batch of planTraceFetch(candidates, budget)) {
    const result = await source.batchGetTraces(batch);
    result.warnings.forEach((w) => ctx.warn(w));
    unprocessed += result.unprocessedIds.length;
    for (const trace of result.traces) details.set(trace.traceId, trace);
  }
  if (unprocessed > 0) ctx.warn(`traces ${new Date(window.fromMs).toISOString()}: X-Ray could not return ${unprocessed} traces (kept without their documents)`);
  return selectExemplars(candidates, details, budget);
}

/** Complete hours collected at once. Each hour's calls are sequential; against AWS a backfill is latency-bound, not throughput-bound. */
export const HOUR_CONCURRENCY = 4;

/**
 * Runs `work` over items, `limit` at a time, and `commit(i)` for each item in order once it
 * and every item before it are done (commits run one after another). On the first failure no
 * new item starts; the ones in flight finish, then the failure is thrown — so nothing is left
 * running behind the caller's back, and nothing after a failed item is committed.
 */
async function runInOrder<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>, commit: (index: number) => Promise<void>): Promise<void> {
  const done = new Array<boolean>(items.length).fill(false);
  let next = 0;
  let committed = 0;
  let failure: { error: unknown } | null = null;
  let commits = Promise.resolve();
  const runner = async () => {
    while (failure === null && next < items.length) {
      const index = next++;
      try {
        await work(items[index]!);
        done[index] = true;
        commits = commits.then(async () => {
          while (failure === null && committed < items.length && done[committed]) await commit(committed++);
        });
        await commits;
      } catch (error) {
        failure ??= { error };
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, runner));
  if (failure !== null) throw (failure as { error: unknown }).error;
}

/**
 * Collects the X-Ray service graph of one account/region as hourly snapshots, and exemplar
 * traces for recent complete hours (trace-windows.ts says which). Complete hours are read a
 * few at a time; each is stored — snapshot, then exemplars — before the watermark moves past
 * it, and the watermark only moves over an unbroken run of stored hours, so a crash loses
 * nothing and a rerun rewrites the same items. Then the hours not yet settled are written as
 * partial snapshots (complete: false) that later runs overwrite.
 */
export async function collectTraces(deps: CollectTracesDeps, ctx: CollectorContext, options: CollectTracesOptions): Promise<CollectorResult> {
  const { accountId, region, nowMs } = ctx;
  const budget = options.budget ?? EXEMPLAR_BUDGET;
  const previous = await deps.watermarks.get(TRACES_COLLECTOR, accountId, region);
  const plan = planTraceWindows({
    watermarkMs: previous?.throughMs ?? null,
    nowMs,
    backfillFromMs: ctx.backfillFromMs,
    settleMinutes: options.settleMinutes,
    ...(options.exemplarLookbackHours === undefined ? {} : { exemplarLookbackHours: options.exemplarLookbackHours }),
  });
  const total = plan.complete.length + plan.partial.length;
  if (total === 0) return { outcome: "up-to-date", window: null, itemsWritten: 0 };

  let done = 0;
  let itemsWritten = 0;
  let exemplarCount = 0;
  await runInOrder(
    plan.complete,
    options.hourConcurrency ?? HOUR_CONCURRENCY,
    async ({ window, exemplars }) => {
      const snapshot = await readSnapshot(deps.source, ctx, window, true);
      const found = exemplars ? await findExemplars(deps.source, ctx, snapshot, budget) : [];
      // Hours run concurrently: add after each await (`n += await …` would read n before it).
      const graphItems = await deps.store.putSnapshot(snapshot);
      const exemplarItems = found.length > 0 ? await deps.store.putExemplars({ accountId, region }, window, found) : 0;
      itemsWritten += graphItems + exemplarItems;
      exemplarCount += found.reduce((n, f) => n + f.exemplars.length, 0);
    },
    async (index) => {
      await deps.watermarks.advance(TRACES_COLLECTOR, accountId, region, plan.complete[index]!.window.toMs, ctx.backfillFromMs);
      ctx.progress({ done: ++done, total, unit: "hours" });
    },
  );
  for (const window of plan.partial) {
    const graphItems = await deps.store.putSnapshot(await readSnapshot(deps.source, ctx, window, false));
    itemsWritten += graphItems;
    ctx.progress({ done: ++done, total, unit: "hours" });
  }

  const windows = [...plan.complete.map((c) => c.window), ...plan.partial];
  const partialNote = plan.partial.length > 0 ? ` + ${plan.partial.length} partial` : "";
  return {
    outcome: "collected",
    window: { fromMs: windows[0]!.fromMs, toMs: windows.at(-1)!.toMs },
    itemsWritten,
    note: `${plan.complete.length} hours${partialNote}, ${exemplarCount} exemplar traces`,
  };
}
