/** What the fleet ranking orders functions by. */
export interface ColdStartImpact {
  functionName: string;
  /** The shared cold-start-heavy flag (cold-start-heavy.ts). */
  heavy: boolean;
  /** Total cold-start time callers waited per day (ratio × cold-start time × traffic), ms. */
  coldStartWaitMsPerDay: number;
  coldStarts: number;
}

/**
 * Orders functions by cold-start impact. Cold-start-heavy functions come first: there a
 * caller has a real chance of meeting a cold start. Within each group the most time callers
 * spent waiting on cold starts per day (ratio × cold-start time × traffic) comes first.
 *
 * Why not the total alone: a busy function at a 0.05 % cold-start ratio adds up more INIT a
 * day than a sparse one where a third of the calls wait seconds (in the ecommerce scenario the
 * SQS worker notifications-worker waits ~15 min a day over a million calls, shipping-rates-api
 * ~6 min over ~230), yet only the second is a cold-start problem for its callers. Ties (no
 * cold starts at all) go by cold starts, then by name, so the order is stable.
 */
export function compareColdStartImpact(a: ColdStartImpact, b: ColdStartImpact): number {
  return (
    Number(b.heavy) - Number(a.heavy) ||
    b.coldStartWaitMsPerDay - a.coldStartWaitMsPerDay ||
    b.coldStarts - a.coldStarts ||
    a.functionName.localeCompare(b.functionName)
  );
}
