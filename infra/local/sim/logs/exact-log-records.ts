import { hashInts3, uniformFromKey } from "../model/random";
import { invocationStartMs } from "../model/invocation-timing";
import { durationMsOf, initMsOf, isColdStart, outcomeOf } from "../model/minute-invocations";
import { InvocationLog, LambdaLogRecord, type InvocationData } from "./lambda-log-record";
import { classIndex, LogStream, toOutcome, type MinuteLogPlan } from "./minute-log-plan";
import { normalQuantile } from "./quantile-math";

/**
 * One record per log line for one function-minute: every invocation with its own request id,
 * start time, outcome, duration and (cold) init, as X-Ray deals them out, plus the memory it
 * used. Only the minutes a query page needs are generated; nothing is kept between queries.
 */

/** Lines never sit on the minute boundary, so minute-aligned query ranges never cut a minute. */
const FIRST_OFFSET_MS = 1;
const LAST_OFFSET_MS = 59_999;

/** Rounds to the 0.01 ms a REPORT line shows (never 0: the shortest invocation takes some time). */
export function toHundredths(ms: number): number {
  return Math.max(0.01, Math.round(ms * 100) / 100);
}

/** Billed Duration: whole ms, rounded up, of duration plus (on-demand cold starts) INIT (FACTS §2). */
export function billedDurationMs(durationMs: number, initDurationMs: number | undefined): number {
  // In hundredths so 128.83 + 0.17 cannot become 129.00000000000003 and bill 130.
  const hundredths = Math.round(durationMs * 100) + Math.round((initDurationMs ?? 0) * 100);
  return Math.ceil(hundredths / 100);
}

/**
 * Calls `emit` for every line of the minute with a timestamp in [fromMs, toMs], in the order
 * the function wrote them (invocations by start time; INIT_START, START, error, END, REPORT).
 */
export function forEachExactRecord(plan: MinuteLogPlan, fromMs: number, toMs: number, emit: (record: LambdaLogRecord) => void): void {
  const { model, group, dealt } = plan;
  const fn = group.fn;
  const n = plan.invocations;
  const eligible = plan.classCounts.slice();
  const malformedLeft = plan.malformedCounts.slice();
  const firstLine = plan.minuteStartMs + FIRST_OFFSET_MS;
  const minuteEnd = plan.minuteStartMs + LAST_OFFSET_MS;

  for (let k = 0; k < n; k++) {
    // X-Ray's start instant (its trace id carries that second); lines keep whole ms inside the minute.
    const traceStartMs = invocationStartMs(model, fn, plan.epochMinute, k, n);
    const startMs = Math.min(minuteEnd, Math.max(firstLine, Math.floor(traceStartMs)));
    // Start times grow with k and every line of an invocation comes at or after its start.
    if (startMs > toMs) break;

    const dealtOutcome = outcomeOf(dealt, k);
    const outcome = toOutcome(dealtOutcome);
    const cold = isColdStart(dealt, k);
    const j = classIndex(cold, outcome);
    const key = hashInts3(plan.minuteKey, k, LogStream.invocation);
    const u = (stream: number) => uniformFromKey(key, stream);
    // Sequential selection: each class gets exactly its malformed count, spread at random.
    let malformed = false;
    if (malformedLeft[j]! > 0 && u(LogStream.malformed) * eligible[j]! < malformedLeft[j]!) {
      malformed = true;
      malformedLeft[j]!--;
    }
    eligible[j]!--;

    const durationMs = toHundredths(durationMsOf(model, dealt, k, dealtOutcome));
    const initDurationMs = cold ? toHundredths(initMsOf(model, dealt, k)) : undefined;
    let maxMemoryUsedMb = plan.memoryMb;
    if (outcome !== "oom" && plan.memoryQuantileCap > 0) {
      const used = normalQuantile(plan.memoryUsedMedianMb, plan.memoryUsedSdMb, u(LogStream.memory) * plan.memoryQuantileCap);
      maxMemoryUsedMb = Math.min(plan.memoryMb, Math.max(1, Math.round(used)));
    }

    const data: InvocationData = {
      epochMinute: plan.epochMinute,
      index: k,
      startMs: traceStartMs,
      durationMs,
      initDurationMs,
      billedDurationMs: billedDurationMs(durationMs, initDurationMs),
      memorySizeMb: plan.memoryMb,
      maxMemoryUsedMb,
      outcome,
      sampled: k < plan.sampled,
      cutRatio: malformed ? u(LogStream.cut) : undefined,
      streamSlot: k % plan.streamSlots,
      variant: Math.floor(u(LogStream.variant) * 1024),
      representative: undefined,
    };

    const startLineMs = Math.min(minuteEnd, startMs + Math.round(initDurationMs ?? 0));
    const endMs = Math.min(minuteEnd, startLineMs + Math.ceil(durationMs));
    if (endMs < fromMs) continue;
    const invocation = new InvocationLog(model, group, data);
    const line = (kind: LambdaLogRecord["kind"], ms: number) => {
      if (ms >= fromMs && ms <= toMs) emit(new LambdaLogRecord(invocation, kind, ms, 1));
    };
    if (cold) line("initStart", startMs);
    line("start", startLineMs);
    if (outcome === "error") line("failure", Math.min(minuteEnd, startLineMs + Math.floor(durationMs * 0.95)));
    else if (outcome !== "ok") line("failure", endMs);
    line("end", endMs);
    line("report", endMs);
  }
}
