import section from "@/app/(console)/_components/section.module.css";
import { formatDurationMs, formatMemoryMb } from "@/app/(console)/_format/format";
import { ApplyControl } from "@/app/(console)/tuning/[name]/apply-control.client";
import { TryInWhatIfButton } from "@/app/(console)/tuning/[name]/whatif-context.client";
import type { WhatIfPrefill } from "@/app/(console)/tuning/[name]/whatif-model";
import { ConfidenceBadge } from "@/app/(console)/tuning/confidence-badge";
import { DeltaText } from "@/app/(console)/tuning/delta-text";
import styles from "@/app/(console)/tuning/tuning.module.css";
import {
  FINDING_MEANINGS,
  FINDING_WORDS,
  KIND_WORDS,
  describeChange,
  describePcPlan,
  formatEffect,
  formatMonthlyCost,
  formatMonthlyUsd,
  formatRange,
  type EffectUnit,
} from "@/app/(console)/tuning/tuning-words";
import type { Effect, MemoryOption, Recommendation } from "@/lib/domain/sizing/tuning-types";

const STRATEGY_WORDS: Record<MemoryOption["strategy"], string> = {
  cost: "Cost (cheapest)",
  balanced: "Balanced",
  speed: "Speed (fastest)",
};

/** The effects a recommendation projects, in reading order, each with its label and unit. */
function effectRows(effects: Recommendation["effects"]): { key: string; label: string; effect: Effect; unit: EffectUnit }[] {
  const rows: { key: string; label: string; effect: Effect | undefined; unit: EffectUnit }[] = [
    { key: "p50", label: "p50 duration", effect: effects.p50Ms, unit: "ms" },
    { key: "p99", label: "p99 duration", effect: effects.p99Ms, unit: "ms" },
    { key: "cold-starts", label: "Cold starts / day", effect: effects.coldStartsPerDay, unit: "per-day" },
    { key: "throttles", label: "Throttles / day", effect: effects.throttlesPerDay, unit: "per-day" },
    { key: "spillover", label: "Spillover / day", effect: effects.spilloverPerDay, unit: "per-day" },
    {
      key: "slo-share",
      label: effects.sloColdStartBadShare ? `Share of “${effects.sloColdStartBadShare.sloName}” bad events from cold starts` : "",
      effect: effects.sloColdStartBadShare,
      unit: "ratio",
    },
  ];
  return rows.filter((r): r is { key: string; label: string; effect: Effect; unit: EffectUnit } => r.effect !== undefined);
}

