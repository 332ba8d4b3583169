import { z } from "zod";
import type { MetricKey } from "@/lib/domain/metrics/lambda-metrics";
import { summarizeFunctionMetrics } from "@/lib/domain/metrics/summarize-function-metrics";
import { mapWithConcurrency } from "@/lib/domain/shared/concurrency";
import { functionRefKey } from "@/lib/domain/shared/ids";
import type { FunctionConfig } from "@/lib/domain/inventory/function-config";
import type { TimeWindow } from "@/lib/domain/shared/time";
import type { FunctionStore, MetricSeriesStore, WatermarkStore } from "@/lib/ports/stores";
import { readMetricSeries } from "@/lib/queries/metric-series-reader";
import { readFunctionList, readThrough } from "@/lib/queries/read-cache";
import { summarizeCollectionStatus, type CollectionStatus } from "@/lib/queries/collection-status";

export interface FunctionsViewDeps {
  functions: FunctionStore;
  series: MetricSeriesStore;
  watermarks: WatermarkStore;
}

export const FUNCTION_SORT_KEYS = [
  "functionName",
  "runtime",
  "architecture",
  "memoryMb",
  "invocations",
  "errors",
  "errorRatio",
  "throttles",
  "p99DurationMs",
] as const;
export const FunctionSortSchema = z.object({
  sort: z.enum(FUNCTION_SORT_KEYS).default("invocations"),
  dir: z.enum(["asc", "desc"]).default("desc"),
});
export type FunctionSort = z.infer<typeof FunctionSortSchema>;

/** One row of the Functions page and of /api/v1/functions. */
export interface FunctionRow {
  /** `<account>#<region>#<name>`, stable across requests. */
  key: string;
  accountId: string;
  region: string;
  functionName: string;
  runtime: string | null;
  architecture: string;
  memoryMb: number;
  tags: Record<string, string>;
  invocations: number;
  errors: number;
  errorRatio: number | null;
  throttles: number;
  p99DurationMs: number | null;
  /** Invocation rate per hour for the sparkline, oldest first (partial hours scaled to a full hour). */
  sparkline: { hourStartMs: number; invocationsPerHour: number }[];
}

export interface FunctionsView {
  window: TimeWindow;
  sort: FunctionSort;
  rows: FunctionRow[];
  collection: CollectionStatus;
}

const KEYS = [
  { metric: "Invocations", stat: "Sum" },
  { metric: "Errors", stat: "Sum" },
  { metric: "Throttles", stat: "Sum" },
  { metric: "Duration", stat: "p99" },
] as const satisfies readonly MetricKey[];

function compareRows(sort: FunctionSort): (a: FunctionRow, b: FunctionRow) => number {
  const sign = sort.dir === "asc" ? 1 : -1;
  return (a, b) => {
    const x = a[sort.sort];
    const y = b[sort.sort];
    // Missing values (no traffic) sort last in both directions.
    if (x === null && y !== null) return 1;
    if (y === null && x !== null) return -1;
    const order = typeof x === "string" || typeof y === "string" ? String(x).localeCompare(String(y)) : Number(x) - Number(y);
    return order !== 0 ? sign * order : a.functionName.localeCompare(b.functionName);
  };
}

type RowMetrics = Pick<FunctionRow, "invocations" | "errors" | "errorRatio" | "throttles" | "p99DurationMs" | "sparkline">;

/**
 * Every function's metric summary over the window, by functionRefKey: one Query per function
 * (the fleet's largest fan-out), so reused for a minute (read-cache.ts). The key is the window
 * and the functions summarised; the configuration shown beside it is read fresh.
 */
function readSummaries(series: MetricSeriesStore, functions: readonly FunctionConfig[], window: TimeWindow, nowMs: number): Promise<Map<string, RowMetrics>> {
  const refs = functions.map(functionRefKey);
  const key = `functions-view|${window.fromMs}|${window.toMs}|${refs.join(",")}`;
  return readThrough(series, key, async () => {
    const entries = await mapWithConcurrency(functions, 8, async (fn) => {
      const [invocations, errors, throttles, p99DurationMs] = await readMetricSeries(series, fn, { kind: "function", functionName: fn.functionName }, KEYS, window);
      const summary = summarizeFunctionMetrics(
        { invocations: invocations ?? [], errors: errors ?? [], throttles: throttles ?? [], p99DurationMs: p99DurationMs ?? [] },
        window,
      );
      const metrics: RowMetrics = {
        invocations: summary.invocations,
        errors: summary.errors,
        errorRatio: summary.errorRatio,
        throttles: summary.throttles,
        p99DurationMs: summary.p99DurationMs,
        sparkline: summary.hourlyInvocations.map((h) => ({ hourStartMs: h.hourStartMs, invocationsPerHour: h.invocationsPerHour })),
      };
      return [functionRefKey(fn), metrics] as const;
    });
    return new Map(entries);
  }, nowMs);
}

/**
 * The fleet table over a window: every function's configuration with its invocations,
 * errors, throttles, p99 and an hourly sparkline, sorted as asked. Used by the Functions
 * page and /api/v1/functions alike.
 */
export async function getFunctionsView(
  deps: FunctionsViewDeps,
  input: { window: TimeWindow; sort: FunctionSort; nowMs: number },
): Promise<FunctionsView> {
  const [functions, watermarks] = await Promise.all([readFunctionList(deps.functions, input.nowMs), deps.watermarks.list()]);
  const summaries = await readSummaries(deps.series, functions, input.window, input.nowMs);
  const rows = functions.map((fn): FunctionRow => {
    const summary = summaries.get(functionRefKey(fn))!;
    return {
      key: functionRefKey(fn),
      accountId: fn.accountId,
      region: fn.region,
      functionName: fn.functionName,
      runtime: fn.runtime,
      architecture: fn.architecture,
      memoryMb: fn.memoryMb,
      tags: fn.tags,
      invocations: summary.invocations,
      errors: summary.errors,
      errorRatio: summary.errorRatio,
      throttles: summary.throttles,
      p99DurationMs: summary.p99DurationMs,
      sparkline: summary.sparkline,
    };
  });
  return {
    window: input.window,
    sort: input.sort,
    rows: rows.sort(compareRows(input.sort)),
    collection: summarizeCollectionStatus(watermarks, input.nowMs),
  };
}
