import type { CollectorName, CollectorRun, RunOutcome } from "@/lib/domain/collection/collector-run";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "@/lib/domain/shared/time";

/** Every run outcome, as data (for URL validation and filter choices). */
export const RUN_OUTCOMES = ["collected", "up-to-date", "skipped", "partial", "failed"] as const satisfies readonly RunOutcome[];

// Fails to compile when RunOutcome gains a value RUN_OUTCOMES lacks.
type MissingOutcome = Exclude<RunOutcome, (typeof RUN_OUTCOMES)[number]>;
const _everyOutcomeListed: [MissingOutcome] extends [never] ? true : MissingOutcome = true;

/** Which runs to list; an absent field matches every run. */
export interface CollectorRunFilter {
  collector?: CollectorName;
  accountId?: string;
  region?: string;
  outcome?: RunOutcome;
}

/** Whether a run passes the filter. */
export function matchesRunFilter(run: CollectorRun, filter: CollectorRunFilter): boolean {
  return (
    (filter.collector === undefined || run.collector === filter.collector) &&
    (filter.accountId === undefined || run.accountId === filter.accountId) &&
    (filter.region === undefined || run.region === filter.region) &&
    (filter.outcome === undefined || run.outcome === filter.outcome)
  );
}

const LOOKBACK = /^(\d{1,6})(m|h|d)$/;
const UNIT_MS = { m: MINUTE_MS, h: HOUR_MS, d: DAY_MS } as const;

/**
 * A look-back written as a whole number of minutes, hours or days — "30m", "24h", "7d" —
 * in milliseconds; null when the text is not one (no spaces, fractions or other units).
 */
export function parseLookbackMs(text: string): number | null {
  const match = LOOKBACK.exec(text);
  if (!match) return null;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}
