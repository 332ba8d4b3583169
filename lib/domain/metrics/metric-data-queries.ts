import { metricDimensions, type MetricKey, type MetricTarget } from "@/lib/domain/metrics/lambda-metrics";
import type { TimeWindow } from "@/lib/domain/shared/time";

/** CloudWatch's limits for one GetMetricData call (FACTS.md §6). */
export const MAX_QUERIES_PER_CALL = 500;
export const MAX_DATAPOINTS_PER_CALL = 100_800;

/** One MetricStat query, in the shape GetMetricData takes, with where its answer belongs. */
export interface MetricDataQuery {
  /** Unique within its batch; CloudWatch wants ^[a-z][a-zA-Z0-9_]*$. */
  id: string;
  namespace: "AWS/Lambda";
  metricName: string;
  dimensions: { name: string; value: string }[];
  periodSeconds: number;
  stat: string;
  target: { target: MetricTarget; key: MetricKey };
}

/** A query before it is placed in a batch (the id is its place in the batch). */
export type MetricQuerySpec = Omit<MetricDataQuery, "id">;

/** One planned GetMetricData call: the queries [from, to) of the query list over one window. */
export interface MetricDataCall {
  queries: { from: number; to: number };
  window: TimeWindow;
}

/** Every target × its keys as GetMetricData queries, in target order (a target's keys stay together). */
export function buildMetricQueries(targets: readonly { target: MetricTarget; keys: readonly MetricKey[] }[], periodSeconds: number): MetricQuerySpec[] {
  if (!Number.isInteger(periodSeconds) || periodSeconds <= 0 || periodSeconds % 60 !== 0) {
    throw new RangeError(`periodSeconds must be a positive multiple of 60, got ${periodSeconds}`);
  }
  const all: MetricQuerySpec[] = [];
  for (const { target, keys } of targets) {
    for (const key of keys) {
      all.push({ namespace: "AWS/Lambda", metricName: key.metric, dimensions: metricDimensions(target), periodSeconds, stat: key.stat, target: { target, key } });
    }
  }
  return all;
}

/** The queries of one planned call, with ids unique within the batch. */
export function batchOf(queries: readonly MetricQuerySpec[], range: MetricDataCall["queries"]): MetricDataQuery[] {
  if (range.to - range.from > MAX_QUERIES_PER_CALL) throw new RangeError(`a batch holds at most ${MAX_QUERIES_PER_CALL} queries, got ${range.to - range.from}`);
  return queries.slice(range.from, range.to).map((q, j) => ({ ...q, id: `q${j}` }));
}

/**
 * The fewest GetMetricData calls any plan can make for `queries` series of `periods`
 * datapoints each (FACTS.md §6): a call carries at most 500 queries, so at least
 * ceil(queries / 500), and at most 100,800 datapoints, so at least
 * ceil(queries × periods / 100,800). It is a lower bound, not always reachable: reaching the
 * second term needs calls filled to the last datapoint (planMetricDataCalls reaches it for
 * all but about 1 in 200 (queries, periods) pairs, and is then one call above).
 */
export function getMetricDataFloor(queries: number, periods: number): number {
  if (queries <= 0 || periods <= 0) return 0;
  return Math.max(Math.ceil(queries / MAX_QUERIES_PER_CALL), Math.ceil((queries * periods) / MAX_DATAPOINTS_PER_CALL));
}

interface Piece {
  cost: number;
  size: number;
}

/**
 * Covers `total` units with pieces (each `size` units for `cost` calls; the last may be cut
 * short) at the least cost: an unbounded knapsack, O(total × pieces). Returns the lengths used.
 */
function cheapestCover(total: number, pieces: readonly Piece[]): { cost: number; parts: { piece: Piece; length: number }[] } {
  const best = new Float64Array(total + 1).fill(Infinity);
  const choice = new Int32Array(total + 1).fill(-1);
  best[0] = 0;
  for (let units = 1; units <= total; units++) {
    for (const [i, piece] of pieces.entries()) {
      const cost = best[Math.max(0, units - piece.size)]! + piece.cost;
      if (cost < best[units]!) {
        best[units] = cost;
        choice[units] = i;
      }
    }
  }
  const parts: { piece: Piece; length: number }[] = [];
  for (let units = total; units > 0; ) {
    const piece = pieces[choice[units]!]!;
    parts.push({ piece, length: Math.min(piece.size, units) });
    units -= piece.size;
  }
  // Longest first, so the short remainder (if any) comes last.
  parts.sort((a, b) => b.length - a.length);
  return { cost: best[total]!, parts };
}

