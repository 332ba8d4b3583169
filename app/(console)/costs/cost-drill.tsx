import Link from "next/link";
import { SectionCard } from "@/app/(console)/_components/section-card";
import { functionDetailHref } from "@/app/(console)/_format/links";
import { formatMicroUsd, formatMicroUsdCell, formatMicroUsdExact } from "@/app/(console)/costs/cost-format";
import { costsHref, type CostsUrlState } from "@/app/(console)/costs/costs-href";
import styles from "@/app/(console)/costs/costs.module.css";
import { SOURCE_MEANINGS, SOURCE_WORDS } from "@/app/(console)/costs/cost-words";
import type { CostDrill as CostDrillView } from "@/lib/domain/cost/cost-types";

/**
 * One bucket opened (`?bucket=`): what it is made of per AWS service (and how each amount got
 * there: tagged, shared by a pool, untagged, idle), then its Lambda cost per function and usage
 * type, each function linking to its page.
 */
export function CostDrill({ drill, state }: { drill: CostDrillView; state: CostsUrlState }) {
  const byFunction = [...drill.byFunction].sort((a, b) => b.microUsd - a.microUsd);
  return (
    <SectionCard
      testId="cost-drill"
      title={`${drill.label}: ${formatMicroUsd(drill.totalMicroUsd)}`}
      aside={
        <Link href={costsHref(state, { bucket: null })} data-testid="cost-drill-close">
          Close ✕
        </Link>
      }
    >
      <h3 className={styles.subheading}>By service</h3>
      {drill.byService.length === 0 ? (
        <p className="muted">Nothing landed in this bucket in the window.</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table" data-testid="cost-drill-services">
            <caption className="visually-hidden">{`${drill.label} by AWS service and how each amount was allocated`}</caption>
            <thead>
              <tr>
                <th scope="col">Service</th>
                <th scope="col">Source</th>
                <th scope="col">Pool</th>
                <th scope="col" className="num">
                  Cost
                </th>
              </tr>
            </thead>
            <tbody>
              {drill.byService.map((row) => (
                <tr key={`${row.service}|${row.source}|${row.pool ?? ""}`} data-testid="cost-drill-service" data-service={row.service} data-source={row.source} data-micro-usd={row.microUsd}>
                  <th scope="row">{row.service}</th>
                  <td title={SOURCE_MEANINGS[row.source]}>{SOURCE_WORDS[row.source]}</td>
                  <td>{row.pool ?? <span className="muted">—</span>}</td>
                  <td className="num" title={formatMicroUsdExact(row.microUsd)}>
                    {formatMicroUsdCell(row.microUsd)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3 className={styles.subheading}>Lambda by function and usage type</h3>
      {byFunction.length === 0 ? (
        <p className="muted" data-testid="cost-drill-no-functions">
          {drill.functionDays === 0
            ? "No per-function lines cover this window: Cost Explorer keeps resource-level data for the last 14 days only."
            : "No Lambda cost landed in this bucket on the days with per-function lines."}
        </p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="data-table" data-testid="cost-drill-functions">
              <caption className="visually-hidden">{`${drill.label}: Lambda cost per function and usage type, largest first`}</caption>
              <thead>
                <tr>
                  <th scope="col">Function</th>
                  <th scope="col">Usage type</th>
                  <th scope="col" className="num">
                    Cost
                  </th>
                </tr>
              </thead>
              <tbody>
                {byFunction.map((row) => (
                  <tr key={`${row.functionName}|${row.usageType}`} data-testid="cost-drill-function" data-function={row.functionName} data-usage-type={row.usageType} data-micro-usd={row.microUsd}>
                    <th scope="row" className="fn-name">
                      <Link href={functionDetailHref({ functionName: row.functionName })}>{row.functionName}</Link>
                    </th>
                    <td>
                      <code>{row.usageType}</code>
                    </td>
                    <td className="num" title={formatMicroUsdExact(row.microUsd)}>
                      {formatMicroUsdCell(row.microUsd)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className={styles.legendNote}>
            {`Per-function lines cover ${drill.functionDays} day${drill.functionDays === 1 ? "" : "s"} of the window (Cost Explorer keeps them 14 days).`}
          </p>
        </>
      )}
    </SectionCard>
  );
}
