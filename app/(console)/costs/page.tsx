import type { Metadata } from "next";
import { ChartFrame } from "@/app/(console)/_components/chart-frame";
import { FreshnessBanner } from "@/app/(console)/_components/freshness-banner";
import { InlineError } from "@/app/(console)/_components/inline-error";
import { SectionCard } from "@/app/(console)/_components/section-card";
import { StatRow } from "@/app/(console)/_components/stat";
import { formatPercent } from "@/app/(console)/_format/format";
import { describeNoCostAccess } from "@/app/(console)/costs/cost-access";
import { CostAllocationNotes } from "@/app/(console)/costs/cost-allocation-notes";
import { CostAnomalies } from "@/app/(console)/costs/cost-anomalies";
import { CostBudgets } from "@/app/(console)/costs/cost-budgets";
import { CostCallouts } from "@/app/(console)/costs/cost-callouts";
import { bucketColors } from "@/app/(console)/costs/cost-colors";
import { CostRangePicker, CostToolbar } from "@/app/(console)/costs/cost-controls";
import { CostDayTable } from "@/app/(console)/costs/cost-day-table";
import { CostDrill } from "@/app/(console)/costs/cost-drill";
import { formatCostMonth, formatCostWindow, formatForecastRange, formatGroupByLabel, formatMicroUsd } from "@/app/(console)/costs/cost-format";
import { CostReconciliation } from "@/app/(console)/costs/cost-reconciliation";
import { MoneyStat } from "@/app/(console)/costs/cost-stat";
import { CostTable } from "@/app/(console)/costs/cost-table";
import { CostTreemap, type CostTreemapTile } from "@/app/(console)/costs/cost-treemap.client";
import { CostTrend } from "@/app/(console)/costs/cost-trend.client";
import { buildTrendData } from "@/app/(console)/costs/cost-trend-data";
import { CostUnitCosts } from "@/app/(console)/costs/cost-unit-costs";
import { parseCostViewMode } from "@/app/(console)/costs/cost-view-param";
import { describeCostFreshness } from "@/app/(console)/costs/cost-words";
import { costsHref, costsStateFromParams, type CostsUrlState } from "@/app/(console)/costs/costs-href";
import styles from "@/app/(console)/costs/costs.module.css";
import { costViewDeps } from "@/app/_server/cost-deps";
import { getDeps } from "@/app/_server/deps";
import { readSingleValued, type SearchParams } from "@/app/_server/search-params";
import { getSessionPrincipal } from "@/app/_server/session";
import { roleCan } from "@/lib/domain/access/roles";
import type { CostView } from "@/lib/domain/cost/cost-types";
import { parseCostParams } from "@/lib/queries/cost-params";
import { getCostView } from "@/lib/queries/cost-view";

export const metadata: Metadata = { title: "Costs · Sightline" };

/** Every parameter the page reads; each takes one value. */
const PARAM_KEYS = ["groupBy", "range", "from", "to", "bucket", "view"] as const;

function InvalidAddress({ message }: { message: string }) {
  return (
    <>
      <h1>Costs</h1>
      <InlineError title="This address has an invalid parameter." message={message} resetHref="/costs" />
    </>
  );
}

/** The accessible name of the trend: what it shows, the largest bucket, and how many anomalies are marked. */
function trendLabel(view: CostView, marks: number): string {
  const top = view.buckets[0];
  const largest = top === undefined || top.totalMicroUsd === 0 ? "" : `; largest: ${top.label}, ${formatMicroUsd(top.totalMicroUsd)} (${formatPercent(top.shareRatio)})`;
  return `Stacked daily cost by ${formatGroupByLabel(view.groupBy)} over ${view.days.length} days${largest}; ${marks} anomal${marks === 1 ? "y" : "ies"} marked`;
}

