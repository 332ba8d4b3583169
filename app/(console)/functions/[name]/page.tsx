import section from "@/app/(console)/_components/section.module.css";
import type { Metadata } from "next";
import Link from "next/link";
import { FreshnessBanner } from "@/app/(console)/_components/freshness-banner";
import { InlineError } from "@/app/(console)/_components/inline-error";
import { describeFreshness } from "@/app/(console)/_format/freshness";
import { formatRangeLabel } from "@/app/(console)/_format/format";
import { FunctionColdStarts } from "@/app/(console)/cold-starts/function-cold-starts";
import { ColdStartsUnavailable } from "@/app/(console)/functions/[name]/cold-starts-unavailable";
import { ConcurrencySection } from "@/app/(console)/functions/[name]/concurrency-section";
import { ConfigSection } from "@/app/(console)/functions/[name]/config-section";
import { CostSection } from "@/app/(console)/functions/[name]/cost-section";
import { RangePicker } from "@/app/(console)/_components/range-picker";
import { functionDetailHref } from "@/app/(console)/_format/links";
import { FunctionAmbiguous, FunctionNotFound } from "@/app/(console)/functions/[name]/function-choices";
import styles from "@/app/(console)/functions/[name]/function-detail.module.css";
import { MemorySection } from "@/app/(console)/functions/[name]/memory-section";
import { MetricsSection } from "@/app/(console)/functions/[name]/metrics-section";
import { PcSection } from "@/app/(console)/functions/[name]/pc-section";
import { RecommendationsSection } from "@/app/(console)/functions/[name]/recommendations-section";
import { functionTuningHref } from "@/app/(console)/tuning/tuning-href";
import { getDeps } from "@/app/_server/deps";
import { parseFunctionDetailParams } from "@/app/_server/function-detail-params";
import type { SearchParams } from "@/app/_server/search-params";
import { getSessionPrincipal } from "@/app/_server/session";
import { roleCan } from "@/lib/domain/access/roles";
import { getFunctionDetailView } from "@/lib/queries/function-detail-view";

interface PageProps {
  params: Promise<{ name: string }>;
  searchParams: Promise<SearchParams>;
}

export async function generateMetadata({ params }: PageProps): Promise<Metadata> {
  return { title: `${(await params).name} · Functions · Sightline` };
}

/** One function: configuration, traffic, concurrency, provisioned concurrency, memory, cold starts, cost and what the analyzer found. */
export default async function FunctionDetailPage({ params, searchParams }: PageProps) {
  const principal = await getSessionPrincipal();
  if (!principal || !roleCan(principal.role, "fleet:read")) {
    return <InlineError title="Not allowed" message={`Your role does not include the permission "fleet:read".`} />;
  }
  const nowMs = Date.now();
  const { name } = await params;
  const parsed = parseFunctionDetailParams(name, await searchParams, nowMs);
  if (!parsed.ok) {
    return (
      <>
        <h1>{name}</h1>
        <InlineError
          title="This address has an invalid parameter."
          message={parsed.error}
          resetHref={parsed.error.startsWith("name:") ? "/functions" : `/functions/${encodeURIComponent(name)}`}
        />
      </>
    );
  }
  const { range, accountId, regionId } = parsed.value;
  const result = await getFunctionDetailView(getDeps(), { name: parsed.value.name, accountId, regionId, window: range.window, nowMs });
  if (result.kind === "ambiguous") return <FunctionAmbiguous functionName={result.functionName} choices={result.choices} range={range} />;
  if (result.kind === "not-found") {
    const scope = [result.accountId ? `account ${result.accountId}` : null, result.regionId ? `region ${result.regionId}` : null].filter((s) => s !== null).join(", ");
    return <FunctionNotFound functionName={result.functionName} scope={scope || null} elsewhere={result.elsewhere} range={range} />;
  }

  const view = result.view;
  const target = { functionName: view.ref.functionName, accountId: view.ref.accountId, region: view.ref.region };
  return (
    <div data-testid="function-detail" data-function-name={view.ref.functionName}>
      <header className="page-header">
        <div>
          <p className={styles.breadcrumb}>
            <Link href={`/functions?range=${range.label === "custom" ? "24h" : range.label}`}>Functions</Link> /
          </p>
          <h1>{view.ref.functionName}</h1>
          <p className="subtitle">
            Account {view.ref.accountId} · {view.ref.region} · {formatRangeLabel(range.label, range.window)}
          </p>
        </div>
        <div className={styles.headerActions}>
          <Link href={functionTuningHref(target)} className="button" data-testid="function-tuning-link">
            Tuning
          </Link>
          <RangePicker range={range} hrefFor={(preset) => functionDetailHref(target, preset)} />
        </div>
      </header>
      <FreshnessBanner freshness={describeFreshness(view.collection, nowMs)} />
      <div className={section.sections}>
        <ConfigSection rows={view.configuration.rows} functionArn={view.functionArn} nowMs={nowMs} />
        <MetricsSection view={view} />
        <ConcurrencySection view={view} />
        <PcSection view={view} />
        <MemorySection view={view} />
        {view.coldStarts !== null ? (
          <div className={section.wide}>
            <FunctionColdStarts view={view.coldStarts} />
          </div>
        ) : (
          <ColdStartsUnavailable />
        )}
        <CostSection view={view} />
        <RecommendationsSection view={view} nowMs={nowMs} />
      </div>
    </div>
  );
}
