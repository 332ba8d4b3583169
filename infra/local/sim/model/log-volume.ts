import type { FunctionSpec } from "./fleet";

/**
 * Bytes of log one invocation writes: a START line (~70 B), an END line (~55 B) and a Text
 * REPORT line (~235 B), plus ~100 B of X-Ray fields on the REPORT line of a traced function.
 * Logs reports it as the groups' storedBytes and Cost Explorer bills it as ingestion, so both
 * read it here.
 */
export function logBytesPerInvocation(fn: FunctionSpec): number {
  return fn.tracingMode === "Active" ? 460 : 360;
}
