import { MISSING } from "@/app/(console)/_format/format";
import { SEVERITY_WORDS, formatBurn, formatThreshold, formatWindowPair } from "@/app/(console)/slos/slo-words";
import styles from "@/app/(console)/slos/slos.module.css";
import type { BurnRatePair } from "@/lib/queries/slos-view";

/**
 * The four alert window pairs in one cell: "1h/5m 16.2×" (the long window's burn; the
 * threshold is in the tooltip and on the SLO's page), highlighted while firing, marked when
 * traffic is too low to alert.
 */
export function BurnPairs({ pairs }: { pairs: BurnRatePair[] }) {
  if (pairs.length === 0) return <span className="muted">{MISSING}</span>;
  return (
    <ul className={styles.pairs}>
      {pairs.map((pair) => (
        <li
          key={pair.label}
          className={styles.pair}
          data-testid="burn-pair"
          data-window={pair.label}
          data-severity={pair.severity}
          data-firing={pair.firing ? "true" : "false"}
          data-low-traffic={pair.lowTraffic ? "true" : "false"}
          title={`${SEVERITY_WORDS[pair.severity]} when both burn ${formatThreshold(pair.threshold)}: long window ${formatBurn(pair.longBurnRate)}, short window ${formatBurn(pair.shortBurnRate)}`}
        >
          {formatWindowPair(pair.label)} <strong>{formatBurn(pair.longBurnRate)}</strong>
          {pair.firing ? <span className="visually-hidden"> (firing)</span> : null}
          {pair.lowTraffic ? <span className={styles.lowTraffic}>low traffic</span> : null}
        </li>
      ))}
    </ul>
  );
}
