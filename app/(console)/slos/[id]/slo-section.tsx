import type { ReactNode } from "react";
import section from "@/app/(console)/_components/section.module.css";
import styles from "@/app/(console)/slos/slos.module.css";

/** A card of the SLO page: a heading, an optional control or note on its right, then its body. */
export function SloSection({ testId, title, aside, wide, children }: { testId: string; title: string; aside?: ReactNode; wide?: boolean; children: ReactNode }) {
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
