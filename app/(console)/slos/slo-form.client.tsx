"use client";

import { useId, useRef, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { readSloApiError } from "@/app/(console)/slos/slo-api-error";
import { FieldErrorText, FormField, fieldInputProps } from "@/app/(console)/slos/slo-form-field";
import {
  INDICATOR_CHOICES,
  PERCENTILE_CHOICES,
  WINDOW_CHOICES,
  groupFieldErrors,
  isLatencyChoice,
  toSloSpecBody,
  type FieldError,
  type IndicatorChoice,
  type LatencyPercentile,
  type SloFormField,
  type SloFormValues,
} from "@/app/(console)/slos/slo-form-model";
import { sloDetailHref } from "@/app/(console)/slos/slos-href";
import styles from "@/app/(console)/slos/slos.module.css";

export interface SloFormProps {
  mode: "new" | "edit";
  initial: SloFormValues;
  /** The version an edit was read at, sent as `version` so a concurrent save is a 409; null for a new SLO. */
  version: number | null;
}

type Outcome =
  | { kind: "idle" }
  | { kind: "saving" }
  | { kind: "failed"; message: string; elsewhere: FieldError[]; conflict: boolean };

/** Closes the <details> the form sits in (New SLO / Edit), if any. */
function closeDisclosure(form: HTMLFormElement | null): void {
  form?.closest("details")?.removeAttribute("open");
}

/**
 * The SLO editor, for a new SLO (POST /api/v1/slos) and for an edit (PUT /api/v1/slos/<id>
 * with the version it was read at). Obvious mistakes are marked before sending; the server
 * validates again and its field errors are marked beside the fields they name. On success it
 * goes to the SLO's page with fresh data.
 */
export function SloForm({ mode, initial, version }: SloFormProps) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const idPrefix = useId();
  const [values, setValues] = useState<SloFormValues>(initial);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<SloFormField, string>>>({});
  const [outcome, setOutcome] = useState<Outcome>({ kind: "idle" });

  const idOf = (field: string) => `${idPrefix}-${field.replace(/\./g, "-")}`;
  const set = <K extends keyof SloFormValues>(key: K, value: SloFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const input = (field: SloFormField, hasHint = false) => fieldInputProps(idOf(field), fieldErrors[field], hasHint);

  function fail(message: string, errors: readonly FieldError[], conflict = false): void {
    const grouped = groupFieldErrors(errors);
    setFieldErrors(grouped.byField);
    setOutcome({ kind: "failed", message, elsewhere: grouped.elsewhere, conflict });
  }

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const body = toSloSpecBody(values, mode);
    if (!body.ok) {
      fail("Check the marked fields.", body.errors);
      return;
    }
    setOutcome({ kind: "saving" });
    const url = mode === "new" ? "/api/v1/slos" : `/api/v1/slos/${encodeURIComponent(body.spec.id)}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: mode === "new" ? "POST" : "PUT",
        headers: { "Content-Type": "application/json", accept: "application/json" },
        body: JSON.stringify(mode === "new" ? body.spec : { ...body.spec, version }),
      });
    } catch (error) {
      fail(`Could not reach the server (${error instanceof Error ? error.message : String(error)}). Nothing was saved; try again.`, []);
      return;
    }
    if (response.ok) {
      setFieldErrors({});
      setOutcome({ kind: "idle" });
      closeDisclosure(formRef.current);
      router.push(sloDetailHref(body.spec.id));
      router.refresh();
      return;
    }
    const error = await readSloApiError(response);
    if (response.status === 409 && mode === "edit") {
      fail(`Someone else saved this SLO since you opened it (${error.message}). Reload to see their version, then make your change again.`, error.errors, true);
    } else if (response.status === 409) {
      fail(`The server did not create the SLO: ${error.message}.`, [{ path: "id", message: "an SLO with this id exists already; choose another id" }, ...error.errors]);
    } else if (response.status === 400) {
      fail(`The server did not accept the SLO: ${error.message}.`, error.errors);
    } else if (response.status === 401) {
      fail("Your session has ended: sign in again, then save. Nothing was saved.", []);
    } else {
      fail(`Nothing was saved: ${error.message}.`, error.errors);
    }
  }

  function cancel(): void {
    setValues(initial);
    setFieldErrors({});
    setOutcome({ kind: "idle" });
    closeDisclosure(formRef.current);
  }

  const titleId = `${idPrefix}-title`;
  const latency = isLatencyChoice(values.indicator);
  const saving = outcome.kind === "saving";
  return (
    <form ref={formRef} className={styles.form} onSubmit={submit} noValidate aria-labelledby={titleId} data-testid="slo-form" data-mode={mode}>
      <h2 id={titleId} className={styles.formTitle}>
        {mode === "new" ? "New SLO" : `Edit ${initial.name}`}
      </h2>
      {outcome.kind === "failed" ? (
        <div className="banner banner-error" role="alert" data-testid="slo-form-error" data-conflict={outcome.conflict ? "true" : "false"}>
          <p className={styles.formMessage}>{outcome.message}</p>
          {outcome.elsewhere.length > 0 ? (
            <ul className={styles.formMessage}>
              {outcome.elsewhere.map((e) => (
                <li key={`${e.path}-${e.message}`}>
                  <code>{e.path}</code>: {e.message}
                </li>
              ))}
            </ul>
          ) : null}
          {outcome.conflict ? (
            <button type="button" className="button" onClick={() => window.location.reload()}>
              Reload
            </button>
          ) : null}
        </div>
      ) : null}

      <div className={styles.formGrid}>
        {mode === "new" ? (
          <FormField id={idOf("id")} field="id" label="Id" hint="Lower-case letters, digits and hyphens; part of the SLO's address, cannot change later." error={fieldErrors.id}>
            <input type="text" {...input("id", true)} value={values.id} onChange={(e) => set("id", e.target.value)} required autoComplete="off" spellCheck={false} />
          </FormField>
        ) : (
          <div className={styles.field}>
            <span className={styles.fieldLabel}>Id</span>
            <code>{values.id}</code>
          </div>
        )}
        <FormField id={idOf("name")} field="name" label="Name" error={fieldErrors.name}>
          <input type="text" {...input("name")} value={values.name} onChange={(e) => set("name", e.target.value)} required autoComplete="off" />
        </FormField>
        <FormField id={idOf("service")} field="service" label="Service" hint="What it belongs to, for grouping and notifications." error={fieldErrors.service}>
          <input type="text" {...input("service", true)} value={values.service} onChange={(e) => set("service", e.target.value)} required autoComplete="off" />
        </FormField>
        <FormField id={idOf("description")} field="description" label="Description" error={fieldErrors.description}>
          <textarea {...input("description")} value={values.description} onChange={(e) => set("description", e.target.value)} rows={2} />
        </FormField>
        <FormField id={idOf("accountId")} field="accountId" label="AWS account id" error={fieldErrors.accountId}>
          <input type="text" {...input("accountId")} value={values.accountId} onChange={(e) => set("accountId", e.target.value)} inputMode="numeric" required autoComplete="off" placeholder="123456789012" />
        </FormField>
        <FormField id={idOf("region")} field="region" label="Region" error={fieldErrors.region}>
          <input type="text" {...input("region")} value={values.region} onChange={(e) => set("region", e.target.value)} required autoComplete="off" placeholder="us-east-1" />
        </FormField>

        <fieldset className={styles.fieldset} aria-describedby={fieldErrors.target ? `${idOf("target")}-error` : undefined}>
          <legend>Target</legend>
          <div className={styles.inline} role="radiogroup" aria-label="Target kind">
            <label className={styles.checkbox}>
              <input type="radio" name={`${idPrefix}-target`} checked={values.targetKind === "function"} onChange={() => set("targetKind", "function")} /> One function
            </label>
            <label className={styles.checkbox}>
              <input type="radio" name={`${idPrefix}-target`} checked={values.targetKind === "service"} onChange={() => set("targetKind", "service")} /> Every function with a service tag
            </label>
          </div>
          <FieldErrorText id={`${idOf("target")}-error`} field="target" error={fieldErrors.target} />
          {values.targetKind === "function" ? (
            <FormField id={idOf("target.functionName")} field="target.functionName" label="Function name" error={fieldErrors["target.functionName"]}>
              <input type="text" {...input("target.functionName")} value={values.functionName} onChange={(e) => set("functionName", e.target.value)} required autoComplete="off" spellCheck={false} />
            </FormField>
          ) : (
            <FormField id={idOf("target.service")} field="target.service" label="Service tag value" hint="Their events add up into one SLI." error={fieldErrors["target.service"]}>
              <input type="text" {...input("target.service", true)} value={values.targetService} onChange={(e) => set("targetService", e.target.value)} required autoComplete="off" />
            </FormField>
          )}
        </fieldset>

        <fieldset className={styles.fieldset}>
          <legend>Indicator</legend>
          <FormField id={idOf("indicator")} field="indicator" label="What a good event is" error={fieldErrors.indicator}>
            <select {...input("indicator")} value={values.indicator} onChange={(e) => set("indicator", e.target.value as IndicatorChoice)}>
              {INDICATOR_CHOICES.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          </FormField>
          {latency ? (
            <div className={styles.inline}>
              {values.indicator === "latency-period" ? (
                <FormField id={idOf("indicator.percentile")} field="indicator.percentile" label="Percentile" error={fieldErrors["indicator.percentile"]}>
                  <select {...input("indicator.percentile")} value={values.percentile} onChange={(e) => set("percentile", e.target.value as LatencyPercentile)}>
                    {PERCENTILE_CHOICES.map((p) => (
                      <option key={p} value={p}>
                        {p}
                      </option>
                    ))}
                  </select>
                </FormField>
              ) : null}
              <FormField id={idOf("indicator.thresholdMs")} field="indicator.thresholdMs" label="Threshold (ms)" error={fieldErrors["indicator.thresholdMs"]}>
                <input type="text" {...input("indicator.thresholdMs")} value={values.thresholdMs} onChange={(e) => set("thresholdMs", e.target.value)} inputMode="decimal" required autoComplete="off" />
              </FormField>
            </div>
          ) : null}
        </fieldset>

        <FormField id={idOf("objective")} field="objective" label="Objective (%)" hint="The share of good events, e.g. 99.9." error={fieldErrors.objective}>
          <input type="text" {...input("objective", true)} value={values.objectivePercent} onChange={(e) => set("objectivePercent", e.target.value)} inputMode="decimal" required autoComplete="off" />
        </FormField>
        <FormField id={idOf("window")} field="window" label="Window" error={fieldErrors.window}>
          <select {...input("window")} value={values.window} onChange={(e) => set("window", e.target.value)}>
            {WINDOW_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </FormField>

        <fieldset className={`${styles.fieldset} ${styles.fullWidth}`}>
          <legend>Alerting</legend>
          <div className={styles.inline}>
            <div className={styles.field} data-field="alerting.enabled">
              <label className={styles.checkbox}>
                <input type="checkbox" checked={values.alertingEnabled} onChange={(e) => set("alertingEnabled", e.target.checked)} /> Burn-rate alerts on
              </label>
              <FieldErrorText id={`${idOf("alerting.enabled")}-error`} field="alerting.enabled" error={fieldErrors["alerting.enabled"]} />
            </div>
            <FormField
              id={idOf("alerting.minEvents")}
              field="alerting.minEvents"
              label="Minimum events"
              hint="An alert needs at least this many events in its long window (the low-traffic guard)."
              error={fieldErrors["alerting.minEvents"]}
            >
              <input type="text" {...input("alerting.minEvents", true)} value={values.minEvents} onChange={(e) => set("minEvents", e.target.value)} inputMode="numeric" autoComplete="off" />
            </FormField>
          </div>
        </fieldset>

        <FormField id={idOf("labels")} field="labels" label="Labels" hint="key=value, one a line; carried into notifications (e.g. team=payments)." error={fieldErrors.labels} wide>
          <textarea {...input("labels", true)} value={values.labels} onChange={(e) => set("labels", e.target.value)} rows={3} spellCheck={false} />
        </FormField>
      </div>

      <div className={styles.formActions}>
        <button type="submit" className="button button-primary" disabled={saving} data-testid="slo-form-submit">
          {saving ? "Saving…" : mode === "new" ? "Create SLO" : "Save changes"}
        </button>
        <button type="button" className="button button-quiet" onClick={cancel} disabled={saving}>
          Cancel
        </button>
        <span role="status" className="muted">
          {saving ? "Saving…" : ""}
        </span>
      </div>
    </form>
  );
}
