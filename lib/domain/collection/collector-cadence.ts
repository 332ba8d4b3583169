import { COLLECTOR_NAMES, type CollectorName } from "@/lib/domain/collection/collector-run";

/**
 * The cadences METRICS_CADENCE_MINUTES may take. GetMetricData is billed per metric requested
 * whatever the window (FACTS.md §6), so the metrics collector's cost divides by its cadence;
 * the price is freshness (data up to one cadence older). Each choice divides the hour, so the
 * passes fall on the same minutes of every hour. 15 is the most: an SLO page already needs
 * about 11 minutes of an 8 % error burst to fire (docs/slos.md), and waiting more than another
 * quarter-hour for the data defeats a page.
 */
export const METRICS_CADENCE_CHOICES = [1, 2, 5, 10, 15] as const;
export type MetricsCadenceMinutes = (typeof METRICS_CADENCE_CHOICES)[number];
export const DEFAULT_METRICS_CADENCE_MINUTES: MetricsCadenceMinutes = 1;

/** What the configuration decides about the collectors' cadences (METRICS_CADENCE_MINUTES). */
export interface CadenceSettings {
  metricsCadenceMinutes: MetricsCadenceMinutes;
}

/** The cadences with every setting at its default (every collector as before the setting existed). */
export const DEFAULT_CADENCE_SETTINGS: CadenceSettings = { metricsCadenceMinutes: DEFAULT_METRICS_CADENCE_MINUTES };

/** The collectors whose cadence no setting changes. */
const FIXED_CADENCE_MINUTES: Readonly<Record<Exclude<CollectorName, "metrics" | "slos">, number>> = {
  inventory: 5,
  "logs-insights": 5,
  traces: 5,
  costs: 360,
  analyze: 5,
};

/**
 * How often a collector is scheduled, in minutes: the EventBridge Scheduler rate in AWS, the
 * local scheduler's cadence, and what the Collectors page and the lag alarm judge "late" by.
 * - metrics: METRICS_CADENCE_MINUTES (1 by default).
 * - slos: the same as metrics. It evaluates at the metrics watermark and reads nothing else
 *   that moves faster, so evaluating between two metrics passes finds the same data and
 *   decides the same alerts again; at one metrics cadence it sees every new pass, an alert
 *   at most one metrics cadence after its data arrives.
 * - the others: fixed.
 */
export function collectorCadenceMinutes(collector: CollectorName, settings: CadenceSettings): number {
  if (collector === "metrics" || collector === "slos") return settings.metricsCadenceMinutes;
  return FIXED_CADENCE_MINUTES[collector];
}

/**
 * Every collector's cadence at the default settings. Code that must follow the configuration
 * calls collectorCadenceMinutes with it; this table is for what has no configuration to read
 * (the bench's steady-day arithmetic, which measures the defaults).
 */
export const COLLECTOR_CADENCE_MINUTES: Readonly<Record<CollectorName, number>> = Object.fromEntries(
  COLLECTOR_NAMES.map((name) => [name, collectorCadenceMinutes(name, DEFAULT_CADENCE_SETTINGS)]),
) as Record<CollectorName, number>;

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
 * The designed watermark trail of a collector; null when the watermark is no freshness
 * measure at all.
 * - inventory: the watermark is the run's own instant.
 * - metrics: the last complete minute, at any cadence (a pass reads everything since its
 *   watermark; the cadence changes how long the data waits between passes, not how far a
 *   pass reaches).
 * - logs-insights, traces: complete hours only, read once settled (up to 1 h + settle behind).
 * - analyze: the last whole hour (the analysis is as of it).
 * - slos: the metrics watermark it evaluated at. Locally a pass runs metrics just before; on
 *   AWS the two schedules share a rate but not their phase, so the metrics data it finds may
 *   be up to one metrics cadence old: METRICS_CADENCE_MINUTES (1 at the default, as metrics).
 * - costs: null — the watermark is the first day Cost Explorer still marks Estimated, which
 *   can stay weeks back until a month's bill is final; only its runs say whether it keeps up.
 */
export function collectorWatermarkTrail(collector: CollectorName, settings: CadenceSettings): WatermarkTrail | null {
  switch (collector) {
    case "inventory":
      return { minutes: 0, plusSettle: false };
    case "metrics":
      return { minutes: 1, plusSettle: false };
    case "logs-insights":
    case "traces":
      return { minutes: 60, plusSettle: true };
    case "analyze":
      return { minutes: 60, plusSettle: false };
    case "slos":
      return { minutes: settings.metricsCadenceMinutes, plusSettle: false };
    case "costs":
      return null;
  }
}

/**
 * The collectors' default SETTLE_MINUTES (lib/config/collector-config.ts). The console does
 * not read the collectors' configuration, so its health rules assume the default unless told.
 */
export const DEFAULT_SETTLE_MINUTES = 5;
