import { BucketSwatch } from "@/app/(console)/costs/cost-bucket-name";
import { formatMicroUsd, formatMicroUsdCell, formatMicroUsdExact } from "@/app/(console)/costs/cost-format";
import type { TrendData } from "@/app/(console)/costs/cost-trend-data";
import styles from "@/app/(console)/costs/costs.module.css";

/**
 * The trend as numbers ("Table" drawing): one row per day, one column per series of the bars,
 * and the day's bill. Anomalous cells carry a red dot; estimated days say so.
 */
export function CostDayTable({ trend }: { trend: TrendData }) {
  const marked = new Set(trend.marks.map((m) => `${m.seriesKey}|${m.day}`));
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="cost-day-table">
        <caption className="visually-hidden">Cost per day and bucket; the last column is the day&apos;s bill</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            {trend.series.map((s) => (
              <th scope="col" className="num" key={s.key}>
                <BucketSwatch id={s.id} color={s.color} />
                {s.label}
              </th>
            ))}
            <th scope="col" className="num">
              Bill
            </th>
          </tr>
        </thead>
        <tbody>
          {trend.days.map((d) => (
            <tr key={d.day} data-testid="cost-day" data-day={d.day} data-micro-usd={d.billMicroUsd} data-estimated={d.estimated ? "true" : undefined}>
              <th scope="row">
                {d.day}
                {d.estimated ? <span className="fn-meta">estimated</span> : null}
              </th>
              {trend.series.map((s) => {
                const microUsd = d.microUsdBySeries[s.key] ?? 0;
                const anomalous = marked.has(`${s.key}|${d.day}`);
                return (
                  <td key={s.key} className={anomalous ? `num ${styles.anomalyCell}` : microUsd === 0 ? "num zero" : "num"} title={formatMicroUsdExact(microUsd)}>
                    {anomalous ? (
                      <>
                        <span className={styles.anomalyDot} aria-hidden="true" />
                        <span className="visually-hidden">Anomaly: </span>
                      </>
                    ) : null}
                    {formatMicroUsdCell(microUsd)}
                  </td>
                );
              })}
              <td className="num" title={formatMicroUsdExact(d.billMicroUsd)}>
                <strong>{formatMicroUsd(d.billMicroUsd)}</strong>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
