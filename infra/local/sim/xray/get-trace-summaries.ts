import { z } from "zod";
import type { SimContext } from "../wire";
import { FilterExpressionError, parseFilterExpression, type FilterNode } from "./filter-expression";
import { decodePageToken, encodePageToken, requestHash } from "./page-token";
import { tracedFunctions } from "../model/call-graph";
import { availableMinutes, checkWindow } from "./time-window";
import type { TraceRecord } from "./trace-record";
import { toTraceSummary, type TraceSummaryWire } from "./trace-summary";
import { readWalkPage, type WalkPosition } from "./trace-walk";
import { XRayRequestError } from "./xray-errors";

/** GetTraceSummaries' body as the SDK sends it (timestamps are epoch seconds). */
export const GetTraceSummariesInputSchema = z.object({
  StartTime: z.number(),
  EndTime: z.number(),
  TimeRangeType: z.enum(["TraceId", "Event", "Service"]).optional(),
  Sampling: z.boolean().optional(),
  SamplingStrategy: z.object({ Name: z.enum(["PartialScan", "FixedRate"]).optional(), Value: z.number().optional() }).optional(),
  FilterExpression: z.string().optional(),
  NextToken: z.string().optional(),
});
export type GetTraceSummariesInput = z.infer<typeof GetTraceSummariesInputSchema>;

export interface GetTraceSummariesOutput {
  TraceSummaries: TraceSummaryWire[];
  ApproximateTime: number;
  TracesProcessedCount: number;
  NextToken?: string;
}

/** X-Ray returns at most 100 summaries per page. */
export const MAX_SUMMARIES_PER_PAGE = 100;
/** Traces a page may build before it pauses with a NextToken (keeps every request short). */
const MAX_TRACES_BUILT_PER_PAGE = 20_000;
/** Share of traces `Sampling: true` keeps when no SamplingStrategy says otherwise. */
const DEFAULT_SUMMARY_SAMPLING_RATIO = 0.1;

function parseFilter(text: string | undefined): FilterNode | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  try {
    return parseFilterExpression(text);
  } catch (error) {
    if (error instanceof FilterExpressionError) throw new XRayRequestError(error.message);
    throw error;
  }
}

function samplingRatioOf(input: GetTraceSummariesInput): number | undefined {
  if (input.Sampling !== true) return undefined;
  const value = input.SamplingStrategy?.Value ?? DEFAULT_SUMMARY_SAMPLING_RATIO;
  if (!(value > 0 && value <= 1)) throw new XRayRequestError("SamplingStrategy.Value must be greater than 0 and at most 1.");
  return value;
}

/** Minutes a trace can outlast its start: the longest timeout among the functions, plus one. */
function longestTraceMinutes(ctx: SimContext, region: string): number {
  const functions = tracedFunctions(ctx.model, region);
  const longestTimeoutSec = Math.max(0, ...functions.flatMap((fn) => fn.revisions.map((r) => r.timeoutSeconds)));
  return Math.ceil(longestTimeoutSec / 60) + 1;
}

/**
 * GetTraceSummaries: newest first, at most 100 per page (fewer under the `truncated-pages`
 * fault), filtered by the supported FilterExpression subset; TimeRangeType TraceId selects by
 * trace start, Event and Service by trace end.
 * @throws XRayRequestError for a window over 24 hours, an unsupported filter or a foreign token.
 */
export function getTraceSummaries(ctx: SimContext, region: string, input: GetTraceSummariesInput): GetTraceSummariesOutput {
  checkWindow(input.StartTime, input.EndTime);
  const filter = parseFilter(input.FilterExpression);
  const samplingRatio = samplingRatioOf(input);
  const timeRangeType = input.TimeRangeType ?? "TraceId";
  const hash = requestHash([
    "GetTraceSummaries", region, input.StartTime, input.EndTime, timeRangeType, input.FilterExpression ?? "", samplingRatio ?? 0,
  ]);
  const token = input.NextToken === undefined ? undefined : decodePageToken(input.NextToken, hash, 3);
  const nowMs = token?.nowMs ?? ctx.now();
  const byStart = timeRangeType === "TraceId";
  const startMs = input.StartTime * 1000;
  const endMs = input.EndTime * 1000;
  const lookback = byStart ? 0 : longestTraceMinutes(ctx, region);
  const minutes = availableMinutes(Math.floor(input.StartTime / 60) - lookback, Math.ceil(input.EndTime / 60), nowMs);
  const inWindow = (trace: TraceRecord) => {
    const at = byStart ? trace.startMs : trace.endMs;
    return at >= startMs && at < endMs;
  };
  const start: WalkPosition | undefined = token === undefined
    ? undefined
    : { minute: token.position[0]!, fnIndex: token.position[1]!, next: token.position[2]! };
  const page = readWalkPage(ctx.model, {
    functions: tracedFunctions(ctx.model, region),
    firstMinute: minutes.from,
    endMinute: minutes.to,
    inWindow,
    filter,
    samplingRatio,
    pageSize: Math.min(MAX_SUMMARIES_PER_PAGE, ctx.faults.pageLimit("xray") ?? MAX_SUMMARIES_PER_PAGE),
    maxBuilt: MAX_TRACES_BUILT_PER_PAGE,
  }, start);
  const accountId = ctx.model.fleet.accountId;
  const approximateMinute = start?.minute ?? minutes.to - 1;
  return {
    TraceSummaries: page.traces.map((trace) => toTraceSummary(trace, accountId, byStart ? undefined : Math.round(trace.endMs) / 1000)),
    ApproximateTime: Math.min(input.EndTime, (approximateMinute + 1) * 60),
    TracesProcessedCount: page.processed,
    ...(page.next === undefined ? {} : { NextToken: encodePageToken({ position: [page.next.minute, page.next.fnIndex, page.next.next], nowMs }, hash) }),
  };
}
