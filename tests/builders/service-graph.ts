import { histogramFromEntries } from "@/lib/domain/service-map/latency-histogram";
import type { MergedServiceGraph } from "@/lib/domain/service-map/merge-snapshots";
import { nodeIdOf, type ServiceNode } from "@/lib/domain/service-map/service-graph-snapshot";
import type { TrafficStats } from "@/lib/domain/service-map/traffic-stats";

/** Traffic with the given outcome counts, every request at `latencyMs` (default 20 ms). */
export function traffic(counts: { ok?: number; error?: number; throttle?: number; fault?: number; latencyMs?: number } = {}): TrafficStats {
  const okCount = counts.ok ?? 0;
  const errorCount = counts.error ?? 0;
  const throttleCount = counts.throttle ?? 0;
  const faultCount = counts.fault ?? 0;
  const totalCount = okCount + errorCount + throttleCount + faultCount;
  const latencyMs = counts.latencyMs ?? 20;
  return {
    okCount,
    errorCount,
    throttleCount,
    faultCount,
    totalCount,
    responseTimeSumMs: totalCount * latencyMs,
    histogram: histogramFromEntries(totalCount > 0 ? [{ valueMs: latencyMs, count: totalCount }] : []),
  };
}

const ACCOUNT = "123456789012";

/** An X-Ray node as merged snapshots hold it; AWS types get the account, clients and remote hosts none. */
export function aNode(type: string, name: string, stats: TrafficStats, edges: { to: ServiceNode | string; stats: TrafficStats }[] = [], root = false): ServiceNode {
  const accountId = type === "client" || type === "remote" ? null : ACCOUNT;
  return {
    id: nodeIdOf({ type, name, accountId }),
    name,
    type,
    accountId,
    root,
    stats,
    edges: edges.map((e) => ({ toId: typeof e.to === "string" ? e.to : e.to.id, stats: e.stats })).sort((a, b) => (a.toId < b.toId ? -1 : 1)),
  };
}

/** A merged graph of whole hours holding `nodes`. */
export function aMergedGraph(nodes: ServiceNode[], options: Partial<MergedServiceGraph> = {}): MergedServiceGraph {
  const hourCount = options.hourCount ?? 1;
  const fromMs = options.window?.fromMs ?? Date.UTC(2026, 10, 25, 10);
  return {
    accountId: ACCOUNT,
    region: "us-east-1",
    window: { fromMs, toMs: fromMs + hourCount * 3_600_000 },
    coveredMs: hourCount * 3_600_000,
    hourCount,
    includesPartialHour: false,
    missingHourStarts: [],
    nodes: [...nodes].sort((a, b) => (a.id < b.id ? -1 : 1)),
    ...options,
  };
}
