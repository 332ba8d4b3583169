import styles from "@/app/(console)/_components/stat.module.css";
import { formatMicroUsd, formatMicroUsdExact, formatSignedMicroUsd } from "@/app/(console)/costs/cost-format";

/**
 * A money tile: dollars and cents exactly (integer arithmetic), the exact µUSD in
 * `data-micro-usd` for tests and scripts, and the amount to the µUSD on hover.
 */
export function MoneyStat({
  label,
  microUsd,
  detail,
  testId,
  title,
  signed,
}: {
  label: string;
  microUsd: number;
  detail?: string;
  testId?: string;
  title?: string;
  /** Show the sign of a difference ("+$0.50"). */
  signed?: boolean;
}) {
  return (
    <div className={styles.stat} data-testid={testId ? `${testId}-tile` : undefined} title={title ?? formatMicroUsdExact(microUsd)}>
      <p className={styles.label}>{label}</p>
      <p className={styles.value} data-testid={testId} data-micro-usd={microUsd}>
        {signed ? formatSignedMicroUsd(microUsd) : formatMicroUsd(microUsd)}
      </p>
      {detail ? <p className={styles.label}>{detail}</p> : null}
    </div>
  );
}
