import type { ReactNode } from "react";
import styles from "@/app/(console)/_components/stat.module.css";

/**
 * One figure: a label, the value as shown, an optional detail line. `dataValue` puts the
 * exact value in `data-value` for tests and scripts; `title` explains it on hover.
 */
export function Stat({
  label,
  value,
  dataValue,
  detail,
  title,
  testId,
}: {
  label: string;
  value: string;
  dataValue?: string | number | null;
  detail?: string;
  title?: string;
  testId?: string;
}) {
  return (
    <div className={styles.stat} data-testid={testId} data-value={dataValue ?? undefined} title={title}>
      <p className={styles.label}>{label}</p>
      <p className={styles.value}>{value}</p>
      {detail ? <p className={styles.label}>{detail}</p> : null}
    </div>
  );
}

/** A wrapping row of Stat tiles. */
export function StatRow({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div className={styles.row} data-testid={testId}>
      {children}
    </div>
  );
}
