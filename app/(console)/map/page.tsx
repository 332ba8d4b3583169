import type { Metadata } from "next";
import Link from "next/link";
import { InlineError } from "@/app/(console)/_components/inline-error";
import { formatDateTimeUtc, formatRangeLabel, formatRelativeTime, formatWindowUtc } from "@/app/(console)/_format/format";
import { CompareControl, GroupingControl, MapRangePicker, ScopeSelector } from "@/app/(console)/map/map-controls";
import { formatHourRanges } from "@/app/(console)/map/map-format";
import { mapHref, type MapUrlState } from "@/app/(console)/map/map-href";
import { MapLegend } from "@/app/(console)/map/map-legend";
import { ServiceMap } from "@/app/(console)/map/service-map.client";
import styles from "@/app/(console)/map/service-map.module.css";
import { getDeps } from "@/app/_server/deps";
import type { SearchParams } from "@/app/_server/search-params";
import { parseMapParams } from "@/app/_server/map-params";
import { getSessionPrincipal } from "@/app/_server/session";
import { roleCan } from "@/lib/domain/access/roles";
import { getServiceMapView, type ServiceMapView } from "@/lib/queries/service-map-view";

export const metadata: Metadata = { title: "Service map · Sightline" };

/** What the map's data covers: missing hours, a partial hour, a failing collector, auto-collapse. */
function CoverageNotes({ view, state, nowMs }: { view: ServiceMapView; state: MapUrlState; nowMs: number }) {
  const notes = [];
  if (view.collection?.lastError) {
    notes.push(
      <div key="failing" className="banner banner-error" role="alert">
        <strong>Trace collection is failing:</strong> {view.collection.lastError}
        {view.collection.lastSuccessMs !== null ? ` (last success ${formatRelativeTime(view.collection.lastSuccessMs, nowMs)})` : ""}
      </div>,
    );
  }
  const missing = view.coverage?.missingHourStarts ?? [];
  if (missing.length > 0) {
    notes.push(
      <div key="missing" className="banner banner-warning" role="status" data-testid="map-missing-hours">
        <strong>
          {missing.length} {missing.length === 1 ? "hour" : "hours"} of this range {missing.length === 1 ? "has" : "have"} no service graph yet:
        </strong>{" "}
        {formatHourRanges(missing)}. Rates cover the {view.coverage?.hourCount ?? 0} hours collected; the rest appears as the traces collector catches up.
      </div>,
    );
  }
  const baselineMissing = view.compare?.coverage.missingHourStarts ?? [];
  if (baselineMissing.length > 0) {
    notes.push(
      <div key="baseline-missing" className="banner banner-warning" role="status">
        <strong>The baseline misses {baselineMissing.length} {baselineMissing.length === 1 ? "hour" : "hours"}:</strong> {formatHourRanges(baselineMissing)}. Its rates cover the hours collected.
      </div>,
    );
  }
  if (view.coverage?.includesPartialHour) {
    notes.push(
      <p key="partial" className={styles.note} data-testid="map-partial-hour">
        The last hour is still being collected: its numbers grow until it is complete.
        {view.collection?.throughMs != null ? ` Complete up to ${formatDateTimeUtc(view.collection.throughMs)}.` : ""}
      </p>,
    );
  }
  if (view.grouping.collapsed && view.grouping.requested === "auto") {
    notes.push(
      <p key="collapsed" className={styles.note}>
        {view.grouping.xrayNodeCount} nodes are collapsed by service (more than {view.grouping.autoCollapseAboveNodes}).{" "}
        <Link href={mapHref(state, { grouping: "none" })}>Show every node</Link>
      </p>,
    );
  }
  return <>{notes}</>;
}

function EmptyMap({ view }: { view: ServiceMapView }) {
  const option = view.scopes.find((s) => s.accountId === view.scope?.accountId && s.region === view.scope.region);
  let title = "No service graph in this range";
  let text = "The traces collector stores the X-Ray service graph hour by hour; nothing has been stored for this range yet. Try a longer range, or reload in a few minutes.";
  if (view.scope === null) {
    title = "Nothing collected yet — the first collection is running";
    text = "The service map appears once the inventory and traces collectors have run. Reload in a minute.";
  } else if (option !== undefined && option.tracedFunctionCount === 0) {
    title = "No traced functions in this account and region";
    text = "The map is drawn from X-Ray. Turn on active tracing for the functions (TracingConfig Mode=Active) to see them here.";
  }
  return (
    <div className="empty-state" data-testid="map-empty">
      <h2>{title}</h2>
      <p>{text}</p>
    </div>
  );
}

/** The X-Ray service graph of an account/region over the chosen range, with health, comparison and details. */
export default async function MapPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const principal = await getSessionPrincipal();
  if (!principal || !roleCan(principal.role, "fleet:read")) {
    return <InlineError title="Not allowed" message={`Your role does not include the permission "fleet:read".`} />;
  }
  const nowMs = Date.now();
  const params = parseMapParams(await searchParams, nowMs);
  if (!params.ok) {
    return (
      <>
        <h1>Service map</h1>
        <InlineError title="This address has an invalid parameter." message={params.error} resetHref="/map" />
      </>
    );
  }
  const { range, scope, compare, grouping, node, search } = params.value;
  const view = await getServiceMapView(getDeps(), { scope, window: range.window, compareWindow: compare?.window ?? null, grouping, nowMs });
  // Links keep the scope shown, so changing the range does not jump to another account.
  const state: MapUrlState = { range, scope: view.scope, compare, grouping };
  return (
    <>
      <header className="page-header">
        <div>
          <h1>Service map</h1>
          <p className="subtitle">
            {formatRangeLabel(range.label, range.window)}
            {view.scope !== null ? ` · ${view.scope.accountId} · ${view.scope.region}` : ""}
            {view.compare !== null ? ` · compared with ${formatWindowUtc(view.compare.window)}` : ""}
          </p>
        </div>
        <MapRangePicker state={state} />
      </header>
      <div className={styles.toolbar}>
        {view.scopes.length > 1 ? <ScopeSelector state={state} scopes={view.scopes} /> : null}
        <CompareControl state={state} />
        <GroupingControl state={state} />
      </div>
      <CoverageNotes view={view} state={state} nowMs={nowMs} />
      {view.scope === null || view.nodes.length === 0 ? (
        <EmptyMap view={view} />
      ) : (
        <>
          <ServiceMap
            nodes={view.nodes}
            edges={view.edges}
            scope={view.scope}
            window={view.window}
            collapsed={view.grouping.collapsed}
            initialNodeId={node}
            initialSearch={search}
          />
          <MapLegend rules={view.rules} comparing={view.compare !== null} />
        </>
      )}
    </>
  );
}
