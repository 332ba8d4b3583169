import type { FunctionSpec } from "../model/fleet";
import { MinuteSeriesCache, type SimModel } from "../model/minute-stats";
import { uniformAt } from "../model/random";
import { evaluateFilter, evaluateFilterOnGroup, type TraceGroupView } from "./filter-evaluate";
import type { FilterNode } from "./filter-expression";
import { planMinute, type MinuteInvocations } from "../model/minute-invocations";
import { traceAt, type TraceRecord } from "./trace-record";
import { invokedGroupOf, throttledGroupOf, traceViewOf } from "./trace-view";

/**
 * Walks the sampled traces of a window newest minute first, lazily: a page only plans the
 * minutes it reaches (series are computed an hour at a time), skips a function-minute whose
 * counts show no trace can match the filter, and builds only the traces it examines. Within a
 * minute, functions come in scenario order and each function's requests newest first
 * (throttled requests before invocations). The position after the last examined trace is the
 * NextToken, so a 24-hour window over a 1 M/day function never builds more than one page.
 */

/** Where the walk continues: a minute, a function (index into the traced functions) and a request index (−1 = the function is done). */
export interface WalkPosition {
  minute: number;
  fnIndex: number;
  next: number;
}

export interface WalkQuery {
  functions: readonly FunctionSpec[];
  /** Epoch minutes [firstMinute, endMinute) to walk (endMinute exclusive, walked downwards). */
  firstMinute: number;
  endMinute: number;
  /** Keeps a trace by its start or end time (seconds), per TimeRangeType. */
  inWindow: (trace: TraceRecord) => boolean;
  filter: FilterNode | undefined;
  /** Share of traces returned when the caller asked for sampled summaries. */
  samplingRatio: number | undefined;
  pageSize: number;
  /** Traces built per page at most; the walk pauses there (AWS also returns short pages). */
  maxBuilt: number;
}

export interface WalkPage {
  traces: TraceRecord[];
  /** Traces looked at, matching or not (skipped groups included). */
  processed: number;
  next: WalkPosition | undefined;
}

/** Random stream for the `Sampling` option of GetTraceSummaries. */
const SUMMARY_SAMPLING_STREAM = 251;
const SERIES_BLOCK_MINUTES = 60;

/** Hour-long series blocks, computed on first use (the walk goes downwards through them). */
class SeriesBlocks {
  private readonly blocks = new Map<number, MinuteSeriesCache>();

  constructor(private readonly model: SimModel) {}

  plan(fn: FunctionSpec, minute: number): MinuteInvocations | undefined {
    const blockStart = Math.floor(minute / SERIES_BLOCK_MINUTES) * SERIES_BLOCK_MINUTES;
    let cache = this.blocks.get(blockStart);
    if (cache === undefined) {
      if (this.blocks.size >= 2) this.blocks.delete(this.blocks.keys().next().value as number);
      cache = new MinuteSeriesCache(this.model, blockStart, SERIES_BLOCK_MINUTES);
      this.blocks.set(blockStart, cache);
    }
    const series = cache.series(fn.name);
    return series === undefined ? undefined : planMinute(this.model, series, minute - blockStart);
  }
}

/** The two request ranges of a function-minute, newest first: throttled, then invoked. */
function rangesOf(plan: MinuteInvocations): { from: number; to: number; group: () => TraceGroupView | undefined }[] {
  return [
    { from: plan.invocations + plan.sampledThrottles - 1, to: plan.invocations, group: () => throttledGroupOf(plan) },
    { from: plan.sampled - 1, to: 0, group: () => invokedGroupOf(plan) },
  ];
}

/** Reads one page of the walk from `start` (undefined = the newest minute). */
export function readWalkPage(model: SimModel, query: WalkQuery, start: WalkPosition | undefined): WalkPage {
  const blocks = new SeriesBlocks(model);
  const traces: TraceRecord[] = [];
  let processed = 0;
  let built = 0;
  let position: WalkPosition = start ?? { minute: query.endMinute - 1, fnIndex: 0, next: Number.POSITIVE_INFINITY };

  while (position.minute >= query.firstMinute) {
    const fn = query.functions[position.fnIndex];
    if (fn === undefined) {
      position = { minute: position.minute - 1, fnIndex: 0, next: Number.POSITIVE_INFINITY };
      continue;
    }
    const plan = position.next < 0 ? undefined : blocks.plan(fn, position.minute);
    if (plan !== undefined) {
      for (const range of rangesOf(plan)) {
        const from = Math.min(position.next, range.from);
        if (from < range.to) continue;
        if (query.filter !== undefined) {
          const group = range.group();
          if (group === undefined || evaluateFilterOnGroup(query.filter, group) === "false") {
            processed += from - range.to + 1;
            continue;
          }
        }
        for (let index = from; index >= range.to; index--) {
          if (traces.length >= query.pageSize || built >= query.maxBuilt) {
            return { traces, processed, next: { minute: position.minute, fnIndex: position.fnIndex, next: index } };
          }
          processed++;
          if (query.samplingRatio !== undefined && uniformAt(model.seed, fn.nameHash, plan.minute, index, SUMMARY_SAMPLING_STREAM) >= query.samplingRatio) continue;
          const trace = traceAt(model, plan, index);
          built++;
          if (trace === undefined || !query.inWindow(trace)) continue;
          if (query.filter === undefined || evaluateFilter(query.filter, traceViewOf(trace))) traces.push(trace);
        }
      }
    }
    position = { minute: position.minute, fnIndex: position.fnIndex + 1, next: Number.POSITIVE_INFINITY };
  }
  return { traces, processed, next: undefined };
}
