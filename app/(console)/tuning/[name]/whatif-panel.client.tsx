"use client";

import { useId, useState, type FormEvent } from "react";
import { FormField, fieldInputProps } from "@/app/(console)/slos/slo-form-field";
import { readTuningApiError } from "@/app/(console)/tuning/[name]/tuning-api-error";
import { WHATIF_ANCHOR, useWhatIf } from "@/app/(console)/tuning/[name]/whatif-context.client";
import {
  PC_FORMAT_HINT,
  WHATIF_FIELDS,
  WHATIF_MAX_MEMORY_MB,
  WHATIF_MIN_MEMORY_MB,
  WHATIF_WINDOW_HOURS,
  groupWhatIfErrors,
  toWhatIfBody,
  type WhatIfArchitecture,
  type WhatIfField,
} from "@/app/(console)/tuning/[name]/whatif-model";
import { WhatIfResultView } from "@/app/(console)/tuning/[name]/whatif-result";
import styles from "@/app/(console)/tuning/tuning.module.css";
import type { WhatIfResult } from "@/lib/domain/sizing/tuning-types";

type Outcome = { kind: "idle" } | { kind: "running" } | { kind: "failed"; message: string; elsewhere: [string, string][] };

/**
 * The what-if: a candidate configuration (memory, architecture, provisioned concurrency,
 * reserved concurrency) replayed over the last 24 or 72 hours by POST /api/v1/whatif, shown
 * as actual against projected. Filled with the function's settings, or with a proposal by a
 * card's "Try in what-if". Field errors of a 400 show on the field.
 */
export function WhatIfPanel({ target }: { target: { functionName: string; accountId: string; region: string } }) {
  const { state, setValue } = useWhatIf();
  const idPrefix = useId();
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<WhatIfField, string>>>({});
  const [outcome, setOutcome] = useState<Outcome>({ kind: "idle" });
  const [result, setResult] = useState<WhatIfResult | null>(null);
  const [seenFill, setSeenFill] = useState(state.fill);
  if (seenFill !== state.fill) {
    // A new fill from a card: old field errors no longer apply.
    setSeenFill(state.fill);
    setFieldErrors({});
    setOutcome({ kind: "idle" });
  }

  const values = state.values;
  const idOf = (field: WhatIfField) => `${idPrefix}-${field}`;
  const input = (field: WhatIfField, hasHint = false) => fieldInputProps(idOf(field), fieldErrors[field], hasHint);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const parsed = toWhatIfBody(values, target);
    if (!parsed.ok) {
      setFieldErrors(parsed.errors);
      setOutcome({ kind: "failed", message: "Check the marked fields.", elsewhere: [] });
      return;
    }
    setFieldErrors({});
    setOutcome({ kind: "running" });
    let response: Response;
    try {
      response = await fetch("/api/v1/whatif", {
        method: "POST",
        headers: { "Content-Type": "application/json", accept: "application/json" },
        body: JSON.stringify(parsed.body),
      });
    } catch (error) {
      setOutcome({ kind: "failed", message: `Could not reach the server (${error instanceof Error ? error.message : String(error)}); try again.`, elsewhere: [] });
      return;
    }
    if (response.ok) {
      setResult((await response.json()) as WhatIfResult);
      setOutcome({ kind: "idle" });
      return;
    }
    const error = await readTuningApiError(response, WHATIF_FIELDS);
    const grouped = groupWhatIfErrors(error.fields);
    setFieldErrors(grouped.byField);
    const message =
      response.status === 401
        ? "Your session has ended: sign in again, then run the what-if."
        : response.status === 400
          ? `The server did not accept the candidate: ${error.message}.`
          : `The what-if did not run: ${error.message}.`;
    setOutcome({ kind: "failed", message, elsewhere: grouped.elsewhere });
  }

  const running = outcome.kind === "running";
  return (
    <div id={WHATIF_ANCHOR}>
      <p className={styles.note} data-testid="whatif-source">
        Filled from: {state.source}
        {state.note ? ` — ${state.note}` : ""}
      </p>
      {outcome.kind === "failed" ? (
        <div className="banner banner-error" role="alert" data-testid="whatif-error">
          <p>{outcome.message}</p>
          {outcome.elsewhere.length > 0 ? (
            <ul>
              {outcome.elsewhere.map(([name, message]) => (
                <li key={name}>
                  <code>{name}</code>: {message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <form className={styles.whatifForm} onSubmit={submit} noValidate data-testid="whatif-form" aria-label="What-if candidate configuration">
        <FormField id={idOf("memoryMb")} field="memoryMb" label="Memory (MB)" hint={`${WHATIF_MIN_MEMORY_MB}–${WHATIF_MAX_MEMORY_MB.toLocaleString("en-US")}`} error={fieldErrors.memoryMb}>
          <input
            type="number"
            {...input("memoryMb", true)}
            min={WHATIF_MIN_MEMORY_MB}
            max={WHATIF_MAX_MEMORY_MB}
            step={1}
            value={values.memoryMb}
            onChange={(e) => setValue("memoryMb", e.target.value)}
            required
          />
        </FormField>
        <FormField id={idOf("architecture")} field="architecture" label="Architecture" error={fieldErrors.architecture}>
          <select {...input("architecture")} value={values.architecture} onChange={(e) => setValue("architecture", e.target.value as WhatIfArchitecture)}>
            <option value="x86_64">x86_64</option>
            <option value="arm64">arm64 (Graviton)</option>
          </select>
        </FormField>
        <div className={styles.pcField}>
          <FormField id={idOf("pc")} field="pc" label="Provisioned concurrency" hint={PC_FORMAT_HINT} error={fieldErrors.pc}>
            <input type="text" {...input("pc", true)} value={values.pc} onChange={(e) => setValue("pc", e.target.value)} autoComplete="off" spellCheck={false} placeholder="none" />
          </FormField>
        </div>
        <FormField id={idOf("reservedConcurrency")} field="reservedConcurrency" label="Reserved concurrency" hint="Blank = none" error={fieldErrors.reservedConcurrency}>
          <input
            type="number"
            {...input("reservedConcurrency", true)}
            min={0}
            step={1}
            value={values.reservedConcurrency}
            onChange={(e) => setValue("reservedConcurrency", e.target.value)}
            placeholder="none"
          />
        </FormField>
        <FormField id={idOf("hours")} field="hours" label="Replay window" error={fieldErrors.hours}>
          <select {...input("hours")} value={values.hours} onChange={(e) => setValue("hours", e.target.value)}>
            {WHATIF_WINDOW_HOURS.map((h) => (
              <option key={h} value={String(h)}>
                Last {h} hours
              </option>
            ))}
          </select>
        </FormField>
        <div className={styles.formActions}>
          <button type="submit" className="button button-primary" disabled={running} data-testid="whatif-submit">
            {running ? "Replaying…" : "Run what-if"}
          </button>
          <span role="status" className="muted">
            {running ? "Replaying the window under the candidate…" : ""}
          </span>
        </div>
      </form>
      {result !== null ? <WhatIfResultView result={result} /> : null}
    </div>
  );
}
