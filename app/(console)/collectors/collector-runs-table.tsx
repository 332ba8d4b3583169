import styles from "@/app/(console)/collectors/collectors.module.css";
import { formatCompactNumber, formatDateTimeUtc, formatDurationMs, formatInteger, formatRelativeTime, formatUsd, formatWindowUtc } from "@/app/(console)/_format/format";
import { ExpandableRunRow } from "@/app/(console)/collectors/run-row.client";
import { OutcomeBadge } from "@/app/(console)/collectors/status-badge";
import type { CollectorRunRow } from "@/lib/queries/collectors-view";

const COLUMNS = 11;

/** Requests per operation in one line each, for the requests cell's tooltip. */
function operationsTitle(run: CollectorRunRow): string | undefined {
  if (run.operations.length === 0) return undefined;
  return run.operations.map((o) => `${o.operation}: ${formatInteger(o.requests)}`).join("\n");
}

/** The note, error, warnings and per-operation usage of a run; null when it has none of them. */
function RunDetails({ run }: { run: CollectorRunRow }) {
  return (
    <div className={styles.detailsBody}>
      {run.note !== null ? (
        <div>
          <h3>Summary</h3>
          <p>{run.note}</p>
        </div>
      ) : null}
      {run.error !== null ? (
        <div>
          <h3>Error</h3>
          <p className={styles.errorText} data-testid="run-error">
            {run.error}
          </p>
        </div>
      ) : null}
      {run.warnings.length > 0 ? (
        <div>
          <h3>Warnings</h3>
          <ul data-testid="run-warnings">
            {run.warnings.map((warning, i) => (
              <li key={i}>{warning}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {run.operations.length > 0 ? (
        <div>
          <h3>API calls</h3>
          <ul data-testid="run-operations">
            {run.operations.map((o) => (
              <li key={o.operation}>
                <code>{o.operation}</code>: {formatInteger(o.requests)} {o.requests === 1 ? "request" : "requests"}
                {o.estimatedCostUsd > 0 ? `, ${formatInteger(o.units)} billable units, ${formatUsd(o.estimatedCostUsd)}` : ", free"}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

function hasDetails(run: CollectorRunRow): boolean {
  return run.note !== null || run.error !== null || run.warnings.length > 0 || run.operations.length > 0;
}

/** The run ledger, newest first: one row per run of a collector in an account/region, details on demand. */
export function CollectorRunsTable({ runs, nowMs }: { runs: CollectorRunRow[]; nowMs: number }) {
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="collector-runs-table">
        <caption className="visually-hidden">{`${runs.length} collector runs, newest first`}</caption>
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Collector</th>
            <th scope="col">Account · Region</th>
            <th scope="col">Outcome</th>
            <th scope="col" title="The source window the run read (UTC)">
              Window
            </th>
            <th scope="col" className="num">
              Duration
            </th>
            <th scope="col" className="num" title="HTTP requests to AWS APIs, retries included; per operation on hover and in the details">
              Requests
            </th>
            <th scope="col" className="num" title="Estimated AWS bill of the run's API calls">
              API cost
            </th>
            <th scope="col" className="num" title="DynamoDB items written">
              Items
            </th>
            <th scope="col" className="num">
              Warnings
            </th>
            <th scope="col">
              <span className="visually-hidden">Details</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <ExpandableRunRow
              key={run.key}
              collector={run.collector}
              outcome={run.outcome}
              columns={COLUMNS}
              toggleLabel={run.error !== null ? "Error" : run.warnings.length > 0 ? "Warnings" : "Details"}
              details={hasDetails(run) ? <RunDetails run={run} /> : null}
              cells={
                <>
                  <td title={formatDateTimeUtc(run.startedAtMs)}>{formatRelativeTime(run.startedAtMs, nowMs)}</td>
                  <td>{run.collector}</td>
                  <td>
                    {run.accountId} · {run.region}
                  </td>
                  <td>
                    <OutcomeBadge outcome={run.outcome} />
                  </td>
                  <td>{formatWindowUtc(run.window)}</td>
                  <td className="num" data-value={run.durationMs}>
                    {formatDurationMs(run.durationMs)}
                  </td>
                  <td className={run.requests === 0 ? "num zero" : "num"} title={operationsTitle(run)} data-value={run.requests}>
                    {formatCompactNumber(run.requests)}
                  </td>
                  <td className={run.estimatedCostUsd === 0 ? "num zero" : "num"} data-value={run.estimatedCostUsd}>
                    {formatUsd(run.estimatedCostUsd)}
                  </td>
                  <td className={run.itemsWritten === 0 ? "num zero" : "num"} title={formatInteger(run.itemsWritten)}>
                    {formatCompactNumber(run.itemsWritten)}
                  </td>
                  <td className={run.warnings.length === 0 ? "num zero" : "num"} data-testid="warnings-count">
                    {formatInteger(run.warnings.length)}
                  </td>
                </>
              }
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
