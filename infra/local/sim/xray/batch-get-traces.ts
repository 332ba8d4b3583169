import { z } from "zod";
import { traceIdFor } from "../model/invocation-ids";
import { MinuteSeriesCache } from "../model/minute-stats";
import type { SimContext } from "../wire";
import { MS_PER_MINUTE } from "../model/time";
import { planMinute, type MinuteInvocations } from "../model/minute-invocations";
import { segmentDocuments, type SegmentWire } from "./segment-documents";
import { tracedFunctions } from "../model/call-graph";
import { isAvailableMinute } from "./time-window";
import { traceAt, type TraceRecord } from "./trace-record";
import { XRayRequestError } from "./xray-errors";

/** BatchGetTraces' body as the SDK sends it. */
export const BatchGetTracesInputSchema = z.object({
  TraceIds: z.array(z.string()),
  NextToken: z.string().optional(),
});
export type BatchGetTracesInput = z.infer<typeof BatchGetTracesInputSchema>;

export interface TraceWire {
  Id: string;
  Duration: number;
  LimitExceeded: boolean;
  Segments: SegmentWire[];
}

export interface BatchGetTracesOutput {
  Traces: TraceWire[];
  UnprocessedTraceIds: string[];
}

/** X-Ray's limit of trace ids per BatchGetTraces call. */
export const MAX_TRACE_IDS = 5;
const TRACE_ID = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/;

/** Request indices [from, to] whose slot of the minute lies within `marginSec` of second `offsetSec`. */
function indicesNear(offsetSec: number, marginSec: number, slots: number, count: number): [number, number] {
  const slotMs = MS_PER_MINUTE / Math.max(1, slots);
  const from = Math.max(0, Math.floor(((offsetSec - marginSec) * 1000) / slotMs));
  const to = Math.min(count - 1, Math.floor(((offsetSec + marginSec + 1) * 1000) / slotMs));
  return [from, to];
}

/**
 * Finds a trace by id. The id's time part gives the second the trace started, hence its minute;
 * the 24-hex random part is then compared with the minute's sampled requests of each traced
 * function, first those that started within a second of it (requests are spread over the
 * minute in index order), then all of the minute, so nothing has to be stored. The random
 * part alone identifies the request, so an id whose time part was derived from a slightly
 * different start instant in the same minute (Logs computes its own start times today) still
 * resolves, and is answered under the id asked for.
 */
function findTrace(ctx: SimContext, region: string, traceId: string, nowMs: number): TraceRecord | undefined {
  const match = TRACE_ID.exec(traceId);
  if (match === null) return undefined;
  const startSec = Number.parseInt(match[1]!, 16);
  const random = match[2]!;
  const minute = Math.floor(startSec / 60);
  if (!isAvailableMinute(minute, nowMs)) return undefined;
  const { model } = ctx;
  const cache = new MinuteSeriesCache(model, minute, 1);
  const plans: MinuteInvocations[] = [];
  for (const fn of tracedFunctions(model, region)) {
    const series = cache.series(fn.name);
    if (series !== undefined) plans.push(planMinute(model, series, 0));
  }
  const search = (plan: MinuteInvocations, from: number, to: number, offset: number): TraceRecord | undefined => {
    for (let index = offset + from; index <= offset + to; index++) {
      // The random part does not depend on the start second: compare it before building anything.
      if (!traceIdFor(model, plan.fn, minute, index, 0).endsWith(random)) continue;
      const trace = traceAt(model, plan, index);
      if (trace !== undefined) return trace.id === traceId ? trace : { ...trace, id: traceId };
    }
    return undefined;
  };
  const offsetSec = startSec - minute * 60;
  for (const marginSec of [1, 60]) {
    for (const plan of plans) {
      const found = search(plan, ...indicesNear(offsetSec, marginSec, plan.invocations, plan.sampled), 0) ??
        search(plan, ...indicesNear(offsetSec, marginSec, plan.throttles, plan.sampledThrottles), plan.invocations);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * BatchGetTraces: full segment documents of up to 5 traces; ids that name no published trace
 * come back in UnprocessedTraceIds.
 * @throws XRayRequestError for more than 5 ids.
 */
export function batchGetTraces(ctx: SimContext, region: string, input: BatchGetTracesInput): BatchGetTracesOutput {
  if (input.TraceIds.length > MAX_TRACE_IDS) {
    throw new XRayRequestError(`TraceIds must contain at most ${MAX_TRACE_IDS} trace IDs (got ${input.TraceIds.length}).`);
  }
  const nowMs = ctx.now();
  const traces: TraceWire[] = [];
  const unprocessed: string[] = [];
  for (const id of new Set(input.TraceIds)) {
    const trace = findTrace(ctx, region, id, nowMs);
    if (trace === undefined) {
      unprocessed.push(id);
      continue;
    }
    traces.push({
      Id: trace.id,
      Duration: Math.round(trace.endMs - trace.startMs) / 1000,
      LimitExceeded: false,
      Segments: segmentDocuments(ctx.model, trace),
    });
  }
  return { Traces: traces, UnprocessedTraceIds: unprocessed };
}
