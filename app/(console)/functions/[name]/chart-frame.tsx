import type { ReactNode } from "react";
import styles from "@/app/(console)/functions/[name]/function-detail.module.css";

/**
 * A titled box that holds one chart; the box reserves the chart's height before hydration
 * (recharts draws no SVG on the server), so the page does not jump.
 */
export function ChartFrame({ title, label, children }: { title: string; label: string; children: ReactNode }) {
  return (
    <figure className={styles.chart} style={{ margin: 0 }}>
      <figcaption className={styles.chartTitle}>{title}</figcaption>
      <div className={styles.chartBox} role="img" aria-label={label}>
        {children}
      </div>
    </figure>
  );
}
