import { collectorCadenceMinutes, collectorWatermarkTrail, type CadenceSettings } from "@/lib/domain/collection/collector-cadence";
import { MISSED_RUNS_TOLERATED, RUN_SLACK_MINUTES } from "@/lib/domain/collection/collector-health";
import type { CollectorName, Watermark } from "@/lib/domain/collection/collector-run";
import { MINUTE_MS } from "@/lib/domain/shared/time";

/** CloudWatch namespace of the collectors' own metrics (Powertools EMF), `LagMinutes` among them. */
export const COLLECTOR_METRICS_NAMESPACE = "Sightline";

/**
 * How far one collector in one account/region trails beyond what its design allows, in
 * minutes (≥ 0): the `LagMinutes` metric the collectors publish and the lag alarm watches.
 *
 * - With a designed trail (every collector but costs) and collected data: now − watermark −
 *   the designed trail (collectorWatermarkTrail, + SETTLE_MINUTES where the collector
 *   settles). A healthy collector shows 0 (or a fraction of a minute: the run's duration).
 * - Costs (no designed trail: its watermark is the first day Cost Explorer still marks
 *   Estimated, which stays weeks back by design), or a scope with nothing collected yet (a
 *   region without functions): the age of the last success, now − lastSuccessMs — 0 right
 *   after a successful run, one cadence per missed run after that. It is the console's
 *   "no recent success" rule, measured in the same minutes.
 * - Never succeeded: null (unknown). The caller publishes nothing for the invocation, which the
 *   alarm treats as breaching: a collector that never got anywhere is lagging.
 */
export function collectorLagMinutes(
  collector: CollectorName,
  watermark: Pick<Watermark, "throughMs" | "lastSuccessMs"> | null,
  nowMs: number,
  settleMinutes: number,
  cadence: CadenceSettings,
): number | null {
  const trail = collectorWatermarkTrail(collector, cadence);
  if (trail !== null && watermark?.throughMs != null) {
    const designedMinutes = trail.minutes + (trail.plusSettle ? settleMinutes : 0);
    return roundMinutes(Math.max(0, (nowMs - watermark.throughMs) / MINUTE_MS - designedMinutes));
  }
  if (watermark?.lastSuccessMs != null) return roundMinutes(Math.max(0, (nowMs - watermark.lastSuccessMs) / MINUTE_MS));
  return null;
}

/**
 * The lag alarm's threshold for a collector, in minutes of `LagMinutes`: MISSED_RUNS_TOLERATED
 * cadences plus RUN_SLACK_MINUTES — exactly the tolerance the console's health rules give it
 * on top of the designed trail (healthLimits), so the alarm and the Collectors page agree on
 * what "lagging" means. Costs: 3 × 360 + 5 = 1085 minutes (three missed 6-hour runs); metrics
 * at METRICS_CADENCE_MINUTES=5: 3 × 5 + 5 = 20.
 */
export function lagAlarmThresholdMinutes(collector: CollectorName, cadence: CadenceSettings): number {
  return MISSED_RUNS_TOLERATED * collectorCadenceMinutes(collector, cadence) + RUN_SLACK_MINUTES;
}

/** Two decimals: a metric value, not a measurement to the millisecond. */
function roundMinutes(minutes: number): number {
  return Math.round(minutes * 100) / 100;
}
