import Link from "next/link";
import { MISSING } from "@/app/(console)/_format/format";
import { functionTuningHref } from "@/app/(console)/tuning/tuning-href";
import styles from "@/app/(console)/tuning/tuning.module.css";
import { formatMonthlyUsd } from "@/app/(console)/tuning/tuning-words";
import type { TuningFunctionRow } from "@/lib/queries/tuning-view";

const STATUS_WORDS: Record<TuningFunctionRow["status"], string> = {
  analysed: "nothing to change",
  "insufficient-data": "not enough data",
  "not-analysed": "not analysed yet",
};

/** Functions without a recommendation (nothing to change, too little history, not analysed), collapsed, each with why. */
export function NoRecommendationList({ rows }: { rows: TuningFunctionRow[] }) {
  if (rows.length === 0) return null;
  return (
    <details className={styles.others} data-testid="tuning-no-recommendation">
      <summary>
        {rows.length} function{rows.length === 1 ? "" : "s"} without a recommendation
      </summary>
      <div className="table-wrap">
        <table className="data-table">
          <caption className="visually-hidden">Functions without a recommendation, and why</caption>
          <thead>
            <tr>
              <th scope="col">Function</th>
              <th scope="col">Status</th>
              <th scope="col">Why</th>
              <th scope="col" className="num">Monthly cost now</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={`${row.accountId}/${row.region}/${row.functionName}`} data-testid="tuning-other-row" data-function={row.functionName} data-status={row.status}>
                <th scope="row" className="fn-name">
                  <Link href={functionTuningHref(row)} className="fn-title">
                    {row.functionName}
                  </Link>
                  <span className="fn-meta">
                    {row.region} · {row.accountId}
                  </span>
                </th>
                <td>{STATUS_WORDS[row.status]}</td>
                <td className={styles.wrap}>{row.reason ?? <span className="muted">{MISSING}</span>}</td>
                <td className="num">{row.currentMonthlyCostUsd === null ? MISSING : `${formatMonthlyUsd(row.currentMonthlyCostUsd)} /month`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
