import type { Watermark } from "@/lib/ports/stores";
import { MINUTE_MS } from "@/lib/domain/shared/time";
import { METRICS_COLLECTOR } from "@/lib/use-cases/collect-metrics";
import { COLLECTOR_NAMES } from "@/lib/domain/collection/collector-run";

export interface CollectionStatus {
  /** When metrics were last collected successfully (epoch ms), null if never. */
  lastSuccessMs: number | null;
  /** The newest error of any collector whose last attempt failed. */
  lastError: string | null;
  /** True when the last success is older than `staleAfterMinutes` (or there was none). */
  stale: boolean;
}

/** How fresh the stored data is, from the collectors' watermarks. */
export function summarizeCollectionStatus(watermarks: Watermark[], nowMs: number, staleAfterMinutes = 5): CollectionStatus {
  const metrics = watermarks.filter((w) => w.collector === METRICS_COLLECTOR);
  const successes = metrics.map((w) => w.lastSuccessMs).filter((t): t is number => t !== null);
  const lastSuccessMs = successes.length > 0 ? Math.max(...successes) : null;
  // The newest failure; among failures of one pass, the earliest collector in pass order (when
  // AWS is unreachable, inventory's error is the root and the others repeat it).
  const order = (collector: string) => {
    const i = (COLLECTOR_NAMES as readonly string[]).indexOf(collector);
    return i === -1 ? COLLECTOR_NAMES.length : i;
  };
  const failing = watermarks
    .filter((w) => w.lastError !== null)
    .sort((a, b) => b.lastAttemptMs - a.lastAttemptMs || order(a.collector) - order(b.collector));
  return {
    lastSuccessMs,
    lastError: failing[0]?.lastError ?? null,
    stale: lastSuccessMs === null || nowMs - lastSuccessMs > staleAfterMinutes * MINUTE_MS,
  };
}
