import type { ResultRow } from "./insights/pipeline";
import type { QueryExecution, QueryStatistics } from "./query-execution";

/**
 * Logs Insights queries of one simulator: started, run in the background a slice at a time
 * (one `setImmediate` per slice, so the server keeps answering while a long query runs),
 * polled, stopped. Finished queries are kept for polling, the oldest dropped past a bound.
 */

export type QueryStatus = "Scheduled" | "Running" | "Complete" | "Failed" | "Cancelled" | "Timeout";

/** AWS's limit on concurrent queries per account (FACTS §6). */
export const MAX_RUNNING_QUERIES = 30;
/** Finished queries kept for GetQueryResults. */
export const MAX_FINISHED_QUERIES = 100;
/** Wall time one slice may take before yielding to the event loop. */
const SLICE_MS = 20;

export interface QueryView {
  status: QueryStatus;
  rows: ResultRow[];
  statistics: QueryStatistics;
}

interface StoredQuery {
  id: string;
  status: QueryStatus;
  execution: QueryExecution | undefined;
  /** Timeout fault: the query runs nothing and ends as Timeout at this clock time (epoch ms). */
  timeoutAtMs: number | undefined;
  immediate: NodeJS.Immediate | undefined;
}

const EMPTY_STATISTICS: QueryStatistics = { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 };

/** The queries of one simulator, by id. */
export class QueryStore {
  private readonly queries = new Map<string, StoredQuery>();
  /** Ids of finished queries, oldest first. */
  private readonly finishedOrder: string[] = [];
  private closed = false;

  constructor(private readonly now: () => number) {}

  /** Queries still Scheduled or Running. */
  runningCount(): number {
    let running = 0;
    for (const query of this.queries.values()) {
      this.refreshTimeout(query);
      if (query.status === "Scheduled" || query.status === "Running") running++;
    }
    return running;
  }

  /** Registers a query and starts running it in the background. */
  start(id: string, execution: QueryExecution): void {
    const query: StoredQuery = { id, status: "Scheduled", execution, timeoutAtMs: undefined, immediate: undefined };
    this.queries.set(id, query);
    this.schedule(query);
  }

  /** Registers a query that never finishes and reports Timeout after `seconds` of clock time. */
  startTimingOut(id: string, seconds: number): void {
    this.queries.set(id, { id, status: "Running", execution: undefined, timeoutAtMs: this.now() + seconds * 1000, immediate: undefined });
  }

  /** The query's status and results so far, or undefined for an unknown id. */
  view(id: string): QueryView | undefined {
    const query = this.queries.get(id);
    if (query === undefined) return undefined;
    this.refreshTimeout(query);
    const { execution } = query;
    if (execution === undefined || query.status === "Failed") return { status: query.status, rows: [], statistics: EMPTY_STATISTICS };
    return { status: query.status, rows: execution.rows(), statistics: execution.statistics() };
  }

  /** Stops a running query: true when it was running, false when it had already ended, undefined if unknown. */
  stop(id: string): boolean | undefined {
    const query = this.queries.get(id);
    if (query === undefined) return undefined;
    this.refreshTimeout(query);
    if (query.status !== "Scheduled" && query.status !== "Running") return false;
    this.finish(query, "Cancelled");
    return true;
  }

  /** Cancels every pending slice (the simulator is stopping). */
  close(): void {
    this.closed = true;
    for (const query of this.queries.values()) {
      if (query.immediate !== undefined) clearImmediate(query.immediate);
      query.immediate = undefined;
    }
  }

  private schedule(query: StoredQuery): void {
    if (this.closed) return;
    query.immediate = setImmediate(() => this.runSlice(query));
  }

  private runSlice(query: StoredQuery): void {
    query.immediate = undefined;
    const { execution } = query;
    if (execution === undefined || (query.status !== "Scheduled" && query.status !== "Running")) return;
    query.status = "Running";
    let done: boolean;
    try {
      done = execution.step(SLICE_MS);
    } catch {
      // A query that breaks the interpreter must not break the simulator: it fails, as on AWS.
      this.finish(query, "Failed");
      return;
    }
    if (done) this.finish(query, "Complete");
    else this.schedule(query);
  }

  private refreshTimeout(query: StoredQuery): void {
    if (query.timeoutAtMs !== undefined && query.status === "Running" && this.now() >= query.timeoutAtMs) this.finish(query, "Timeout");
  }

  private finish(query: StoredQuery, status: QueryStatus): void {
    query.status = status;
    if (query.immediate !== undefined) clearImmediate(query.immediate);
    query.immediate = undefined;
    this.finishedOrder.push(query.id);
    while (this.finishedOrder.length > MAX_FINISHED_QUERIES) this.queries.delete(this.finishedOrder.shift()!);
  }
}
