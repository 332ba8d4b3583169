import type { FunctionSpec } from "./fleet";
import type { SimModel } from "./minute-stats";
import { uniformAt } from "./random";
import { MS_PER_MINUTE } from "./time";

/**
 * When each request of a minute starts. The minute is cut into `count` equal slots and the
 * k-th request starts at a random point of the k-th slot, so start order is index order (what
 * `invocation-ids.ts` promises) and any request's start is O(1) to compute.
 *
 * Logs and X-Ray both use these instants, so the trace id of a REPORT line resolves in X-Ray:
 * `traceIdFor(model, fn, minute, k, Math.floor(invocationStartMs(...) / 1000))`.
 */

/** Random stream of start offsets (apart from the model's and the identity streams). */
const START_STREAM = 211;

function slotStartMs(model: SimModel, fn: FunctionSpec, epochMinute: number, key: number, slot: number, slots: number): number {
  const u = uniformAt(model.seed, fn.nameHash, epochMinute, key, START_STREAM);
  const offsetMs = ((slot + u) / Math.max(1, slots)) * MS_PER_MINUTE;
  // Microsecond resolution, like X-Ray timestamps.
  return epochMinute * MS_PER_MINUTE + Math.floor(offsetMs * 1000) / 1000;
}

/** Epoch ms at which invocation `index` (0-based, of `invocations`) of the minute starts its trace. */
export function invocationStartMs(model: SimModel, fn: FunctionSpec, epochMinute: number, index: number, invocations: number): number {
  return slotStartMs(model, fn, epochMinute, index, index, invocations);
}

/**
 * Epoch ms at which throttled request `throttleIndex` (0-based, of `throttles`) of the minute
 * arrived. Throttled requests are identified after the invocations (index = invocations + j).
 */
export function throttledRequestStartMs(
  model: SimModel,
  fn: FunctionSpec,
  epochMinute: number,
  invocations: number,
  throttleIndex: number,
  throttles: number,
): number {
  return slotStartMs(model, fn, epochMinute, invocations + throttleIndex, throttleIndex, throttles);
}
