import { PcChart } from "@/app/(console)/functions/[name]/pc-chart.client";
import { SectionCard } from "@/app/(console)/_components/section-card";
import { StatusBadge, type BadgeTone } from "@/app/(console)/functions/[name]/section-parts";
import { Stat, StatRow } from "@/app/(console)/_components/stat";
import { formatStepLabel } from "@/app/(console)/functions/[name]/detail-format";
import styles from "@/app/(console)/functions/[name]/function-detail.module.css";
import { formatCompactNumber, formatInteger, formatMemoryMb, formatPercent } from "@/app/(console)/_format/format";
import type { PcVerdict } from "@/lib/domain/metrics/pc-utilisation";
import type { FunctionDetailView, PcRow } from "@/lib/queries/function-detail-view";

const VERDICT: Record<PcVerdict, { tone: BadgeTone; words: string; explain: string }> = {
  idle: {
    tone: "warn",
    words: "Idle",
    explain: "Mean utilisation is below the break-even: this provisioned concurrency costs more than on-demand would for the same work.",
  },
  spilling: {
    tone: "bad",
    words: "Spilling over",
    explain: "Every provisioned environment was busy at times, so invocations ran on demand (with cold starts).",
  },
  "idle-and-spilling": {
    tone: "bad",
    words: "Idle and spilling",
    explain: "Too little at the peak, unused the rest of the time: scheduled scaling by time of day fits this profile.",
  },
  "well-used": { tone: "good", words: "Well used", explain: "Utilisation is above the break-even and nothing spilled over." },
};

function PcRowView({ row, view }: { row: PcRow; view: FunctionDetailView }) {
  const u = row.utilisation;
  return (
    <div className={styles.pcRow} data-testid="pc-row" data-qualifier={row.qualifier} data-verdict={u.kind === "assessed" ? u.verdict : "insufficient-data"}>
      <h3 className={styles.pcTitle}>
        <code>{row.qualifier}</code>
        {row.functionVersion !== null ? <span className="muted">→ version {row.functionVersion}</span> : null}
        {u.kind === "assessed" ? (
          <StatusBadge tone={VERDICT[u.verdict].tone} status={u.verdict}>
            {VERDICT[u.verdict].words}
          </StatusBadge>
        ) : (
          <StatusBadge tone="neutral" status="insufficient-data">
            Cannot say
          </StatusBadge>
        )}
      </h3>
      <p className={styles.lead}>{u.kind === "assessed" ? VERDICT[u.verdict].explain : `Cannot assess utilisation: ${u.reason}.`}</p>
      <StatRow>
        <Stat label="Allocated" value={formatInteger(row.allocatedExecutions)} dataValue={row.allocatedExecutions} detail={`of ${formatInteger(row.requestedExecutions)} requested · ${formatMemoryMb(row.memoryMb)} · ${row.status}`} />
        <Stat label="Peak utilisation" value={u.kind === "assessed" ? formatPercent(u.peakUtilisation.value) : "—"} dataValue={u.kind === "assessed" ? u.peakUtilisation.value : null} testId="pc-peak-utilisation" />
        <Stat
          label="Mean utilisation"
          value={u.kind === "assessed" ? formatPercent(u.meanUtilisationRatio) : "—"}
          dataValue={u.kind === "assessed" ? u.meanUtilisationRatio : null}
          detail={u.kind === "assessed" ? `break-even ${formatPercent(u.breakEvenUtilisationRatio)}` : undefined}
          testId="pc-mean-utilisation"
        />
        <Stat label="On provisioned" value={formatCompactNumber(u.provisionedInvocations)} dataValue={u.provisionedInvocations} detail="invocations" />
        <Stat
          label="Spillover"
          value={formatCompactNumber(u.spilloverInvocations)}
          dataValue={u.spilloverInvocations}
          detail={u.kind === "assessed" && u.spilloverRatio !== null ? `${formatPercent(u.spilloverRatio)} of the alias's invocations` : "invocations"}
          testId="pc-spillover"
        />
      </StatRow>
      <PcChart
        qualifier={row.qualifier}
        points={row.points.map((p) => ({ timestampMs: p.timestampMs, utilisation: p.utilisation, spilloverInvocations: p.spilloverInvocations }))}
        breakEvenUtilisationRatio={view.provisionedConcurrency.breakEvenUtilisationRatio}
        stepLabel={formatStepLabel(view.chartStepMs)}
        window={view.window}
      />
    </div>
  );
}

/** Provisioned concurrency per alias or version: how much is used, whether it is idle or spills over. */
export function PcSection({ view }: { view: FunctionDetailView }) {
  const { rows, breakEvenUtilisationRatio } = view.provisionedConcurrency;
  return (
    <SectionCard testId="function-pc" title="Provisioned concurrency" wide={rows.length > 0}>
      {rows.length === 0 ? (
        <p className="muted" data-testid="pc-none">
          No provisioned concurrency is configured on any alias or version (ListProvisionedConcurrencyConfigs): every invocation runs on demand.
        </p>
      ) : (
        <>
          {rows.map((row) => (
            <PcRowView key={row.qualifier} row={row} view={view} />
          ))}
          <p className={styles.sectionNote}>
            Utilisation is ProvisionedConcurrencyUtilization, per-period Maximum; its mean over the periods with data overstates the true average, so
            &ldquo;idle&rdquo; is never called too eagerly. Break-even {formatPercent(breakEvenUtilisationRatio)}: above it provisioned concurrency is
            cheaper than on-demand for the same busy time (first-tier prices).
          </p>
        </>
      )}
    </SectionCard>
  );
}
