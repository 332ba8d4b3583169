import { z } from "zod";
import {
  DEFAULT_METRICS_CADENCE_MINUTES,
  METRICS_CADENCE_CHOICES,
  type CadenceSettings,
  type MetricsCadenceMinutes,
} from "@/lib/domain/collection/collector-cadence";

const MESSAGE = `must be one of ${METRICS_CADENCE_CHOICES.join(", ")} (minutes between metrics collections)`;

/**
 * `METRICS_CADENCE_MINUTES`: how often the metrics collector (and the SLO evaluator after it)
 * runs. One schema for every runtime that reads it — the deploy config (schedule rate, lag
 * alarm), the collectors (lag metric, local scheduler), `sightline start` and the console
 * (Collectors page health) — so a value one of them refuses none of them accepts. Unset or
 * blank: 1 (every minute).
 */
export const metricsCadenceMinutes = z.preprocess(
  (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
  z.coerce
    .number({ error: MESSAGE })
    .pipe(z.literal(METRICS_CADENCE_CHOICES, { error: MESSAGE }))
    .default(DEFAULT_METRICS_CADENCE_MINUTES),
);

/** The cadence settings of a parsed configuration, for the domain's cadence functions. */
export function cadenceSettingsOf(config: { METRICS_CADENCE_MINUTES: MetricsCadenceMinutes }): CadenceSettings {
  return { metricsCadenceMinutes: config.METRICS_CADENCE_MINUTES };
}
