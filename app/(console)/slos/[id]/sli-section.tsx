import { SliChart } from "@/app/(console)/slos/[id]/sli-chart.client";
import { ChartFrame } from "@/app/(console)/_components/chart-frame";
import { SectionCard } from "@/app/(console)/_components/section-card";
import { describeSliChart } from "@/app/(console)/slos/slo-words";
import styles from "@/app/(console)/slos/slos.module.css";
import type { SloDetailView } from "@/lib/queries/slos-view";

/** The SLI per hour over the period with the objective as a line. */
export function SliSection({ view }: { view: SloDetailView }) {
  const { row, definition, status, sli, hourlyResolution } = view;
  return (
    <SectionCard testId="slo-sli" title="SLI per hour">
      {status === null || status.problem !== null || sli.length === 0 ? (
        <p className="muted">No SLI yet: it is charted once the SLO has been evaluated with data.</p>
      ) : (
        <ChartFrame tall
          title={`Good events / all events per hour, ${row.indicator}`}
          label={describeSliChart({ hourCount: sli.length, objectiveLabel: row.objectiveLabel, sliRatio: row.sliRatio })}
          testId="slo-sli-chart"
        >
          <SliChart
            points={sli.map((p) => ({ atMs: p.atMs, ratio: p.ratio }))}
            objective={definition.objective}
            objectiveLabel={row.objectiveLabel}
            window={{ fromMs: status.period.fromMs, toMs: status.throughMs }}
          />
        </ChartFrame>
      )}
      <p className={styles.note}>
        Hours without events leave a gap.
        {hourlyResolution ? " This SLI comes from X-Ray, which is read per hour: the chart cannot be finer than that." : ""}
      </p>
    </SectionCard>
  );
}
