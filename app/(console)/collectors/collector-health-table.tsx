import Link from "next/link";
import styles from "@/app/(console)/collectors/collectors.module.css";
import { collectorsHref } from "@/app/(console)/collectors/collectors-href";
import { MISSING, formatCadence, formatCompactNumber, formatDateTimeUtc, formatElapsedMs, formatInteger, formatRelativeTime, formatUsd } from "@/app/(console)/_format/format";
import { StatusBadge } from "@/app/(console)/collectors/status-badge";
import type { CollectorHealthRow } from "@/lib/domain/collection/collector-health-report";
import type { CollectorRunsParams } from "@/lib/queries/collectors-view";

/** Why a row has its status, in words, for the badge's tooltip. */
function statusReason(row: CollectorHealthRow): string | undefined {
  switch (row.status) {
    case "failing":
      return row.consecutiveFailures > 1 ? `The last ${row.consecutiveFailures} runs failed` : "The latest run failed";
    case "lagging":
      return row.laggingCause === "data-behind"
        ? `Data is ${formatElapsedMs(row.lagMs)} behind now; more than ${formatElapsedMs(row.lagLimitMs)} counts as lagging`
        : row.successAgeMs === null
          ? "No run has succeeded yet"
          : `No successful run for ${formatElapsedMs(row.successAgeMs)}; more than ${formatElapsedMs(row.successAgeLimitMs)} counts as lagging`;
    case "never-run":
      return "No run of this collector is recorded";
    case "healthy":
      return undefined;
  }
}

function LagCell({ row }: { row: CollectorHealthRow }) {
  if (row.lagMs === null) return <td className="num muted">{MISSING}</td>;
  // Costs: the watermark is the first day Cost Explorer still estimates, not how current the data is.
  const title =
    row.lagLimitMs === null
      ? "How far back the first day Cost Explorer still estimates is; not a health signal"
      : `Data collected up to ${row.throughMs === null ? MISSING : formatDateTimeUtc(row.throughMs)}; lagging beyond ${formatElapsedMs(row.lagLimitMs)}`;
  return (
    <td className={row.lagLimitMs === null ? "num muted" : "num"} data-testid="lag" data-value={row.lagMs} title={title}>
      {formatElapsedMs(row.lagMs)}
    </td>
  );
}

/** The health table: one row per collector and account/region, worst signals in words on hover. */
export function CollectorHealthTable({ rows, nowMs, params }: { rows: CollectorHealthRow[]; nowMs: number; params: CollectorRunsParams }) {
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="collector-health-table">
        <caption className="visually-hidden">Health of each collector per account and region, with its runs over the last 24 hours</caption>
        <thead>
          <tr>
            <th scope="col">Collector</th>
            <th scope="col">Account · Region</th>
            <th scope="col">Status</th>
            <th scope="col">Last success</th>
            <th scope="col" className="num" title="How far the collected data is behind now">
              Lag
            </th>
            <th scope="col" className="num" title="Failed runs in a row, newest first">
              Failures
            </th>
            <th scope="col" className="num">
              Runs 24 h
            </th>
            <th scope="col" className="num" title="HTTP requests to AWS APIs, retries included">
              Requests 24 h
            </th>
            <th scope="col" className="num" title="Estimated AWS bill of the API calls, at the published prices">
              API cost 24 h
            </th>
            <th scope="col" className="num" title="DynamoDB items written">
              Items 24 h
            </th>
            <th scope="col">Last error</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={row.key}
              data-testid="collector-health-row"
              data-collector={row.collector}
              data-status={row.status}
              data-account={row.accountId ?? ""}
              data-region={row.region ?? ""}
            >
              <th scope="row" className="fn-name">
                <Link className="fn-title" href={collectorsHref(params, { collector: row.collector })} title={`Show the runs of ${row.collector}`}>
                  {row.collector}
                </Link>
                <span className="fn-meta">expected {formatCadence(row.expectedEveryMinutes)}</span>
              </th>
              <td>{row.accountId === null ? <span className="muted">{MISSING}</span> : `${row.accountId} · ${row.region}`}</td>
              <td>
                <StatusBadge status={row.status} title={statusReason(row)} />
              </td>
              <td title={row.lastSuccessMs === null ? undefined : formatDateTimeUtc(row.lastSuccessMs)}>
                {row.lastSuccessMs === null ? <span className="muted">never</span> : formatRelativeTime(row.lastSuccessMs, nowMs)}
              </td>
              <LagCell row={row} />
              <td className={row.consecutiveFailures === 0 ? "num zero" : "num"} data-testid="failures" data-value={row.consecutiveFailures}>
                {formatInteger(row.consecutiveFailures)}
              </td>
              <td className={row.recent.runs === 0 ? "num zero" : "num"} data-testid="runs-24h" data-value={row.recent.runs}>
                {formatInteger(row.recent.runs)}
                {row.recent.failedRuns > 0 ? <span className="fn-meta">{formatInteger(row.recent.failedRuns)} failed</span> : null}
              </td>
              <td className={row.recent.requests === 0 ? "num zero" : "num"} title={formatInteger(row.recent.requests)}>
                {formatCompactNumber(row.recent.requests)}
              </td>
              <td className={row.recent.estimatedCostUsd === 0 ? "num zero" : "num"} data-testid="cost-24h" data-value={row.recent.estimatedCostUsd}>
                {formatUsd(row.recent.estimatedCostUsd)}
              </td>
              <td className={row.recent.itemsWritten === 0 ? "num zero" : "num"} title={formatInteger(row.recent.itemsWritten)}>
                {formatCompactNumber(row.recent.itemsWritten)}
              </td>
              <td className={row.lastError === null ? "muted" : styles.errorCell} data-testid="last-error">
                {row.lastError ?? MISSING}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
