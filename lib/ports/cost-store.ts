import type { CostGranularity } from "@/lib/domain/cost/cost-groupings";
import type { CostLine } from "@/lib/domain/cost/cost-line";
import type { TimeWindow } from "@/lib/domain/shared/time";

/** Which lines to read: one grouping of one account, periods starting in a window. */
export interface CostLineRange {
  accountId: string;
  groupingId: string;
  granularity: CostGranularity;
  /** Periods starting in [fromMs, toMs); whole days select whole days. */
  window: TimeWindow;
}

/**
 * The cost lines of each account (one item per line, keyed by its identity, costLineId).
 * Writes are whole-item puts, so writing the same lines twice yields the same items.
 */
export interface CostLineStore {
  /** Lines of one grouping whose period starts in the window, in key order (time order). */
  readLines(range: CostLineRange): Promise<CostLine[]>;
  /** Puts whole lines (overwriting); returns the number written. */
  writeLines(accountId: string, lines: readonly CostLine[]): Promise<number>;
  /** Deletes lines by identity; returns the number deleted. */
  deleteLines(accountId: string, lines: readonly CostLine[]): Promise<number>;
}
