import Link from "next/link";
import { formatCompactNumber, formatDurationMs, formatInteger, formatPercent } from "@/app/(console)/_format/format";
import { functionDetailHref } from "@/app/(console)/_format/links";
import { coldStartsHref } from "@/app/(console)/cold-starts/cold-starts-href";
import styles from "@/app/(console)/slos/slos.module.css";
import type { SloContributors } from "@/lib/queries/slos-view";
import type { ResolvedTimeRange } from "@/lib/queries/time-range";

/**
 * Latency SLOs: the cold starts of the target's functions with their init p99, and a note on
 * each function whose cold starts count against the SLO (the view's coldStartRule): for a
 * request-based SLO every cold start whose init alone misses the threshold is a bad request;
 * for a period-based one only cold starts frequent enough to move the minute's percentile.
 */
export function ColdStartContributorsTable({
  coldStarts,
  rule,
  thresholdMs,
  scope,
  range,
}: {
  coldStarts: NonNullable<SloContributors["coldStarts"]>;
  rule: SloContributors["coldStartRule"];
  thresholdMs: number;
  scope: { accountId: string; region: string };
  range: ResolvedTimeRange;
}) {
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="slo-cold-starts">
        <caption className="visually-hidden">Cold starts of the target&apos;s functions over the range</caption>
        <thead>
          <tr>
            <th scope="col">Function</th>
            <th scope="col" className="num">Invocations</th>
            <th scope="col" className="num">Cold starts</th>
            <th scope="col" className="num">Ratio</th>
            <th scope="col" className="num">Init p99</th>
            <th scope="col">Against the threshold</th>
          </tr>
        </thead>
        <tbody>
          {coldStarts.map((c) => (
            <tr key={c.functionName} data-testid="slo-cold-start" data-function={c.functionName} data-init-misses={c.initAloneMissesThreshold ? "true" : "false"}>
              <th scope="row" className="fn-name">
                <Link href={functionDetailHref({ functionName: c.functionName, ...scope }, range)} className="fn-title">
                  {c.functionName}
                </Link>
                <Link href={`${coldStartsHref(range, { functionName: c.functionName, ...scope })}#function-cold-starts`} className="fn-meta">
                  Cold-start details
                </Link>
              </th>
              <td className="num" data-value={c.invocations} title={formatInteger(c.invocations)}>
                {formatCompactNumber(c.invocations)}
              </td>
              <td className={c.coldStarts === 0 ? "num zero" : "num"} data-value={c.coldStarts}>
                {formatInteger(c.coldStarts)}
              </td>
              <td className="num" data-value={c.coldStartRatio ?? ""}>
                {formatPercent(c.coldStartRatio)}
              </td>
              <td className="num" data-value={c.initP99Ms ?? ""}>
                {formatDurationMs(c.initP99Ms)}
              </td>
              <td>
                {c.initAloneMissesThreshold ? (
                  <span className={styles.problem} data-testid="slo-init-misses">
                    {rule?.method === "period"
                      ? `Init alone (${formatDurationMs(c.initP99Ms)} p99) is over the ${formatDurationMs(thresholdMs)} threshold, and at ${formatPercent(c.coldStartRatio)} of invocations cold starts lift a minute's ${rule.percentile} over it.`
                      : `Init alone (${formatDurationMs(c.initP99Ms)} p99) is over the ${formatDurationMs(thresholdMs)} threshold: each cold start is a bad request.`}
                  </span>
                ) : c.initP99Ms !== null && c.initP99Ms > thresholdMs && rule?.method === "period" ? (
                  <span className="muted">{`Init is over the threshold, but cold starts (${formatPercent(c.coldStartRatio)}) are too rare to move a minute's ${rule.percentile} (they would need ≥ ${formatPercent(rule.shareNeeded)}).`}</span>
                ) : (
                  <span className="muted">init within the threshold</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
