import type { TrafficStats } from "@/lib/domain/service-map/traffic-stats";

/**
 * The health class of a service-map node or edge: what its colour says at a glance.
 * Health is judged on failures only. Latency has no threshold that holds across a DynamoDB
 * table, a Java function and a payment provider, so the map shows p99 as a number and leaves
 * latency judgements to SLOs (issue 6).
 */
export type HealthClass = "ok" | "warning" | "critical" | "idle";

/** From the worst down, the order legends and "worst of" use. */
export const HEALTH_CLASSES: readonly HealthClass[] = ["critical", "warning", "ok", "idle"];

/** What pushed a node out of `ok`. */
export type HealthCause = "faults" | "errors" | "throttles";

/** The share of requests (0..1) at which a kind of failure turns a node warning, then critical. */
export interface RatioThresholds {
  warningRatio: number;
  criticalRatio: number;
}

/**
 * Faults (5xx) are the node's own failures. A 99.9 % availability target (the case study's)
 * allows 0.1 %: warning at 5× that (a 30-day budget gone in 6 days), critical at 20× (gone in
 * a day and a half, past the 14.4× fast-burn rate the SRE workbook pages on).
 */
export const FAULT_THRESHOLDS: RatioThresholds = { warningRatio: 0.005, criticalRatio: 0.02 };
/**
 * Errors (4xx other than 429) are mostly callers' mistakes (validation, not found), which a
 * healthy API answers every day, so they need a much larger share to say something is wrong:
 * a client release sending bad requests, an expired credential.
 */
export const ERROR_THRESHOLDS: RatioThresholds = { warningRatio: 0.05, criticalRatio: 0.2 };
/**
 * Throttles (429) mean the node ran out of capacity (concurrency, provisioned throughput):
 * rarer than 4xx and always worth a look, but retried by SDKs, so less urgent than faults.
 */
export const THROTTLE_THRESHOLDS: RatioThresholds = { warningRatio: 0.005, criticalRatio: 0.05 };

/**
 * The map's counts are X-Ray samples: one or two failed samples say nothing, whatever the
 * ratio (one failure among three sampled requests is 33 %). A kind of failure counts only
 * from this many requests on.
 */
export const HEALTH_MIN_FAILED_REQUESTS = 3;

export interface HealthAssessment {
  health: HealthClass;
  /** The kinds of failure at the assessed level (empty for ok and idle), faults first. */
  causes: HealthCause[];
}

const RANK: Readonly<Record<HealthClass, number>> = { idle: 0, ok: 1, warning: 2, critical: 3 };

function levelOf(count: number, total: number, thresholds: RatioThresholds): HealthClass {
  if (count < HEALTH_MIN_FAILED_REQUESTS) return "ok";
  const ratio = count / total;
  if (ratio >= thresholds.criticalRatio) return "critical";
  if (ratio >= thresholds.warningRatio) return "warning";
  return "ok";
}

/**
 * The health of traffic: idle without requests, else the worst level any kind of failure
 * (faults, errors, throttles) reaches against its thresholds, with the kinds at that level.
 */
export function assessHealth(stats: Pick<TrafficStats, "totalCount" | "faultCount" | "errorCount" | "throttleCount">): HealthAssessment {
  if (stats.totalCount <= 0) return { health: "idle", causes: [] };
  const levels: [HealthCause, HealthClass][] = [
    ["faults", levelOf(stats.faultCount, stats.totalCount, FAULT_THRESHOLDS)],
    ["errors", levelOf(stats.errorCount, stats.totalCount, ERROR_THRESHOLDS)],
    ["throttles", levelOf(stats.throttleCount, stats.totalCount, THROTTLE_THRESHOLDS)],
  ];
  const health = worstHealth(levels.map(([, level]) => level));
  return { health, causes: health === "ok" ? [] : levels.filter(([, level]) => level === health).map(([cause]) => cause) };
}

/** The health class of traffic (assessHealth without the causes). */
export function classifyHealth(stats: Pick<TrafficStats, "totalCount" | "faultCount" | "errorCount" | "throttleCount">): HealthClass {
  return assessHealth(stats).health;
}

/** The worst of several health classes (critical > warning > ok > idle); idle for none. */
export function worstHealth(classes: readonly HealthClass[]): HealthClass {
  let worst: HealthClass = "idle";
  for (const health of classes) if (RANK[health] > RANK[worst]) worst = health;
  return worst;
}
