import type { TraceSummaryInfo } from "@/lib/domain/service-map/exemplars";
import type { TraceDetail } from "@/lib/domain/service-map/segment-summary";
import type { ServiceNode } from "@/lib/domain/service-map/service-graph-snapshot";
import type { TimeWindow } from "@/lib/domain/shared/time";

/**
 * X-Ray as the traces collector reads it. Results carry `warnings` for pieces of the response
 * that were skipped (unknown node types, malformed statistics or documents) — counted, never
 * fatal; the use case passes them on to the run's ledger entry.
 */
export interface TraceSource {
  /** The service graph of a window (all pages), nodes with stable ids and their edges. */
  getServiceGraph(window: TimeWindow): Promise<{ nodes: ServiceNode[]; warnings: string[] }>;
  /**
   * Trace summaries matching a filter expression in a window (by trace start), newest first,
   * reading at most `maxPages` pages and returning at most `maxSummaries` (default: no limit).
   * `complete` is false when summaries remained unread.
   */
  getTraceSummaries(
    window: TimeWindow,
    filterExpression: string,
    maxPages: number,
    maxSummaries?: number,
  ): Promise<{ summaries: TraceSummaryInfo[]; pagesRead: number; complete: boolean; warnings: string[] }>;
  /** Full traces, outlined (segment-summary.ts); at most 5 ids per call (X-Ray's limit). */
  batchGetTraces(traceIds: readonly string[]): Promise<{ traces: TraceDetail[]; unprocessedIds: string[]; warnings: string[] }>;
}
