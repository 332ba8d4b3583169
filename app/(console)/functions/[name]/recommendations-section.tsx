import { SectionCard } from "@/app/(console)/_components/section-card";
import { StatusBadge } from "@/app/(console)/functions/[name]/section-parts";
import styles from "@/app/(console)/functions/[name]/function-detail.module.css";
import { formatCompactNumber, formatDateTimeUtc, formatInteger, formatRelativeTime } from "@/app/(console)/_format/format";
import type { FunctionDetailView } from "@/lib/queries/function-detail-view";

/**
 * What the analyzer stored for the function. Sizing recommendations are not materialised yet,
 * so the card says whether there is enough history for them, and why not.
 */
export function RecommendationsSection({ view, nowMs }: { view: FunctionDetailView; nowMs: number }) {
  const analysis = view.recommendations.analysis;
  const sufficiency = analysis?.sufficiency ?? null;
  return (
    <SectionCard
      testId="function-recommendations"
      title="Recommendations"
      aside={
        sufficiency === null ? (
          <StatusBadge tone="neutral" status="not-analysed">Not analysed yet</StatusBadge>
        ) : sufficiency.kind === "enough" ? (
          <StatusBadge tone="good" status="enough">Enough data</StatusBadge>
        ) : (
          <StatusBadge tone="warn" status="insufficient-data">Not enough data</StatusBadge>
        )
      }
    >
      {analysis === null || sufficiency === null ? (
        <p className="muted">The analyzer has not looked at this function yet; it runs every few minutes after collection.</p>
      ) : sufficiency.kind === "enough" ? (
        <p className={styles.lead} data-testid="sufficiency">
          In the last {formatInteger(analysis.lookbackDays)} days: {formatCompactNumber(sufficiency.invocations)} invocations in{" "}
          {formatInteger(sufficiency.hoursWithTraffic)} hours with traffic — enough history to size its memory, architecture and concurrency. No
          recommendation has been computed for it yet.
        </p>
      ) : (
        <p className={styles.lead} data-testid="sufficiency">
          Not enough history for a recommendation: {sufficiency.reason}. Sightline will not guess; it recommends once the history is there.
        </p>
      )}
      {analysis !== null ? (
        <p className={styles.sectionNote}>
          Analysis of the {formatInteger(analysis.lookbackDays)} days up to {formatDateTimeUtc(analysis.asOfMs)} ({formatRelativeTime(analysis.asOfMs, nowMs)}).
        </p>
      ) : null}
    </SectionCard>
  );
}
