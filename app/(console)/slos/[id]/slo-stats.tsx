import { Stat, StatRow } from "@/app/(console)/_components/stat";
import { MISSING, formatCompactNumber, formatDateTimeUtc, formatInteger, formatPercent } from "@/app/(console)/_format/format";
import { formatBudget, formatBurn, formatExhaustion, formatSli } from "@/app/(console)/slos/slo-words";
import type { SloDetailView } from "@/lib/queries/slos-view";

/** The SLO's figures at the end of its data: SLI, budget, burn, exhaustion, events and how current it is. */
export function SloStats({ view }: { view: SloDetailView }) {
  const { row, status } = view;
  const evaluated = status !== null && status.problem === null;
  return (
    <StatRow testId="slo-stats">
      <Stat label="SLI over the period" value={formatSli(row.sliRatio)} dataValue={row.sliRatio} detail={`objective ${row.objectiveLabel}`} testId="slo-stat-sli" />
      <Stat
        label="Budget remaining"
        value={formatBudget(row.budgetRemainingRatio)}
        dataValue={row.budgetRemainingRatio}
        detail={row.budgetRemainingRatio !== null && row.budgetRemainingRatio < 0 ? "overspent" : undefined}
        testId="slo-stat-budget"
      />
      <Stat
        label="Burn rate (1h)"
        value={formatBurn(row.currentBurnRate)}
        dataValue={row.currentBurnRate}
        title="1× spends the whole budget exactly over the period"
        testId="slo-stat-burn"
      />
      <Stat label="Budget exhausts" value={formatExhaustion(row.timeToExhaustionMs)} dataValue={row.timeToExhaustionMs} detail="at the current burn rate" testId="slo-stat-exhausts" />
      <Stat
        label="Events in the period"
        value={evaluated ? formatCompactNumber(status.total) : MISSING}
        dataValue={evaluated ? status.total : null}
        detail={evaluated ? `${formatInteger(status.good)} good` : undefined}
        title={evaluated ? `${formatInteger(status.total)} events` : undefined}
        testId="slo-stat-events"
      />
      <Stat
        label="Data through"
        value={row.throughMs !== null ? formatDateTimeUtc(row.throughMs) : MISSING}
        dataValue={row.throughMs}
        detail={evaluated ? `data for ${formatPercent(status.coverageRatio)} of the period so far` : undefined}
        testId="slo-stat-through"
      />
    </StatRow>
  );
}
