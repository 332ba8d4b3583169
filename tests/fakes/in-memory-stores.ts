import type { AccountConcurrency, FunctionConfig } from "@/lib/domain/inventory/function-config";
import { metricKeyId, metricTargetId, type MetricBucket, type MetricKey, type MetricPoint, type MetricResolution, type MetricTarget } from "@/lib/domain/metrics/lambda-metrics";
import { pointsOfBucket } from "@/lib/domain/metrics/metric-buckets";
import { functionRefKey } from "@/lib/domain/shared/ids";
import type { TimeWindow } from "@/lib/domain/shared/time";
import type { MetricDataQuery } from "@/lib/domain/metrics/metric-data-queries";
import type { MetricQueryResult, MetricsSource } from "@/lib/ports/metrics-source";
import type {
  ApiTokenStore,
  FunctionStore,
  MetricSeriesStore,
  StoredApiToken,
  StoredUser,
  UserStore,
  Watermark,
  WatermarkStore,
} from "@/lib/ports/stores";

export class InMemoryFunctionStore implements FunctionStore {
  readonly items = new Map<string, FunctionConfig & { removedAtMs?: number }>();
  async putFunctions(functions: FunctionConfig[]) {
    for (const f of functions) this.items.set(functionRefKey(f), { ...f });
  }
  async markRemoved(accountId: string, region: string, keep: ReadonlySet<string>, nowMs: number) {
    let n = 0;
    for (const f of this.items.values()) {
      if (f.accountId === accountId && f.region === region && !keep.has(f.functionName) && f.removedAtMs === undefined) {
        f.removedAtMs = nowMs;
        n++;
      }
    }
    return n;
  }
  async listFunctions() {
    return [...this.items.values()].filter((f) => f.removedAtMs === undefined);
  }
  readonly accounts = new Map<string, AccountConcurrency>();
  async putAccountConcurrency(settings: AccountConcurrency) {
    this.accounts.set(`${settings.accountId}#${settings.region}`, { ...settings });
  }
  async listAccountConcurrency() {
    return [...this.accounts.values()];
  }
}

export class InMemorySeriesStore implements MetricSeriesStore {
  /** Buckets by `<account>#<region>#<target id>#<resolution>#<start>`. */
  readonly buckets = new Map<string, MetricBucket>();
  writes = 0;
  async writeBuckets(buckets: readonly MetricBucket[]) {
    for (const b of buckets) this.buckets.set(`${b.accountId}#${b.region}#${metricTargetId(b.target)}#${b.resolution}#${b.startMs}`, structuredClone(b));
    this.writes += 1;
    return buckets.length;
  }
  async readSeries(scope: { accountId: string; region: string }, target: MetricTarget, keys: readonly MetricKey[], window: TimeWindow, resolution: MetricResolution) {
    const prefix = `${scope.accountId}#${scope.region}#${metricTargetId(target)}#${resolution}#`;
    const result: Record<string, MetricPoint[]> = Object.fromEntries(keys.map((k) => [metricKeyId(k), []]));
    const mine = [...this.buckets.entries()].filter(([k]) => k.startsWith(prefix)).map(([, b]) => b).sort((a, b) => a.startMs - b.startMs);
    for (const bucket of mine) for (const key of keys) result[metricKeyId(key)]!.push(...pointsOfBucket(bucket, metricKeyId(key), window));
    return result;
  }
}

