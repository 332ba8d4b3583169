import { SectionCard } from "@/app/(console)/_components/section-card";
import { formatPercent } from "@/app/(console)/_format/format";
import { formatCostDay, formatMicroUsd, formatMicroUsdCell, formatMicroUsdExact, formatSignedMicroUsd } from "@/app/(console)/costs/cost-format";
import styles from "@/app/(console)/costs/costs.module.css";
import type { Reconciliation } from "@/lib/domain/cost/cost-types";

/** A gap with its sign, and the words for what the sign means. */
function GapText({ gapMicroUsd, gapRatio }: { gapMicroUsd: number | null; gapRatio: number | null }) {
  if (gapMicroUsd === null) return <span className="muted">no model</span>;
  const cls = gapMicroUsd > 0 ? styles.gapPositive : gapMicroUsd < 0 ? styles.gapNegative : undefined;
  return (
    <span className={cls} title={formatMicroUsdExact(gapMicroUsd)}>
      {formatSignedMicroUsd(gapMicroUsd)}
      {gapRatio !== null ? ` (${gapRatio > 0 ? "+" : ""}${formatPercent(gapRatio)})` : ""}
    </span>
  );
}

/**
 * The usage model (REPORT lines × price book) against what Cost Explorer billed for Lambda,
 * per day and in total. The gap is shown as it is, signed, never rounded away or hidden: it
 * is how far the console's per-function estimates can be trusted.
 */
export function CostReconciliation({ reconciliation }: { reconciliation: Reconciliation }) {
  const r = reconciliation;
  const modelled = r.days.filter((d) => d.modelMicroUsd !== null).length;
  return (
    <SectionCard
      testId="cost-reconciliation"
      title="Model vs Cost Explorer (Lambda)"
      aside={
        <span data-testid="cost-reconciliation-gap" data-gap-micro-usd={r.gapMicroUsd}>
          Gap <GapText gapMicroUsd={r.gapMicroUsd} gapRatio={r.gapRatio} />
        </span>
      }
    >
      <p className={styles.legendNote}>
        {`Over the ${modelled} of ${r.days.length} days the usage model covers: billed ${formatMicroUsd(r.billedMicroUsd)}, modelled ${formatMicroUsd(r.modelMicroUsd)}. A positive gap means the model prices more than AWS billed.`}
      </p>
      <div className={`table-wrap ${styles.innerTable}`}>
        <table className="data-table" data-testid="cost-reconciliation-table">
          <caption className="visually-hidden">Lambda cost per day: billed by Cost Explorer, priced by the usage model, and the gap between them</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col" className="num">
                Billed
              </th>
              <th scope="col" className="num">
                Model
              </th>
              <th scope="col" className="num">
                Gap (model − billed)
              </th>
              <th scope="col">Largest differences</th>
            </tr>
          </thead>
          <tbody>
            {r.days.map((d) => (
              <tr key={d.dayMs} data-testid="cost-reconciliation-day" data-day={formatCostDay(d.dayMs)} data-gap-micro-usd={d.gapMicroUsd ?? undefined}>
                <th scope="row">{formatCostDay(d.dayMs)}</th>
                <td className="num" title={formatMicroUsdExact(d.billedMicroUsd)}>
                  {formatMicroUsdCell(d.billedMicroUsd)}
                </td>
                <td className="num">{d.modelMicroUsd === null ? <span className="muted" title="REPORT lines do not cover the whole day">—</span> : formatMicroUsdCell(d.modelMicroUsd)}</td>
                <td className="num">
                  <GapText gapMicroUsd={d.gapMicroUsd} gapRatio={d.gapRatio} />
                </td>
                <td className={styles.wrap}>
                  {d.largestGaps.length === 0 ? (
                    <span className="muted">—</span>
                  ) : (
                    d.largestGaps
                      .slice(0, 3)
                      .map((g) => `${g.functionName} ${formatSignedMicroUsd(g.modelMicroUsd - g.billedMicroUsd)}`)
                      .join(" · ")
                  )}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total (modelled days)</th>
              <td className="num">{formatMicroUsd(r.billedMicroUsd)}</td>
              <td className="num">{formatMicroUsd(r.modelMicroUsd)}</td>
              <td className="num">
                <GapText gapMicroUsd={r.gapMicroUsd} gapRatio={r.gapRatio} />
              </td>
              <td />
            </tr>
          </tfoot>
        </table>
      </div>
      {r.notes.length > 0 ? (
        <ul className={styles.notes} data-testid="cost-reconciliation-notes">
          {r.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
    </SectionCard>
  );
}