/** The reconciliation gap's direction in words, for the tile under the signed amount. */
function describeGap(gapMicroUsd: number, gapRatio: number | null): string {
  if (gapRatio === null) return "no modelled days";
  if (gapMicroUsd === 0) return "model equals the bill";
  return `model ${gapMicroUsd > 0 ? "above" : "below"} the bill by ${formatPercent(Math.abs(gapRatio))}`;
}

/** The breakdown in the drawing the URL asks for: stacked daily bars, a treemap of the window, or the daily numbers. */
function Breakdown({ view, state, colors }: { view: CostView; state: CostsUrlState; colors: Map<string, string> }) {
  const trend = buildTrendData(view);
  const drillHrefs: Record<string, string> = {};
  for (const b of view.buckets) drillHrefs[b.id] = costsHref(state, { bucket: b.id });
  const group = formatGroupByLabel(view.groupBy);
  if (state.view === "treemap") {
    const tiles: CostTreemapTile[] = view.buckets
      .filter((b) => b.totalMicroUsd > 0)
      .map((b) => ({ id: b.id, label: b.label, microUsd: b.totalMicroUsd, shareRatio: b.shareRatio, color: colors.get(b.id) ?? "var(--accent)", href: drillHrefs[b.id]! }));
    return (
      <SectionCard testId="cost-breakdown" title={`Cost by ${group}`} wide>
        <ChartFrame title="Share of the window's bill (click a tile to drill in)" label={`Treemap of cost by ${group}: ${tiles.map((t) => `${t.label} ${formatMicroUsd(t.microUsd)}`).join(", ")}`} testId="cost-treemap" tall>
          <CostTreemap tiles={tiles} />
        </ChartFrame>
        <p className={styles.legendNote}>Unallocated is grey and idle amber, with a dashed edge. Credits (negative amounts) cannot be drawn as areas; the table below lists them.</p>
      </SectionCard>
    );
  }
  if (state.view === "table") {
    return (
      <SectionCard testId="cost-breakdown" title={`Daily cost by ${group}`} wide>
        <CostDayTable trend={trend} />
        <p className={styles.legendNote}>Red dot: an anomaly. Days Cost Explorer still estimates are marked “estimated”.</p>
      </SectionCard>
    );
  }
  return (
    <SectionCard testId="cost-breakdown" title={`Daily cost by ${group}`} wide>
      <ChartFrame title="Daily cost, stacked (click a segment to drill in)" label={trendLabel(view, trend.marks.length)} testId="cost-trend" tall>
        <CostTrend trend={trend} drillHrefs={drillHrefs} />
      </ChartFrame>
      <p className={styles.legendNote}>
        <span className={styles.anomalyDot} aria-hidden="true" />
        Red dot ▲▼: an anomaly on that bucket and day (listed below). * and shading: estimated by Cost Explorer, may still change. Striped: unallocated (grey) and idle
        provisioned concurrency (amber).
      </p>
    </SectionCard>
  );
}

/**
 * The finance view (issue 8): the window's bill allocated by the chosen grouping — totals,
 * unallocated and idle called out, the daily trend with anomalies, each bucket with its
 * forecast and budget, a drill-down to service, function and usage type, unit costs, and the
 * usage model reconciled against the bill with the gap in plain sight. Everything chosen lives
 * in the URL; the exports carry the same grouping and range so they add up to the page.
 */
