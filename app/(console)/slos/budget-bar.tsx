import { budgetBarWidthPercent, formatBudget, isOverspent } from "@/app/(console)/slos/slo-words";
import styles from "@/app/(console)/slos/slos.module.css";

/** Budget remaining as a number with a small bar of what is left; an overspent budget says so in words. */
export function BudgetBar({ ratio }: { ratio: number | null }) {
  const overspent = isOverspent(ratio);
  return (
    <span className={styles.budget} data-testid="slo-budget" data-value={ratio ?? ""} data-overspent={overspent ? "true" : "false"}>
      <span>{formatBudget(ratio)}</span>
      {ratio !== null ? (
        <span className={styles.budgetBar} aria-hidden="true">
          <span className={styles.budgetFill} style={{ width: `${budgetBarWidthPercent(ratio)}%` }} />
        </span>
      ) : null}
      {overspent ? <span className={styles.overspent}>overspent</span> : null}
    </span>
  );
}
