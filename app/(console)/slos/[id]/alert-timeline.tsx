import { formatDateTimeUtc, formatElapsedMs } from "@/app/(console)/_format/format";
import { episodeDurationMs, type TimelineLane } from "@/app/(console)/slos/[id]/timeline-layout";
import { SEVERITY_WORDS, describeAlertTimeline, formatBurn } from "@/app/(console)/slos/slo-words";
import styles from "@/app/(console)/slos/slos.module.css";
import type { SloAlertEpisode } from "@/lib/queries/slos-view";

/** One band per severity across the window, each alert episode a bar (striped while it still fires); positions come from layoutAlertTimeline. */
export function AlertTimeline({ lanes, window, nowMs }: { lanes: TimelineLane<SloAlertEpisode>[]; window: { fromMs: number; toMs: number }; nowMs: number }) {
  return (
    <div className={styles.timeline} role="img" aria-label={describeAlertTimeline(lanes, window)} data-testid="alert-timeline">
      {lanes.map((lane) => (
        <div key={lane.severity} className={styles.lane} data-severity={lane.severity}>
          <span className={styles.laneLabel}>{SEVERITY_WORDS[lane.severity]}</span>
          <div className={styles.band}>
            {lane.bars.map((bar) => (
              <span
                key={`${bar.episode.severity}-${bar.episode.startedAtMs}`}
                className={styles.bar}
                data-testid="alert-bar"
                data-severity={bar.episode.severity}
                data-ongoing={bar.ongoing ? "true" : "false"}
                style={{ left: `${bar.leftPercent}%`, width: `${bar.widthPercent}%` }}
                title={`${SEVERITY_WORDS[bar.episode.severity]} from ${formatDateTimeUtc(bar.episode.startedAtMs)}${
                  bar.episode.endedAtMs === null ? ", still firing" : ` to ${formatDateTimeUtc(bar.episode.endedAtMs)}`
                } (${formatElapsedMs(episodeDurationMs(bar.episode, nowMs))}), peak burn ${formatBurn(bar.episode.peakBurnRate)}`}
              />
            ))}
          </div>
        </div>
      ))}
      <div className={styles.axis} aria-hidden="true">
        <span>{formatDateTimeUtc(window.fromMs)}</span>
        <span>{formatDateTimeUtc(window.toMs)}</span>
      </div>
    </div>
  );
}
