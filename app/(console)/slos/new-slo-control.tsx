import { NoEditControl } from "@/app/(console)/slos/no-edit-control";
import { SloForm } from "@/app/(console)/slos/slo-form.client";
import { newSloFormValues } from "@/app/(console)/slos/slo-form-model";
import { describeNoEditReason } from "@/app/(console)/slos/slo-words";
import styles from "@/app/(console)/slos/slos.module.css";
import type { Role } from "@/lib/domain/access/roles";

/**
 * "New SLO": for a role with slos:write a disclosure opening the editor under it; for others
 * the button disabled with the reason beside it.
 */
export function NewSloControl({ role, canWrite, scope }: { role: Role; canWrite: boolean; scope: { accountId: string; region: string } | null }) {
  if (!canWrite) {
    return <NoEditControl id="new-slo-denied" reason={describeNoEditReason(role)} buttons={[{ label: "New SLO", primary: true, testId: "new-slo" }]} />;
  }
  return (
    <details className={styles.disclosure} data-testid="new-slo-disclosure">
      <summary className="button button-primary" data-testid="new-slo">
        New SLO
      </summary>
      <div className={styles.panel}>
        <SloForm mode="new" initial={newSloFormValues(scope)} version={null} />
      </div>
    </details>
  );
}
