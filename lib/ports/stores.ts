import type { Role } from "@/lib/domain/access/roles";
import type { FunctionConfig } from "@/lib/domain/inventory/function-config";
import type { MetricKey, MetricPoint } from "@/lib/domain/metrics/lambda-metrics";
import type { FunctionRef } from "@/lib/domain/shared/ids";
import type { TimeWindow } from "@/lib/domain/shared/time";

export interface FunctionStore {
  /** Writes (replaces) the configuration of each function; idempotent. */
  putFunctions(functions: FunctionConfig[]): Promise<void>;
  /** Marks functions no longer listed in an account/region as gone (kept for history). */
  markRemoved(accountId: string, region: string, keepNames: ReadonlySet<string>, nowMs: number): Promise<number>;
  /** Every function still present, across accounts and regions. */
  listFunctions(): Promise<FunctionConfig[]>;
}

export interface MetricSeriesStore {
  /** Writes points into their hour buckets; the same points written twice yield the same items. */
  writePoints(ref: FunctionRef, key: MetricKey, points: MetricPoint[]): Promise<number>;
  /** Reads one series over a window, oldest first. */
  readSeries(ref: FunctionRef, key: MetricKey, window: TimeWindow): Promise<MetricPoint[]>;
}

/** Where a collector got to for one source, account and region, and how its last run went. */
export interface Watermark {
  collector: string;
  accountId: string;
  region: string;
  /** Data up to this instant (exclusive, epoch ms) is collected; null before the first success. */
  throughMs: number | null;
  lastAttemptMs: number;
  lastSuccessMs: number | null;
  /** The last run's error, cleared by the next success. */
  lastError: string | null;
}

export interface WatermarkStore {
  get(collector: string, accountId: string, region: string): Promise<Watermark | null>;
  put(watermark: Watermark): Promise<void>;
  list(): Promise<Watermark[]>;
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
}

export interface ApiTokenStore {
  put(token: StoredApiToken): Promise<void>;
  getByHash(tokenHash: string): Promise<StoredApiToken | null>;
}
