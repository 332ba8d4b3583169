import type { MapCompare } from "@/app/_server/map-params";
import type { MapGrouping } from "@/lib/domain/service-map/collapse-by-service";
import type { MapScope } from "@/lib/queries/service-map-view";
import type { ResolvedTimeRange } from "@/lib/queries/time-range";

/** What the map's URL holds (the side panel and search are added by the client). */
export interface MapUrlState {
  range: ResolvedTimeRange;
  scope: MapScope | null;
  compare: MapCompare | null;
  grouping: MapGrouping;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The URL parameters of a map state, defaults left out. */
export function mapSearchParams(state: MapUrlState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.range.label === "custom") {
    params.set("from", iso(state.range.window.fromMs));
    params.set("to", iso(state.range.window.toMs));
  } else {
    params.set("range", state.range.label);
  }
  if (state.scope !== null) {
    params.set("account", state.scope.accountId);
    params.set("region", state.scope.region);
  }
  if (state.compare !== null) {
    if (state.compare.label === "custom") {
      params.set("baseFrom", iso(state.compare.window.fromMs));
      params.set("baseTo", iso(state.compare.window.toMs));
    } else {
      params.set("compare", state.compare.label);
    }
  }
  if (state.grouping !== "auto") params.set("group", state.grouping);
  return params;
}

/** A link to the map in `state`, changed by `change`. */
export function mapHref(state: MapUrlState, change: Partial<MapUrlState> = {}): string {
  return `/map?${mapSearchParams({ ...state, ...change }).toString()}`;
}

/** The node-detail API for the side panel: the map's exact window and grouping as shown. */
export function nodeDetailUrl(input: { nodeId: string; scope: MapScope; window: { fromMs: number; toMs: number }; collapsed: boolean }): string {
  const params = new URLSearchParams({
    node: input.nodeId,
    account: input.scope.accountId,
    region: input.scope.region,
    from: iso(input.window.fromMs),
    to: iso(input.window.toMs),
    group: input.collapsed ? "service" : "none",
  });
  return `/api/v1/service-map/nodes?${params.toString()}`;
}
