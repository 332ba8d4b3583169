import { SLO_EXPORT_HREF } from "@/app/(console)/slos/slos-href";

/** No SLO defined yet: how to add one, from the console or from OpenSLO YAML. */
export function SlosEmpty({ canWrite }: { canWrite: boolean }) {
  return (
    <div className="empty-state" data-testid="slos-empty">
      <h2>No SLOs yet</h2>
      <p>
        {canWrite ? "Add one with New SLO above, " : "Someone whose role may edit SLOs can add one with New SLO above, "}
        or import OpenSLO v1 YAML with <code>npx sightline slo import file.yaml</code>. Each SLO is evaluated after every collection: budget, burn rates and
        alerts show here.
      </p>
      <p>
        All SLOs export as OpenSLO YAML from <a href={SLO_EXPORT_HREF}>{SLO_EXPORT_HREF}</a>, ready to keep in git and import again.
      </p>
    </div>
  );
}
