import Link from "next/link";
import { formatPercent } from "@/app/(console)/_format/format";
import { formatMicroUsd, formatMicroUsdExact } from "@/app/(console)/costs/cost-format";
import { costsHref, type CostsUrlState } from "@/app/(console)/costs/costs-href";
import styles from "@/app/(console)/costs/costs.module.css";
import type { CostView } from "@/lib/domain/cost/cost-types";

/**
 * Unallocated and idle, called out above everything else: money nobody owns and capacity paid
 * for and not used are what finance acts on. Each links to its drill-down. Shown even at $0.00,
 * so "none" is a statement and not an absence.
 */
export function CostCallouts({ view, state }: { view: CostView; state: CostsUrlState }) {
  const bill = view.totals.billMicroUsd;
  const unallocated = view.totals.unallocatedMicroUsd;
  const idle = view.totals.idleMicroUsd;
  // The share comes from the view's bucket (never recomputed here); null shows "—" on an empty bill.
  const share = (kind: "unallocated" | "idle") => (bill === 0 ? null : (view.buckets.find((b) => b.bucket.kind === kind)?.shareRatio ?? null));
  return (
    <div className={styles.callouts}>
      <div
        className={`${styles.callout} ${styles.calloutUnallocated} ${unallocated === 0 ? styles.calloutNone : ""}`}
        data-testid="cost-unallocated"
        data-micro-usd={unallocated}
        title={formatMicroUsdExact(unallocated)}
      >
        <strong>{`Unallocated ${formatMicroUsd(unallocated)} (${formatPercent(share("unallocated"))})`}</strong>
        <p>
          {unallocated === 0 ? (
            "Every cost in the window is tagged or shared by a pool."
          ) : (
            <>
              Untagged resources no shared-cost pool takes — <Link href={costsHref(state, { bucket: "unallocated" })}>drill in</Link>
            </>
          )}
        </p>
      </div>
      <div className={`${styles.callout} ${styles.calloutIdle} ${idle === 0 ? styles.calloutNone : ""}`} data-testid="cost-idle" data-micro-usd={idle} title={formatMicroUsdExact(idle)}>
        <strong>{`Idle provisioned concurrency ${formatMicroUsd(idle)} (${formatPercent(share("idle"))})`}</strong>
        <p>
          {idle === 0 ? (
            "No provisioned concurrency went unused in the window (or no utilisation data)."
          ) : (
            <>
              Paid for and not used, moved out of its functions&apos; buckets — <Link href={costsHref(state, { bucket: "idle" })}>see which functions</Link>
            </>
          )}
        </p>
      </div>
    </div>
  );
}
