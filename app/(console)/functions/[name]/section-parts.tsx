import type { ReactNode } from "react";
import styles from "@/app/(console)/functions/[name]/function-detail.module.css";
import section from "@/app/(console)/_components/section.module.css";

/** A card of the detail page: a heading, an optional badge or note on its right, then its body. */
export function DetailSection({
  testId,
  title,
  aside,
  wide,
  children,
}: {
  testId: string;
  title: string;
  aside?: ReactNode;
  wide?: boolean;
  children: ReactNode;
}) {
  const id = `${testId}-title`;
  return (
    <section className={wide ? `${section.section} ${styles.wide}` : section.section} data-testid={testId} aria-labelledby={id}>
      <header className={section.sectionHeader}>
        <h2 id={id}>{title}</h2>
        {aside}
      </header>
      {children}
    </section>
  );
}

export type BadgeTone = "good" | "warn" | "bad" | "neutral";

/** A short status word in a coloured pill; `status` goes to `data-status` for tests. */
export function StatusBadge({ tone, status, children }: { tone: BadgeTone; status: string; children: ReactNode }) {
  return (
    <span className={`${styles.badge} ${styles[tone]}`} data-status={status}>
      {children}
    </span>
  );
}
