import section from "@/app/(console)/_components/section.module.css";
import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { InlineError } from "@/app/(console)/_components/inline-error";
import { SectionCard } from "@/app/(console)/_components/section-card";
import { functionDetailHref } from "@/app/(console)/_format/links";
import { FunctionChoiceLinks } from "@/app/(console)/functions/[name]/function-choices";
import { AuditSection } from "@/app/(console)/tuning/[name]/audit-section";
import { AnalysisCard, ConfigCard } from "@/app/(console)/tuning/[name]/config-card";
import { RecommendationCard } from "@/app/(console)/tuning/[name]/recommendation-card";
import { WhatIfProvider } from "@/app/(console)/tuning/[name]/whatif-context.client";
import { currentWhatIfValues, proposalWhatIfPrefill, type WhatIfPrefill } from "@/app/(console)/tuning/[name]/whatif-model";
import { WhatIfPanel } from "@/app/(console)/tuning/[name]/whatif-panel.client";
import { describeNoApplyReason } from "@/app/(console)/tuning/tuning-access";
import { TUNING_HREF, functionTuningHref } from "@/app/(console)/tuning/tuning-href";
import styles from "@/app/(console)/tuning/tuning.module.css";
import { getDeps } from "@/app/_server/deps";
import { parseFunctionDetailParams } from "@/app/_server/function-detail-params";
import type { SearchParams } from "@/app/_server/search-params";
import { getSessionPrincipal } from "@/app/_server/session";
import { roleCan } from "@/lib/domain/access/roles";
import type { FunctionChoice } from "@/lib/queries/function-lookup";
import { getFunctionTuningView, type FunctionTuningView } from "@/lib/queries/tuning-view";

interface PageProps {
  params: Promise<{ name: string }>;
  searchParams: Promise<SearchParams>;
}

export async function generateMetadata({ params }: PageProps): Promise<Metadata> {
  return { title: `${(await params).name} · Tuning · Sightline` };
}

function Choices({ choices }: { choices: FunctionChoice[] }) {
  return <FunctionChoiceLinks choices={choices} hrefOf={(c) => functionTuningHref({ functionName: c.functionName, accountId: c.accountId, region: c.region })} />;
}

/** The view, or why there is none: the name is in several accounts/regions, or nowhere asked. */
async function loadView(ref: { functionName: string; accountId?: string; region?: string }): Promise<{ kind: "found"; view: FunctionTuningView } | { kind: "missing"; content: ReactNode }> {
  const result = await getFunctionTuningView(getDeps(), ref);
  if (result.kind === "found") return result;
  if (result.kind === "ambiguous") {
    return {
      kind: "missing",
      content: (
        <div className="empty-state" data-testid="function-ambiguous">
          <h1>{result.functionName}</h1>
          <p>A function of this name exists in {result.choices.length} accounts or regions. Which one?</p>
          <Choices choices={result.choices} />
        </div>
      ),
    };
  }
  const scope = [result.accountId ? `account ${result.accountId}` : null, result.region ? `region ${result.region}` : null].filter((s) => s !== null).join(", ");
  return {
    kind: "missing",
    content: (
      <div className="empty-state" data-testid="function-not-found">
        <h1>Function not found</h1>
        <p>
          No function named <code>{result.functionName}</code>
          {scope ? ` in ${scope}` : ""} has been collected.
        </p>
        {result.elsewhere.length > 0 ? (
          <>
            <p>A function of this name exists elsewhere:</p>
            <Choices choices={result.elsewhere} />
          </>
        ) : null}
        <p>
          <Link href={TUNING_HREF}>Back to Tuning</Link>
        </p>
      </div>
    ),
  };
}

/**
 * One function's tuning: its settings now, each recommendation with its cost, effects,
 * evidence and an Apply (audited, for roles with tuning:apply), a what-if that replays the
 * recent history under any candidate, and the audit log with rollback.
 * `account` and `region` narrow the name as on the function page.
 */
export default async function FunctionTuningPage({ params, searchParams }: PageProps) {
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
        <InlineError title="This address has an invalid parameter." message={parsed.error} resetHref={parsed.error.startsWith("name:") ? TUNING_HREF : `/tuning/${encodeURIComponent(name)}`} />
      </>
    );
  }
  const { accountId, regionId } = parsed.value;
  const loaded = await loadView({
    functionName: parsed.value.name,
    ...(accountId !== undefined ? { accountId } : {}),
    ...(regionId !== undefined ? { region: regionId } : {}),
  });
  if (loaded.kind === "missing") return loaded.content;

  const view = loaded.view;
  const target = { functionName: view.functionName, accountId: view.accountId, region: view.region };
  const deniedReason = roleCan(principal.role, "tuning:apply") ? null : describeNoApplyReason(principal.role);
  const currentValues = currentWhatIfValues({
    memoryMb: view.config.memoryMb,
    architecture: view.config.architecture,
    reservedConcurrency: view.config.reservedConcurrency,
    provisionedConcurrency: view.config.provisionedConcurrency,
  });
  const initial: WhatIfPrefill = { values: currentValues, source: "the function's current settings", note: null };
  const recommendations = view.tuning?.status === "analysed" ? view.tuning.recommendations : [];

  return (
    <WhatIfProvider initial={initial}>
      <div data-testid="function-tuning" data-function-name={view.functionName}>
        <header className="page-header">
          <div>
            <p className={styles.breadcrumb}>
              <Link href={TUNING_HREF}>Tuning</Link> /
            </p>
            <h1>{view.functionName}</h1>
            <p className="subtitle">
              Account {view.accountId} · {view.region}
            </p>
          </div>
          <div className={styles.headerLinks}>
            <Link href={functionDetailHref(target)} data-testid="function-page-link">
              Function page
            </Link>
          </div>
        </header>
        <div className={section.sections}>
          <ConfigCard config={view.config} />
          <AnalysisCard tuning={view.tuning} nowMs={nowMs} />
          {recommendations.map((rec) => (
            <RecommendationCard key={rec.id} recommendation={rec} prefill={proposalWhatIfPrefill(rec, currentValues)} deniedReason={deniedReason} />
          ))}
          <SectionCard testId="tuning-whatif" title="What-if" wide aside={<span className="muted">Replays the recent history under a candidate configuration</span>}>
            <WhatIfPanel target={target} />
          </SectionCard>
          <AuditSection entries={view.audit} nowMs={nowMs} deniedReason={deniedReason} />
        </div>
      </div>
    </WhatIfProvider>
  );
}
