import Link from "next/link";
import { formatGroupByLabel } from "@/app/(console)/costs/cost-format";
import { COST_VIEW_MODES, COST_VIEW_MODE_LABELS } from "@/app/(console)/costs/cost-view-param";
import { costExportHref, costsHref, COSTS_PATH, type CostsUrlState } from "@/app/(console)/costs/costs-href";
import styles from "@/app/(console)/costs/costs.module.css";
import { COST_RANGE_PRESETS } from "@/lib/queries/cost-params";

const PRESET_WORDS: Record<string, { short: string; long: string }> = {
  "7d": { short: "7 d", long: "Last 7 days, today included" },
  "14d": { short: "14 d", long: "Last 14 days, today included" },
  "30d": { short: "30 d", long: "Last 30 days, today included" },
  mtd: { short: "MTD", long: "Month to date" },
};

/**
 * The day ranges of the Costs page (presets as links) and a custom window as a plain GET form,
 * so it works before hydration; the form keeps the grouping, drawing and drilled bucket.
 */
export function CostRangePicker({ state }: { state: CostsUrlState }) {
  return (
    <div className="range-picker" data-testid="cost-range-picker">
      <nav aria-label="Time range">
        <ul>
          {COST_RANGE_PRESETS.map((preset) => (
            <li key={preset}>
              <Link href={costsHref(state, { range: preset })} className="range-option" aria-current={state.range === preset ? "true" : undefined} title={PRESET_WORDS[preset]?.long}>
                {PRESET_WORDS[preset]?.short ?? preset}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <form method="get" action={COSTS_PATH} className={styles.customRange} aria-label="Custom range">
        <input type="hidden" name="groupBy" value={state.groupBy} />
        {state.view !== "bars" ? <input type="hidden" name="view" value={state.view} /> : null}
        {state.bucket !== null ? <input type="hidden" name="bucket" value={state.bucket} /> : null}
        <label>
          From <input type="date" name="from" defaultValue={state.from ?? undefined} required />
        </label>
        <label title="Exclusive, as in Cost Explorer: from 2026-11-01 until 2026-11-02 is one day">
          until <input type="date" name="to" defaultValue={state.to ?? undefined} required />
        </label>
        <button type="submit" className="button button-quiet">
          Show
        </button>
      </form>
    </div>
  );
}

/** The grouping, the drawing and the exports: every choice a link, so the URL says it all. */
export function CostToolbar({ state, groupByOptions }: { state: CostsUrlState; groupByOptions: readonly string[] }) {
  return (
    <div className={styles.toolbar}>
      <nav aria-label="Group by" className={styles.control} data-testid="cost-groupby">
        <span className={styles.controlLabel} aria-hidden="true">
          Group by
        </span>
        <ul className={styles.segmented}>
          {groupByOptions.map((option) => (
            <li key={option}>
              <Link href={costsHref(state, { groupBy: option })} className={styles.segment} aria-current={state.groupBy === option ? "true" : undefined} data-groupby={option}>
                {formatGroupByLabel(option)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <nav aria-label="Drawing" className={styles.control} data-testid="cost-view-switcher">
        <span className={styles.controlLabel} aria-hidden="true">
          Show as
        </span>
        <ul className={styles.segmented}>
          {COST_VIEW_MODES.map((mode) => (
            <li key={mode}>
              <Link href={costsHref(state, { view: mode })} className={styles.segment} aria-current={state.view === mode ? "true" : undefined} data-view={mode}>
                {COST_VIEW_MODE_LABELS[mode]}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className={styles.exports}>
        <a href={costExportHref("csv", state)} className="button" data-testid="export-csv" download>
          Download CSV
        </a>
        <a href={costExportHref("focus", state)} className="button" data-testid="export-focus" title="FinOps FOCUS columns (BilledCost, EffectiveCost, tags)" download>
          Download FOCUS
        </a>
      </div>
    </div>
  );
}
