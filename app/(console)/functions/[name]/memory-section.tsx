import { MemoryChart } from "@/app/(console)/functions/[name]/memory-chart.client";
import { SectionCard } from "@/app/(console)/_components/section-card";
import { StatusBadge, type BadgeTone } from "@/app/(console)/functions/[name]/section-parts";
import { Stat, StatRow } from "@/app/(console)/_components/stat";
import { formatHours } from "@/app/(console)/functions/[name]/detail-format";
import styles from "@/app/(console)/functions/[name]/function-detail.module.css";
import { formatCompactNumber, formatInteger, formatMemoryMb, formatPercent, formatWindowUtc } from "@/app/(console)/_format/format";
import { MOSTLY_UNUSED_RATIO, TIGHT_USED_RATIO, type MemoryStatus } from "@/lib/domain/logs/memory-usage";
import type { FunctionDetailView } from "@/lib/queries/function-detail-view";

const STATUS: Record<MemoryStatus, { tone: BadgeTone; words: string }> = {
  "out-of-memory": { tone: "bad", words: "Out-of-memory kills" },
  tight: { tone: "warn", words: "Tight" },
  comfortable: { tone: "good", words: "Comfortable" },
  "mostly-unused": { tone: "neutral", words: "Mostly unused" },
};

/** Max Memory Used against the configured size: distribution, headroom, out-of-memory kills and timeouts. */
export function MemorySection({ view }: { view: FunctionDetailView }) {
  const { usage, covered, hourCount } = view.memory;
  return (
    <SectionCard
      testId="function-memory"
      title="Memory"
      aside={usage.kind === "assessed" ? <StatusBadge tone={STATUS[usage.status].tone} status={usage.status}>{STATUS[usage.status].words}</StatusBadge> : null}
    >
      {usage.kind === "insufficient-data" ? (
        <p className="muted" data-testid="memory-insufficient">Cannot say how much memory it uses: {usage.reason}.</p>
      ) : (
        <>
          <StatRow>
            <Stat label="Configured" value={formatMemoryMb(usage.memorySizeMb)} dataValue={usage.memorySizeMb} testId="memory-size" />
            <Stat label="Max used, p50" value={formatMemoryMb(usage.maxMemoryUsedMb.p50)} dataValue={usage.maxMemoryUsedMb.p50} />
            <Stat label="Max used, p99" value={formatMemoryMb(usage.maxMemoryUsedMb.p99)} dataValue={usage.maxMemoryUsedMb.p99} detail={`worst hour ${formatMemoryMb(usage.worstHourP99Mb)}`} testId="memory-p99" />
            <Stat label="Max used, max" value={formatMemoryMb(usage.maxMemoryUsedMb.max)} dataValue={usage.maxMemoryUsedMb.max} testId="memory-max" />
            <Stat label="Headroom" value={formatPercent(usage.headroomRatio)} dataValue={usage.headroomRatio} detail={`at p99: ${formatPercent(usage.p99HeadroomRatio)}`} testId="memory-headroom" />
            <Stat
              label="Out-of-memory kills"
              value={formatCompactNumber(usage.outOfMemory)}
              dataValue={usage.outOfMemory}
              detail={`${formatPercent(usage.outOfMemoryRatio)} of invocations`}
              testId="memory-oom"
            />
            <Stat label="Timeouts" value={formatCompactNumber(usage.timeouts)} dataValue={usage.timeouts} detail={`${formatPercent(usage.timeoutRatio)} of invocations`} testId="memory-timeouts" />
          </StatRow>
          <MemoryChart hourly={usage.hourly} memorySizeMb={usage.memorySizeMb} window={view.window} />
          {usage.otherSizes.length > 0 ? (
            <p className={styles.sectionNote}>
              Also in these hours, at other memory sizes (not counted above):{" "}
              {usage.otherSizes.map((o) => `${formatInteger(o.invocations)} invocations at ${formatMemoryMb(o.memorySizeMb)}`).join(", ")}.
            </p>
          ) : null}
        </>
      )}
      <p className={styles.sectionNote}>
        From the REPORT lines of {covered ? `${formatHours(hourCount)} (${formatWindowUtc(covered)})` : "no collected hour yet"}. Percentiles across hours
        are invocation-weighted estimates; the maximum is exact. Tight from {formatPercent(TIGHT_USED_RATIO)} of the size, mostly unused below{" "}
        {formatPercent(MOSTLY_UNUSED_RATIO)} — memory also sets the CPU share, so that alone is no reason to shrink it.
      </p>
    </SectionCard>
  );
}
