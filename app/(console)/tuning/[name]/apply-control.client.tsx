"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { readTuningApiError } from "@/app/(console)/tuning/[name]/tuning-api-error";
import styles from "@/app/(console)/tuning/tuning.module.css";
import { describeAuditEntry, describeChange, describeChangeSetting, describeChangeValue, describeLambdaCall } from "@/app/(console)/tuning/tuning-words";
import type { TuningAuditEntry, TuningChange } from "@/lib/domain/sizing/tuning-types";

export interface ApplyControlProps {
  recommendationId: string;
  functionName: string;
  /** What apply sets; null when no single Lambda call makes the change. */
  change: TuningChange | null;
  /** The setting now as the recommendation saw it: sent as `expectedBefore`, and what a rollback restores. */
  revert: TuningChange | null;
  notAppliableReason: string | null;
  /** Why the signed-in role may not apply, or null when it may. */
  deniedReason: string | null;
}

type Step =
  | { kind: "idle" }
  | { kind: "confirming" }
  | { kind: "applying" }
  | { kind: "done"; entry: TuningAuditEntry }
  | { kind: "failed"; message: string; conflict: boolean };

function isChange(value: unknown): value is TuningChange {
  const kind = typeof value === "object" && value !== null ? (value as { kind?: unknown }).kind : undefined;
  return kind === "memory" || kind === "provisioned-concurrency" || kind === "reserved-concurrency";
}

function isAuditEntry(value: unknown): value is TuningAuditEntry {
  return typeof value === "object" && value !== null && typeof (value as TuningAuditEntry).id === "string" && typeof (value as TuningAuditEntry).result === "string";
}

/**
 * Apply a recommendation: for roles with tuning:apply, a confirmation with the diff (setting
 * before → after, the Lambda call, the rollback value) and Confirm, which posts to
 * /api/v1/tuning/apply with the setting the recommendation saw as `expectedBefore` (a 409
 * when it changed since). Otherwise the button is disabled with the reason beside it.
 */
export function ApplyControl({ recommendationId, functionName, change, revert, notAppliableReason, deniedReason }: ApplyControlProps) {
  const router = useRouter();
  const [step, setStep] = useState<Step>({ kind: "idle" });
  const reason = change === null || revert === null ? (notAppliableReason ?? "No single Lambda call makes this change.") : deniedReason;

  if (reason !== null || change === null || revert === null) {
    return (
      <div className={styles.apply}>
        <div>
          <button type="button" className="button button-primary" disabled aria-describedby={`${recommendationId}-denied`} data-testid="apply-button">
            Apply
          </button>
        </div>
        <p id={`${recommendationId}-denied`} className={styles.reason} data-testid="apply-disabled-reason">
          {reason}
        </p>
      </div>
    );
  }

  async function apply(expectedBefore: TuningChange): Promise<void> {
    setStep({ kind: "applying" });
    let response: Response;
    try {
      response = await fetch("/api/v1/tuning/apply", {
        method: "POST",
        headers: { "Content-Type": "application/json", accept: "application/json" },
        body: JSON.stringify({ recommendationId, expectedBefore }),
      });
    } catch (error) {
      setStep({ kind: "failed", message: `Could not reach the server (${error instanceof Error ? error.message : String(error)}). Nothing was changed.`, conflict: false });
      return;
    }
    if (response.ok) {
      const body = (await response.json().catch(() => null)) as { entry?: unknown } | null;
      router.refresh();
      if (body && isAuditEntry(body.entry)) {
        setStep(
          body.entry.result === "succeeded"
            ? { kind: "done", entry: body.entry }
            : { kind: "failed", message: `Lambda refused the change: ${body.entry.error ?? "no reason given"}. The attempt is in the audit log.`, conflict: false },
        );
      } else {
        setStep({ kind: "failed", message: "Applied, but the server's answer had no audit entry: see the audit log below.", conflict: false });
      }
      return;
    }
    const error = await readTuningApiError(response);
    if (isAuditEntry(error.body.entry)) router.refresh();
    if (response.status === 409) {
      const current = isChange(error.body.current) ? ` It is now ${describeChange(error.body.current)}.` : "";
      setStep({ kind: "failed", message: `Not applied: ${error.message}.${current} Reload to see the setting as it is now.`, conflict: true });
    } else if (response.status === 403) {
      setStep({ kind: "failed", message: `Not applied: ${error.message}.`, conflict: false });
    } else if (response.status === 401) {
      setStep({ kind: "failed", message: "Your session has ended: sign in again. Nothing was changed.", conflict: false });
    } else {
      setStep({ kind: "failed", message: `Not applied: ${error.message}.`, conflict: false });
    }
  }

  const busy = step.kind === "applying";
  const confirming = step.kind === "confirming" || step.kind === "applying";
  return (
    <div className={styles.apply}>
      {!confirming ? (
        <div>
          <button type="button" className="button button-primary" onClick={() => setStep({ kind: "confirming" })} data-testid="apply-button">
            Apply…
          </button>
        </div>
      ) : (
        <div className={styles.confirm} role="group" aria-label={`Apply to ${functionName}`} data-testid="apply-confirmation">
          <p>
            Change <strong>{functionName}</strong> in AWS now? The change and who made it go to the audit log; it can be rolled back.
          </p>
          <table className={`${styles.smallTable} ${styles.diff}`} data-testid="apply-diff">
            <caption className="visually-hidden">What apply changes</caption>
            <tbody>
              <tr data-field="setting">
                <th scope="row">{describeChangeSetting(change)}</th>
                <td>
                  <span data-testid="apply-diff-before">{describeChangeValue(revert)}</span>
                  <span className={styles.arrow} aria-label="to">
                    →
                  </span>
                  <strong data-testid="apply-diff-after">{describeChangeValue(change)}</strong>
                </td>
              </tr>
              <tr data-field="call">
                <th scope="row">Lambda API call</th>
                <td className={styles.mono} data-testid="apply-diff-call">
                  {describeLambdaCall(change, functionName)}
                </td>
              </tr>
              <tr data-field="rollback">
                <th scope="row">Rollback restores</th>
                <td>
                  <span data-testid="apply-diff-rollback">{describeChangeValue(revert)}</span>
                  <span className={`${styles.mono} muted`}> {describeLambdaCall(revert, functionName)}</span>
                </td>
              </tr>
            </tbody>
          </table>
          <div className={styles.buttons}>
            <button type="button" className="button button-primary" onClick={() => apply(revert)} disabled={busy} data-testid="apply-confirm">
              {busy ? "Applying…" : "Confirm"}
            </button>
            <button type="button" className="button" onClick={() => setStep({ kind: "idle" })} disabled={busy}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {step.kind === "done" ? (
        <p className={styles.outcome} data-tone="ok" role="status" data-testid="apply-result" data-result={step.entry.result} data-audit-id={step.entry.id}>
          {describeAuditEntry(step.entry)}.
        </p>
      ) : null}
      {step.kind === "failed" ? (
        <div className={styles.outcome} data-tone="error" role="alert" data-testid="apply-error" data-conflict={step.conflict ? "true" : "false"}>
          {step.message}{" "}
          {step.conflict ? (
            <button type="button" className="button" onClick={() => router.refresh()}>
              Reload
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
