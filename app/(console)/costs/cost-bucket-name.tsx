import styles from "@/app/(console)/costs/costs.module.css";

/** A bucket's colour swatch (striped for unallocated and idle, as on the chart), hidden from screen readers. */
export function BucketSwatch({ id, color }: { id: string; color: string }) {
  const special = id === "unallocated" ? styles.swatchUnallocated : id === "idle" ? styles.swatchIdle : "";
  return <span className={`${styles.swatch} ${special}`} style={{ background: color }} aria-hidden="true" />;
}
