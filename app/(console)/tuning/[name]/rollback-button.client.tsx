"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { readTuningApiError } from "@/app/(console)/tuning/[name]/tuning-api-error";
import styles from "@/app/(console)/tuning/tuning.module.css";
import type { TuningAuditEntry } from "@/lib/domain/sizing/tuning-types";

type Step = { kind: "idle" } | { kind: "rolling-back" } | { kind: "failed"; message: string };

/**
 * Rolls back a succeeded apply (POST /api/v1/tuning/rollback), restoring the setting it
 * replaced (`restores` says which); the new audit entry shows after the refresh. Disabled with
 * the reason for roles without tuning:apply.
 */
export function RollbackButton({ auditId, restores, deniedReason }: { auditId: string; restores: string; deniedReason: string | null }) {
  const router = useRouter();
  const [step, setStep] = useState<Step>({ kind: "idle" });

  if (deniedReason !== null) {
    return (
      <span title={deniedReason}>
        <button type="button" className={`button ${styles.danger}`} disabled aria-label={`Roll back (${deniedReason})`} data-testid="rollback-button">
          Roll back
        </button>
      </span>
    );
  }

  async function rollback(): Promise<void> {
    setStep({ kind: "rolling-back" });
    let response: Response;
    try {
      response = await fetch("/api/v1/tuning/rollback", {
        method: "POST",
        headers: { "Content-Type": "application/json", accept: "application/json" },
        body: JSON.stringify({ auditId }),
      });
    } catch (error) {
      setStep({ kind: "failed", message: `Could not reach the server (${error instanceof Error ? error.message : String(error)}). Nothing was changed.` });
      return;
    }
    if (response.ok) {
      const body = (await response.json().catch(() => null)) as { entry?: TuningAuditEntry } | null;
      router.refresh();
      setStep(body?.entry?.result === "failed" ? { kind: "failed", message: `Lambda refused the rollback: ${body.entry.error ?? "no reason given"}.` } : { kind: "idle" });
      return;
    }
    const error = await readTuningApiError(response);
    router.refresh();
    setStep({ kind: "failed", message: response.status === 401 ? "Your session has ended: sign in again." : `Not rolled back: ${error.message}.` });
  }

  return (
    <span>
      <button
        type="button"
        className={`button ${styles.danger}`}
        onClick={rollback}
        disabled={step.kind === "rolling-back"}
        title={`Restore ${restores}`}
        data-testid="rollback-button"
      >
        {step.kind === "rolling-back" ? "Rolling back…" : "Roll back"}
      </button>
      {step.kind === "failed" ? (
        <span className={styles.reason} role="alert" data-testid="rollback-error">
          {" "}
          {step.message}
        </span>
      ) : null}
    </span>
  );
}
