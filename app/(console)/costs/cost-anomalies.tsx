import Link from "next/link";
import { SectionCard } from "@/app/(console)/_components/section-card";
import { formatPercent } from "@/app/(console)/_format/format";
import { formatCostDay, formatMicroUsdCell, formatSignedMicroUsd, formatUnitCostUsd } from "@/app/(console)/costs/cost-format";
import { costsHref, type CostsUrlState } from "@/app/(console)/costs/costs-href";
import styles from "@/app/(console)/costs/costs.module.css";
import { describeSeries } from "@/app/(console)/costs/cost-words";
import type { CostAnomaly, CostView } from "@/lib/domain/cost/cost-types";

/** An anomaly's amount: µUSD for a cost series, USD per invocation for a unit-cost series. */
function amount(anomaly: CostAnomaly, value: number): string {
  return anomaly.metric === "cost" ? formatMicroUsdCell(value) : formatUnitCostUsd(value);
}

function deltaText(anomaly: CostAnomaly): string {
  if (anomaly.metric === "cost") return formatSignedMicroUsd(anomaly.delta);
  const text = formatUnitCostUsd(anomaly.delta);
  return anomaly.delta > 0 ? `+${text}` : text;
}

function causeText(anomaly: CostAnomaly): string {
  const cause = anomaly.likelyCause;
  if (cause === null) return "No single cause stands out";
  const kind = cause.kind === "usage-type" ? "usage type" : cause.kind;
  return `${kind} ${cause.name}: ${formatMicroUsdCell(cause.actualMicroUsd)} against ${formatMicroUsdCell(cause.baselineMicroUsd)} usual (${formatPercent(cause.deltaShare)} of the change)`;
}

/**
 * The anomalies of the window, newest first: the day, the series, what it cost against the
 * day-of-week baseline, how unusual (robust σ), and the likely cause. Each cost anomaly links
 * to its bucket's drill-down.
 */
export function CostAnomalies({ view, state }: { view: CostView; state: CostsUrlState }) {
  const anomalies = [...view.anomalies].sort((a, b) => b.dayMs - a.dayMs || b.score - a.score);
  return (
    <SectionCard testId="cost-anomalies" title="Anomalies" aside={<span className="muted">{`${anomalies.length} in the window`}</span>}>
      {anomalies.length === 0 ? (
        <p className="muted" data-testid="cost-anomalies-none">
          No day stands out from its day-of-week baseline in this window.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="data-table">
            <caption className="visually-hidden">Days whose cost or unit cost differs from the seasonal baseline, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Series</th>
                <th scope="col" className="num">
                  Actual
                </th>
                <th scope="col" className="num">
                  Baseline
                </th>
                <th scope="col" className="num">
                  Change
                </th>
                <th scope="col" className="num" title="How far from the baseline, in robust standard deviations of the series">
                  Score
                </th>
                <th scope="col">Likely cause</th>
              </tr>
            </thead>
            <tbody>
              {anomalies.map((a) => {
                const isBucket = view.buckets.some((b) => b.id === a.seriesId);
                const label = describeSeries(a.seriesId, view.buckets);
                return (
                  <tr key={`${a.seriesId}|${a.metric}|${a.dayMs}`} data-testid="cost-anomaly" data-day={formatCostDay(a.dayMs)} data-series={a.seriesId} data-direction={a.direction}>
                    <td>
                      <span className={styles.anomalyDot} aria-hidden="true" />
                      {formatCostDay(a.dayMs)}
                    </td>
                    <th scope="row" className="fn-name">
                      {isBucket ? <Link href={costsHref(state, { bucket: a.seriesId })}>{label}</Link> : label}
                      <span className="fn-meta">{a.metric === "cost" ? "daily cost" : "cost per invocation"}</span>
                    </th>
                    <td className="num">{amount(a, a.actual)}</td>
                    <td className="num">{amount(a, a.baseline)}</td>
                    <td className="num">
                      {a.direction === "up" ? "▲ " : "▼ "}
                      {deltaText(a)}
                      {a.ratio !== null ? <span className={styles.range}>{`×${a.ratio.toFixed(2)}`}</span> : null}
                    </td>
                    <td className="num">{`${a.score.toFixed(1)} σ`}</td>
                    <td className={styles.wrap}>{causeText(a)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </SectionCard>
  );
}
