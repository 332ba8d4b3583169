import { z } from "zod";
import { DEFAULT_CADENCE_SETTINGS, DEFAULT_SETTLE_MINUTES, type CadenceSettings } from "@/lib/domain/collection/collector-cadence";
import { buildCollectorHealthReport, type CollectorHealthReport } from "@/lib/domain/collection/collector-health-report";
import { COLLECTOR_NAMES, type CollectorRun } from "@/lib/domain/collection/collector-run";
import { GLOBAL_REGION } from "@/lib/domain/collection/collector-run";
import { matchesRunFilter, parseLookbackMs, RUN_OUTCOMES, type CollectorRunFilter } from "@/lib/domain/collection/run-filter";
import { costPerOperation, totalRequests, type OperationCost } from "@/lib/domain/collection/run-usage";
import { AccountIdSchema, RegionSchema } from "@/lib/domain/shared/ids";
import { DAY_MS, HOUR_MS } from "@/lib/domain/shared/time";
import type { RunLedgerStore, WatermarkStore } from "@/lib/ports/stores";

export interface CollectorsViewDeps {
  watermarks: WatermarkStore;
  ledger: RunLedgerStore;
}

/** The health table's `recent` figures cover the last 24 h. */
export const HEALTH_WINDOW_MS = DAY_MS;
/**
 * The most runs one health view reads from the ledger. The metrics collector alone writes
 * 1,440 entries a day per account/region; beyond this the figures cover the newest runs only
 * and the view says so (`runsTruncated`).
 */
export const HEALTH_RUN_READ_LIMIT = 50_000;

/** The Collectors page's health table and /api/v1/collectors. */
export interface CollectorsView extends CollectorHealthReport {
  nowMs: number;
  /** The SETTLE_MINUTES the lag limits assume. */
  settleMinutes: number;
  /** The cadences (METRICS_CADENCE_MINUTES) the lag limits assume. */
  cadence: CadenceSettings;
  /** True when the window held more runs than were read: the `recent` figures cover the newest ones only. */
  runsTruncated: boolean;
  /** True when the oldest run read starts well inside the window (a young ledger): the figures cover less than 24 h. */
  partialWindow: boolean;
}

/**
 * Health per collector and account/region — status, last success, lag behind now, failures in
 * a row, last error — and the last 24 h of runs, API requests and estimated API cost, from the
 * watermarks and the run ledger.
 */
export async function getCollectorsView(
  deps: CollectorsViewDeps,
  input: { nowMs: number; settleMinutes?: number; cadence?: CadenceSettings },
): Promise<CollectorsView> {
  const settleMinutes = input.settleMinutes ?? DEFAULT_SETTLE_MINUTES;
  const cadence = input.cadence ?? DEFAULT_CADENCE_SETTINGS;
  const window = { fromMs: input.nowMs - HEALTH_WINDOW_MS, toMs: input.nowMs };
  const [progress, runs] = await Promise.all([
    deps.watermarks.list(),
    deps.ledger.listRecent({ sinceMs: window.fromMs, nowMs: input.nowMs, limit: HEALTH_RUN_READ_LIMIT + 1 }),
  ]);
  const runsTruncated = runs.length > HEALTH_RUN_READ_LIMIT;
  const report = buildCollectorHealthReport({
    progress,
    runs: runsTruncated ? runs.slice(0, HEALTH_RUN_READ_LIMIT) : runs,
    window,
    nowMs: input.nowMs,
    settleMinutes,
    cadence,
  });
  // A ledger whose first run is more than an hour into the window does not cover it all.
  const partialWindow = report.oldestRunMs === null || report.oldestRunMs - window.fromMs > HOUR_MS;
  return { ...report, nowMs: input.nowMs, settleMinutes, cadence, runsTruncated, partialWindow };
}

/** The most runs one request may ask for, and the default. */
export const MAX_RUNS_LIMIT = 500;
export const DEFAULT_RUNS_LIMIT = 100;
/** How far back runs are listed by default. */
export const DEFAULT_RUNS_SINCE = "24h";
/** The ledger keeps 30 days (lib/adapters/dynamodb/run-ledger-repository.ts). */
export const MAX_RUNS_LOOKBACK_MS = 30 * DAY_MS;
/**
 * With a filter the ledger cannot apply (account, region, outcome) this many runs are read at
 * most to find `limit` matches; beyond it the answer says it may be incomplete.
 */
export const RUN_SCAN_LIMIT = 20_000;

/** A validated runs query: the filter, where to start and how many. */
export interface CollectorRunsQuery extends CollectorRunFilter {
  sinceMs: number;
  limit: number;
}

/** A ledger entry with what the page shows derived once. */
export interface CollectorRunRow extends CollectorRun {
  /** `<started ISO>#<collector>#<account>#<region>`: unique per run (the ledger's own key). */
  key: string;
  durationMs: number;
  /** HTTP requests to AWS, all operations. */
  requests: number;
  /** The usage per operation with its estimated cost, costliest first. */
  operations: OperationCost[];
}

