import type { AlertSeverity } from "@/lib/domain/slo/alert-lifecycle";
import type { TimeWindow } from "@/lib/domain/shared/time";

/**
 * Where the alert episodes go on the SLO page's timeline: one band per severity across a
 * window (the SLO period up to now), each episode a bar positioned in percent of the band.
 * Pure geometry from instants; the component only renders it.
 */

/** The narrowest bar drawn (% of the band), so a one-evaluation episode stays visible. */
export const MIN_BAR_WIDTH_PERCENT = 0.6;

/** The bands, top to bottom: the more urgent first. */
export const TIMELINE_SEVERITIES: readonly AlertSeverity[] = ["page", "ticket"];

/** What the layout needs of an episode; `endedAtMs` null while it still fires. */
export interface TimelineEpisode {
  severity: AlertSeverity;
  startedAtMs: number;
  endedAtMs: number | null;
}

export interface TimelineBar<E extends TimelineEpisode> {
  episode: E;
  /** Left edge and width in percent of the band (0..100, rounded to 0.001). */
  leftPercent: number;
  widthPercent: number;
  /** The episode started before the window (the bar is cut at its left edge). */
  clippedStart: boolean;
  /** The episode still fires (the bar runs to the window's end). */
  ongoing: boolean;
}

export interface TimelineLane<E extends TimelineEpisode> {
  severity: AlertSeverity;
  bars: TimelineBar<E>[];
}

function round(percent: number): number {
  return Math.round(percent * 1000) / 1000;
}

/**
 * One lane per severity (always both, in TIMELINE_SEVERITIES order) with the episodes that
 * overlap `window`, in the given order. A bar spans max(start, window start) to
 * min(end, window end), a firing episode to the window end; bars are at least
 * MIN_BAR_WIDTH_PERCENT wide and kept inside the band. An empty window (toMs ≤ fromMs)
 * has no bars.
 */
export function layoutAlertTimeline<E extends TimelineEpisode>(window: TimeWindow, episodes: readonly E[]): TimelineLane<E>[] {
  const spanMs = window.toMs - window.fromMs;
  return TIMELINE_SEVERITIES.map((severity) => {
    const bars: TimelineBar<E>[] = [];
    if (!(spanMs > 0)) return { severity, bars };
    for (const episode of episodes) {
      if (episode.severity !== severity) continue;
      const endMs = episode.endedAtMs ?? window.toMs;
      // Outside the window: ended before it began, or started after it ended.
      if (endMs < window.fromMs || episode.startedAtMs > window.toMs) continue;
      const fromMs = Math.max(episode.startedAtMs, window.fromMs);
      const toMs = Math.min(endMs, window.toMs);
      const rawLeft = ((fromMs - window.fromMs) / spanMs) * 100;
      const rawWidth = (Math.max(0, toMs - fromMs) / spanMs) * 100;
      const widthPercent = Math.min(100, Math.max(MIN_BAR_WIDTH_PERCENT, rawWidth));
      const leftPercent = Math.max(0, Math.min(rawLeft, 100 - widthPercent));
      bars.push({
        episode,
        leftPercent: round(leftPercent),
        widthPercent: round(widthPercent),
        clippedStart: episode.startedAtMs < window.fromMs,
        ongoing: episode.endedAtMs === null,
      });
    }
    return { severity, bars };
  });
}

/** How long an episode lasted, or has lasted so far at `nowMs` while it fires (never negative). */
export function episodeDurationMs(episode: Pick<TimelineEpisode, "startedAtMs" | "endedAtMs">, nowMs: number): number {
  return Math.max(0, (episode.endedAtMs ?? nowMs) - episode.startedAtMs);
}

/**
 * The span the timeline draws: from the SLO period's start to now (episodes are stamped with
 * evaluation times, which can be later than the data's end), never ending before the data does.
 */
export function alertTimelineWindow(period: Pick<TimeWindow, "fromMs">, throughMs: number, nowMs: number): TimeWindow {
  return { fromMs: period.fromMs, toMs: Math.max(nowMs, throughMs) };
}
