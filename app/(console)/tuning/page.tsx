import type { Metadata } from "next";
import { InlineError } from "@/app/(console)/_components/inline-error";
import { Stat, StatRow } from "@/app/(console)/_components/stat";
import { formatDateTimeUtc, formatInteger, formatRelativeTime } from "@/app/(console)/_format/format";
import { NoRecommendationList } from "@/app/(console)/tuning/no-recommendation-list";
import { TuningTable } from "@/app/(console)/tuning/tuning-table";
import { formatMonthlyTotal } from "@/app/(console)/tuning/tuning-words";
import { getDeps } from "@/app/_server/deps";
import { getSessionPrincipal } from "@/app/_server/session";
import { roleCan } from "@/lib/domain/access/roles";
import { getTuningView } from "@/lib/queries/tuning-view";

export const metadata: Metadata = { title: "Tuning · Sightline" };

/**
 * What the analyzer recommends across the fleet, ranked by monthly saving per unit of risk:
 * the totals first (savings available, extra spend the fixes cost), then one row per
 * recommendation, then the functions with nothing to recommend and why.
 */
export default async function TuningPage() {
  const principal = await getSessionPrincipal();
  if (!principal || !roleCan(principal.role, "fleet:read")) {
    return <InlineError title="Not allowed" message={`Your role does not include the permission "fleet:read".`} />;
  }
  const nowMs = Date.now();
  const view = await getTuningView(getDeps());
  const others = view.functions.filter((f) => f.findings.length === 0);

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Tuning</h1>
          <p className="subtitle" data-testid="tuning-summary">
            {view.asOfMs === null
              ? "Not analysed yet"
              : `Memory, architecture and concurrency, sized from each function's history · analysed ${formatDateTimeUtc(view.asOfMs)} (${formatRelativeTime(view.asOfMs, nowMs)})`}
          </p>
        </div>
      </header>
      {view.asOfMs === null ? (
        <div className="empty-state" data-testid="tuning-empty">
          <h2>{view.functions.length === 0 ? "No functions collected yet — the first collection is running" : "The analyzer has not run yet"}</h2>
          <p>
            Sightline sizes each function&apos;s memory, architecture and provisioned and reserved concurrency from its collected history once the analyzer has
            run after collection. Recommendations, with what they save or cost and their risk, show here. Reload in a few minutes.
          </p>
        </div>
      ) : (
        <>
          <StatRow testId="tuning-totals">
            <Stat label="Recommendations" value={formatInteger(view.totals.recommendations)} dataValue={view.totals.recommendations} testId="tuning-total-count" />
            <Stat
              label="Savings available"
              value={formatMonthlyTotal(view.totals.monthlySavingUsd)}
              dataValue={view.totals.monthlySavingUsd.expected}
              title="What the recommendations that lower cost save together, per month: expected (range)"
              testId="tuning-total-saving"
            />
            <Stat
              label="Extra spend for fixes"
              value={formatMonthlyTotal(view.totals.monthlyExtraUsd)}
              dataValue={view.totals.monthlyExtraUsd.expected}
              title="What the recommendations that fix latency, cold starts or throttling cost on top, per month: expected (range)"
              testId="tuning-total-extra"
            />
            <Stat label="Functions analysed" value={`${formatInteger(view.functions.filter((f) => f.status === "analysed").length)} of ${formatInteger(view.functions.length)}`} />
          </StatRow>
          {view.ranked.length === 0 ? (
            <div className="empty-state" data-testid="tuning-none">
              <h2>Nothing to tune</h2>
              <p>No analysed function has a change worth making. The functions below say why.</p>
            </div>
          ) : (
            <TuningTable rows={view.ranked} />
          )}
          <NoRecommendationList rows={others} />
        </>
      )}
    </>
  );
}
