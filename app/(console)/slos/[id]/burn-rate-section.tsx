import { formatCompactNumber, formatInteger } from "@/app/(console)/_format/format";
import { SectionCard } from "@/app/(console)/_components/section-card";
import { SEVERITY_WORDS, formatBurn, formatThreshold } from "@/app/(console)/slos/slo-words";
import styles from "@/app/(console)/slos/slos.module.css";
import type { SloDetailView } from "@/lib/queries/slos-view";

/** The multiwindow burn-rate table: each window pair's threshold, long and short burn, events, and whether it fires. */
export function BurnRateSection({ view }: { view: SloDetailView }) {
  const { row, definition, hourlyResolution } = view;
  return (
    <SectionCard testId="slo-burn-rates" title="Burn rate by alert window">
      {row.burnRates.length === 0 ? (
        <p className="muted">No burn rates yet: they come with the first evaluation that has data.</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table">
            <caption className="visually-hidden">Burn rate of each alert window pair against its threshold</caption>
            <thead>
              <tr>
                <th scope="col">Windows</th>
                <th scope="col">Severity</th>
                <th scope="col" className="num">Threshold</th>
                <th scope="col" className="num">Long burn</th>
                <th scope="col" className="num">Short burn</th>
                <th scope="col" className="num" title="Events in the long window; below the minimum no alert fires">
                  Events (long)
                </th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {row.burnRates.map((pair) => (
                <tr key={pair.label} data-testid="burn-rate-row" data-window={pair.label} data-firing={pair.firing ? "true" : "false"} data-low-traffic={pair.lowTraffic ? "true" : "false"}>
                  <th scope="row">{pair.label}</th>
                  <td>{SEVERITY_WORDS[pair.severity]}</td>
                  <td className="num" data-value={pair.threshold}>
                    {formatThreshold(pair.threshold)}
                  </td>
                  <td className="num" data-value={pair.longBurnRate ?? ""}>
                    {formatBurn(pair.longBurnRate)}
                  </td>
                  <td className="num" data-value={pair.shortBurnRate ?? ""}>
                    {formatBurn(pair.shortBurnRate)}
                  </td>
                  <td className="num" data-value={pair.longEvents} title={formatInteger(pair.longEvents)}>
                    {formatCompactNumber(pair.longEvents)}
                  </td>
                  <td>
                    {pair.firing ? (
                      <span className={styles.pair} data-firing="true" data-severity={pair.severity}>
                        firing
                      </span>
                    ) : pair.lowTraffic ? (
                      <span className={styles.lowTraffic} title={`Both windows burn past the threshold, but fewer than ${formatInteger(view.status?.minEvents ?? definition.alerting.minEvents)} events`}>
                        low traffic
                      </span>
                    ) : (
                      <span className="muted">not firing</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className={styles.note}>
        An alert fires when both the long and the short window burn at or past the threshold and the long window has at least{" "}
        {formatInteger(view.status?.minEvents ?? definition.alerting.minEvents)} events{view.status !== null && view.status.minEvents < definition.alerting.minEvents ? " (minutes with traffic: capped at 30, half of the 1-hour window)" : ""}.
        {row.alertingEnabled ? "" : " Alerting is off for this SLO: the rates are shown, nothing fires."}
        {hourlyResolution ? " X-Ray SLIs are hourly: a short window shows the current hour's average." : ""}
      </p>
    </SectionCard>
  );
}
