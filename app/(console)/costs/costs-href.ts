import { DEFAULT_COST_VIEW_MODE, type CostViewMode } from "@/app/(console)/costs/cost-view-param";
import { formatGroupBy } from "@/lib/domain/cost/cost-types";
import { formatCostDate, type ParsedCostParams } from "@/lib/queries/cost-params";

/**
 * Links of the Costs page. Everything the page shows is chosen in its URL (grouping, range,
 * drawing, drilled bucket), so every link is built from the current state plus a change, and
 * the export links carry the same grouping and range as the page, so the file adds up to the
 * total on screen.
 */

export const COSTS_PATH = "/costs";
export const COST_EXPORT_PATH = "/api/v1/costs/export";

/** The page's URL state, as strings exactly as they appear in the URL. */
export interface CostsUrlState {
  /** `tag:team` or `service`. */
  groupBy: string;
  /** A preset (`7d`, `14d`, `30d`, `mtd`), or null for a custom from/to window. */
  range: string | null;
  /** `YYYY-MM-DD`, `to` exclusive; both null for a preset. */
  from: string | null;
  to: string | null;
  view: CostViewMode;
  /** A bucket id to drill into, or null. */
  bucket: string | null;
}

/** What a link changes; a null removes the parameter. */
export type CostsUrlChange = Partial<CostsUrlState>;

/**
 * Applies a change to the state:
 * - a preset range replaces a custom from/to window, and a from/to window replaces a preset;
 * - a new grouping closes the drill-down, because bucket ids belong to a grouping
 *   (`value:payments` of tag:team means nothing grouped by service), unless the change
 *   names a bucket itself.
 */
export function applyCostsChange(current: CostsUrlState, change: CostsUrlChange): CostsUrlState {
  const next: CostsUrlState = { ...current, ...change };
  if (change.range !== undefined && change.range !== null) {
    if (change.from === undefined) next.from = null;
    if (change.to === undefined) next.to = null;
  }
  if ((change.from !== undefined && change.from !== null) || (change.to !== undefined && change.to !== null)) {
    if (change.range === undefined) next.range = null;
  }
  if (change.groupBy !== undefined && change.groupBy !== current.groupBy && change.bucket === undefined) next.bucket = null;
  return next;
}

/** The grouping and window parameters, in the order the page, API and exports share. */
function windowEntries(state: CostsUrlState): [string, string][] {
  const entries: [string, string][] = [["groupBy", state.groupBy]];
  if (state.from !== null && state.to !== null) {
    entries.push(["from", state.from], ["to", state.to]);
  } else if (state.range !== null) {
    entries.push(["range", state.range]);
  }
  return entries;
}

/** The query string of a state: groupBy, range or from/to, then view (left out when bars) and bucket (when drilled). */
export function costsQuery(state: CostsUrlState): string {
  const entries = windowEntries(state);
  if (state.view !== DEFAULT_COST_VIEW_MODE) entries.push(["view", state.view]);
  if (state.bucket !== null) entries.push(["bucket", state.bucket]);
  return new URLSearchParams(entries).toString();
}

/** The Costs page with `change` applied to the current state, every other parameter kept. */
export function costsHref(current: CostsUrlState, change: CostsUrlChange = {}): string {
  return `${COSTS_PATH}?${costsQuery(applyCostsChange(current, change))}`;
}

/**
 * The export of what the page shows: `/api/v1/costs/export?format=csv|focus&groupBy=…&range=…`
 * (or from/to). The whole window is exported — not only a drilled bucket — so the file's total
 * is the page's total.
 */
export function costExportHref(format: "csv" | "focus", state: CostsUrlState): string {
  return `${COST_EXPORT_PATH}?${new URLSearchParams([["format", format], ...windowEntries(state)]).toString()}`;
}

/** The URL state of parsed parameters: the groupBy as in the URL, the preset or the from/to days, the drawing and the drilled bucket. */
export function costsStateFromParams(params: Pick<ParsedCostParams, "groupBy" | "window" | "range" | "bucket">, view: CostViewMode): CostsUrlState {
  const custom = params.range === "custom";
  return {
    groupBy: formatGroupBy(params.groupBy),
    range: custom ? null : params.range,
    from: custom ? formatCostDate(params.window.fromMs) : null,
    to: custom ? formatCostDate(params.window.toMs) : null,
    view,
    bucket: params.bucket,
  };
}
