import { SectionCard } from "@/app/(console)/_components/section-card";
import { StatusBadge } from "@/app/(console)/functions/[name]/section-parts";
import { Stat, StatRow } from "@/app/(console)/_components/stat";
import { formatGbSeconds, formatHours, formatUnitPriceUsd } from "@/app/(console)/functions/[name]/detail-format";
import styles from "@/app/(console)/functions/[name]/function-detail.module.css";
import { formatInteger, formatUsd, formatWindowUtc } from "@/app/(console)/_format/format";
import type { UsageCostComponent, UsageCostLine } from "@/lib/domain/cost/function-usage-cost";
import type { FunctionDetailView } from "@/lib/queries/function-detail-view";

const COMPONENT_WORDS: Record<UsageCostComponent, string> = {
  requests: "Requests",
  "on-demand-duration": "Duration, on demand (first tier)",
  "provisioned-duration": "Duration on provisioned concurrency",
  "snapstart-restore": "SnapStart restore (billed restore duration)",
  "provisioned-concurrency": "Provisioned concurrency, allocated",
  "ephemeral-storage": "Ephemeral storage above 512 MB",
};

function formatQuantity(line: UsageCostLine): string {
  return line.unit === "requests" ? `${formatInteger(line.quantity)} requests` : formatGbSeconds(line.quantity);
}

/** The usage-based cost estimate: per day, per invocation, and the priced lines behind it. */
export function CostSection({ view }: { view: FunctionDetailView }) {
  const cost = view.cost;
  return (
    <SectionCard testId="function-cost" title="Cost (estimate)" aside={<StatusBadge tone="neutral" status="estimate">Estimate</StatusBadge>}>
      {cost.kind === "insufficient-data" ? (
        <p className="muted" data-testid="cost-insufficient">Cannot estimate the cost: {cost.reason}.</p>
      ) : (
        <>
          <StatRow>
            <Stat label="Per day" value={formatUsd(cost.costPerDayUsd)} dataValue={cost.costPerDayUsd} testId="cost-per-day" />
            <Stat label="Per invocation" value={formatUsd(cost.costPerInvocationUsd)} dataValue={cost.costPerInvocationUsd} testId="cost-per-invocation" />
            <Stat
              label="Total"
              value={formatUsd(cost.totalCostUsd)}
              dataValue={cost.totalCostUsd}
              detail={`over ${formatHours(cost.coveredHours)}`}
              testId="cost-total"
            />
          </StatRow>
          <table className={styles.costTable}>
            <caption className="visually-hidden">Priced usage: quantity times list price</caption>
            <thead>
              <tr>
                <th scope="col">Usage</th>
                <th scope="col" className={styles.num}>
                  Quantity
                </th>
                <th scope="col" className={styles.num}>
                  List price
                </th>
                <th scope="col" className={styles.num}>
                  Cost
                </th>
              </tr>
            </thead>
            <tbody>
              {cost.lines.map((line) => (
                <tr key={line.component} data-testid="cost-line" data-component={line.component} data-value={line.costUsd}>
                  <th scope="row">{COMPONENT_WORDS[line.component]}</th>
                  <td className={styles.num}>{formatQuantity(line)}</td>
                  <td className={styles.num}>
                    {formatUnitPriceUsd(line.usdPerUnit)} / {line.unit === "requests" ? "request" : "GB-s"}
                  </td>
                  <td className={styles.num}>{formatUsd(line.costUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className={styles.sectionNote} data-testid="cost-basis">
            Usage-based estimate from the REPORT lines of {formatWindowUtc(cost.covered)}, priced at {cost.pricedRegion} list prices for {cost.architecture}
            {cost.priceAssumed ? ` (standing in for ${view.ref.region}, which the price book does not list)` : ""}. On-demand duration at the first tier;
            free tier not deducted; provisioned concurrency assumed configured as it is now for the whole period. The bill itself comes from Cost Explorer.
          </p>
        </>
      )}
    </SectionCard>
  );
}