export interface CollectorRunsList {
  query: CollectorRunsQuery;
  /** Newest first. */
  runs: CollectorRunRow[];
  /** True when more runs may match than returned: narrow `since` or the filters, or raise `limit`. */
  truncated: boolean;
}

function toRunRow(run: CollectorRun): CollectorRunRow {
  return {
    ...run,
    key: `${new Date(run.startedAtMs).toISOString()}#${run.collector}#${run.accountId}#${run.region}`,
    durationMs: Math.max(0, run.endedAtMs - run.startedAtMs),
    requests: totalRequests(run.apiUsage),
    operations: costPerOperation(run.apiUsage),
  };
}

/**
 * The run ledger, newest first, filtered by collector, account, region and outcome, from
 * `sinceMs`, at most `limit` runs. No paging: `truncated` says when there is more.
 */
export async function listCollectorRuns(deps: Pick<CollectorsViewDeps, "ledger">, input: CollectorRunsQuery & { nowMs: number }): Promise<CollectorRunsList> {
  const { nowMs, ...query } = input;
  // The ledger filters by collector itself; the other filters apply to what it returns.
  const needsScan = query.accountId !== undefined || query.region !== undefined || query.outcome !== undefined;
  const readLimit = needsScan ? RUN_SCAN_LIMIT : query.limit + 1;
  const read = await deps.ledger.listRecent({ sinceMs: query.sinceMs, nowMs, limit: readLimit, ...(query.collector ? { collector: query.collector } : {}) });
  const matching = needsScan ? read.filter((run) => matchesRunFilter(run, query)) : read;
  const truncated = matching.length > query.limit || (needsScan && read.length >= RUN_SCAN_LIMIT);
  return { query, runs: matching.slice(0, query.limit).map(toRunRow), truncated };
}

const NUMBER_TEXT = /^\d+$/;

const CollectorRunsParamsSchema = z.object({
  collector: z.enum(COLLECTOR_NAMES).optional(),
  account: AccountIdSchema.optional(),
  region: z
    .string()
    // Account-wide collectors (costs) run under the pseudo-region "global".
    .refine((r) => r === GLOBAL_REGION || RegionSchema.safeParse(r).success, "must be a region code like us-east-1, or global")
    .optional(),
  outcome: z.enum(RUN_OUTCOMES).optional(),
  since: z.string().optional(),
  limit: z
    .string()
    .regex(NUMBER_TEXT, `must be a whole number from 1 to ${MAX_RUNS_LIMIT}`)
    .transform(Number)
    .pipe(z.number().min(1, `must be a whole number from 1 to ${MAX_RUNS_LIMIT}`).max(MAX_RUNS_LIMIT, `must be a whole number from 1 to ${MAX_RUNS_LIMIT}`))
    .optional(),
});

const IsoInstantSchema = z.iso.datetime({ offset: true });

/** The URL parameters of the runs list, as strings (absent or empty = not given). */
export type CollectorRunsParams = Partial<Record<"collector" | "account" | "region" | "outcome" | "since" | "limit", string>>;

export type CollectorRunsQueryResult = { ok: true; value: CollectorRunsQuery } | { ok: false; error: string };

/** Resolves `since` — an ISO 8601 instant or a look-back like 30m, 24h, 7d — against nowMs. */
function resolveSince(since: string, nowMs: number): { ok: true; sinceMs: number } | { ok: false; error: string } {
  const lookbackMs = parseLookbackMs(since);
  let sinceMs: number;
  if (lookbackMs !== null) sinceMs = nowMs - lookbackMs;
  else if (IsoInstantSchema.safeParse(since).success) sinceMs = Date.parse(since);
  else return { ok: false, error: "since: must be an ISO 8601 instant like 2026-11-26T12:00:00Z or a look-back like 30m, 24h, 7d" };
  if (sinceMs >= nowMs) return { ok: false, error: "since: must be in the past" };
  if (nowMs - sinceMs > MAX_RUNS_LOOKBACK_MS) return { ok: false, error: "since: at most 30 days back (the run ledger keeps 30 days)" };
  return { ok: true, sinceMs };
}

/**
 * Validates the runs list's URL parameters (`collector`, `account`, `region`, `outcome`,
 * `since`, `limit`). Every error names its parameter, e.g. `limit: must be a whole number
 * from 1 to 500`, so the page and the API show it verbatim. Unknown parameters are ignored.
 */
export function parseCollectorRunsQuery(params: CollectorRunsParams, nowMs: number): CollectorRunsQueryResult {
  const given = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = CollectorRunsParamsSchema.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `${issue?.path.join(".") || "query"}: ${issue?.message ?? "invalid"}` };
  }
  const since = resolveSince(parsed.data.since ?? DEFAULT_RUNS_SINCE, nowMs);
  if (!since.ok) return since;
  const { collector, account, region, outcome, limit } = parsed.data;
  return {
    ok: true,
    value: {
      ...(collector !== undefined ? { collector } : {}),
      ...(account !== undefined ? { accountId: account } : {}),
      ...(region !== undefined ? { region } : {}),
      ...(outcome !== undefined ? { outcome } : {}),
      sinceMs: since.sinceMs,
      limit: limit ?? DEFAULT_RUNS_LIMIT,
    },
  };
}
