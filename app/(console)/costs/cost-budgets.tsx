import { SectionCard } from "@/app/(console)/_components/section-card";
import { BudgetEditor, RemoveBudgetButton } from "@/app/(console)/costs/budget-editor.client";
import { formatPercent } from "@/app/(console)/_format/format";
import { formatCostMonth, formatGroupByLabel, formatMicroUsd } from "@/app/(console)/costs/cost-format";
import { describeBudgetStatus, describeSeries } from "@/app/(console)/costs/cost-words";
import styles from "@/app/(console)/costs/costs.module.css";
import type { CostView } from "@/lib/domain/cost/cost-types";

/**
 * The monthly budgets of this grouping: limit, spent so far, forecast month end, and the
 * status against the budget's alert thresholds; finance and admin (`costs:write`) set and
 * remove budgets here.
 */
export function CostBudgets({ view, canEdit }: { view: CostView; canEdit: boolean }) {
  const budgets = view.budgets;
  const choices = view.buckets.map((b) => ({ id: b.id, label: b.label }));
  return (
    <SectionCard testId="cost-budgets" title="Budgets" aside={budgets[0] ? <span className="muted">{formatCostMonth(budgets[0].monthStartMs)}</span> : undefined}>
      {budgets.length === 0 ? (
        <p className="muted" data-testid="cost-budgets-none">
          {canEdit
            ? `No budget is set for ${formatGroupByLabel(view.groupBy)} yet: set one below; crossing a threshold sends an alert to the SLO webhooks.`
            : `No budget is set for ${formatGroupByLabel(view.groupBy)}. Finance sets budgets per bucket here, through the API or the CLI.`}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="data-table" data-testid="cost-budget-table">
            <caption className="visually-hidden">Monthly budgets: limit, spent, month-end forecast and status</caption>
            <thead>
              <tr>
                <th scope="col">Bucket</th>
                <th scope="col" className="num">
                  Monthly limit
                </th>
                <th scope="col" className="num">
                  Spent
                </th>
                <th scope="col" className="num">
                  Forecast
                </th>
                <th scope="col">Status</th>
                {canEdit ? (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {budgets.map((b) => {
                const status = describeBudgetStatus(b);
                return (
                  <tr key={b.budget.bucket} data-testid="cost-budget" data-bucket={b.budget.bucket} data-tone={status.tone}>
                    <th scope="row">{describeSeries(b.budget.bucket, view.buckets)}</th>
                    <td className="num">{formatMicroUsd(b.budget.monthlyMicroUsd)}</td>
                    <td className="num">
                      {formatMicroUsd(b.actualMicroUsd)}
                      <span className={styles.range}>{formatPercent(b.actualRatio)}</span>
                    </td>
                    <td className="num">
                      {formatMicroUsd(b.forecastMicroUsd)}
                      <span className={styles.range}>{formatPercent(b.forecastRatio)}</span>
                    </td>
                    <td>
                      <span className={styles.badge} data-tone={status.tone} title={`Alerts at ${b.budget.alertAtRatios.map((r) => formatPercent(r)).join(", ")}`}>
                        {status.text}
                      </span>
                    </td>
                    {canEdit ? (
                      <td>
                        <RemoveBudgetButton groupBy={b.budget.groupBy} bucket={b.budget.bucket} label={describeSeries(b.budget.bucket, view.buckets)} />
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {canEdit && choices.length > 0 ? <BudgetEditor groupBy={view.groupBy} buckets={choices} /> : null}
    </SectionCard>
  );
}
