import type { Metadata } from "next";
import { InlineError } from "@/app/(console)/_components/inline-error";
import { formatCompactNumber, formatDateTimeUtc, formatInteger, formatRelativeTime, formatUsd } from "@/app/(console)/_format/format";
import { CollectorHealthTable } from "@/app/(console)/collectors/collector-health-table";
import { CollectorRunsTable } from "@/app/(console)/collectors/collector-runs-table";
import { RunsFilters } from "@/app/(console)/collectors/runs-filters";
import { StatusLegend } from "@/app/(console)/collectors/status-badge";
import { parseCollectorRunsParams } from "@/app/_server/collectors-params";
import { getDeps } from "@/app/_server/deps";
import { cadenceSettingsOf } from "@/lib/config/metrics-cadence";
import type { SearchParams } from "@/app/_server/search-params";
import { getSessionPrincipal } from "@/app/_server/session";
import { roleCan } from "@/lib/domain/access/roles";
import { getCollectorsView, listCollectorRuns, type CollectorRunsParams, type CollectorsView } from "@/lib/queries/collectors-view";
import { Stat, StatRow } from "@/app/(console)/_components/stat";

export const metadata: Metadata = { title: "Collectors · Sightline" };

const RUN_PARAM_KEYS = ["collector", "account", "region", "outcome", "since", "limit"] as const;

/** The runs parameters of the URL as given (already validated), for building filter links. */
function currentParams(searchParams: SearchParams): CollectorRunsParams {
  const params: CollectorRunsParams = {};
  for (const key of RUN_PARAM_KEYS) {
    const value = searchParams[key];
    if (typeof value === "string" && value !== "") params[key] = value;
  }
  return params;
}

/** The fleet summary over the health table: the collectors' API bill, traffic and failures. */
function FleetSummary({ view }: { view: CollectorsView }) {
  const { recent, statusCounts } = view.summary;
  const span =
    view.partialWindow && view.oldestRunMs !== null ? `since the ledger began ${formatRelativeTime(view.oldestRunMs, view.nowMs)}` : "last 24 h";
  return (
    <StatRow testId="collectors-summary">
      <Stat label={`Estimated API cost, ${span}`} value={formatUsd(recent.estimatedCostUsd)} testId="summary-cost" />
      <Stat label={`AWS requests, ${span}`} value={formatCompactNumber(recent.requests)} title={`${formatInteger(recent.requests)} requests`} testId="summary-requests" />
      <Stat
        label={`Runs, ${span}`}
        value={formatInteger(recent.runs)}
        detail={recent.failedRuns === 0 ? "none failed" : `${formatInteger(recent.failedRuns)} failed`}
        testId="summary-runs"
      />
      <Stat label="Failing" value={formatInteger(statusCounts.failing)} detail={`${formatInteger(statusCounts.lagging)} lagging`} testId="summary-failing" />
    </StatRow>
  );
}

/** The collectors' health per account/region and their recent runs, from the run ledger. */
export default async function CollectorsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const principal = await getSessionPrincipal();
  if (!principal || !roleCan(principal.role, "fleet:read")) {
    return <InlineError title="Not allowed" message={`Your role does not include the permission "fleet:read".`} />;
  }
  const nowMs = Date.now();
  const raw = await searchParams;
  const params = parseCollectorRunsParams(raw, nowMs);
  if (!params.ok) {
    return (
      <>
        <h1>Collectors</h1>
        <InlineError title="This address has an invalid parameter." message={params.error} resetHref="/collectors" />
      </>
    );
  }
  const deps = getDeps();
  const [view, runs] = await Promise.all([
    getCollectorsView(deps, { nowMs, cadence: cadenceSettingsOf(deps.config) }),
    listCollectorRuns(deps, { ...params.value, nowMs }),
  ]);
  const current = currentParams(raw);
  const failing = view.summary.failing;
  return (
    <>
      <header className="page-header">
        <div>
          <h1>Collectors</h1>
          <p className="subtitle">Health per collector and account/region; runs, AWS requests and estimated API cost over the last 24 hours</p>
        </div>
      </header>
      {failing.length > 0 ? (
        <div className="banner banner-warning" role="status" data-testid="collectors-failing">
          <strong>{failing.length === 1 ? "1 collector is failing." : `${failing.length} collectors are failing.`}</strong>
          <ul>
            {failing.map((f) => (
              <li key={`${f.collector}#${f.accountId}#${f.region}`}>
                {f.collector}
                {f.accountId !== null ? ` in ${f.accountId} · ${f.region}` : ""}: {f.lastError ?? "the latest run failed"}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <FleetSummary view={view} />
      <CollectorHealthTable rows={view.rows} nowMs={view.nowMs} params={current} />
      {view.runsTruncated ? <p className="muted">The last 24 h hold more runs than one page reads; the figures cover the newest ones.</p> : null}
      <StatusLegend />

      <section aria-labelledby="runs-heading">
        <div className="page-header">
          <div>
            <h2 id="runs-heading">Recent runs</h2>
            <p className="subtitle">
              {params.value.collector ?? "All collectors"} since {formatDateTimeUtc(params.value.sinceMs)}, newest first
              {runs.truncated ? ` — the newest ${formatInteger(params.value.limit)} shown; narrow the filters to see older ones` : ""}
            </p>
          </div>
          <RunsFilters params={current} />
        </div>
        {runs.runs.length === 0 ? (
          <div className="empty-state" data-testid="runs-empty">
            <h2>No runs recorded for this filter</h2>
            <p>Collectors write a ledger entry for every run; pick another collector or a longer range.</p>
          </div>
        ) : (
          <CollectorRunsTable runs={runs.runs} nowMs={nowMs} />
        )}
      </section>
    </>
  );
}
