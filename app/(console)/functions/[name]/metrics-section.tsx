import { MetricsCharts } from "@/app/(console)/functions/[name]/metrics-charts.client";
import { SectionCard } from "@/app/(console)/_components/section-card";
import { Stat, StatRow } from "@/app/(console)/_components/stat";
import { formatStepLabel } from "@/app/(console)/functions/[name]/detail-format";
import styles from "@/app/(console)/functions/[name]/function-detail.module.css";
import { formatCompactNumber, formatDurationMs, formatInteger, formatPercent } from "@/app/(console)/_format/format";
import type { FunctionDetailView } from "@/lib/queries/function-detail-view";

/** Invocations, errors, throttles and duration percentiles over the range: totals, then charts. */
export function MetricsSection({ view }: { view: FunctionDetailView }) {
  const { totals, points } = view.metrics;
  const stepLabel = formatStepLabel(view.chartStepMs);
  return (
    <SectionCard testId="function-metrics-chart" title="Traffic, errors and latency" wide>
      <StatRow>
        <Stat label="Invocations" value={formatCompactNumber(totals.invocations)} dataValue={totals.invocations} detail={formatInteger(totals.invocations)} testId="total-invocations" />
        <Stat label="Errors" value={formatCompactNumber(totals.errors)} dataValue={totals.errors} detail={`${formatPercent(totals.errorRatio)} of invocations`} testId="total-errors" />
        <Stat label="Throttles" value={formatCompactNumber(totals.throttles)} dataValue={totals.throttles} detail={`${formatPercent(totals.throttleRatio)} of requests`} testId="total-throttles" />
        <Stat label="Duration p50" value={formatDurationMs(totals.p50DurationMs)} dataValue={totals.p50DurationMs} testId="duration-p50" />
        <Stat label="Duration p90" value={formatDurationMs(totals.p90DurationMs)} dataValue={totals.p90DurationMs} testId="duration-p90" />
        <Stat label="Duration p99" value={formatDurationMs(totals.p99DurationMs)} dataValue={totals.p99DurationMs} testId="duration-p99" />
        <Stat label="Average duration" value={formatDurationMs(totals.averageDurationMs)} dataValue={totals.averageDurationMs} />
      </StatRow>
      {totals.invocations === 0 && totals.throttles === 0 ? (
        <p className="muted">No invocations in this range.</p>
      ) : (
        <MetricsCharts points={points} stepLabel={stepLabel} window={view.window} />
      )}
      <p className={styles.sectionNote}>
        CloudWatch AWS/Lambda metrics at {view.resolution === "minute" ? "1-minute" : "1-hour"} resolution, charted {stepLabel}. Percentiles over
        the range are invocation-weighted means of the per-period percentiles (percentiles do not add up across periods): estimates, not exact values.
      </p>
    </SectionCard>
  );
}
