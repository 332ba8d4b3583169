import Link from "next/link";
import { BucketSwatch } from "@/app/(console)/costs/cost-bucket-name";
import { formatForecastExpected, formatForecastRange, formatGroupByLabel, formatMicroUsd, formatMicroUsdCell, formatMicroUsdExact, formatCostWindow } from "@/app/(console)/costs/cost-format";
import { costsHref, type CostsUrlState } from "@/app/(console)/costs/costs-href";
import styles from "@/app/(console)/costs/costs.module.css";
import { describeBudgetStatus } from "@/app/(console)/costs/cost-words";
import { formatInteger, formatPercent } from "@/app/(console)/_format/format";
import type { CostView } from "@/lib/domain/cost/cost-types";

/**
 * Every bucket of the window, largest first: total (exact µUSD in `data-micro-usd`), share of
 * the bill, month-end forecast with its range, budget status and anomaly count, each with a
 * link that drills into it. The footer is the bill, which the rows add up to exactly.
 */
export function CostTable({ view, colors, state }: { view: CostView; colors: Map<string, string>; state: CostsUrlState }) {
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="cost-table">
        <caption className="visually-hidden">
          {`Cost by ${formatGroupByLabel(view.groupBy)}, ${formatCostWindow(view.window)}: ${view.buckets.length} buckets, largest first, adding up to the bill`}
        </caption>
        <thead>
          <tr>
            <th scope="col">{formatGroupByLabel(view.groupBy)}</th>
            <th scope="col" className="num">
              Total
            </th>
            <th scope="col" className="num">
              Share
            </th>
            <th scope="col" className="num" title="Month-end projection of the month containing the window's last day: expected, then the range">
              Month-end forecast
            </th>
            <th scope="col">Budget</th>
            <th scope="col" className="num">
              Anomalies
            </th>
            <th scope="col">
              <span className="visually-hidden">Drill down</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {view.buckets.map((b) => {
            const drilled = state.bucket === b.id;
            const special = b.bucket.kind !== "value";
            const budget = b.budget === null ? null : describeBudgetStatus(b.budget);
            return (
              <tr
                key={b.id}
                data-testid="cost-bucket"
                data-bucket={b.id}
                data-micro-usd={b.totalMicroUsd}
                className={special ? styles.specialRow : undefined}
                aria-current={drilled ? "true" : undefined}
              >
                <th scope="row" className="fn-name">
                  <BucketSwatch id={b.id} color={colors.get(b.id) ?? "var(--accent)"} />
                  <Link href={costsHref(state, { bucket: b.id })}>{b.label}</Link>
                </th>
                <td className="num" title={formatMicroUsdExact(b.totalMicroUsd)}>
                  {formatMicroUsdCell(b.totalMicroUsd)}
                </td>
                <td className="num">{formatPercent(b.shareRatio)}</td>
                <td className="num" data-testid="cost-bucket-forecast">
                  {b.forecast === null ? (
                    <span className="muted">—</span>
                  ) : (
                    <>
                      {formatForecastExpected(b.forecast)}
                      <span className={styles.range}>{formatForecastRange(b.forecast)}</span>
                    </>
                  )}
                </td>
                <td>
                  {b.budget === null || budget === null ? (
                    <span className="muted">No budget</span>
                  ) : (
                    <span className={styles.badge} data-tone={budget.tone} title={`${formatMicroUsd(b.budget.actualMicroUsd)} of ${formatMicroUsd(b.budget.budget.monthlyMicroUsd)} this month`}>
                      {budget.text}
                    </span>
                  )}
                </td>
                <td className={b.anomalyCount > 0 ? `num ${styles.anomalyCell}` : "num zero"}>{formatInteger(b.anomalyCount)}</td>
                <td>
                  <Link href={costsHref(state, { bucket: b.id })} aria-label={`Drill into ${b.label}`}>
                    {drilled ? "Open ↓" : "Drill in →"}
                  </Link>
                </td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr data-testid="cost-table-total" data-micro-usd={view.totals.billMicroUsd}>
            <th scope="row">Bill</th>
            <td className="num" title={formatMicroUsdExact(view.totals.billMicroUsd)}>
              <strong>{formatMicroUsd(view.totals.billMicroUsd)}</strong>
            </td>
            <td className="num">100%</td>
            <td className="num">{view.forecast === null ? "—" : formatForecastExpected(view.forecast)}</td>
            <td colSpan={3} className="muted">
              {view.totals.allocatedMicroUsd === view.totals.billMicroUsd
                ? "The buckets add up to the bill exactly."
                : `The buckets add up to ${formatMicroUsdExact(view.totals.allocatedMicroUsd)}, not the bill.`}
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
