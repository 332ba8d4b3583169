import { LEVEL_MEANINGS, LEVEL_WORDS } from "@/app/(console)/slos/slo-words";
import styles from "@/app/(console)/slos/slos.module.css";
import type { SloListLevel } from "@/lib/queries/slos-view";

/** The SLO's level as a pill: the word says it (paging, ticket, ok, not evaluated), the colour repeats it. */
export function SloStatusPill({ level }: { level: SloListLevel }) {
  return (
    <span className={styles.pill} data-testid="slo-status" data-level={level} title={LEVEL_MEANINGS[level]}>
      {LEVEL_WORDS[level]}
    </span>
  );
}
