import { HOUR_MS } from "@/lib/domain/shared/time";

/**
 * One bucket of an SLI series: the good and total events of an SLO in [startMs, startMs +
 * durationMs). A series is sorted by startMs and its buckets never overlap; hours (from the
 * SLI ledger or X-Ray snapshots) and minutes (CloudWatch minute data) may follow each other.
 * `durationMs` may be shorter than the bucket's nominal length when it is the still-growing
 * last bucket (e.g. the current hour's partial X-Ray snapshot).
 */
export interface SliBucket {
  startMs: number;
  durationMs: number;
  good: number;
  total: number;
}

/** Minute (or shorter) buckets added up per UTC hour: the ledger's unit. */
export function toHourBuckets(buckets: readonly SliBucket[]): SliBucket[] {
  const byHour = new Map<number, SliBucket>();
  for (const b of buckets) {
    const hour = Math.floor(b.startMs / HOUR_MS) * HOUR_MS;
    const known = byHour.get(hour);
    if (known) {
      known.good += b.good;
      known.total += b.total;
    } else byHour.set(hour, { startMs: hour, durationMs: HOUR_MS, good: b.good, total: b.total });
  }
  return [...byHour.values()].sort((a, b) => a.startMs - b.startMs);
}
