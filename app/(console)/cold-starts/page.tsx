import type { Metadata } from "next";
import { FreshnessBanner } from "@/app/(console)/_components/freshness-banner";
import { InlineError } from "@/app/(console)/_components/inline-error";
import { describeFreshness } from "@/app/(console)/_format/freshness";
import { formatDateTimeUtc, formatRangeLabel } from "@/app/(console)/_format/format";
import { RangePicker } from "@/app/(console)/_components/range-picker";
import { coldStartsPresetHref } from "@/app/(console)/cold-starts/cold-starts-href";
import { ColdStartRanking } from "@/app/(console)/cold-starts/cold-start-ranking";
import styles from "@/app/(console)/cold-starts/cold-starts.module.css";
import { FunctionColdStarts } from "@/app/(console)/cold-starts/function-cold-starts";
import { parseColdStartsParams } from "@/app/_server/cold-starts-params";
import { getDeps } from "@/app/_server/deps";
import type { SearchParams } from "@/app/_server/search-params";
import { getSessionPrincipal } from "@/app/_server/session";
import { roleCan } from "@/lib/domain/access/roles";
import type { FunctionRef } from "@/lib/domain/shared/ids";
import { getColdStartsView, getFunctionColdStarts, type FunctionColdStartsView } from "@/lib/queries/cold-starts-view";
import { lookupFunction } from "@/lib/queries/function-lookup";

export const metadata: Metadata = { title: "Cold starts · Sightline" };

/**
 * The fleet ranked by cold-start impact over the chosen range, and one function's cold starts
 * in depth below it: the one in the URL (`function`, `account`, `region`), else the top-ranked
 * function when it has cold starts.
 */
export default async function ColdStartsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const principal = await getSessionPrincipal();
  if (!principal || !roleCan(principal.role, "fleet:read")) {
    return <InlineError title="Not allowed" message={`Your role does not include the permission "fleet:read".`} />;
  }
  const nowMs = Date.now();
  const params = parseColdStartsParams(await searchParams, nowMs);
  if (!params.ok) {
    return (
      <>
        <h1>Cold starts</h1>
        <InlineError title="This address has an invalid parameter." message={params.error} resetHref="/cold-starts" />
      </>
    );
  }
  const { range, target } = params.value;
  const deps = getDeps();
  const view = await getColdStartsView(deps, { window: range.window, nowMs });

  let selected: FunctionRef | null = null;
  let selectionError: string | null = null;
  if (target !== null) {
    const lookup = await lookupFunction(deps.functions, target);
    if (lookup.kind === "found") selected = lookup.ref;
    else if (lookup.kind === "not-found") selectionError = `No function named "${target.functionName}" has been collected${target.accountId || target.region ? " in that account and region" : ""}.`;
    else selectionError = `"${target.functionName}" exists in ${lookup.choices.map((c) => `${c.accountId}/${c.region}`).join(", ")}: pick one from the table.`;
  } else if (view.rows[0] && view.rows[0].coldStarts > 0) {
    selected = view.rows[0];
  }
  const detail: FunctionColdStartsView | null = selected === null ? null : await getFunctionColdStarts(deps, { ref: selected, window: range.window, nowMs });
  const nothingCollected = view.rows.length === 0 || view.reportsCollectedThroughMs === null;

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Cold starts</h1>
          <p className="subtitle">
            {formatRangeLabel(range.label, range.window)}
            {view.reportsCollectedThroughMs !== null ? ` · REPORT lines through ${formatDateTimeUtc(view.reportsCollectedThroughMs)}` : ""}
          </p>
        </div>
        <RangePicker range={range} hrefFor={(preset) => coldStartsPresetHref(preset, selected)} />
      </header>
      {!nothingCollected || view.collection.lastError !== null ? <FreshnessBanner freshness={describeFreshness(view.collection, nowMs)} /> : null}
      {selectionError !== null ? <InlineError title="That function cannot be shown." message={selectionError} resetHref={`/cold-starts?range=${range.label === "custom" ? "24h" : range.label}`} /> : null}
      {nothingCollected ? (
        <div className="empty-state" data-testid="cold-starts-empty">
          <h2>{view.rows.length === 0 ? "No functions collected yet — the first collection is running" : "No REPORT lines collected yet"}</h2>
          <p>
            Cold starts come from the REPORT lines in each function&apos;s logs, which the logs-insights collector reads one settled hour at a time. Reload in a few
            minutes.
          </p>
        </div>
      ) : (
        <>
          <ColdStartRanking rows={view.rows} range={range} selected={selected} />
          {detail !== null ? (
            <div className={styles.detail}>
              <FunctionColdStarts view={detail} />
            </div>
          ) : null}
        </>
      )}
    </>
  );
}
