import { SectionCard } from "@/app/(console)/_components/section-card";
import { formatDateTimeUtc, formatInteger, formatMemoryMb, formatRelativeTime } from "@/app/(console)/_format/format";
import { StatusBadge } from "@/app/(console)/functions/[name]/section-parts";
import styles from "@/app/(console)/tuning/tuning.module.css";
import { formatMonthlyUsd } from "@/app/(console)/tuning/tuning-words";
import type { FunctionTuningView } from "@/lib/queries/tuning-view";

/** The settings tuning can change, as collected now. */
export function ConfigCard({ config }: { config: FunctionTuningView["config"] }) {
  return (
    <SectionCard testId="tuning-config" title="Current configuration">
      <dl className={styles.facts}>
        <dt>Memory</dt>
        <dd data-testid="tuning-config-memory" data-value={config.memoryMb}>
          {formatMemoryMb(config.memoryMb)}
        </dd>
        <dt>Architecture</dt>
        <dd data-testid="tuning-config-architecture">{config.architecture}</dd>
        <dt>Runtime</dt>
        <dd>{config.runtime ?? "container image"}</dd>
        <dt>Reserved concurrency</dt>
        <dd data-testid="tuning-config-reserved" data-value={config.reservedConcurrency ?? ""}>
          {config.reservedConcurrency === null ? <span className="muted">None — draws on the account&apos;s unreserved pool</span> : formatInteger(config.reservedConcurrency)}
        </dd>
        <dt>Provisioned concurrency</dt>
        <dd data-testid="tuning-config-pc">
          {config.provisionedConcurrency.length === 0 ? (
            <span className="muted">None</span>
          ) : (
            config.provisionedConcurrency.map((pc) => (
              <span key={pc.qualifier} className="fn-title">
                {formatInteger(pc.requested)} on <code>{pc.qualifier}</code>
              </span>
            ))
          )}
        </dd>
        <dt>Aliases</dt>
        <dd>
          {config.aliases.length === 0 ? (
            <span className="muted">None</span>
          ) : (
            config.aliases.map((a) => (
              <span key={a.name} className="fn-title">
                <code>{a.name}</code> → version {a.functionVersion}
              </span>
            ))
          )}
        </dd>
      </dl>
    </SectionCard>
  );
}

/** What the analyzer concluded: when, on what model, and the checks that found nothing to change. */
export function AnalysisCard({ tuning, nowMs }: { tuning: FunctionTuningView["tuning"]; nowMs: number }) {
  return (
    <SectionCard
      testId="tuning-analysis"
      title="Analysis"
      aside={
        tuning === null ? (
          <StatusBadge tone="neutral" status="not-analysed">
            Not analysed yet
          </StatusBadge>
        ) : tuning.status === "insufficient-data" ? (
          <StatusBadge tone="warn" status="insufficient-data">
            Not enough data
          </StatusBadge>
        ) : (
          <StatusBadge tone="good" status="analysed">
            {tuning.recommendations.length === 0 ? "Nothing to change" : `${tuning.recommendations.length} recommendation${tuning.recommendations.length === 1 ? "" : "s"}`}
          </StatusBadge>
        )
      }
    >
      {tuning === null ? (
        <p className="muted">The analyzer has not looked at this function yet; it runs after collection. The what-if below works from the collected history.</p>
      ) : (
        <>
          {tuning.status === "insufficient-data" ? (
            <p data-testid="tuning-insufficient">Not enough history for a recommendation: {tuning.reason}. Sightline will not guess; it recommends once the history is there.</p>
          ) : (
            <>
              <dl className={styles.facts}>
                <dt>Cost now</dt>
                <dd>{formatMonthlyUsd(tuning.currentMonthlyCostUsd)} /month at the observed traffic</dd>
                <dt>Duration model</dt>
                <dd>
                  {tuning.durationModel.basis === "fitted" ? "fitted from runs at several memory sizes" : "a prior bounded by all-I/O and all-CPU (one memory size observed)"}
                </dd>
              </dl>
              {tuning.notes.length > 0 ? (
                <>
                  <h3 className={styles.note}>Checked, no change recommended</h3>
                  <ul className={styles.list} data-testid="tuning-notes">
                    {tuning.notes.map((note) => (
                      <li key={note}>{note}</li>
                    ))}
                  </ul>
                </>
              ) : null}
            </>
          )}
          <p className={styles.note}>
            Analysed {formatDateTimeUtc(tuning.asOfMs)} ({formatRelativeTime(tuning.asOfMs, nowMs)}).
          </p>
        </>
      )}
    </SectionCard>
  );
}
