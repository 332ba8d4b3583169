import { collectorCadenceMinutes, type CadenceSettings } from "@/lib/domain/collection/collector-cadence";
import {
  assessCollectorHealth,
  COLLECTOR_HEALTH_STATUSES,
  countConsecutiveFailures,
  type CollectorHealthStatus,
  type LaggingCause,
} from "@/lib/domain/collection/collector-health";
import { type Watermark, COLLECTOR_NAMES, type CollectorName, type CollectorRun, type RunOutcome } from "@/lib/domain/collection/collector-run";
import { summarizeRunUsage, type RunUsageSummary } from "@/lib/domain/collection/run-usage";
import type { TimeWindow } from "@/lib/domain/shared/time";

/** Where a collector got to in one account/region: its watermark. */
export type CollectorProgress = Watermark;

/** One row of the health table: one collector in one account/region. */
export interface CollectorHealthRow {
  /** `<collector>#<account>#<region>`, or the collector alone for a collector that never ran anywhere. */
  key: string;
  collector: CollectorName;
  /** Null (with region) for a collector without any run or watermark. */
  accountId: string | null;
  region: string | null;
  /** The cadence it is scheduled at with the configured settings ("expected every 5 min"). */
  expectedEveryMinutes: number;
  status: CollectorHealthStatus;
  laggingCause: LaggingCause | null;
  /** now − throughMs; null before anything was collected. */
  lagMs: number | null;
  /** Beyond this lag it counts as lagging; null when lag is no health signal (costs). */
  lagLimitMs: number | null;
  /** Without a success for longer than this it counts as lagging. */
  successAgeLimitMs: number;
  throughMs: number | null;
  lastAttemptMs: number | null;
  lastSuccessMs: number | null;
  /** now − lastSuccessMs; null without a success. */
  successAgeMs: number | null;
  lastOutcome: RunOutcome | null;
  consecutiveFailures: number;
  /** The latest attempt's error (the watermark's, else the newest failed run's while it is failing). */
  lastError: string | null;
  /** Its runs within the report window. */
  recent: RunUsageSummary;
}

/** A collector that is failing somewhere, for the fleet summary. */
export interface FailingCollector {
  collector: CollectorName;
  accountId: string | null;
  region: string | null;
  lastError: string | null;
  consecutiveFailures: number;
}

export interface CollectorHealthReport {
  /** The window the `recent` figures cover (the last 24 h). */
  window: TimeWindow;
  /** The oldest run read in the window: the figures start there when the ledger is younger than the window. */
  oldestRunMs: number | null;
  rows: CollectorHealthRow[];
  summary: {
    /** Rows per status. */
    statusCounts: Record<CollectorHealthStatus, number>;
    failing: FailingCollector[];
    /** Every run of the window together: its estimated cost is the collectors' API bill for the window. */
    recent: RunUsageSummary;
  };
}

export interface CollectorHealthReportInput {
  progress: readonly CollectorProgress[];
  /** The runs of the window, newest first. */
  runs: readonly CollectorRun[];
  window: TimeWindow;
  nowMs: number;
  settleMinutes: number;
  /** The cadences the collectors are scheduled at (METRICS_CADENCE_MINUTES): lateness is judged by them. */
  cadence: CadenceSettings;
}

const COLLECTOR_SET: ReadonlySet<string> = new Set(COLLECTOR_NAMES);
function isCollectorName(name: string): name is CollectorName {
  return COLLECTOR_SET.has(name);
}

function scopeKey(collector: string, accountId: string, region: string): string {
  return `${collector}#${accountId}#${region}`;
}

function maxOrNull(...values: (number | null | undefined)[]): number | null {
  const present = values.filter((v): v is number => typeof v === "number");
  return present.length > 0 ? Math.max(...present) : null;
}

/**
 * The health of every collector in every account/region it ran in or holds a watermark for,
 * plus a row per collector that has neither anywhere (never-run), and the fleet summary.
 * Rows are in COLLECTOR_NAMES order, then by account and region. Watermarks of collectors
 * this build does not know are left out.
 */
