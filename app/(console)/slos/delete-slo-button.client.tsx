"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { readSloApiError } from "@/app/(console)/slos/slo-api-error";
import styles from "@/app/(console)/slos/slos.module.css";

type Step = { kind: "idle" } | { kind: "confirming" } | { kind: "deleting" } | { kind: "failed"; message: string };

/**
 * Deletes an SLO (DELETE /api/v1/slos/<id>) after a confirm step that says what goes with it;
 * then back to /slos. An SLO already gone counts as deleted.
 */
export function DeleteSloButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const [step, setStep] = useState<Step>({ kind: "idle" });

  async function remove(): Promise<void> {
    setStep({ kind: "deleting" });
    let response: Response;
    try {
      response = await fetch(`/api/v1/slos/${encodeURIComponent(id)}`, { method: "DELETE", headers: { accept: "application/json" } });
    } catch (error) {
      setStep({ kind: "failed", message: `Could not reach the server (${error instanceof Error ? error.message : String(error)}). Nothing was deleted.` });
      return;
    }
    if (response.ok || response.status === 404) {
      router.push("/slos");
      router.refresh();
      return;
    }
    const error = await readSloApiError(response);
    setStep({ kind: "failed", message: `Not deleted: ${error.message}.` });
  }

  if (step.kind === "idle") {
    return (
      <button type="button" className={`button ${styles.danger}`} onClick={() => setStep({ kind: "confirming" })} data-testid="slo-delete">
        Delete
      </button>
    );
  }
  return (
    <div className={styles.confirm} role="group" aria-label={`Delete ${name}`} data-testid="slo-delete-confirm">
      <p>
        Delete <strong>{name}</strong>? Its status, SLI history and alert history go with it; this cannot be undone.
      </p>
      {step.kind === "failed" ? (
        <p role="alert" className={styles.fieldError}>
          {step.message}
        </p>
      ) : null}
      <div className={styles.confirmButtons}>
        <button type="button" className={`button ${styles.dangerSolid}`} onClick={remove} disabled={step.kind === "deleting"} data-testid="slo-delete-confirm-button">
          {step.kind === "deleting" ? "Deleting…" : "Delete permanently"}
        </button>
        <button type="button" className="button" onClick={() => setStep({ kind: "idle" })} disabled={step.kind === "deleting"}>
          Cancel
        </button>
      </div>
    </div>
  );
}
