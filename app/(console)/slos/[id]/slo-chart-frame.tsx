import type { ReactNode } from "react";
import styles from "@/app/(console)/slos/slos.module.css";

/**
 * A titled box holding one chart; it reserves the chart's height before hydration (recharts
 * draws no SVG on the server), and `label` names what the chart shows for screen readers.
 */
export function SloChartFrame({ title, label, testId, children }: { title: string; label: string; testId: string; children: ReactNode }) {
  return (
    <figure className={styles.chart} data-testid={testId}>
      <figcaption className={styles.chartTitle}>{title}</figcaption>
      <div className={styles.chartBox} role="img" aria-label={label}>
        {children}
      </div>
    </figure>
  );
}
