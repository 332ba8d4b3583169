import Link from "next/link";
import { MISSING, formatCompactNumber, formatDurationMs, formatInteger, formatPercent, formatRangeLabel, formatUsd } from "@/app/(console)/_format/format";
import { coldStartsHref } from "@/app/(console)/cold-starts/cold-starts-href";
import { functionDetailHref } from "@/app/(console)/_format/links";
import styles from "@/app/(console)/cold-starts/cold-starts.module.css";
import type { FunctionRef } from "@/lib/domain/shared/ids";
import type { ColdStartRankingRow } from "@/lib/queries/cold-starts-view";
import type { ResolvedTimeRange } from "@/lib/queries/time-range";

/**
 * The fleet ranked by cold-start impact: heavy functions first, then by the cold-start time
 * callers waited per day. Each name links to the function's page; "Details" opens its
 * cold-start section below the table.
 */
export function ColdStartRanking({ rows, range, selected }: { rows: ColdStartRankingRow[]; range: ResolvedTimeRange; selected: FunctionRef | null }) {
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="cold-start-ranking">
        <caption className="visually-hidden">
          {`${rows.length} functions ranked by cold-start impact, ${formatRangeLabel(range.label, range.window).toLowerCase()}`}
        </caption>
        <thead>
          <tr>
            <th scope="col" className="num">#</th>
            <th scope="col">Function</th>
            <th scope="col">Runtime</th>
            <th scope="col" className="num">Invocations</th>
            <th scope="col" className="num">Cold starts</th>
            <th scope="col" className="num">Ratio</th>
            <th scope="col" className="num" title="Init Duration (Restore Duration under SnapStart), merged over the range">
              Init p50
            </th>
            <th scope="col" className="num">Init p99</th>
            <th scope="col" className="num" title="Total cold-start time callers waited per day: ratio × init time × traffic">
              Waited / day
            </th>
            <th scope="col" className="num" title="Billed INIT per day at the on-demand first-tier price; part of the duration bill, not on top of it">
              INIT cost / day
            </th>
            <th scope="col">
              <span className="visually-hidden">Details</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const isSelected = selected !== null && selected.functionName === row.functionName && selected.accountId === row.accountId && selected.region === row.region;
            return (
              <tr
                key={row.key}
                data-testid="cold-start-row"
                data-function={row.functionName}
                data-heavy={row.heavy ? "true" : "false"}
                className={isSelected ? styles.selected : undefined}
                aria-current={isSelected ? "true" : undefined}
              >
                <td className="num">{row.rank}</td>
                <th scope="row" className="fn-name">
                  <Link href={functionDetailHref(row)} className="fn-title">
                    {row.functionName}
                  </Link>{" "}
                  {row.heavy ? (
                    <span className={`${styles.badge} ${styles.heavy}`} data-testid="cold-start-heavy" title="At least 5 cold starts and at least 5 % of invocations in this range">
                      heavy
                    </span>
                  ) : null}
                  <span className="fn-meta">
                    {row.region} · {row.accountId}
                  </span>
                </th>
                <td>
                  {row.runtime ?? "image"} · {row.architecture}
                  {row.snapStart ? " · SnapStart" : ""}
                  {row.provisionedConcurrency > 0 ? ` · PC ${formatInteger(row.provisionedConcurrency)}` : ""}
                </td>
                <td className="num" data-value={row.invocations} title={formatInteger(row.invocations)}>
                  {formatCompactNumber(row.invocations)}
                </td>
                <td className={row.coldStarts === 0 ? "num zero" : "num"} data-testid="cold-starts" data-value={row.coldStarts}>
                  {formatInteger(row.coldStarts)}
                </td>
                <td className="num" data-testid="cold-start-ratio" data-value={row.coldStartRatio ?? ""}>
                  {formatPercent(row.coldStartRatio)}
                </td>
                <td className="num" data-value={row.coldStartP50Ms ?? ""}>
                  {formatDurationMs(row.coldStartP50Ms)}
                </td>
                <td className="num" data-value={row.coldStartP99Ms ?? ""}>
                  {formatDurationMs(row.coldStartP99Ms)}
                </td>
                <td className="num" data-testid="cold-start-wait" data-value={row.coldStartWaitMsPerDay}>
                  {row.coldStarts === 0 ? MISSING : formatDurationMs(row.coldStartWaitMsPerDay)}
                </td>
                <td className="num" data-testid="init-cost-per-day" data-value={row.initCostUsdPerDay}>
                  {row.initAccounting === "none" ? MISSING : formatUsd(row.initCostUsdPerDay)}
                </td>
                <td className={styles.rowActions}>
                  <Link href={`${coldStartsHref(range, row)}#function-cold-starts`} aria-label={`Cold-start details of ${row.functionName}`}>
                    Details
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
