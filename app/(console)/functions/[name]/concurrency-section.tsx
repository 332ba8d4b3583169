import { ConcurrencyCharts } from "@/app/(console)/functions/[name]/concurrency-charts.client";
import { SectionCard } from "@/app/(console)/_components/section-card";
import { StatusBadge, type BadgeTone } from "@/app/(console)/functions/[name]/section-parts";
import { Stat, StatRow } from "@/app/(console)/_components/stat";
import { formatExecutions } from "@/app/(console)/functions/[name]/detail-format";
import styles from "@/app/(console)/functions/[name]/function-detail.module.css";
import { formatDateTimeUtc, formatInteger, formatPercent } from "@/app/(console)/_format/format";
import { NEAR_LIMIT_RATIO, type ConcurrencyStatus } from "@/lib/domain/metrics/concurrency-headroom";
import type { FunctionDetailView } from "@/lib/queries/function-detail-view";

const STATUS: Record<ConcurrencyStatus, { tone: BadgeTone; words: string }> = {
  ok: { tone: "good", words: "Headroom" },
  "near-limit": { tone: "warn", words: "Near the limit" },
  "at-limit": { tone: "bad", words: "At the limit" },
};

/** Peak concurrency against the reservation or the unreserved pool, and the account's regional headroom. */
export function ConcurrencySection({ view }: { view: FunctionDetailView }) {
  const c = view.concurrency;
  const fn = c.function;
  const account = c.account;
  return (
    <SectionCard
      testId="function-concurrency"
      title="Concurrency"
      wide
      aside={fn.kind === "assessed" ? <StatusBadge tone={STATUS[fn.status].tone} status={fn.status}>{STATUS[fn.status].words}</StatusBadge> : null}
    >
      {fn.kind === "insufficient-data" ? (
        <p className={styles.lead} data-testid="concurrency-insufficient">Cannot assess concurrency headroom: {fn.reason}.</p>
      ) : (
        <p className={styles.lead} data-testid="concurrency-summary">
          {fn.ceiling.kind === "reserved"
            ? `Peaked at ${formatInteger(fn.functionPeak.value)} of its ${formatInteger(fn.ceiling.executions)} reserved concurrent executions (${formatPercent(fn.usedRatio)}) at ${formatDateTimeUtc(fn.functionPeak.atMs)}`
            : fn.usedBy === "all-unreserved-functions"
              ? `No reservation: it shares the account's unreserved pool of ${formatInteger(fn.ceiling.executions)}. All unreserved functions together peaked at ${formatInteger(fn.peakUsedExecutions)} (${formatPercent(fn.usedRatio)}); this function at ${formatInteger(fn.functionPeak.value)}`
              : `No reservation: it shares the account's unreserved pool of ${formatInteger(fn.ceiling.executions)}, and peaked at ${formatInteger(fn.functionPeak.value)} (${formatPercent(fn.usedRatio)})`}
          {fn.throttles === 0 ? "; nothing was throttled." : fn.throttles === 1 ? "; 1 request was throttled." : `; ${formatInteger(fn.throttles)} requests were throttled.`}
        </p>
      )}
      <StatRow>
        <Stat
          label="Peak concurrent executions"
          value={fn.kind === "assessed" ? formatInteger(fn.functionPeak.value) : "—"}
          dataValue={fn.kind === "assessed" ? fn.functionPeak.value : null}
          testId="peak-concurrency"
        />
        <Stat
          label={fn.kind === "assessed" && fn.ceiling.kind === "unreserved-pool" ? "Unreserved pool" : "Reserved concurrency"}
          value={fn.kind === "assessed" ? formatInteger(fn.ceiling.executions) : formatExecutions(c.reservedConcurrency)}
          dataValue={fn.kind === "assessed" ? fn.ceiling.executions : c.reservedConcurrency}
          testId="concurrency-ceiling"
        />
        <Stat
          label="Headroom"
          value={fn.kind === "assessed" ? formatInteger(fn.headroomExecutions) : "—"}
          dataValue={fn.kind === "assessed" ? fn.headroomExecutions : null}
          detail={fn.kind === "assessed" ? `${formatPercent(fn.headroomRatio)} of the limit left` : undefined}
          testId="concurrency-headroom"
        />
        <Stat label="Provisioned (allocated)" value={formatInteger(c.provisionedExecutions)} dataValue={c.provisionedExecutions} />
        <Stat
          label="Account claimed, peak"
          value={account.kind === "assessed" ? `${formatInteger(account.peakClaimed.value)} of ${formatInteger(account.limitExecutions)}` : "—"}
          dataValue={account.kind === "assessed" ? account.peakClaimed.value : null}
          detail={account.kind === "assessed" ? `${formatInteger(account.headroomExecutions)} left in the region` : account.reason}
          testId="account-claimed"
        />
      </StatRow>
      <ConcurrencyCharts
        functionPoints={view.metrics.points.map((p) => ({ timestampMs: p.timestampMs, maxConcurrentExecutions: p.maxConcurrentExecutions }))}
        regionPoints={c.regionPoints}
        reservedConcurrency={c.reservedConcurrency}
        provisionedExecutions={c.provisionedExecutions}
        accountLimitExecutions={c.accountLimitExecutions}
        window={view.window}
      />
      <p className={styles.sectionNote}>
        ConcurrentExecutions, ClaimedAccountConcurrency and UnreservedConcurrentExecutions are per-period Maximums. Near the limit from {formatPercent(NEAR_LIMIT_RATIO)} of it.
        Limits from GetFunctionConcurrency and GetAccountSettings.
      </p>
    </SectionCard>
  );
}