export default async function CostsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const principal = await getSessionPrincipal();
  if (!principal) return <InlineError title="Not allowed" message="Sign in to see costs." />;
  if (!roleCan(principal.role, "costs:read")) {
    return (
      <>
        <h1>Costs</h1>
        <div data-testid="cost-forbidden">
          <InlineError title="Costs are not part of your role." message={describeNoCostAccess(principal.role)} />
        </div>
      </>
    );
  }
  const nowMs = Date.now();
  const single = readSingleValued(await searchParams, PARAM_KEYS);
  if (!single.ok) return <InvalidAddress message={single.error} />;
  const deps = costViewDeps(getDeps());
  const parsed = parseCostParams(single.value, nowMs, deps.tagKeys);
  if (!parsed.ok) return <InvalidAddress message={`${parsed.field}: ${parsed.error}`} />;
  const mode = parseCostViewMode(single.value.view);
  if (!mode.ok) return <InvalidAddress message={`${mode.field}: ${mode.error}`} />;
  const state = costsStateFromParams(parsed.value, mode.value);
  const result = await getCostView(deps, parsed.value, nowMs);

  if (result.kind === "no-data") {
    return (
      <>
        <header className="page-header">
          <div>
            <h1>Costs</h1>
            <p className="subtitle">{`${formatCostWindow(parsed.value.window)} · by ${formatGroupByLabel(state.groupBy)}`}</p>
          </div>
          <CostRangePicker state={state} />
        </header>
        <CostToolbar state={state} groupByOptions={[...deps.tagKeys.map((k) => `tag:${k}`), "service"]} />
        <div className="empty-state" data-testid="cost-empty">
          <h2>No costs to show yet</h2>
          <p>{result.message}</p>
        </div>
      </>
    );
  }

  const view = result.view;
  const colors = bucketColors(view.buckets.map((b) => b.id));
  const pooled = view.pools.length;
  return (
    <>
      <header className="page-header">
        <div>
          <h1>Costs</h1>
          <p className="subtitle" data-testid="cost-summary">
            {`${formatCostWindow(view.window)} · by ${formatGroupByLabel(view.groupBy)} · account ${view.accountId}`}
          </p>
        </div>
        <CostRangePicker state={state} />
      </header>
      <CostToolbar state={state} groupByOptions={view.groupByOptions} />
      <FreshnessBanner freshness={describeCostFreshness(view.freshness, nowMs)} />
      <StatRow testId="cost-totals">
        <MoneyStat label="Bill" microUsd={view.totals.billMicroUsd} testId="cost-total" detail={view.totals.allocatedMicroUsd === view.totals.billMicroUsd ? "all of it allocated below" : undefined} />
        <MoneyStat
          label="Shared by pools"
          microUsd={view.totals.sharedMicroUsd}
          testId="cost-shared"
          detail={pooled === 0 ? "no shared-cost pools" : `${pooled} pool${pooled === 1 ? "" : "s"}`}
        />
        <MoneyStat label="Unallocated" microUsd={view.totals.unallocatedMicroUsd} testId="cost-unallocated-total" />
        <MoneyStat label="Idle provisioned concurrency" microUsd={view.totals.idleMicroUsd} testId="cost-idle-total" />
        {view.forecast !== null ? (
          <MoneyStat
            label={`Forecast, ${formatCostMonth(view.forecast.monthStartMs)}`}
            microUsd={view.forecast.forecastMicroUsd.expected}
            testId="cost-forecast"
            detail={formatForecastRange(view.forecast)}
            title={view.forecast.method}
          />
        ) : null}
        <MoneyStat
          label="Model − bill (Lambda)"
          microUsd={view.reconciliation.gapMicroUsd}
          testId="cost-model-gap"
          signed
          detail={describeGap(view.reconciliation.gapMicroUsd, view.reconciliation.gapRatio)}
        />
      </StatRow>
      <CostCallouts view={view} state={state} />
      <div className={styles.sections}>
        <Breakdown view={view} state={state} colors={colors} />
        {view.drill !== null ? <CostDrill drill={view.drill} state={state} /> : null}
        <SectionCard testId="cost-buckets" title={`Buckets by ${formatGroupByLabel(view.groupBy)}`} wide>
          <CostTable view={view} colors={colors} state={state} />
        </SectionCard>
        <CostAnomalies view={view} state={state} />
        <CostBudgets view={view} canEdit={roleCan(principal.role, "costs:write")} />
        <CostUnitCosts view={view} />
        <CostReconciliation reconciliation={view.reconciliation} />
        <CostAllocationNotes view={view} />
      </div>
    </>
  );
}
