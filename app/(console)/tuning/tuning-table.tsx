import Link from "next/link";
import { ConfidenceBadge } from "@/app/(console)/tuning/confidence-badge";
import { DeltaText } from "@/app/(console)/tuning/delta-text";
import { functionTuningHref } from "@/app/(console)/tuning/tuning-href";
import styles from "@/app/(console)/tuning/tuning.module.css";
import { FINDING_MEANINGS, FINDING_WORDS, KIND_WORDS } from "@/app/(console)/tuning/tuning-words";
import type { TuningFleetView } from "@/lib/queries/tuning-view";

/**
 * Every recommendation of the fleet in the view's order (savings per unit of risk, best
 * first): the function, what was found, the setting now and proposed, the monthly change
 * with its range, and how sure the analysis is. Each row links to the function's tuning page.
 */
export function TuningTable({ rows }: { rows: TuningFleetView["ranked"] }) {
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="tuning-table">
        <caption className="visually-hidden">{`${rows.length} recommendation${rows.length === 1 ? "" : "s"}, most saving per unit of risk first`}</caption>
        <thead>
          <tr>
            <th scope="col" className="num">#</th>
            <th scope="col">Function</th>
            <th scope="col">Finding</th>
            <th scope="col">Current → proposed</th>
            <th scope="col" className="num" title="Projected change of the function's monthly cost (30 days at the observed traffic): expected, then the range">
              Monthly change
            </th>
            <th scope="col">Confidence</th>
            <th scope="col">
              <span className="visually-hidden">Tune</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => {
            const href = functionTuningHref(row);
            return (
              <tr key={row.id} data-testid="tuning-row" data-function={row.functionName} data-finding={row.finding} data-kind={row.kind} data-recommendation-id={row.id}>
                <td className="num">{index + 1}</td>
                <th scope="row" className="fn-name">
                  <Link href={href} className="fn-title">
                    {row.functionName}
                  </Link>
                  <span className="fn-meta">
                    {row.region} · {row.accountId}
                  </span>
                </th>
                <td title={FINDING_MEANINGS[row.finding]}>
                  {FINDING_WORDS[row.finding]}
                  <span className="fn-meta">{KIND_WORDS[row.kind]}</span>
                </td>
                <td className={styles.proposal}>
                  {row.current}
                  <span className={styles.arrow} aria-label="to">
                    →
                  </span>
                  <strong>{row.proposed}</strong>
                </td>
                <td className="num" data-testid="tuning-delta">
                  <DeltaText range={row.monthlyCost.deltaUsd} />
                </td>
                <td>
                  <ConfidenceBadge confidence={row.confidence} />
                </td>
                <td className={styles.rowActions}>
                  <Link href={href} aria-label={`Tune ${row.functionName}`}>
                    Tune →
                  </Link>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
