import section from "@/app/(console)/_components/section.module.css";
import type { Metadata } from "next";
import Link from "next/link";
import { InlineError } from "@/app/(console)/_components/inline-error";
import { AlertHistorySection } from "@/app/(console)/slos/[id]/alert-history-section";
import { BurnRateSection } from "@/app/(console)/slos/[id]/burn-rate-section";
import { BurndownSection } from "@/app/(console)/slos/[id]/burndown-section";
import { ContributorsSection } from "@/app/(console)/slos/[id]/contributors-section";
import { SliSection } from "@/app/(console)/slos/[id]/sli-section";
import { SloActions } from "@/app/(console)/slos/[id]/slo-actions";
import { SloHeader } from "@/app/(console)/slos/[id]/slo-header";
import { SloStats } from "@/app/(console)/slos/[id]/slo-stats";
import { formatProblem } from "@/app/(console)/slos/slo-words";
import { sloDetailHref } from "@/app/(console)/slos/slos-href";
import { getDeps } from "@/app/_server/deps";
import type { SearchParams } from "@/app/_server/search-params";
import { getSessionPrincipal } from "@/app/_server/session";
import { parseSloDetailParams } from "@/app/_server/slo-detail-params";
import { roleCan } from "@/lib/domain/access/roles";
import { SloIdSchema } from "@/lib/domain/slo/slo-definition";
import { getSloDetailView } from "@/lib/queries/slos-view";

interface PageProps {
  params: Promise<{ id: string }>;
  searchParams: Promise<SearchParams>;
}

export async function generateMetadata({ params }: PageProps): Promise<Metadata> {
  return { title: `${(await params).id} · SLOs · Sightline` };
}

function SloNotFound({ id }: { id: string }) {
  return (
    <>
      <h1>SLO not found</h1>
      <InlineError title="No such SLO" message={`No SLO has the id "${id}". It may have been deleted, or the address is mistyped.`} />
      <p>
        <Link href="/slos">All SLOs</Link>
      </p>
    </>
  );
}

/**
 * One SLO: where it stands (budget, burn, exhaustion), the budget burn-down and hourly SLI
 * over its period, the burn rate of each alert window pair, its alert history, and what
 * contributed bad events over the chosen range (`range` or `from`+`to`, default 24 h).
 */
export default async function SloDetailPage({ params, searchParams }: PageProps) {
  const principal = await getSessionPrincipal();
  if (!principal || !roleCan(principal.role, "fleet:read")) {
    return <InlineError title="Not allowed" message={`Your role does not include the permission "fleet:read".`} />;
  }
  const nowMs = Date.now();
  const { id } = await params;
  const parsedId = SloIdSchema.safeParse(id);
  if (!parsedId.success) return <SloNotFound id={id} />;
  const parsed = parseSloDetailParams(await searchParams, nowMs);
  if (!parsed.ok) {
    return (
      <>
        <h1>{id}</h1>
        <InlineError title="This address has an invalid parameter." message={parsed.error} resetHref={sloDetailHref(parsedId.data)} />
      </>
    );
  }
  const { range } = parsed.value;
  const view = await getSloDetailView(getDeps(), { id: parsedId.data, contributorsWindow: range.window });
  if (view === null) return <SloNotFound id={parsedId.data} />;

  const canWrite = roleCan(principal.role, "slos:write");
  return (
    <div data-testid="slo-detail" data-slo-id={view.row.id} data-level={view.row.level}>
      <SloHeader view={view} actions={<SloActions definition={view.definition} role={principal.role} canWrite={canWrite} />} />
      {view.row.stale ? (
        <div className="banner banner-warning" role="status" data-testid="slo-stale">
          <strong>Edited, re-evaluating.</strong> The figures below are of the previous version of this SLO until the evaluator runs after the next collection.
        </div>
      ) : null}
      {view.row.problem !== null ? (
        <div className="banner banner-warning" role="status" data-testid="slo-problem">
          <strong>No status.</strong> {formatProblem(view.row.problem)}
        </div>
      ) : null}
      <SloStats view={view} />
      <div className={section.sections}>
        <BurndownSection view={view} />
        <BurnRateSection view={view} />
        <AlertHistorySection view={view} nowMs={nowMs} />
        <SliSection view={view} />
        <ContributorsSection view={view} range={range} />
      </div>
    </div>
  );
}
