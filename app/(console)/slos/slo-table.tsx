import Link from "next/link";
import { functionDetailHref } from "@/app/(console)/_format/links";
import { BudgetBar } from "@/app/(console)/slos/budget-bar";
import { BurnPairs } from "@/app/(console)/slos/burn-pairs";
import { SloStatusPill } from "@/app/(console)/slos/slo-status-pill";
import { formatBurn, formatExhaustion, formatSli } from "@/app/(console)/slos/slo-words";
import { sloDetailHref } from "@/app/(console)/slos/slos-href";
import styles from "@/app/(console)/slos/slos.module.css";
import type { SloRow } from "@/lib/queries/slos-view";

/** The target cell: the function's page for a function target, the service tag otherwise. */
function TargetCell({ row }: { row: SloRow }) {
  return (
    <td>
      {row.functionName !== null ? (
        <Link href={functionDetailHref({ functionName: row.functionName, accountId: row.accountId, region: row.region })} className="fn-title">
          {row.functionName}
        </Link>
      ) : (
        <span className="fn-title">{row.target}</span>
      )}
      <span className="fn-meta">{row.indicator}</span>
      <span className="fn-meta">
        {row.accountId} · {row.region}
      </span>
    </td>
  );
}

/** Every SLO, most at risk first (the view's order): level, budget, burn and the four alert window pairs. */
export function SloTable({ rows }: { rows: SloRow[] }) {
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="slo-table">
        <caption className="visually-hidden">{`${rows.length} SLOs, most at risk first`}</caption>
        <thead>
          <tr>
            <th scope="col">Status</th>
            <th scope="col">SLO</th>
            <th scope="col">Target</th>
            <th scope="col" className="num">Objective</th>
            <th scope="col" className="num" title="Good events / all events over the period so far">
              SLI
            </th>
            <th scope="col" title="Error budget left over the period so far; negative when overspent">
              Budget left
            </th>
            <th scope="col" className="num" title="Burn rate over the last hour: 1× spends the budget exactly over the period">
              Burn (1h)
            </th>
            <th scope="col" title="When the budget runs out at the current burn rate">
              Exhausts
            </th>
            <th scope="col" title="Long-window burn rate of each alert window pair and the threshold both windows must reach">
              Alert windows
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-testid={`slo-row-${row.id}`} data-level={row.level}>
              <td>
                <SloStatusPill level={row.level} />
              </td>
              <th scope="row" className="fn-name">
                <Link href={sloDetailHref(row.id)} className="fn-title">
                  {row.name}
                </Link>
                <span className="fn-meta">
                  {row.service} · {row.id}
                  {row.alertingEnabled ? "" : " · alerting off"}
                </span>
                {row.stale ? (
                  <span className={styles.stale} data-testid="slo-stale">
                    edited, re-evaluating
                  </span>
                ) : null}
                {row.problem !== null ? (
                  <span className={styles.problem} data-testid="slo-problem">
                    {row.problem}
                  </span>
                ) : null}
              </th>
              <TargetCell row={row} />
              <td className="num" data-value={row.objective}>
                {row.objectiveLabel}
                <span className="fn-meta">{row.window}</span>
              </td>
              <td className="num" data-testid="slo-sli" data-value={row.sliRatio ?? ""}>
                {formatSli(row.sliRatio)}
              </td>
              <td>
                <BudgetBar ratio={row.budgetRemainingRatio} />
              </td>
              <td className="num" data-testid="slo-burn" data-value={row.currentBurnRate ?? ""}>
                {formatBurn(row.currentBurnRate)}
              </td>
              <td data-testid="slo-exhausts" data-value={row.timeToExhaustionMs ?? ""}>
                {formatExhaustion(row.timeToExhaustionMs)}
              </td>
              <td>
                <BurnPairs pairs={row.burnRates} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
