import type { ReactNode } from "react";
import section from "@/app/(console)/_components/section.module.css";

/**
 * A card of a detail page (a function, an SLO): a heading, an optional badge, control or note
 * on its right, then its body. Cards sit in a `section.sections` grid; `wide` spans it.
 */
export function SectionCard({ testId, title, aside, wide, children }: { testId: string; title: string; aside?: ReactNode; wide?: boolean; children: ReactNode }) {
  const id = `${testId}-title`;
  return (
    <section className={wide ? `${section.section} ${section.wide}` : section.section} data-testid={testId} aria-labelledby={id}>
      <header className={section.sectionHeader}>
        <h2 id={id}>{title}</h2>
        {aside}
      </header>
      {children}
    </section>
  );
}
