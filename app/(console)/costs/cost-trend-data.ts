import { bucketColors, OTHER_COLOR } from "@/app/(console)/costs/cost-colors";
import { formatCostDay, formatCostDayShort } from "@/app/(console)/costs/cost-format";
import type { CostView } from "@/lib/domain/cost/cost-types";

/**
 * The daily trend as the stacked-bar chart and the day table draw it: which series are
 * stacked (the largest values, "Other" for the rest, then unallocated and idle on top, each
 * in its own colour) and each day's amount per series. Amounts stay integer µUSD here; the
 * chart converts to USD for its axis only. Pure and serialisable: the server builds it, the
 * client chart draws it.
 */

/** Value buckets drawn as their own series; smaller ones are summed into "Other". */
export const MAX_VALUE_SERIES = 8;

export interface TrendSeries {
  /** Data key on each day: `s0`, `s1`, … (bucket ids may contain any character). */
  key: string;
  /** The bucket id, or `other` for the gathered small values. */
  id: string;
  label: string;
  color: string;
  /** Bucket ids the series sums (one, except for Other). */
  bucketIds: string[];
}

export interface TrendDay {
  dayMs: number;
  /** "2026-11-03". */
  day: string;
  /** Axis tick: "11-03", with "*" on a day Cost Explorer still estimates. */
  tick: string;
  estimated: boolean;
  billMicroUsd: number;
  /** µUSD per series key. */
  microUsdBySeries: Record<string, number>;
}

/** An anomaly placed on the trend: on its series' segment of its day's bar. */
export interface TrendAnomalyMark {
  seriesId: string;
  seriesKey: string;
  dayTick: string;
  day: string;
  direction: "up" | "down";
  /** Top of the series' segment that day (stacked), µUSD. */
  stackTopMicroUsd: number;
  label: string;
}

export interface TrendData {
  series: TrendSeries[];
  days: TrendDay[];
  marks: TrendAnomalyMark[];
}

/** Builds the trend of a view (see the module comment for the series rule). */
export function buildTrendData(view: Pick<CostView, "days" | "buckets" | "anomalies">): TrendData {
  const colors = bucketColors(view.buckets.map((b) => b.id));
  const values = view.buckets.filter((b) => b.bucket.kind === "value" && b.totalMicroUsd !== 0);
  const shown = values.slice(0, MAX_VALUE_SERIES);
  const rest = values.slice(MAX_VALUE_SERIES);
  const special = view.buckets.filter((b) => b.bucket.kind !== "value" && b.totalMicroUsd !== 0);
  // Stack bottom to top: values largest first, Other, unallocated, idle.
  const rank = (kind: string) => (kind === "unallocated" ? 0 : 1);
  special.sort((a, b) => rank(a.bucket.kind) - rank(b.bucket.kind));

  const series: TrendSeries[] = [];
  for (const b of shown) series.push({ key: `s${series.length}`, id: b.id, label: b.label, color: colors.get(b.id)!, bucketIds: [b.id] });
  if (rest.length > 0) {
    series.push({ key: `s${series.length}`, id: "other", label: `Other (${rest.length})`, color: OTHER_COLOR, bucketIds: rest.map((b) => b.id) });
  }
  for (const b of special) series.push({ key: `s${series.length}`, id: b.id, label: b.label, color: colors.get(b.id)!, bucketIds: [b.id] });

  const byId = new Map(view.buckets.map((b) => [b.id, b]));
  const days: TrendDay[] = view.days.map((d, index) => {
    const microUsdBySeries: Record<string, number> = {};
    for (const s of series) {
      microUsdBySeries[s.key] = s.bucketIds.reduce((sum, id) => sum + (byId.get(id)?.byDay[index] ?? 0), 0);
    }
    return {
      dayMs: d.dayMs,
      day: formatCostDay(d.dayMs),
      tick: `${formatCostDayShort(d.dayMs)}${d.estimated ? "*" : ""}`,
      estimated: d.estimated,
      billMicroUsd: d.billMicroUsd,
      microUsdBySeries,
    };
  });

  const marks: TrendAnomalyMark[] = [];
  for (const anomaly of view.anomalies) {
    if (anomaly.metric !== "cost") continue;
    const seriesIndex = series.findIndex((s) => s.bucketIds.includes(anomaly.seriesId));
    const day = days.find((d) => d.dayMs === anomaly.dayMs);
    if (seriesIndex < 0 || day === undefined) continue;
    let stackTop = 0;
    for (let i = 0; i <= seriesIndex; i++) stackTop += Math.max(0, day.microUsdBySeries[series[i]!.key] ?? 0);
    const s = series[seriesIndex]!;
    const bucketLabel = byId.get(anomaly.seriesId)?.label ?? anomaly.seriesId;
    marks.push({
      seriesId: anomaly.seriesId,
      seriesKey: s.key,
      dayTick: day.tick,
      day: day.day,
      direction: anomaly.direction,
      stackTopMicroUsd: stackTop,
      label: `${bucketLabel} unusually ${anomaly.direction === "up" ? "high" : "low"} on ${day.day}`,
    });
  }
  return { series, days, marks };
}
