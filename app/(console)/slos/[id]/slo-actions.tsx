import { DeleteSloButton } from "@/app/(console)/slos/delete-slo-button.client";
import { NoEditControl } from "@/app/(console)/slos/no-edit-control";
import { SloForm } from "@/app/(console)/slos/slo-form.client";
import { sloFormValuesOf } from "@/app/(console)/slos/slo-form-model";
import { describeNoEditReason } from "@/app/(console)/slos/slo-words";
import styles from "@/app/(console)/slos/slos.module.css";
import type { Role } from "@/lib/domain/access/roles";
import type { SloDefinition } from "@/lib/domain/slo/slo-definition";

/**
 * Edit and Delete for a role with slos:write (the editor opens under Edit, with the version it
 * was read at); for others both disabled with the reason beside them.
 */
export function SloActions({ definition, role, canWrite }: { definition: SloDefinition; role: Role; canWrite: boolean }) {
  if (!canWrite) {
    return (
      <NoEditControl
        id="slo-edit-denied"
        reason={describeNoEditReason(role)}
        buttons={[
          { label: "Edit", testId: "slo-edit" },
          { label: "Delete", testId: "slo-delete" },
        ]}
      />
    );
  }
  return (
    <div className={styles.actions}>
      <details className={styles.disclosure} data-testid="slo-edit-disclosure">
        <summary className="button" data-testid="slo-edit">
          Edit
        </summary>
        <div className={styles.panel}>
          {/* Keyed by version: after a save the editor starts again from what was stored. */}
          <SloForm key={definition.version} mode="edit" initial={sloFormValuesOf(definition)} version={definition.version} />
        </div>
      </details>
      <DeleteSloButton id={definition.id} name={definition.name} />
    </div>
  );
}
