import { MISSING, formatDurationMs, formatInteger, formatMemoryMb, formatUsd, formatWindowUtc } from "@/app/(console)/_format/format";
import { WhatIfChart } from "@/app/(console)/tuning/[name]/whatif-chart.client";
import { ConfidenceBadge } from "@/app/(console)/tuning/confidence-badge";
import styles from "@/app/(console)/tuning/tuning.module.css";
import { describePcPlan, formatBurnRate, formatRange } from "@/app/(console)/tuning/tuning-words";
import type { Range, WhatIfResult } from "@/lib/domain/sizing/tuning-types";

type Settings = WhatIfResult["current"];

function describeSettings(settings: Settings): string {
  return [
    formatMemoryMb(settings.memoryMb),
    settings.architecture,
    `PC ${describePcPlan(settings.pc)}`,
    `reserved ${settings.reservedConcurrency === null ? "none" : formatInteger(settings.reservedConcurrency)}`,
  ].join(" · ");
}

/** "better" when the projection is lower than what happened (every row here is a cost or a harm), "worse" when higher. */
function direction(actual: number | null, projected: number | null): "better" | "worse" | null {
  if (actual === null || projected === null || actual === projected) return null;
  return projected < actual ? "better" : "worse";
}

interface Row {
  key: string;
  label: string;
  actual: number | null;
  projected: number | null;
  format: (value: number) => string;
  range?: Range | null;
  testIds?: { actual: string; projected: string };
  /** Not a cost or a harm: no better/worse colour. */
  neutral?: boolean;
}

function formatCount(value: number): string {
  return formatInteger(value);
}

/** Actual against projected over the replayed window, with the projected range, then the hourly chart and what was assumed. */
export function WhatIfResultView({ result }: { result: WhatIfResult }) {
  const { actual, projected } = result;
  const rows: Row[] = [
    { key: "invocations", label: "Invocations", actual: actual.invocations, projected: projected.invocations, format: formatCount, neutral: true },
    {
      key: "cost",
      label: "Cost",
      actual: actual.costUsd,
      projected: projected.costUsd,
      format: formatUsd,
      range: projected.costUsdRange,
      testIds: { actual: "whatif-actual-cost", projected: "whatif-projected-cost" },
    },
    { key: "cold-starts", label: "Cold starts", actual: actual.coldStarts, projected: projected.coldStarts, format: formatCount },
    { key: "p50", label: "p50 duration", actual: actual.p50Ms, projected: projected.p50Ms, format: formatDurationMs },
    { key: "p99", label: "p99 duration", actual: actual.p99Ms, projected: projected.p99Ms, format: formatDurationMs, range: projected.p99MsRange },
    { key: "throttles", label: "Throttles", actual: actual.throttles, projected: projected.throttles, format: formatCount },
    { key: "spillover", label: "Spillover to on-demand", actual: actual.spillover, projected: projected.spillover, format: formatCount },
  ];
  const sloIds = [...new Set([...actual.sloBurn.map((s) => s.sloId), ...projected.sloBurn.map((s) => s.sloId)])];
  for (const sloId of sloIds) {
    const a = actual.sloBurn.find((s) => s.sloId === sloId);
    const p = projected.sloBurn.find((s) => s.sloId === sloId);
    rows.push({ key: `slo-${sloId}`, label: `SLO burn: ${a?.name ?? p?.name ?? sloId}`, actual: a?.burnRate ?? null, projected: p?.burnRate ?? null, format: formatBurnRate });
  }

  return (
    <div data-testid="whatif-result" data-confidence={result.confidence}>
      <div className={styles.result}>
        <div className={styles.block}>
          <h3>
            {formatWindowUtc(result.window)} <ConfidenceBadge confidence={result.confidence} />
          </h3>
          <dl className={styles.facts}>
            <dt>Now</dt>
            <dd data-testid="whatif-current-settings">{describeSettings(result.current)}</dd>
            <dt>Candidate</dt>
            <dd data-testid="whatif-candidate-settings">{describeSettings(result.candidate)}</dd>
          </dl>
          <table className={styles.smallTable} data-testid="whatif-table">
            <caption className="visually-hidden">What happened over the window against what the candidate would have done</caption>
            <thead>
              <tr>
                <th scope="col">Over the window</th>
                <th scope="col" className="num">Actual</th>
                <th scope="col" className="num">Projected</th>
                <th scope="col" className="num">Projected range</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const dir = row.neutral ? null : direction(row.actual, row.projected);
                return (
                  <tr key={row.key} data-testid="whatif-row" data-metric={row.key}>
                    <th scope="row">{row.label}</th>
                    <td className="num" data-testid={row.testIds?.actual} data-value={row.actual ?? ""}>
                      {row.actual === null ? MISSING : row.format(row.actual)}
                    </td>
                    <td className={`num ${dir ? styles[dir] : ""}`} data-testid={row.testIds?.projected} data-value={row.projected ?? ""}>
                      {row.projected === null ? MISSING : row.format(row.projected)}
                    </td>
                    <td className="num">{row.range ? `${row.format(row.range.lower)} … ${row.format(row.range.upper)}` : MISSING}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className={styles.note}>
            Projected cost {formatRange(projected.costUsdRange, formatUsd)} over the window. Green: lower than what happened; red: higher.
          </p>
        </div>
        <div className={styles.block}>
          <WhatIfChart hours={result.hours} window={result.window} />
          {result.assumptions.length > 0 ? (
            <>
              <h3>Assumed</h3>
              <ul className={styles.list} data-testid="whatif-assumptions">
                {result.assumptions.map((a) => (
                  <li key={a}>{a}</li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      </div>
    </div>
  );
}
