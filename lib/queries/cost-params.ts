import { parseBucketId, type CostGroupBy } from "@/lib/domain/cost/cost-types";
import { DAY_MS } from "@/lib/domain/shared/time";
import type { CostViewParams } from "@/lib/queries/cost-view";

/**
 * The cost view's URL parameters, shared by the page, the API, the exports and the CLI:
 * `groupBy=tag:team|service`, `range=7d|14d|30d|mtd` or `from=YYYY-MM-DD&to=YYYY-MM-DD` (whole UTC
 * days, `to` exclusive as in Cost Explorer), and `bucket=value:payments|unallocated|idle`.
 */

export const COST_RANGE_PRESETS = ["7d", "14d", "30d", "mtd"] as const;
export type CostRangePreset = (typeof COST_RANGE_PRESETS)[number];
/** Two weeks: the reach of Cost Explorer's per-function lines, and two of each weekday. */
export const DEFAULT_COST_RANGE: CostRangePreset = "14d";
/** Cost Explorer keeps daily data for 13 months; longer custom ranges are refused. */
export const MAX_COST_RANGE_DAYS = 400;

export interface ParsedCostParams extends CostViewParams {
  /** The preset in use, or "custom" for from/to. */
  range: CostRangePreset | "custom";
}

export type CostParamsResult = { ok: true; value: ParsedCostParams } | { ok: false; field: string; error: string };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseDate(value: string): number | null {
  if (!DATE.test(value)) return null;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === value ? ms : null;
}

/** The UTC midnight of an instant. */
function dayOf(epochMs: number): number {
  return Math.floor(epochMs / DAY_MS) * DAY_MS;
}

/** `YYYY-MM-DD` of a UTC day. */
export function formatCostDate(dayMs: number): string {
  return new Date(dayMs).toISOString().slice(0, 10);
}

/** The window of a preset: the last N days including today, or the month to date. */
export function costPresetWindow(preset: CostRangePreset, nowMs: number): { fromMs: number; toMs: number } {
  const toMs = dayOf(nowMs) + DAY_MS;
  if (preset === "mtd") {
    const now = new Date(nowMs);
    return { fromMs: Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1), toMs };
  }
  const days = Number(preset.slice(0, -1));
  return { fromMs: toMs - days * DAY_MS, toMs };
}

/** Parses `tag:<key>` (a configured key) or `service`. */
export function parseGroupBy(value: string, tagKeys: readonly string[]): CostGroupBy | null {
  if (value === "service") return { kind: "service" };
  if (value.startsWith("tag:") && tagKeys.includes(value.slice(4))) return { kind: "tag", key: value.slice(4) };
  return null;
}

/**
 * Resolves the parameters against `nowMs` and the configured tag keys. Errors name the
 * parameter and say what is accepted; nothing is guessed.
 */
export function parseCostParams(params: Record<string, string | undefined>, nowMs: number, tagKeys: readonly string[]): CostParamsResult {
  const groupByText = params.groupBy ?? (tagKeys[0] === undefined ? "service" : `tag:${tagKeys[0]}`);
  const groupBy = parseGroupBy(groupByText, tagKeys);
  if (groupBy === null) {
    const accepted = [...tagKeys.map((k) => `tag:${k}`), "service"].join(", ");
    return { ok: false, field: "groupBy", error: `groupBy must be one of ${accepted}, got "${groupByText.slice(0, 80)}"` };
  }
  let bucket: string | null = null;
  if (params.bucket !== undefined && params.bucket !== "") {
    if (parseBucketId(params.bucket) === null) {
      return { ok: false, field: "bucket", error: `bucket must be value:<name>, unallocated or idle, got "${params.bucket.slice(0, 80)}"` };
    }
    bucket = params.bucket;
  }
  const hasFrom = params.from !== undefined && params.from !== "";
  const hasTo = params.to !== undefined && params.to !== "";
  if (hasFrom !== hasTo) return { ok: false, field: hasFrom ? "to" : "from", error: "from and to must be given together (YYYY-MM-DD, to exclusive)" };
  if (hasFrom && params.range !== undefined && params.range !== "") return { ok: false, field: "range", error: "give either range or from/to, not both" };
  if (hasFrom) {
    const fromMs = parseDate(params.from!);
    if (fromMs === null) return { ok: false, field: "from", error: `from must be a date YYYY-MM-DD, got "${params.from!.slice(0, 40)}"` };
    const toMs = parseDate(params.to!);
    if (toMs === null) return { ok: false, field: "to", error: `to must be a date YYYY-MM-DD, got "${params.to!.slice(0, 40)}"` };
    if (toMs <= fromMs) return { ok: false, field: "to", error: "to must be after from (to is exclusive: from=2026-11-01&to=2026-11-02 is one day)" };
    if ((toMs - fromMs) / DAY_MS > MAX_COST_RANGE_DAYS) return { ok: false, field: "from", error: `the range may span at most ${MAX_COST_RANGE_DAYS} days` };
    return { ok: true, value: { groupBy, window: { fromMs, toMs }, bucket, range: "custom" } };
  }
  const rangeText = params.range === undefined || params.range === "" ? DEFAULT_COST_RANGE : params.range;
  if (!(COST_RANGE_PRESETS as readonly string[]).includes(rangeText)) {
    return { ok: false, field: "range", error: `range must be one of ${COST_RANGE_PRESETS.join(", ")}, got "${rangeText.slice(0, 40)}"` };
  }
  const range = rangeText as CostRangePreset;
  return { ok: true, value: { groupBy, window: costPresetWindow(range, nowMs), bucket, range } };
}
