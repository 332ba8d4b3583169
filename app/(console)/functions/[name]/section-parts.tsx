import type { ReactNode } from "react";
import styles from "@/app/(console)/functions/[name]/function-detail.module.css";

export type BadgeTone = "good" | "warn" | "bad" | "neutral";

/** A short status word in a coloured pill; `status` goes to `data-status` for tests. */
export function StatusBadge({ tone, status, children }: { tone: BadgeTone; status: string; children: ReactNode }) {
  return (
    <span className={`${styles.badge} ${styles[tone]}`} data-status={status}>
      {children}
    </span>
  );
}
