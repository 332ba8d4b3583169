import Link from "next/link";
import { SectionCard } from "@/app/(console)/_components/section-card";
import { functionTuningHref } from "@/app/(console)/tuning/tuning-href";
import { StatusBadge } from "@/app/(console)/functions/[name]/section-parts";
import styles from "@/app/(console)/functions/[name]/function-detail.module.css";
import { formatCompactNumber, formatDateTimeUtc, formatInteger, formatRelativeTime } from "@/app/(console)/_format/format";
import type { FunctionDetailView } from "@/lib/queries/function-detail-view";

/**
 * What the analyzer stored for the function: its tuning recommendations in brief (in full,
 * with what-if and apply, on its Tuning page), and whether its history is long enough.
 */
export function RecommendationsSection({ view, nowMs }: { view: FunctionDetailView; nowMs: number }) {
  const analysis = view.recommendations.analysis;
  const sufficiency = analysis?.sufficiency ?? null;
  const tuning = view.recommendations.tuning;
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
      {tuning !== null && tuning.length > 0 ? (
        <ul className={styles.sectionNote} data-testid="function-tuning-summary">
          {tuning.map((r) => (
            <li key={r.kind} data-finding={r.finding}>
              {r.summary}
            </li>
          ))}
        </ul>
      ) : null}
      {tuning !== null ? (
        <p className={styles.sectionNote}>
          <Link href={functionTuningHref(view.ref)}>
            {tuning.length === 0 ? "Nothing to tune; see why, or try a what-if" : "Evidence, what-if and apply"} on the Tuning page →
          </Link>
        </p>
      ) : null}
      {analysis === null || sufficiency === null ? (
        <p className="muted">The analyzer has not looked at this function yet; it runs every few minutes after collection.</p>
      ) : sufficiency.kind === "enough" ? (
        <p className={styles.lead} data-testid="sufficiency">
          In the last {formatInteger(analysis.lookbackDays)} days: {formatCompactNumber(sufficiency.invocations)} invocations in{" "}
          {formatInteger(sufficiency.hoursWithTraffic)} hours with traffic — enough history to size its memory, architecture and concurrency.
        </p>
      ) : (
        <p className={styles.lead} data-testid="sufficiency">
          Thin history: {sufficiency.reason}. Recommendations made on it carry low confidence and say so.
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