export function buildCollectorHealthReport(input: CollectorHealthReportInput): CollectorHealthReport {
  const scopes = new Map<string, { collector: CollectorName; accountId: string; region: string; progress: CollectorProgress | null; runs: CollectorRun[] }>();
  const scopeOf = (collector: CollectorName, accountId: string, region: string) => {
    const key = scopeKey(collector, accountId, region);
    let scope = scopes.get(key);
    if (!scope) {
      scope = { collector, accountId, region, progress: null, runs: [] };
      scopes.set(key, scope);
    }
    return scope;
  };
  for (const progress of input.progress) {
    if (isCollectorName(progress.collector)) scopeOf(progress.collector, progress.accountId, progress.region).progress = progress;
  }
  for (const run of input.runs) scopeOf(run.collector, run.accountId, run.region).runs.push(run);

  const rows: CollectorHealthRow[] = [];
  for (const [key, scope] of scopes) {
    const { progress, runs } = scope;
    const newest = runs[0] ?? null;
    const consecutiveFailures = countConsecutiveFailures(runs);
    const lastAttemptMs = maxOrNull(progress && progress.lastAttemptMs > 0 ? progress.lastAttemptMs : null, newest?.nowMs);
    const lastSuccessMs = maxOrNull(progress?.lastSuccessMs, runs.find((r) => r.outcome !== "failed")?.nowMs);
    const lastError = progress?.lastError ?? (consecutiveFailures > 0 ? (newest?.error ?? null) : null);
    const health = assessCollectorHealth({
      collector: scope.collector,
      nowMs: input.nowMs,
      throughMs: progress?.throughMs ?? null,
      lastAttemptMs,
      lastSuccessMs,
      lastError,
      consecutiveFailures,
      settleMinutes: input.settleMinutes,
      cadence: input.cadence,
    });
    rows.push({
      key,
      collector: scope.collector,
      accountId: scope.accountId,
      region: scope.region,
      expectedEveryMinutes: collectorCadenceMinutes(scope.collector, input.cadence),
      status: health.status,
      laggingCause: health.laggingCause,
      lagMs: health.lagMs,
      lagLimitMs: health.limits.lagLimitMs,
      successAgeLimitMs: health.limits.successAgeLimitMs,
      throughMs: progress?.throughMs ?? null,
      lastAttemptMs,
      lastSuccessMs,
      successAgeMs: lastSuccessMs === null ? null : Math.max(0, input.nowMs - lastSuccessMs),
      lastOutcome: newest?.outcome ?? null,
      consecutiveFailures,
      lastError,
      recent: summarizeRunUsage(runs),
    });
  }
  for (const collector of COLLECTOR_NAMES) {
    if (rows.some((r) => r.collector === collector)) continue;
    const health = assessCollectorHealth({
      collector,
      nowMs: input.nowMs,
      throughMs: null,
      lastAttemptMs: null,
      lastSuccessMs: null,
      lastError: null,
      consecutiveFailures: 0,
      settleMinutes: input.settleMinutes,
      cadence: input.cadence,
    });
    rows.push({
      key: collector,
      collector,
      accountId: null,
      region: null,
      expectedEveryMinutes: collectorCadenceMinutes(collector, input.cadence),
      status: health.status,
      laggingCause: null,
      lagMs: null,
      lagLimitMs: health.limits.lagLimitMs,
      successAgeLimitMs: health.limits.successAgeLimitMs,
      throughMs: null,
      lastAttemptMs: null,
      lastSuccessMs: null,
      successAgeMs: null,
      lastOutcome: null,
      consecutiveFailures: 0,
      lastError: null,
      recent: summarizeRunUsage([]),
    });
  }
  rows.sort(
    (a, b) =>
      COLLECTOR_NAMES.indexOf(a.collector) - COLLECTOR_NAMES.indexOf(b.collector) ||
      (a.accountId ?? "").localeCompare(b.accountId ?? "") ||
      (a.region ?? "").localeCompare(b.region ?? ""),
  );

  const statusCounts = Object.fromEntries(COLLECTOR_HEALTH_STATUSES.map((s) => [s, 0])) as Record<CollectorHealthStatus, number>;
  for (const row of rows) statusCounts[row.status]++;
  const oldest = input.runs.reduce<number | null>((min, r) => (min === null || r.startedAtMs < min ? r.startedAtMs : min), null);
  return {
    window: input.window,
    oldestRunMs: oldest,
    rows,
    summary: {
      statusCounts,
      failing: rows
        .filter((r) => r.status === "failing")
        .map((r) => ({ collector: r.collector, accountId: r.accountId, region: r.region, lastError: r.lastError, consecutiveFailures: r.consecutiveFailures })),
      recent: summarizeRunUsage(input.runs),
    },
  };
}
