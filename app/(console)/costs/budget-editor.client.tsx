"use client";

import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import styles from "@/app/(console)/costs/costs.module.css";
import { DEFAULT_ALERT_AT_RATIOS, parseAlertAt, parseMonthlyUsd, withBudget, withoutBudget } from "@/lib/domain/cost/budget-input";
import type { CostSettings } from "@/lib/domain/cost/cost-types";

/** What the settings API said went wrong: `{ error: { message }, errors?: [{ path, message }] }`. */
async function describeFailure(response: Response): Promise<string> {
  if (response.status === 409) return "someone changed the cost settings since this page loaded: reload and try again";
  try {
    const body = (await response.json()) as { error?: { message?: string } };
    if (typeof body.error?.message === "string") return body.error.message;
  } catch {
    // Not the API's JSON: the status says enough.
  }
  return `the server answered ${response.status}`;
}

/**
 * Reads the stored settings with their version, changes them, and saves them conditionally
 * (If-Match), so two people editing at once cannot overwrite each other: the second is told.
 */
async function changeSettings(change: (settings: CostSettings) => CostSettings | null): Promise<{ ok: true } | { ok: false; message: string }> {
  let current: Response;
  try {
    current = await fetch("/api/v1/costs/settings", { headers: { accept: "application/json" } });
  } catch (error) {
    return { ok: false, message: `could not reach the server (${error instanceof Error ? error.message : String(error)}); nothing was saved` };
  }
  if (!current.ok) return { ok: false, message: await describeFailure(current) };
  const stored = (await current.json()) as { settings: CostSettings; version: number };
  const next = change(stored.settings);
  if (next === null) return { ok: true };
  let saved: Response;
  try {
    saved = await fetch("/api/v1/costs/settings", {
      method: "PUT",
      headers: { "content-type": "application/json", accept: "application/json", "if-match": `"${stored.version}"` },
      body: JSON.stringify(next),
    });
  } catch (error) {
    return { ok: false, message: `could not reach the server (${error instanceof Error ? error.message : String(error)}); nothing was saved` };
  }
  return saved.ok ? { ok: true } : { ok: false, message: await describeFailure(saved) };
}

type Status = { kind: "idle" } | { kind: "saving" } | { kind: "saved"; text: string } | { kind: "failed"; text: string };

/**
 * Sets or replaces the monthly budget of one bucket of the page's grouping (finance, admin):
 * the limit in USD (read exactly, "1,200.50" or "$1200"), and the shares of it that alert.
 * The same parsing and edits as `sightline cost budget set` (lib/domain/cost/budget-input.ts).
 */
export function BudgetEditor({ groupBy, buckets }: { groupBy: string; buckets: { id: string; label: string }[] }) {
  const router = useRouter();
  const [bucket, setBucket] = useState(buckets[0]?.id ?? "");
  const [monthly, setMonthly] = useState("");
  const [alertAt, setAlertAt] = useState(DEFAULT_ALERT_AT_RATIOS.map((r) => `${Math.round(r * 100)}%`).join(", "));
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const monthlyParsed = monthly === "" ? null : parseMonthlyUsd(monthly);
  const alertParsed = parseAlertAt(alertAt);

  async function save(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const limit = parseMonthlyUsd(monthly);
    if (limit.kind === "invalid" || alertParsed.kind === "invalid" || bucket === "") {
      setStatus({ kind: "failed", text: limit.kind === "invalid" ? `Monthly limit ${limit.reason}.` : alertParsed.kind === "invalid" ? `Alert at ${alertParsed.reason}.` : "Choose a bucket." });
      return;
    }
    setStatus({ kind: "saving" });
    const result = await changeSettings((settings) => withBudget(settings, { groupBy, bucket, monthlyMicroUsd: limit.value, alertAtRatios: alertParsed.value }).settings);
    if (!result.ok) {
      setStatus({ kind: "failed", text: `Not saved: ${result.message}.` });
      return;
    }
    setStatus({ kind: "saved", text: `Budget saved for ${buckets.find((b) => b.id === bucket)?.label ?? bucket}.` });
    setMonthly("");
    router.refresh();
  }

  return (
    <form className={styles.budgetForm} onSubmit={save} aria-label="Set a monthly budget" data-testid="budget-editor">
      <div className={styles.budgetField}>
        <label htmlFor="budget-bucket">Bucket</label>
        <select id="budget-bucket" value={bucket} onChange={(e) => setBucket(e.target.value)}>
          {buckets.map((b) => (
            <option key={b.id} value={b.id}>
              {b.label}
            </option>
          ))}
        </select>
      </div>
      <div className={styles.budgetField}>
        <label htmlFor="budget-monthly">Monthly limit (USD)</label>
        <input
          id="budget-monthly"
          type="text"
          inputMode="decimal"
          placeholder="1,200"
          value={monthly}
          onChange={(e) => setMonthly(e.target.value)}
          aria-invalid={monthlyParsed?.kind === "invalid"}
          aria-describedby={monthlyParsed?.kind === "invalid" ? "budget-monthly-error" : undefined}
        />
      </div>
      <div className={styles.budgetField}>
        <label htmlFor="budget-alert-at">Alert at</label>
        <input id="budget-alert-at" type="text" value={alertAt} onChange={(e) => setAlertAt(e.target.value)} aria-invalid={alertParsed.kind === "invalid"} />
      </div>
      <button type="submit" className="button button-primary" disabled={status.kind === "saving"}>
        {status.kind === "saving" ? "Saving…" : "Save budget"}
      </button>
      {monthlyParsed?.kind === "invalid" ? (
        <p id="budget-monthly-error" className={styles.budgetMessage} data-tone="error">
          Monthly limit {monthlyParsed.reason}.
        </p>
      ) : null}
      {status.kind === "saved" || status.kind === "failed" ? (
        <p className={styles.budgetMessage} data-tone={status.kind === "failed" ? "error" : "ok"} role={status.kind === "failed" ? "alert" : "status"} data-testid="budget-editor-status">
          {status.text}
        </p>
      ) : null}
    </form>
  );
}

/** Removes one bucket's budget of the grouping, after the settings are re-read (conditional save). */
export function RemoveBudgetButton({ groupBy, bucket, label }: { groupBy: string; bucket: string; label: string }) {
  const router = useRouter();
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  async function remove(): Promise<void> {
    setStatus({ kind: "saving" });
    const result = await changeSettings((settings) => withoutBudget(settings, groupBy, bucket));
    if (!result.ok) {
      setStatus({ kind: "failed", text: `Not removed: ${result.message}.` });
      return;
    }
    router.refresh();
  }
  return (
    <>
      <button type="button" className="button button-quiet" onClick={remove} disabled={status.kind === "saving"} aria-label={`Remove the budget of ${label}`} data-testid="budget-remove">
        {status.kind === "saving" ? "Removing…" : "Remove"}
      </button>
      {status.kind === "failed" ? (
        <span role="alert" className={styles.budgetMessage} data-tone="error">
          {status.text}
        </span>
      ) : null}
    </>
  );
}
