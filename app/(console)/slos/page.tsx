import type { Metadata } from "next";
import { InlineError } from "@/app/(console)/_components/inline-error";
import { NewSloControl } from "@/app/(console)/slos/new-slo-control";
import { SloTable } from "@/app/(console)/slos/slo-table";
import { describeSloCounts } from "@/app/(console)/slos/slo-words";
import { SLO_EXPORT_HREF } from "@/app/(console)/slos/slos-href";
import { SlosEmpty } from "@/app/(console)/slos/slos-empty";
import styles from "@/app/(console)/slos/slos.module.css";
import { getDeps } from "@/app/_server/deps";
import { getSessionPrincipal } from "@/app/_server/session";
import { sloImportDefaults } from "@/app/_server/slo-api";
import { roleCan } from "@/lib/domain/access/roles";
import { getSlosView } from "@/lib/queries/slos-view";

export const metadata: Metadata = { title: "SLOs · Sightline" };

/**
 * Every SLO with its latest evaluation, most at risk first: level, budget, burn and the alert
 * window pairs. Roles with slos:write create SLOs here; the editor starts in the account and
 * region an import would default to.
 */
export default async function SlosPage() {
  const principal = await getSessionPrincipal();
  if (!principal || !roleCan(principal.role, "fleet:read")) {
    return <InlineError title="Not allowed" message={`Your role does not include the permission "fleet:read".`} />;
  }
  const canWrite = roleCan(principal.role, "slos:write");
  const [view, scope] = await Promise.all([getSlosView(getDeps()), canWrite ? sloImportDefaults() : Promise.resolve(null)]);

  return (
    <>
      <header className="page-header">
        <div>
          <h1>SLOs</h1>
          <p className="subtitle" data-testid="slo-summary">
            {describeSloCounts(view.counts, view.throughMs)}
          </p>
        </div>
        <div className={styles.actions}>
          {view.rows.length > 0 ? (
            <a href={SLO_EXPORT_HREF} className={styles.exportLink} data-testid="slo-export">
              Export OpenSLO YAML
            </a>
          ) : null}
          <NewSloControl role={principal.role} canWrite={canWrite} scope={scope} />
        </div>
      </header>
      {view.rows.length === 0 ? <SlosEmpty canWrite={canWrite} /> : <SloTable rows={view.rows} />}
    </>
  );
}