/** [0, total) cut into `count` contiguous parts whose sizes differ by at most one. */
function evenCuts(total: number, count: number): { from: number; to: number }[] {
  return Array.from({ length: count }, (_, i) => ({ from: Math.floor((i * total) / count), to: Math.floor(((i + 1) * total) / count) }));
}

/**
 * Time first: the window is cut into slices, and every slice asks all queries in balanced
 * batches. A slice asked in k calls holds ceil(queries / k) queries per call and so may be
 * floor(100,800 / that) periods long; the knapsack picks the slice lengths.
 */
function timeFirst(queries: number, periods: number): { cost: number; calls: { queries: { from: number; to: number }; periods: { from: number; to: number } }[] } {
  const pieces: Piece[] = [];
  for (let perCall = Math.min(queries, MAX_QUERIES_PER_CALL); perCall >= 1; perCall--) {
    const piece = { cost: Math.ceil(queries / perCall), size: Math.floor(MAX_DATAPOINTS_PER_CALL / perCall) };
    // Fewer queries per call only help when they cost no more calls or allow longer slices.
    if (pieces.at(-1)?.cost === piece.cost) pieces.pop();
    pieces.push(piece);
    if (piece.size >= periods) break;
  }
  const { cost, parts } = cheapestCover(periods, pieces);
  const calls = [];
  let at = 0;
  for (const { piece, length } of parts) {
    for (const range of evenCuts(queries, piece.cost)) calls.push({ queries: range, periods: { from: at, to: at + length } });
    at += length;
  }
  return { cost, calls };
}

/**
 * Queries first: the queries are cut into groups, and every group reads the window in its
 * own evenly cut slices. A group read in c calls has slices of ceil(periods / c) periods and
 * so may hold floor(100,800 / that) queries (≤ 500); the knapsack picks the group sizes.
 */
function queriesFirst(queries: number, periods: number): { cost: number; calls: { queries: { from: number; to: number }; periods: { from: number; to: number } }[] } {
  const pieces: Piece[] = [];
  for (let calls = Math.ceil(periods / MAX_DATAPOINTS_PER_CALL); ; calls++) {
    const size = Math.min(MAX_QUERIES_PER_CALL, Math.floor(MAX_DATAPOINTS_PER_CALL / Math.ceil(periods / calls)));
    if (size < 1) continue;
    if (pieces.at(-1)?.size !== size) pieces.push({ cost: calls, size });
    if (size >= Math.min(queries, MAX_QUERIES_PER_CALL)) break;
  }
  const { cost, parts } = cheapestCover(queries, pieces);
  const calls = [];
  let at = 0;
  for (const { piece, length } of parts) {
    for (const range of evenCuts(periods, piece.cost)) calls.push({ queries: { from: at, to: at + length }, periods: range });
    at += length;
  }
  return { cost, calls };
}

/**
 * Plans the GetMetricData calls that read `queries` queries (of the list buildMetricQueries
 * made) over `window` in periods of `periodMs`: every call ≤ 500 queries and ≤ 100,800
 * datapoints, so CloudWatch never paginates, in as few calls as two shapes allow (time
 * slices × balanced batches, or query groups × their own slices; the cheaper wins). Calls
 * come in order of their start, so once a call has returned every query's answer is in hand
 * up to the start of the next call (the caller writes whole items up to there).
 */
export function planMetricDataCalls(queries: number, window: TimeWindow, periodMs: number): MetricDataCall[] {
  if (queries <= 0 || window.toMs <= window.fromMs) return [];
  if (window.fromMs % periodMs !== 0 || window.toMs % periodMs !== 0) {
    throw new RangeError(`window must be aligned to the ${periodMs} ms period, got ${window.fromMs}–${window.toMs}`);
  }
  const periods = (window.toMs - window.fromMs) / periodMs;
  const byTime = timeFirst(queries, periods);
  const byQueries = queriesFirst(queries, periods);
  const plan = byQueries.cost < byTime.cost ? byQueries : byTime;
  return plan.calls
    .map((call) => ({ queries: call.queries, window: { fromMs: window.fromMs + call.periods.from * periodMs, toMs: window.fromMs + call.periods.to * periodMs } }))
    .sort((a, b) => a.window.fromMs - b.window.fromMs || a.queries.from - b.queries.from);
}
