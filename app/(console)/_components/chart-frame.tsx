import type { ReactNode } from "react";
import styles from "@/app/(console)/_components/chart-frame.module.css";

/**
 * A titled box that holds one chart; the box reserves the chart's height before hydration
 * (recharts draws no SVG on the server), so the page does not jump, and `label` names what
 * the chart shows for screen readers. `tall` gives a period-long chart more room.
 */
export function ChartFrame({ title, label, testId, tall, children }: { title: string; label: string; testId?: string; tall?: boolean; children: ReactNode }) {
  return (
    <figure className={styles.chart} data-testid={testId}>
      <figcaption className={styles.chartTitle}>{title}</figcaption>
      <div className={tall ? `${styles.chartBox} ${styles.tall}` : styles.chartBox} role="img" aria-label={label}>
        {children}
      </div>
    </figure>
  );
}
