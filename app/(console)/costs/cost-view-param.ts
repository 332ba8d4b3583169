/**
 * The Costs page's own URL parameter `view`: how the breakdown is drawn. `bars` (the default)
 * is the daily trend as stacked bars, `treemap` the window's buckets by size, `table` the same
 * daily numbers as a table (the chart's accessible twin). The cost parameters shared with the
 * API and exports (groupBy, range, from/to, bucket) are parsed by lib/queries/cost-params.ts.
 */

export const COST_VIEW_MODES = ["bars", "treemap", "table"] as const;
export type CostViewMode = (typeof COST_VIEW_MODES)[number];
export const DEFAULT_COST_VIEW_MODE: CostViewMode = "bars";

/** The switcher's button names (the accessible names browser tests look for). */
export const COST_VIEW_MODE_LABELS: Record<CostViewMode, string> = { bars: "Bars", treemap: "Treemap", table: "Table" };

export type CostViewModeResult = { ok: true; value: CostViewMode } | { ok: false; field: "view"; error: string };

/** `view` absent or empty → bars; one of the modes → it; anything else is an error naming the parameter. */
export function parseCostViewMode(value: string | undefined): CostViewModeResult {
  if (value === undefined || value === "") return { ok: true, value: DEFAULT_COST_VIEW_MODE };
  if ((COST_VIEW_MODES as readonly string[]).includes(value)) return { ok: true, value: value as CostViewMode };
  return { ok: false, field: "view", error: `view must be one of ${COST_VIEW_MODES.join(", ")}, got "${value.slice(0, 40)}"` };
}
