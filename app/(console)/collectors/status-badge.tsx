import styles from "@/app/(console)/collectors/collectors.module.css";
import { MISSED_RUNS_TOLERATED, RUN_SLACK_MINUTES, type CollectorHealthStatus } from "@/lib/domain/collection/collector-health";
import type { RunOutcome } from "@/lib/domain/collection/collector-run";

/** The words for each health status, worst first (the legend's order). */
export const STATUS_LABELS: Record<CollectorHealthStatus, string> = {
  failing: "Failing",
  lagging: "Lagging",
  "never-run": "Never run",
  healthy: "Healthy",
};

const STATUS_MEANINGS: Record<CollectorHealthStatus, string> = {
  failing: "its latest run failed",
  lagging: `no success within ${MISSED_RUNS_TOLERATED} scheduled runs + ${RUN_SLACK_MINUTES} min, or its data is further behind now than its design allows by as much`,
  "never-run": "no run is recorded",
  healthy: "its latest run succeeded and its data is as current as its schedule allows",
};

const OUTCOME_LABELS: Record<RunOutcome, string> = {
  collected: "Collected",
  "up-to-date": "Up to date",
  skipped: "Skipped",
  partial: "Partial",
  failed: "Failed",
};

/** A health status as a coloured pill; `title` says why, where the row knows. */
export function StatusBadge({ status, title }: { status: CollectorHealthStatus; title?: string }) {
  return (
    <span className={`${styles.badge} ${styles[status]}`} data-testid="status-badge" title={title}>
      {STATUS_LABELS[status]}
    </span>
  );
}

/** A run's outcome as a pill in the same colours (collected/up-to-date green, partial amber, failed red, skipped grey). */
export function OutcomeBadge({ outcome }: { outcome: RunOutcome }) {
  return (
    <span className={`${styles.badge} ${styles[outcome]}`} data-testid="outcome-badge">
      {OUTCOME_LABELS[outcome]}
    </span>
  );
}

/** What each status means, under the health table. */
export function StatusLegend() {
  return (
    <dl className={styles.legend} aria-label="Status legend" data-testid="status-legend">
      {(Object.keys(STATUS_LABELS) as CollectorHealthStatus[]).map((status) => (
        <div key={status}>
          <dt>
            <StatusBadge status={status} />
          </dt>
          <dd>{STATUS_MEANINGS[status]}</dd>
        </div>
      ))}
    </dl>
  );
}
