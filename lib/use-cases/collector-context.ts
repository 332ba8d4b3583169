import type { CollectorName } from "@/lib/domain/collection/collector-run";
import type { TimeWindow } from "@/lib/domain/shared/time";

/**
 * What every collector use case is given for one run over one account and region. The
 * runner (collectors/_runtime/run-collector.ts) builds it, meters the AWS calls, records the
 * outcome on the watermark and writes the run ledger entry; the use case only collects.
 */
export interface CollectorContext {
  collector: CollectorName;
  accountId: string;
  region: string;
  /** The instant this run collects up to (epoch ms): the schedule's time, not the wall clock. */
  nowMs: number;
  /**
   * How far back a first run (no watermark) reaches: now − the backfill window (default 14
   * days, `--since`). A run with a watermark ignores it unless its watermark is older.
   */
  backfillFromMs: number;
  /** Records something skipped or degraded that does not fail the run (kept on the ledger). */
  warn(message: string): void;
  /** Reports progress of a long run; `unit` names what is counted ("hours", "queries"). */
  progress(update: { done: number; total: number; unit: string }): void;
}

/** What a collector use case returns; errors are thrown (the runner records them). */
export interface CollectorResult {
  outcome: "collected" | "up-to-date" | "skipped" | "partial";
  /** The source window read, if any. */
  window: TimeWindow | null;
  /** DynamoDB items written (put or updated). */
  itemsWritten: number;
  /** A short human note for the summary table, e.g. "15 functions" or "3 days still estimated". */
  note?: string;
}