export class InMemoryWatermarkStore implements WatermarkStore {
  readonly items = new Map<string, Watermark>();
  async get(collector: string, accountId: string, region: string) {
    return this.items.get(`${collector}#${accountId}#${region}`) ?? null;
  }
  async put(w: Watermark) {
    this.items.set(`${w.collector}#${w.accountId}#${w.region}`, { ...w });
  }
  async list() {
    return [...this.items.values()];
  }
  async advance(collector: string, accountId: string, region: string, throughMs: number, sinceMs?: number) {
    const prior = await this.get(collector, accountId, region);
    await this.put({ collector, accountId, region, lastAttemptMs: 0, lastSuccessMs: null, lastError: null, ...prior, sinceMs: prior?.sinceMs ?? sinceMs ?? null, throughMs });
  }
  async recordOutcome(collector: string, accountId: string, region: string, outcome: { nowMs: number; error: string | null }) {
    const prior = await this.get(collector, accountId, region);
    await this.put({
      collector,
      accountId,
      region,
      throughMs: prior?.throughMs ?? null,
      sinceMs: prior?.sinceMs ?? null,
      lastAttemptMs: outcome.nowMs,
      lastSuccessMs: outcome.error === null ? outcome.nowMs : (prior?.lastSuccessMs ?? null),
      lastError: outcome.error,
    });
  }
}

export class InMemoryUserStore implements UserStore {
  readonly users = new Map<string, StoredUser>();
  async get(username: string) {
    return this.users.get(username) ?? null;
  }
  async createIfAbsent(user: StoredUser) {
    if (this.users.has(user.username)) return false;
    this.users.set(user.username, user);
    return true;
  }
  async count() {
    return this.users.size;
  }
}

export class InMemoryTokenStore implements ApiTokenStore {
  readonly tokens = new Map<string, StoredApiToken>();
  async put(token: StoredApiToken) {
    this.tokens.set(token.tokenHash, token);
  }
  async getByHash(hash: string) {
    return this.tokens.get(hash) ?? null;
  }
  async list() {
    return [...this.tokens.values()];
  }
  async revoke(hash: string, revokedAtMs: number, revokedBy: string) {
    const token = this.tokens.get(hash);
    if (!token || token.revokedAtMs !== undefined) return false;
    this.tokens.set(hash, { ...token, revokedAtMs, revokedBy });
    return true;
  }
}

/**
 * A metrics source answering every query with one datapoint per period of the window whose
 * value is a function of the period start, so tests can predict what must be stored. It can
 * be told to fail on the nth call.
 */
export class ScriptedMetricsSource implements MetricsSource {
  calls: { batchSize: number; periodSeconds: number; window: TimeWindow }[] = [];
  failOnCall: number | null = null;
  async getMetricData(batch: MetricDataQuery[], window: TimeWindow): Promise<MetricQueryResult[]> {
    const periodSeconds = batch[0]?.periodSeconds ?? 60;
    this.calls.push({ batchSize: batch.length, periodSeconds, window });
    if (this.failOnCall === this.calls.length) throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:4566"), { code: "ECONNREFUSED" });
    const step = periodSeconds * 1000;
    return batch.map((query) => {
      const points: MetricPoint[] = [];
      for (let t = Math.ceil(window.fromMs / step) * step; t < window.toMs; t += step) points.push({ timestampMs: t, value: (t / 60_000) % 7 });
      return { query, points };
    });
  }
}

// Imports of the run-ledger fake, kept with it (ES imports are hoisted).
import type { CollectorName, CollectorRun } from "@/lib/domain/collection/collector-run";
import type { RunLedgerStore } from "@/lib/ports/stores";

/**
 * The run ledger in memory: entries as recorded, listed newest first (by start) from sinceMs,
 * filtered by collector, at most `limit` — the contract of DynamoRunLedgerStore. `reads`
 * records each listRecent call so tests can see what was asked.
 */
export class InMemoryRunLedgerStore implements RunLedgerStore {
  readonly runs: CollectorRun[] = [];
  readonly reads: { sinceMs: number; nowMs: number; limit: number; collector?: CollectorName }[] = [];
  async record(run: CollectorRun) {
    this.runs.push(structuredClone(run));
  }
  async listRecent(options: { sinceMs: number; nowMs: number; limit: number; collector?: CollectorName }) {
    this.reads.push({ ...options });
    return this.runs
      .filter((r) => r.startedAtMs >= options.sinceMs && (options.collector === undefined || r.collector === options.collector))
      .sort((a, b) => b.startedAtMs - a.startedAtMs)
      .slice(0, options.limit)
      .map((r) => structuredClone(r));
  }
}
