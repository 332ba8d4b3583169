import type { ReactNode } from "react";
import styles from "@/app/(console)/slos/slos.module.css";

/** The accessibility attributes of an input: its id, whether it is invalid and what describes it (hint, error). */
export function fieldInputProps(id: string, error: string | undefined, hasHint = false) {
  const describedBy = [hasHint ? `${id}-hint` : null, error ? `${id}-error` : null].filter((s) => s !== null).join(" ");
  return { id, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy || undefined } as const;
}

/**
 * One labelled input of the SLO editor with its hint and, after a failed save, the error for
 * its spec path (`data-field`, e.g. `indicator.thresholdMs`) right under it.
 */
export function FormField({
  id,
  field,
  label,
  hint,
  error,
  wide,
  children,
}: {
  id: string;
  field: string;
  label: string;
  hint?: string;
  error?: string;
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <div className={wide ? `${styles.field} ${styles.fullWidth}` : styles.field} data-field={field}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? (
        <p id={`${id}-hint`} className={styles.hint}>
          {hint}
        </p>
      ) : null}
      <FieldErrorText id={`${id}-error`} field={field} error={error} />
    </div>
  );
}

/** The error under a field or a fieldset's legend; nothing when there is none. */
export function FieldErrorText({ id, field, error }: { id: string; field: string; error: string | undefined }) {
  if (!error) return null;
  return (
    <p id={id} className={styles.fieldError} data-testid="field-error" data-field={field}>
      {error}
    </p>
  );
}