function MemoryOptions({ options, proposedMb }: { options: MemoryOption[]; proposedMb: number | null }) {
  return (
    <div className={styles.block}>
      <h3>Memory strategies</h3>
      <table className={styles.smallTable} data-testid="memory-options">
        <caption className="visually-hidden">The memory size each strategy picks, with its monthly cost and latency</caption>
        <thead>
          <tr>
            <th scope="col">Strategy</th>
            <th scope="col" className="num">Memory</th>
            <th scope="col" className="num">Monthly cost</th>
            <th scope="col" className="num">p50</th>
            <th scope="col" className="num">p99</th>
          </tr>
        </thead>
        <tbody>
          {options.map((option) => (
            <tr key={option.strategy} data-testid="memory-option" data-strategy={option.strategy} data-memory-mb={option.memoryMb}>
              <th scope="row">
                {STRATEGY_WORDS[option.strategy]}
                {option.memoryMb === proposedMb ? <span className="fn-meta">proposed</span> : null}
              </th>
              <td className="num">{formatMemoryMb(option.memoryMb)}</td>
              <td className="num">{formatMonthlyCost(option.monthlyCostUsd)}</td>
              <td className="num">{formatRange(option.p50Ms, formatDurationMs)}</td>
              <td className="num">{formatRange(option.p99Ms, formatDurationMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * One recommendation: what to change and why, what it costs or saves (with the range), what
 * it does to latency, cold starts, throttles and the SLO, the evidence and assumptions behind
 * it, and the Apply and "Try in what-if" controls.
 */
export function RecommendationCard({ recommendation: rec, prefill, deniedReason }: { recommendation: Recommendation; prefill: WhatIfPrefill; deniedReason: string | null }) {
  const titleId = `rec-${rec.kind}-title`;
  const effects = effectRows(rec.effects);
  const proposedMb = rec.change?.kind === "memory" ? rec.change.memoryMb : null;
  const plan = rec.pcPlan;
  return (
    <article
      className={`${section.section} ${section.wide}`}
      data-testid="recommendation-card"
      data-kind={rec.kind}
      data-finding={rec.finding}
      data-recommendation-id={rec.id}
      data-confidence={rec.confidence}
      aria-labelledby={titleId}
    >
      <header className={section.sectionHeader}>
        <h2 id={titleId} title={FINDING_MEANINGS[rec.finding]}>
          {FINDING_WORDS[rec.finding]}
        </h2>
        <div className={styles.titleBadges}>
          <span className="muted">{KIND_WORDS[rec.kind]}</span>
          <ConfidenceBadge confidence={rec.confidence} />
        </div>
      </header>
      <p className={styles.summary} data-testid="recommendation-summary">
        {rec.summary}
      </p>
      <dl className={styles.facts}>
        <dt>{KIND_WORDS[rec.kind]}</dt>
        <dd data-testid="recommendation-proposal">
          {rec.current}
          <span className={styles.arrow} aria-label="to">
            →
          </span>
          <strong>{rec.proposed}</strong>
        </dd>
        {plan ? (
          <>
            <dt>Plan</dt>
            <dd data-testid="recommendation-plan" data-plan={plan.kind}>
              {describePcPlan(plan)}
              {(plan.kind === "schedule" || plan.kind === "target-tracking") && rec.change ? (
                <span className="fn-meta">
                  Apply sets {describeChange(rec.change)}; the {plan.kind === "schedule" ? "schedule" : "target tracking"} itself is set up with Application Auto
                  Scaling.
                </span>
              ) : null}
            </dd>
          </>
        ) : null}
        <dt>Monthly cost</dt>
        <dd>
          {formatMonthlyUsd(rec.monthlyCost.currentUsd)}
          <span className={styles.arrow} aria-label="to">
            →
          </span>
          {formatMonthlyCost(rec.monthlyCost.projectedUsd)}
        </dd>
        <dt>Change</dt>
        <dd>
          <DeltaText range={rec.monthlyCost.deltaUsd} testId="recommendation-delta" />
        </dd>
      </dl>
      <div className={styles.columns}>
        <div className={styles.block}>
          <h3>Effects (now → projected range)</h3>
          {effects.length === 0 ? (
            <p className="muted">No effect on latency, cold starts or throttling is projected.</p>
          ) : (
            <table className={styles.smallTable} data-testid="recommendation-effects">
              <caption className="visually-hidden">Each metric now and its projected range after the change</caption>
              <tbody>
                {effects.map((row) => (
                  <tr key={row.key} data-effect={row.key}>
                    <th scope="row">{row.label}</th>
                    <td className="num">{formatEffect(row.effect, row.unit)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {rec.options && rec.options.length > 0 ? <MemoryOptions options={rec.options} proposedMb={proposedMb} /> : null}
        </div>
        <div className={styles.block}>
          <h3>Evidence</h3>
          <ul className={styles.list} data-testid="recommendation-evidence">
            {rec.evidence.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          {rec.assumptions.length > 0 ? (
            <>
              <h3 className={styles.subhead}>Assumptions</h3>
              <ul className={styles.list} data-testid="recommendation-assumptions">
                {rec.assumptions.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      </div>
      <div className={styles.cardActions}>
        <ApplyControl
          recommendationId={rec.id}
          functionName={rec.functionName}
          change={rec.change}
          revert={rec.revert}
          notAppliableReason={rec.notAppliableReason}
          deniedReason={deniedReason}
        />
        <TryInWhatIfButton prefill={prefill} />
      </div>
    </article>
  );
}
