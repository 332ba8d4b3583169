import type { ReportStats } from "@/lib/domain/cold-start/report-stats";
import type { InsightsRow } from "@/lib/domain/logs/report-stats-row";
import type { FunctionRef } from "@/lib/domain/shared/ids";
import type { TimeWindow } from "@/lib/domain/shared/time";

/** One Logs Insights query: the text, the log groups (≤ 50) and the window [fromMs, toMs]. */
export interface InsightsQueryRequest {
  queryString: string;
  logGroupNames: readonly string[];
  window: TimeWindow;
  /** Rows to ask for (≤ 10,000); a result of exactly this many may be truncated. */
  limit: number;
}

export interface InsightsQueryResult {
  rows: InsightsRow[];
  bytesScanned: number;
}

/** CloudWatch Logs as the ReportStats collector needs it. */
export interface ReportStatsSource {
  /** Names of the log groups that exist under a prefix (DescribeLogGroups, every page). */
  listLogGroupNames(prefix: string): Promise<Set<string>>;
  /**
   * Runs one query to completion: starts it (waiting while the account's concurrent-query
   * limit is reached), polls with backoff and returns every row. Stops the query when
   * `signal` aborts.
   * @throws InsightsQueryError when it ends Failed, Timeout or Cancelled
   * @throws LogGroupNotFoundError when a log group does not exist
   */
  runQuery(request: InsightsQueryRequest, signal?: AbortSignal): Promise<InsightsQueryResult>;
}

/**
 * Stored ReportStats: one item per function and hour holding every (version, memory size)
 * combination of that hour, written whole.
 */
export interface ReportStatsStore {
  /**
   * Writes the stats of whole function-hours (every combination of a function-hour must be in
   * the one call), replacing what was stored for those hours. Idempotent. Returns items written.
   */
  writeHours(stats: readonly ReportStats[]): Promise<number>;
  /** A function's stats over the hours overlapping a window, oldest first (then version, memory size). */
  readStats(ref: FunctionRef, window: TimeWindow): Promise<ReportStats[]>;
}
