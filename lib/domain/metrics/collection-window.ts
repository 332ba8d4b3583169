import { floorToMinuteMs, HOUR_MS, MINUTE_MS, sliceWindow, type TimeWindow } from "@/lib/domain/shared/time";

export interface MetricsWindowInput {
  /** End of the last window collected (epoch ms), or null when never collected. */
  watermarkMs: number | null;
  nowMs: number;
  /** How far back the first run reaches. */
  backfillHours: number;
  /**
   * CloudWatch datapoints keep changing for a few minutes after their period (late
   * arrivals); every run re-reads this many minutes before the watermark and overwrites.
   */
  settleMinutes: number;
  /** Largest slice fetched in one step, so a long backfill reports progress and bounds memory. */
  sliceHours: number;
}

export interface MetricsWindowPlan {
  kind: "backfill" | "incremental" | "up-to-date";
  window: TimeWindow;
  slices: TimeWindow[];
}

/**
 * Plans the next metrics collection: from the watermark (less the settling window) to the
 * last complete minute, never further back than the backfill horizon. A collector that was
 * down for a while resumes from its watermark without a gap (up to that horizon).
 */
export function planMetricsWindow(input: MetricsWindowInput): MetricsWindowPlan {
  const toMs = floorToMinuteMs(input.nowMs);
  const horizonMs = floorToMinuteMs(input.nowMs - input.backfillHours * HOUR_MS);
  const kind = input.watermarkMs === null ? "backfill" : "incremental";
  const fromMs =
    input.watermarkMs === null
      ? horizonMs
      : Math.max(horizonMs, floorToMinuteMs(input.watermarkMs) - input.settleMinutes * MINUTE_MS);
  const window = { fromMs: Math.min(fromMs, toMs), toMs };
  if (window.fromMs >= window.toMs) return { kind: "up-to-date", window, slices: [] };
  return { kind, window, slices: sliceWindow(window, input.sliceHours * HOUR_MS) };
}
