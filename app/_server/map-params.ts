import { z } from "zod";
import { readSingleValued, type SearchParams } from "@/app/_server/search-params";
import { MAP_GROUPINGS, type MapGrouping } from "@/lib/domain/service-map/collapse-by-service";
import { baselineWindowOf, COMPARE_PRESETS, type ComparePreset } from "@/lib/domain/service-map/graph-diff";
import { AccountIdSchema, RegionSchema } from "@/lib/domain/shared/ids";
import { DAY_MS, type TimeWindow } from "@/lib/domain/shared/time";
import type { MapScope } from "@/lib/queries/service-map-view";
import { resolveTimeRange, type ResolvedTimeRange } from "@/lib/queries/time-range";

/** The baseline a map is compared with: a preset relative to the window, or a custom window. */
export interface MapCompare {
  label: ComparePreset | "custom";
  window: TimeWindow;
}

export interface MapParams {
  range: ResolvedTimeRange;
  /** Null: the default scope (the busiest). */
  scope: MapScope | null;
  compare: MapCompare | null;
  grouping: MapGrouping;
  /** The node whose side panel is open (ignored when not on the map). */
  node: string | null;
  /** The search box's text. */
  search: string;
}

export type ParamsResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** A custom baseline as long as the console's longest range (time-range.ts). */
const MAX_BASELINE_MS = 15 * DAY_MS;
const MAX_NODE_ID_LENGTH = 1024;
const MAX_SEARCH_LENGTH = 200;

const MAP_KEYS = ["range", "from", "to", "account", "region", "compare", "baseFrom", "baseTo", "group", "node", "q"] as const;
type MapKey = (typeof MAP_KEYS)[number];

const ChoiceSchemas = {
  compare: z.enum(COMPARE_PRESETS),
  group: z.enum(MAP_GROUPINGS),
  baseFrom: z.iso.datetime({ offset: true }),
  baseTo: z.iso.datetime({ offset: true }),
  account: AccountIdSchema,
  region: RegionSchema,
};


function check<K extends keyof typeof ChoiceSchemas>(key: K, value: string | undefined): ParamsResult<z.infer<(typeof ChoiceSchemas)[K]> | undefined> {
  if (value === undefined) return { ok: true, value: undefined };
  const parsed = ChoiceSchemas[key].safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data as z.infer<(typeof ChoiceSchemas)[K]> };
  return { ok: false, error: `${key}: ${parsed.error.issues[0]?.message ?? "invalid"}` };
}

function parseScope(single: Partial<Record<MapKey, string>>): ParamsResult<MapScope | null> {
  const account = check("account", single.account);
  if (!account.ok) return account;
  const region = check("region", single.region);
  if (!region.ok) return region;
  if (account.value === undefined && region.value === undefined) return { ok: true, value: null };
  if (account.value === undefined) return { ok: false, error: "account: required with region" };
  if (region.value === undefined) return { ok: false, error: "region: required with account" };
  return { ok: true, value: { accountId: account.value, region: region.value } };
}

function parseCompare(single: Partial<Record<MapKey, string>>, window: TimeWindow): ParamsResult<MapCompare | null> {
  const preset = check("compare", single.compare);
  if (!preset.ok) return preset;
  const baseFrom = check("baseFrom", single.baseFrom);
  if (!baseFrom.ok) return baseFrom;
  const baseTo = check("baseTo", single.baseTo);
  if (!baseTo.ok) return baseTo;
  const custom = baseFrom.value !== undefined || baseTo.value !== undefined;
  if (preset.value !== undefined && custom) return { ok: false, error: "compare: give either compare or baseFrom/baseTo, not both" };
  if (preset.value !== undefined) return { ok: true, value: { label: preset.value, window: baselineWindowOf(window, preset.value) } };
  if (!custom) return { ok: true, value: null };
  if (baseFrom.value === undefined) return { ok: false, error: "baseFrom: required with baseTo" };
  if (baseTo.value === undefined) return { ok: false, error: "baseTo: required with baseFrom" };
  const fromMs = Date.parse(baseFrom.value);
  const toMs = Date.parse(baseTo.value);
  if (fromMs >= toMs) return { ok: false, error: "baseFrom: must be before baseTo" };
  if (toMs - fromMs > MAX_BASELINE_MS) return { ok: false, error: "baseTo: baseline must be at most 15 days" };
  return { ok: true, value: { label: "custom", window: { fromMs, toMs } } };
}

/**
 * Parses the service map's URL (page and API): `range` or `from`+`to`; `account`+`region`
 * (together, or neither for the default scope); `compare=previous|1d|7d` or
 * `baseFrom`+`baseTo` (ISO 8601) for a baseline; `group=auto|service|none`; `node` (the open
 * side panel); `q` (search). Every error names its parameter.
 */
export function parseMapParams(params: SearchParams, nowMs: number): ParamsResult<MapParams> {
  const read = readSingleValued(params, MAP_KEYS);
  if (!read.ok) return read;
  const single = read.value;
  const range = resolveTimeRange({ range: single.range, from: single.from, to: single.to }, nowMs);
  if (!range.ok) return range;
  const scope = parseScope(single);
  if (!scope.ok) return scope;
  const compare = parseCompare(single, range.value.window);
  if (!compare.ok) return compare;
  const group = check("group", single.group);
  if (!group.ok) return group;
  if ((single.node?.length ?? 0) > MAX_NODE_ID_LENGTH) return { ok: false, error: `node: must be at most ${MAX_NODE_ID_LENGTH} characters` };
  if ((single.q?.length ?? 0) > MAX_SEARCH_LENGTH) return { ok: false, error: `q: must be at most ${MAX_SEARCH_LENGTH} characters` };
  return {
    ok: true,
    value: {
      range: range.value,
      scope: scope.value,
      compare: compare.value,
      grouping: group.value ?? "auto",
      node: single.node ?? null,
      search: single.q ?? "",
    },
  };
}

export interface MapNodeParams {
  scope: MapScope;
  window: TimeWindow;
  grouping: MapGrouping;
  nodeId: string;
}

/**
 * Parses the node-detail API's parameters: `account`, `region` and `node` are required (the
 * panel asks about a node of the map it shows), `from`+`to` or `range`, `group` as on the map.
 */
export function parseMapNodeParams(params: SearchParams, nowMs: number): ParamsResult<MapNodeParams> {
  const map = parseMapParams(params, nowMs);
  if (!map.ok) return map;
  const { scope, node, range, grouping } = map.value;
  if (scope === null) return { ok: false, error: "account: required (with region)" };
  if (node === null) return { ok: false, error: "node: required" };
  return { ok: true, value: { scope, window: range.window, grouping, nodeId: node } };
}
