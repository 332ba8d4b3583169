import type { CollectorName } from "@/lib/domain/collection/collector-run";

/**
 * How often each collector is scheduled, in minutes: the EventBridge Scheduler rate in AWS
 * and the local scheduler's cadence. The collector definitions (collectors/*.ts
 * `everyMinutes`) and the Collectors page read the same numbers from here, because the
 * console may not import collectors/.
 */
export const COLLECTOR_CADENCE_MINUTES: Readonly<Record<CollectorName, number>> = {
  inventory: 5,
  metrics: 1,
  "logs-insights": 5,
  traces: 5,
  costs: 360,
  analyze: 5,
  slos: 1,
};

/**
 * How far a collector's watermark trails the instant a run collects up to (its `nowMs`) right
 * after a successful run, in the worst case: the lag a healthy collector shows by design.
 * `plusSettle`: the collector also waits SETTLE_MINUTES after an hour ends before reading it.
 */
export interface WatermarkTrail {
  minutes: number;
  plusSettle: boolean;
}

/**
 * The designed watermark trail per collector; null when the watermark is no freshness
 * measure at all.
 * - inventory: the watermark is the run's own instant.
 * - metrics: the last complete minute.
 * - logs-insights, traces: complete hours only, read once settled (up to 1 h + settle behind).
 * - analyze: the last whole hour (the analysis is as of it).
 * - slos: the metrics watermark it evaluated at (the end of the SLIs' data).
 * - costs: null — the watermark is the first day Cost Explorer still marks Estimated, which
 *   can stay weeks back until a month's bill is final; only its runs say whether it keeps up.
 */
export const COLLECTOR_WATERMARK_TRAIL: Readonly<Record<CollectorName, WatermarkTrail | null>> = {
  inventory: { minutes: 0, plusSettle: false },
  metrics: { minutes: 1, plusSettle: false },
  "logs-insights": { minutes: 60, plusSettle: true },
  traces: { minutes: 60, plusSettle: true },
  costs: null,
  analyze: { minutes: 60, plusSettle: false },
  slos: { minutes: 1, plusSettle: false },
};

/**
 * The collectors' default SETTLE_MINUTES (lib/config/collector-config.ts). The console does
 * not read the collectors' configuration, so its health rules assume the default unless told.
 */
export const DEFAULT_SETTLE_MINUTES = 5;
