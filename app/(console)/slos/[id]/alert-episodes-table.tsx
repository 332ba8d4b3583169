import { formatDateTimeUtc, formatElapsedMs } from "@/app/(console)/_format/format";
import { episodeDurationMs } from "@/app/(console)/slos/[id]/timeline-layout";
import { SEVERITY_WORDS, formatBurn, formatNotified } from "@/app/(console)/slos/slo-words";
import styles from "@/app/(console)/slos/slos.module.css";
import type { SloAlertEpisode } from "@/lib/queries/slos-view";

/** Every alert episode of the period, oldest first: severity, when it started and ended, how long, peak burn, whether anyone was told. */
export function AlertEpisodesTable({ episodes, nowMs }: { episodes: SloAlertEpisode[]; nowMs: number }) {
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="alert-episodes">
        <caption className="visually-hidden">Alert episodes of this period, oldest first</caption>
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">Started</th>
            <th scope="col">Ended</th>
            <th scope="col" className="num">Duration</th>
            <th scope="col" className="num" title="The highest long-window burn rate during the episode">
              Peak burn
            </th>
            <th scope="col" title="Whether the firing notification was delivered">
              Notified
            </th>
          </tr>
        </thead>
        <tbody>
          {episodes.map((episode) => (
            <tr
              key={`${episode.severity}-${episode.startedAtMs}`}
              data-testid="alert-episode"
              data-severity={episode.severity}
              data-status={episode.status}
            >
              <th scope="row">{SEVERITY_WORDS[episode.severity]}</th>
              <td>{formatDateTimeUtc(episode.startedAtMs)}</td>
              <td>
                {episode.endedAtMs === null ? (
                  <span className={styles.pair} data-firing="true" data-severity={episode.severity}>
                    firing
                  </span>
                ) : (
                  formatDateTimeUtc(episode.endedAtMs)
                )}
              </td>
              <td className="num" data-value={episodeDurationMs(episode, nowMs)}>
                {formatElapsedMs(episodeDurationMs(episode, nowMs))}
                {episode.endedAtMs === null ? " so far" : ""}
              </td>
              <td className="num" data-value={episode.peakBurnRate}>
                {formatBurn(episode.peakBurnRate)}
              </td>
              <td data-notified={episode.notifiedAtMs !== null ? "true" : "false"}>{formatNotified(episode.notifiedAtMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
