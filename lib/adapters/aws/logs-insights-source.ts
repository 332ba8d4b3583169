import {
  type CloudWatchLogsClient,
  GetQueryResultsCommand,
  paginateDescribeLogGroups,
  StartQueryCommand,
  StopQueryCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { z } from "zod";
import { InsightsQueryError, LogGroupNotFoundError } from "@/lib/domain/logs/insights-errors";
import { describeReportQuery } from "@/lib/domain/logs/report-query-plan";
import type { InsightsRow } from "@/lib/domain/logs/report-stats-row";
import type { InsightsQueryRequest, InsightsQueryResult, ReportStatsSource } from "@/lib/ports/report-stats";
import { reachingAws } from "@/lib/adapters/aws/unreachable";

const API = "CloudWatch Logs";

/** Backoff of GetQueryResults polls and of StartQuery retries at the concurrent-query limit. */
export interface InsightsBackoff {
  /** First wait before polling a started query (ms), then × pollFactor up to pollMaxMs. */
  pollInitialMs: number;
  pollFactor: number;
  pollMaxMs: number;
  /** First wait after LimitExceededException on StartQuery (ms), doubling up to limitRetryMaxMs. */
  limitRetryInitialMs: number;
  limitRetryMaxMs: number;
  /** StartQuery attempts at the limit before giving up (the limit frees as other queries end). */
  limitRetryAttempts: number;
  /** Polling time after which a query is stopped and reported (Insights itself ends queries at 60 minutes). */
  maxQueryWaitMs: number;
}

export const DEFAULT_INSIGHTS_BACKOFF: InsightsBackoff = {
  pollInitialMs: 250,
  pollFactor: 1.5,
  pollMaxMs: 3_000,
  limitRetryInitialMs: 1_000,
  limitRetryMaxMs: 10_000,
  limitRetryAttempts: 30,
  maxQueryWaitMs: 65 * 60_000,
};

/**
 * The GetQueryResults members this adapter depends on, parsed once. Rows stay `unknown`
 * here: a row of an unexpected shape becomes an empty row, which the row parser skips and
 * counts, instead of failing the whole query.
 */
const QueryResultsSchema = z.object({
  status: z.string().optional(),
  results: z.array(z.unknown()).optional(),
  statistics: z.object({ bytesScanned: z.number().optional() }).optional(),
});
const CellSchema = z.object({ field: z.string(), value: z.string() });

const RUNNING = new Set(["Scheduled", "Running"]);

/**
 * Logs Insights through the SDK: lists log groups, and runs one query to completion —
 * StartQuery (waiting and retrying while the account's concurrent-query limit is reached),
 * GetQueryResults polled with backoff, StopQuery when the caller aborts. Throttling and 5xx
 * are retried by the client itself (adaptive retries, clients.ts). The query range is
 * [fromMs, toMs] in epoch seconds, end inclusive as on AWS: a line stamped exactly at toMs
 * falls into the next hour's bin, which the caller drops.
 */
export class LogsInsightsReportSource implements ReportStatsSource {
  private readonly backoff: InsightsBackoff;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(
    private readonly client: CloudWatchLogsClient,
    options: { backoff?: Partial<InsightsBackoff>; sleep?: (ms: number, signal?: AbortSignal) => Promise<void> } = {},
  ) {
    this.backoff = { ...DEFAULT_INSIGHTS_BACKOFF, ...options.backoff };
    this.sleep = options.sleep ?? sleepMs;
  }

  async listLogGroupNames(prefix: string): Promise<Set<string>> {
    const names = new Set<string>();
    await reachingAws(API, async () => {
      for await (const page of paginateDescribeLogGroups({ client: this.client }, { logGroupNamePrefix: prefix })) {
        for (const group of page.logGroups ?? []) if (group.logGroupName) names.add(group.logGroupName);
      }
    });
    return names;
  }

  async runQuery(request: InsightsQueryRequest, signal?: AbortSignal): Promise<InsightsQueryResult> {
    const queryId = await this.startQuery(request, signal);
    try {
      return await this.poll(queryId, request, signal);
    } catch (error) {
      if (signal?.aborted) await this.stopQuietly(queryId);
      throw error;
    }
  }

  private async startQuery(request: InsightsQueryRequest, signal: AbortSignal | undefined): Promise<string> {
    const { backoff } = this;
    let waitMs = backoff.limitRetryInitialMs;
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      try {
        // Not aborted mid-flight (no abortSignal): a started query's id is needed to stop it.
        const output = await reachingAws(API, () =>
          this.client.send(
            new StartQueryCommand({
              logGroupNames: [...request.logGroupNames],
              startTime: Math.floor(request.window.fromMs / 1000),
              endTime: Math.ceil(request.window.toMs / 1000),
              queryString: request.queryString,
              limit: request.limit,
            }),
          ),
        );
        if (!output.queryId) throw new InsightsQueryError(`StartQuery returned no query id for ${describeReportQuery(request)}`);
        return output.queryId;
      } catch (error) {
        const name = (error as { name?: unknown }).name;
        if (name === "ResourceNotFoundException") {
          throw new LogGroupNotFoundError(`a log group of ${describeReportQuery(request)} does not exist: ${(error as Error).message}`, { cause: error });
        }
        // Too many queries running in the account (ours or anyone's): wait for some to end.
        if (name !== "LimitExceededException" || attempt >= backoff.limitRetryAttempts) throw error;
        await this.sleep(waitMs, signal);
        waitMs = Math.min(backoff.limitRetryMaxMs, waitMs * 2);
      }
    }
  }

  private async poll(queryId: string, request: InsightsQueryRequest, signal: AbortSignal | undefined): Promise<InsightsQueryResult> {
    const { backoff } = this;
    let waitMs = backoff.pollInitialMs;
    // Time waited, summed from the waits themselves (no clock to read in tests).
    let waitedMs = 0;
    for (;;) {
      if (waitedMs >= backoff.maxQueryWaitMs) {
        await this.stopQuietly(queryId);
        throw new InsightsQueryError(`Logs Insights query ${queryId} did not finish within ${Math.round(waitedMs / 60_000)} min for ${describeReportQuery(request)}`);
      }
      await this.sleep(waitMs, signal);
      waitedMs += waitMs;
      waitMs = Math.min(backoff.pollMaxMs, waitMs * backoff.pollFactor);
      const raw = await reachingAws(API, () => this.client.send(new GetQueryResultsCommand({ queryId }), { abortSignal: signal }));
      const parsedOutput = QueryResultsSchema.safeParse(raw);
      if (!parsedOutput.success) {
        // A typed error naming the member, not a bare ZodError: the collector reports it as a failed query.
        const issue = parsedOutput.error.issues[0];
        throw new InsightsQueryError(`GetQueryResults of query ${queryId} is not what Logs Insights returns (${issue?.path.join(".") || "output"}: ${issue?.message ?? "invalid"}) for ${describeReportQuery(request)}`);
      }
      const output = parsedOutput.data;
      const status = output.status ?? "Unknown";
      if (RUNNING.has(status)) continue;
      if (status !== "Complete") {
        throw new InsightsQueryError(`Logs Insights query ${queryId} ended ${status} for ${describeReportQuery(request)}`);
      }
      return { rows: (output.results ?? []).map(toRow), bytesScanned: output.statistics?.bytesScanned ?? 0 };
    }
  }

  /** Stops a query we no longer wait for (it would otherwise keep scanning, and billing, up to 60 minutes). */
  private async stopQuietly(queryId: string): Promise<void> {
    try {
      await this.client.send(new StopQueryCommand({ queryId }));
    } catch {
      // Already finished or unknown: nothing left to stop.
    }
  }
}

/** One result row as field → value; Insights' own @ptr and cells of another shape are left out. */
function toRow(cells: unknown): InsightsRow {
  const row: Record<string, string> = {};
  if (!Array.isArray(cells)) return row;
  for (const cell of cells) {
    const parsed = CellSchema.safeParse(cell);
    if (parsed.success && parsed.data.field !== "@ptr") row[parsed.data.field] = parsed.data.value;
  }
  return row;
}

/** Waits ms, or rejects with the signal's reason as soon as it aborts. */
function sleepMs(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
