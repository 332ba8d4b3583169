/**
 * When a function counts as cold-start heavy: the badge on the service map, the overview's
 * cold-start storm, and a hint that provisioned concurrency may pay (issue 7 decides).
 *
 * A ratio alone would flag a function with three invocations and one cold start, so a
 * minimum number of cold starts in the window is required too.
 */
export const COLD_START_HEAVY_RATIO = 0.05;
/** Fewer cold starts than this in a window is too little to call a pattern. */
export const COLD_START_HEAVY_MIN_COLD_STARTS = 5;

/** Whether `coldStarts` of `invocations` make a function cold-start heavy. */
export function isColdStartHeavy(counts: { invocations: number; coldStarts: number }): boolean {
  if (counts.invocations <= 0 || counts.coldStarts < COLD_START_HEAVY_MIN_COLD_STARTS) return false;
  return counts.coldStarts / counts.invocations >= COLD_START_HEAVY_RATIO;
}
