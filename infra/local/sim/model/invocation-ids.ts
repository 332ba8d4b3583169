import { binomialFromUniform } from "./distributions";
import type { FunctionSpec } from "./fleet";
import type { SimModel } from "./minute-stats";
import { hashInts, uniformAt } from "./random";

/**
 * Identities every API agrees on for the k-th invocation (0-based, in start-time order) of a
 * function in an epoch minute: its request id (Logs), its X-Ray trace id (Logs REPORT lines,
 * X-Ray traces) and whether it was sampled. All are pure functions of (seed, function,
 * minute, k), so Logs and X-Ray name the same invocation the same way without sharing state.
 */

/** Random stream ids for identities (kept apart from the per-minute model streams). */
const IdStream = { request: 101, trace: 102, sampling: 103, segment: 104 } as const;

function hex32(value: number): string {
  return (value >>> 0).toString(16).padStart(8, "0");
}

/** A deterministic v4-style UUID for the request (what `@requestId` and START/END/REPORT lines show). */
export function requestIdFor(model: SimModel, fn: FunctionSpec, epochMinute: number, index: number): string {
  const a = hashInts(model.seed, fn.nameHash, epochMinute, index, IdStream.request, 1);
  const b = hashInts(model.seed, fn.nameHash, epochMinute, index, IdStream.request, 2);
  const c = hashInts(model.seed, fn.nameHash, epochMinute, index, IdStream.request, 3);
  const d = hashInts(model.seed, fn.nameHash, epochMinute, index, IdStream.request, 4);
  const h = hex32(a) + hex32(b) + hex32(c) + hex32(d);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${"89ab"[c & 3]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The X-Ray trace id of the invocation: `1-<8 hex epoch seconds>-<24 hex>`, the time part
 * being the second the trace started (`startSec`).
 */
export function traceIdFor(model: SimModel, fn: FunctionSpec, epochMinute: number, index: number, startSec: number): string {
  const parts = [1, 2, 3].map((part) => hex32(hashInts(model.seed, fn.nameHash, epochMinute, index, IdStream.trace, part)));
  return `1-${hex32(Math.floor(startSec))}-${parts.join("")}`;
}

/** A 16-hex segment id for the function's segment in the trace. */
export function segmentIdFor(model: SimModel, fn: FunctionSpec, epochMinute: number, index: number, part = 0): string {
  return hex32(hashInts(model.seed, fn.nameHash, epochMinute, index, IdStream.segment, part)) +
    hex32(hashInts(model.seed, fn.nameHash, epochMinute, index, IdStream.segment, part + 1000));
}

/** Whether the function emits X-Ray traces at all (active tracing). */
export function isTraced(fn: FunctionSpec): boolean {
  return fn.tracingMode === "Active";
}

/**
 * How many of a minute's `invocations` X-Ray sampled: the reservoir (per second, so × 60 per
 * minute) first, then `fixedRate` of the rest. Invocations 0..count-1 are the sampled ones.
 * Zero for untraced functions.
 */
export function sampledCount(model: SimModel, fn: FunctionSpec, epochMinute: number, invocations: number): number {
  if (!isTraced(fn) || invocations <= 0) return 0;
  const { reservoirPerSecond, fixedRate } = model.fleet.xraySampling;
  const reservoir = Math.min(invocations, reservoirPerSecond * 60);
  const rest = binomialFromUniform(invocations - reservoir, fixedRate, uniformAt(model.seed, fn.nameHash, epochMinute, IdStream.sampling));
  return reservoir + rest;
}
