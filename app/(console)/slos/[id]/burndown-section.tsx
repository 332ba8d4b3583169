import { formatWindowUtc } from "@/app/(console)/_format/format";
import { BurndownChart } from "@/app/(console)/slos/[id]/burndown-chart.client";
import { ChartFrame } from "@/app/(console)/_components/chart-frame";
import { SectionCard } from "@/app/(console)/_components/section-card";
import { describeBurndownChart } from "@/app/(console)/slos/slo-words";
import styles from "@/app/(console)/slos/slos.module.css";
import type { SloDetailView } from "@/lib/queries/slos-view";

/** The error budget over the period so far against an even spend of all of it. */
export function BurndownSection({ view }: { view: SloDetailView }) {
  const { row, status, burndown } = view;
  return (
    <SectionCard testId="slo-burndown" title="Error budget burn-down" wide>
      {status === null || status.problem !== null || burndown.length === 0 ? (
        <p className="muted">Nothing to chart yet: the burn-down starts with the first evaluation that has data.</p>
      ) : (
        <>
          <ChartFrame tall
            title={`Budget remaining, ${row.window}: ${formatWindowUtc({ fromMs: status.period.fromMs, toMs: status.period.toMs })}`}
            label={describeBurndownChart({ window: row.window, budgetRemainingRatio: row.budgetRemainingRatio, pointCount: burndown.length })}
            testId="slo-burndown-chart"
          >
            <BurndownChart points={burndown} window={{ fromMs: status.period.fromMs, toMs: status.period.toMs }} />
          </ChartFrame>
          <p className={styles.note}>
            100 % at the start of the period; the dashed line spends the whole budget evenly, reaching 0 % at the period&apos;s end. Above it the budget lasts;
            below 0 % it is overspent.
          </p>
        </>
      )}
    </SectionCard>
  );
}
