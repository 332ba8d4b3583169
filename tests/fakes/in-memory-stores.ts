import type { FunctionConfig } from "@/lib/domain/inventory/function-config";
import { metricKeyId, type MetricKey, type MetricPoint } from "@/lib/domain/metrics/lambda-metrics";
import { functionRefKey, type FunctionRef } from "@/lib/domain/shared/ids";
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
}

export class InMemorySeriesStore implements MetricSeriesStore {
  readonly points = new Map<string, Map<number, number>>();
  writes = 0;
  async writePoints(ref: FunctionRef, key: MetricKey, points: MetricPoint[]) {
    const id = `${functionRefKey(ref)}|${metricKeyId(key)}`;
    const series = this.points.get(id) ?? new Map<number, number>();
    for (const p of points) series.set(p.timestampMs, p.value);
    this.points.set(id, series);
    this.writes += 1;
    return points.length;
  }
  async readSeries(ref: FunctionRef, key: MetricKey, window: TimeWindow) {
    const series = this.points.get(`${functionRefKey(ref)}|${metricKeyId(key)}`) ?? new Map<number, number>();
    return [...series.entries()]
      .filter(([t]) => t >= window.fromMs && t < window.toMs)
      .sort(([a], [b]) => a - b)
      .map(([timestampMs, value]) => ({ timestampMs, value }));
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
}

/**
 * A metrics source answering every query with one datapoint per minute of the window whose
 * value is a function of the minute, so tests can predict what must be stored. It can be told
 * to fail on the nth call.
 */
export class ScriptedMetricsSource implements MetricsSource {
  calls: { batchSize: number; window: TimeWindow }[] = [];
  failOnCall: number | null = null;
  async getMetricData(batch: MetricDataQuery[], window: TimeWindow): Promise<MetricQueryResult[]> {
    this.calls.push({ batchSize: batch.length, window });
    if (this.failOnCall === this.calls.length) throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:4566"), { code: "ECONNREFUSED" });
    return batch.map((query) => {
      const points: MetricPoint[] = [];
      for (let t = window.fromMs; t < window.toMs; t += 60_000) points.push({ timestampMs: t, value: (t / 60_000) % 7 });
      return { query, points };
    });
  }
}
