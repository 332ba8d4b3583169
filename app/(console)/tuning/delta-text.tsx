import styles from "@/app/(console)/tuning/tuning.module.css";
import { describeDelta, formatMonthlyDelta } from "@/app/(console)/tuning/tuning-words";
import type { Range } from "@/lib/domain/sizing/tuning-types";

/** A monthly cost change with its range, green for a saving, amber for extra spend; the sentence is the tooltip. */
export function DeltaText({ range, testId }: { range: Range; testId?: string }) {
  const sign = range.expected < 0 ? "saving" : range.expected > 0 ? "extra" : "none";
  return (
    <span className={styles.delta} data-sign={sign} data-value={range.expected} data-testid={testId} title={describeDelta(range)}>
      {formatMonthlyDelta(range)}
    </span>
  );
}
