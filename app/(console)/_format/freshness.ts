import type { CollectionStatus } from "@/lib/queries/collection-status";
import { formatDateTimeUtc, formatRelativeTime } from "@/app/(console)/_format/format";

/** The data-freshness line of a page: calm when collection is current, a warning otherwise. */
export interface Freshness {
  tone: "ok" | "warning";
  message: string;
}

/** Words for the collection status of the view model, seen from `nowMs`. */
export function describeFreshness(collection: CollectionStatus, nowMs: number): Freshness {
  const storedUpTo =
    collection.lastSuccessMs === null
      ? "no data has been collected yet"
      : `showing data stored up to ${formatDateTimeUtc(collection.lastSuccessMs)} (${formatRelativeTime(collection.lastSuccessMs, nowMs)})`;
  if (collection.lastError !== null) {
    return { tone: "warning", message: `Collection failing: ${collection.lastError}; ${storedUpTo}.` };
  }
  if (collection.lastSuccessMs === null) {
    return { tone: "warning", message: "No collection has completed yet — the first collection is running." };
  }
  if (collection.stale) {
    return { tone: "warning", message: `Data is stale: the last collection finished ${formatRelativeTime(collection.lastSuccessMs, nowMs)}; ${storedUpTo}.` };
  }
  return { tone: "ok", message: `Data collected ${formatRelativeTime(collection.lastSuccessMs, nowMs)}` };
}
