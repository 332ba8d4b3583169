import { DAY_MS, floorToHourMs, floorToMinuteMs, HOUR_MS, MINUTE_MS, type TimeWindow } from "@/lib/domain/shared/time";

/**
 * Which hour windows a traces run collects.
 *
 * - Complete hours: an hour H is collected once, when nowMs ≥ H + 1 h + settle minutes
 *   (segments arrive late), from the watermark — the end of the last complete hour collected —
 *   or, on a first run, from the backfill start floored to the hour. X-Ray keeps traces 30
 *   days, so nothing older is asked for.
 * - Partial windows: every later hour that has begun, from its start to the last complete
 *   minute — normally just the current hour, and in the first settle minutes of an hour also
 *   the previous one, which is elapsed but not settled. They are rewritten by every run under
 *   the hour's key (complete: false) so the map is fresh, and finally replaced by the complete
 *   snapshot.
 * - Exemplars (they cost $0.50 per million traces scanned or retrieved, and calls) only for
 *   complete hours starting within EXEMPLAR_LOOKBACK_HOURS of now: a 14-day backfill gets
 *   graphs for all 336 hours and exemplars for the last day; a steady run gets them for each
 *   newly complete hour. Partial windows never get exemplars: a run every 5 minutes would
 *   rescan the same hour twelve times. The rule depends on nowMs only (not on the watermark),
 *   so a crashed run rerun at the same instant writes exactly what an uninterrupted run would.
 */

export const EXEMPLAR_LOOKBACK_HOURS = 24;
/** X-Ray's trace retention. */
export const XRAY_RETENTION_MS = 30 * DAY_MS;

export interface TraceWindowPlanInput {
  /** End of the last complete hour collected (epoch ms), or null on a first run. */
  watermarkMs: number | null;
  nowMs: number;
  backfillFromMs: number;
  settleMinutes: number;
  exemplarLookbackHours?: number;
}

export interface TraceWindowPlan {
  /** Hours to collect as complete snapshots, oldest first; the watermark moves past each. */
  complete: { window: TimeWindow; exemplars: boolean }[];
  /** Windows of hours begun but not settled, oldest first (complete: false). */
  partial: TimeWindow[];
}

/** Plans the windows of one traces run (see the module comment). */
export function planTraceWindows(input: TraceWindowPlanInput): TraceWindowPlan {
  const { nowMs } = input;
  const lookbackHours = input.exemplarLookbackHours ?? EXEMPLAR_LOOKBACK_HOURS;
  const retentionStart = floorToHourMs(nowMs - XRAY_RETENTION_MS) + HOUR_MS;
  const backfillStart = floorToHourMs(input.backfillFromMs);
  const startMs = Math.max(retentionStart, input.watermarkMs === null ? backfillStart : Math.max(floorToHourMs(input.watermarkMs), backfillStart));
  const exemplarsFromMs = floorToHourMs(nowMs) - lookbackHours * HOUR_MS;
  const settleMs = input.settleMinutes * MINUTE_MS;

  const complete: TraceWindowPlan["complete"] = [];
  let hour = startMs;
  for (; hour + HOUR_MS + settleMs <= nowMs; hour += HOUR_MS) {
    complete.push({ window: { fromMs: hour, toMs: hour + HOUR_MS }, exemplars: hour >= exemplarsFromMs });
  }
  const lastMinuteEnd = floorToMinuteMs(nowMs);
  const partial: TimeWindow[] = [];
  for (; hour < lastMinuteEnd; hour += HOUR_MS) partial.push({ fromMs: hour, toMs: Math.min(hour + HOUR_MS, lastMinuteEnd) });
  return { complete, partial };
}
