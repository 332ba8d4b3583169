import { formatPercent } from "@/app/(console)/_format/format";
import { HEALTH_COLORS } from "@/app/(console)/map/map-colors";
import styles from "@/app/(console)/map/service-map.module.css";
import type { ServiceMapView } from "@/lib/queries/service-map-view";

/** What every colour, line and badge on the map means, with the thresholds behind them. */
export function MapLegend({ rules, comparing }: { rules: ServiceMapView["rules"]; comparing: boolean }) {
  const { faults, errors, throttles } = rules;
  return (
    <section className={styles.legend} data-testid="map-legend" aria-label="Legend">
      <div>
        <h2>Health (node edge and line colour)</h2>
        <dl>
          <dt>
            <span className={styles.swatch} style={{ background: HEALTH_COLORS.critical }} />
          </dt>
          <dd>
            Critical: 5xx faults ≥ {formatPercent(faults.criticalRatio)}, 4xx errors ≥ {formatPercent(errors.criticalRatio)} or throttles ≥{" "}
            {formatPercent(throttles.criticalRatio)} of requests
          </dd>
          <dt>
            <span className={styles.swatch} style={{ background: HEALTH_COLORS.warning }} />
          </dt>
          <dd>
            Warning: 5xx faults ≥ {formatPercent(faults.warningRatio)}, 4xx errors ≥ {formatPercent(errors.warningRatio)} or throttles ≥{" "}
            {formatPercent(throttles.warningRatio)}
          </dd>
          <dt>
            <span className={styles.swatch} style={{ background: HEALTH_COLORS.ok }} />
          </dt>
          <dd>OK: below those (a kind of failure counts from {rules.minFailedRequests} sampled requests)</dd>
          <dt>
            <span className={styles.swatch} style={{ background: HEALTH_COLORS.idle }} />
          </dt>
          <dd>Idle: no requests in the range</dd>
        </dl>
      </div>
      <div>
        <h2>Numbers</h2>
        <dl>
          <dt>Nodes</dt>
          <dd>requests/min · p99 · 5xx, 4xx and 429 shares (X-Ray sampled traffic)</dd>
          <dt>Lines</dt>
          <dd>calls/min · p99 of the calls, arrow towards the called node</dd>
          <dt>Service</dt>
          <dd>collapsed: traffic into the service, coloured by its worst member</dd>
        </dl>
      </div>
      <div>
        <h2>Badges and marks</h2>
        <dl>
          <dt>
            <span className={`${styles.pill} ${styles.pillColdStart}`}>Cold starts</span>
          </dt>
          <dd>
            Cold-start heavy: ≥ {formatPercent(rules.coldStartHeavyRatio)} of invocations were cold starts (at least {rules.coldStartHeavyMinColdStarts})
          </dd>
          <dt>
            <span className={`${styles.pill} ${styles.pillSloPage}`}>SLO paging</span>
          </dt>
          <dd>An SLO of this function (or service) pages now: both windows of a page rule burn past their threshold; amber &ldquo;SLO ticket&rdquo; for a ticket rule</dd>
          <dt>
            <span className={styles.swatchMatch} />
          </dt>
          <dd>Matches the search (the others fade)</dd>
          {comparing ? (
            <>
              <dt>
                <span className={`${styles.pill} ${styles.pillNew}`}>New</span>
              </dt>
              <dd>Only in this range, not in the baseline (dashed line)</dd>
              <dt>
                <span className={styles.swatchDashed} />
              </dt>
              <dd>Gone: only in the baseline (grey, dashed)</dd>
              <dt>
                <span className={styles.worse}>+2 pp</span> / <span className={styles.better}>−2 pp</span>
              </dt>
              <dd>Change vs the baseline: red when worse, green when better (pp = percentage points)</dd>
            </>
          ) : null}
        </dl>
      </div>
    </section>
  );
}
