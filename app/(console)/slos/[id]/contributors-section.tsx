import { RangePicker } from "@/app/(console)/_components/range-picker";
import { formatRangeLabel, formatWindowUtc } from "@/app/(console)/_format/format";
import { ColdStartContributorsTable } from "@/app/(console)/slos/[id]/cold-start-contributors-table";
import { ContributingFunctionsTable } from "@/app/(console)/slos/[id]/contributing-functions-table";
import { FailingEdgesTable } from "@/app/(console)/slos/[id]/failing-edges-table";
import { SectionCard } from "@/app/(console)/_components/section-card";
import { sloDetailHref } from "@/app/(console)/slos/slos-href";
import styles from "@/app/(console)/slos/slos.module.css";
import type { SloDetailView } from "@/lib/queries/slos-view";
import type { ResolvedTimeRange } from "@/lib/queries/time-range";

/** What contributed bad events over the chosen range: the target's functions, failing downstream calls, and for latency SLOs cold starts. */
export function ContributorsSection({ view, range }: { view: SloDetailView; range: ResolvedTimeRange }) {
  const { row, definition, contributors } = view;
  const scope = { accountId: row.accountId, region: row.region };
  return (
    <SectionCard testId="slo-contributors" title="What contributed" wide aside={<RangePicker range={range} hrefFor={(preset) => sloDetailHref(row.id, preset)} />}>
      {contributors === null ? (
        <p className="muted" data-testid="slo-contributors-none">
          {row.problem !== null ? "Nothing to break down until the SLO has been evaluated." : "No collected function matches this SLO's target."}
        </p>
      ) : (
        <>
          <p className={styles.meta}>
            {formatRangeLabel(range.label, range.window)} · {formatWindowUtc(contributors.window)} (the range above, not the SLO period)
          </p>
          <div className={styles.block}>
            <h3>Functions by bad events</h3>
            <ContributingFunctionsTable functions={contributors.functions} scope={scope} range={range} />
          </div>
          <div className={styles.block}>
            <h3>Downstream calls that failed (X-Ray)</h3>
            {contributors.edges.length === 0 ? (
              <p className="muted">No failed calls out of these functions in the traces of this range.</p>
            ) : (
              <FailingEdgesTable edges={contributors.edges} />
            )}
            <p className={styles.note}>X-Ray counts sampled traces: the numbers show where calls fail, not every call.</p>
          </div>
          {contributors.coldStarts !== null && definition.indicator.kind === "latency" ? (
            <div className={styles.block}>
              <h3>Cold starts</h3>
              <ColdStartContributorsTable coldStarts={contributors.coldStarts} rule={contributors.coldStartRule} thresholdMs={definition.indicator.thresholdMs} scope={scope} range={range} />
            </div>
          ) : null}
        </>
      )}
    </SectionCard>
  );
}
