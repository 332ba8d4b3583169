import type { Metadata } from "next";
import { FreshnessBanner } from "@/app/(console)/_components/freshness-banner";
import { InlineError } from "@/app/(console)/_components/inline-error";
import { describeFreshness } from "@/app/(console)/_format/freshness";
import { formatRangeLabel } from "@/app/(console)/_format/format";
import { FunctionsTable } from "@/app/(console)/functions/functions-table";
import { RangePicker } from "@/app/(console)/_components/range-picker";
import { rangeHref } from "@/app/(console)/functions/functions-href";
import { getDeps } from "@/app/_server/deps";
import { type SearchParams } from "@/app/_server/search-params";
import { parseFunctionsParams } from "@/app/_server/functions-params";
import { getSessionPrincipal } from "@/app/_server/session";
import { roleCan } from "@/lib/domain/access/roles";
import { getFunctionsView } from "@/lib/queries/functions-view";

export const metadata: Metadata = { title: "Functions · Sightline" };

/** The fleet table: every function with its traffic, errors and latency over the chosen range. */
export default async function FunctionsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const principal = await getSessionPrincipal();
  if (!principal || !roleCan(principal.role, "fleet:read")) {
    return <InlineError title="Not allowed" message={`Your role does not include the permission "fleet:read".`} />;
  }
  const nowMs = Date.now();
  const params = parseFunctionsParams(await searchParams, nowMs);
  if (!params.ok) {
    return (
      <>
        <h1>Functions</h1>
        <InlineError title="This address has an invalid parameter." message={params.error} resetHref="/functions" />
      </>
    );
  }
  const { range, sort } = params.value;
  const view = await getFunctionsView(getDeps(), { window: range.window, sort, nowMs });
  return (
    <>
      <header className="page-header">
        <div>
          <h1>Functions</h1>
          <p className="subtitle">{formatRangeLabel(range.label, range.window)}</p>
        </div>
        <RangePicker range={range} hrefFor={(preset) => rangeHref(preset, sort)} />
      </header>
      {/* With nothing stored yet the empty state says it all, unless collection is failing. */}
      {view.rows.length > 0 || view.collection.lastError !== null ? (
        <FreshnessBanner freshness={describeFreshness(view.collection, nowMs)} />
      ) : null}
      {view.rows.length === 0 ? (
        <div className="empty-state" data-testid="empty-state">
          <h2>No functions collected yet — the first collection is running</h2>
          <p>Functions appear here as soon as the inventory collector has listed them. Reload in a minute.</p>
        </div>
      ) : (
        <FunctionsTable rows={view.rows} range={range} sort={sort} />
      )}
    </>
  );
}
