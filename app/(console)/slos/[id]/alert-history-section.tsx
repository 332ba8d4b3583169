import { AlertEpisodesTable } from "@/app/(console)/slos/[id]/alert-episodes-table";
import { AlertTimeline } from "@/app/(console)/slos/[id]/alert-timeline";
import { SectionCard } from "@/app/(console)/_components/section-card";
import { alertTimelineWindow, layoutAlertTimeline } from "@/app/(console)/slos/[id]/timeline-layout";
import styles from "@/app/(console)/slos/slos.module.css";
import type { SloDetailView } from "@/lib/queries/slos-view";

/** Alert episodes of the period: a timeline with a band per severity, then the list. */
export function AlertHistorySection({ view, nowMs }: { view: SloDetailView; nowMs: number }) {
  const { status, alerts, row } = view;
  const evaluated = status !== null && status.problem === null;
  const window = evaluated ? alertTimelineWindow(status.period, status.throughMs, nowMs) : null;
  return (
    <SectionCard testId="alert-history" title="Alert history">
      {window === null ? (
        <p className="muted">No alert history yet: alerts are evaluated with the SLO.</p>
      ) : (
        <>
          <AlertTimeline lanes={layoutAlertTimeline(window, alerts)} window={window} nowMs={nowMs} />
          {alerts.length === 0 ? (
            <p className="muted" data-testid="alert-history-empty">
              No alert fired in this period.
            </p>
          ) : (
            <AlertEpisodesTable episodes={alerts} nowMs={nowMs} />
          )}
        </>
      )}
      <p className={styles.note}>
        While a page alert fires, a ticket alert&apos;s notification is held. A bar still firing is striped.
        {row.alertingEnabled ? "" : " Alerting is off for this SLO."}
      </p>
    </SectionCard>
  );
}
