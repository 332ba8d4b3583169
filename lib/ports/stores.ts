import type { Role } from "@/lib/domain/access/roles";
import type { FailureWindow, SignInThrottlePolicy } from "@/lib/domain/access/sign-in-throttle";
import type { CollectorName, CollectorRun, Watermark } from "@/lib/domain/collection/collector-run";
import type { AccountConcurrency, FunctionConfig } from "@/lib/domain/inventory/function-config";
import type { MetricBucket, MetricKey, MetricPoint, MetricResolution, MetricTarget } from "@/lib/domain/metrics/lambda-metrics";
import type { TimeWindow } from "@/lib/domain/shared/time";

export interface FunctionStore {
  /** Writes (replaces) the configuration of each function; idempotent. */
  putFunctions(functions: FunctionConfig[]): Promise<void>;
  /** Marks functions no longer listed in an account/region as gone (kept for history). */
  markRemoved(accountId: string, region: string, keepNames: ReadonlySet<string>, nowMs: number): Promise<number>;
  /** Every function still present, across accounts and regions. */
  listFunctions(): Promise<FunctionConfig[]>;
  /** Writes (replaces) the concurrency settings of one account/region. */
  putAccountConcurrency(settings: AccountConcurrency): Promise<void>;
  /** The concurrency settings of every account/region collected. */
  listAccountConcurrency(): Promise<AccountConcurrency[]>;
}

export interface MetricSeriesStore {
  /** Writes whole buckets (every key of a target for an hour or a day); the same buckets twice give the same items. */
  writeBuckets(buckets: readonly MetricBucket[]): Promise<number>;
  /** Reads keys of one target over a window at one resolution, oldest first per key id. */
  readSeries(
    scope: { accountId: string; region: string },
    target: MetricTarget,
    keys: readonly MetricKey[],
    window: TimeWindow,
    resolution: MetricResolution,
  ): Promise<Record<string, MetricPoint[]>>;
}

export type { Watermark };

export interface WatermarkStore {
  get(collector: string, accountId: string, region: string): Promise<Watermark | null>;
  put(watermark: Watermark): Promise<void>;
  list(): Promise<Watermark[]>;
  /**
   * Moves a collector's watermark to throughMs (only the watermark; creates the item when
   * absent). Use cases call it after each stored step, so a crash resumes from there. The
   * first call that gives `sinceMs` (the run's backfill reach) sets where the data starts;
   * it is never changed after.
   */
  advance(collector: string, accountId: string, region: string, throughMs: number, sinceMs?: number): Promise<void>;
  /** Records how a run ended: success sets lastSuccessMs and clears lastError; failure keeps it. */
  recordOutcome(collector: string, accountId: string, region: string, outcome: { nowMs: number; error: string | null }): Promise<void>;
}

/** The collectors' run ledger (one entry per run, kept 30 days). */
export interface RunLedgerStore {
  record(run: CollectorRun): Promise<void>;
  /** Runs started at or after sinceMs, newest first, at most `limit`. */
  listRecent(options: { sinceMs: number; nowMs: number; limit: number; collector?: CollectorName }): Promise<CollectorRun[]>;
}

export interface StoredUser {
  username: string;
  passwordHash: string;
  role: Role;
  createdAtMs: number;
}

export interface UserStore {
  get(username: string): Promise<StoredUser | null>;
  /** Creates the user unless one with that name exists; returns false when it existed. */
  createIfAbsent(user: StoredUser): Promise<boolean>;
  count(): Promise<number>;
}

export interface StoredApiToken {
  /** sha256 of the token, hex; the token itself is never stored. */
  tokenHash: string;
  name: string;
  role: Role;
  createdAtMs: number;
  createdBy: string;
  /** When it stops working by itself (`--expires-in`); absent: never. */
  expiresAtMs?: number;
  /** When it was revoked and by whom; a revoked token is kept (for the record), never deleted. */
  revokedAtMs?: number;
  revokedBy?: string;
}

export interface ApiTokenStore {
  put(token: StoredApiToken): Promise<void>;
  getByHash(tokenHash: string): Promise<StoredApiToken | null>;
  /** Every token ever minted, revoked and expired ones included. */
  list(): Promise<StoredApiToken[]>;
  /** Marks a token revoked; false when it does not exist or was already revoked. */
  revoke(tokenHash: string, revokedAtMs: number, revokedBy: string): Promise<boolean>;
}

/** Failed sign-in counts per throttle key (lib/domain/access/sign-in-throttle.ts), shared by every console instance. */
export interface SignInThrottleStore {
  /** The open-or-stale windows of these keys (null where a key has none). */
  get(keys: readonly string[]): Promise<(FailureWindow | null)[]>;
  /** Adds one failure at nowMs to a key (opening a new window when its window has closed) and returns the window after it. */
  recordFailure(key: string, nowMs: number, policy: SignInThrottlePolicy): Promise<FailureWindow>;
  /** Forgets a key's failures (a successful sign-in clears its own username's count, nothing else). */
  clear(key: string): Promise<void>;
}
