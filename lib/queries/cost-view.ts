import type { CostExportRow, CostGroupBy, CostView } from "@/lib/domain/cost/cost-types";
import type { TimeWindow } from "@/lib/domain/shared/time";
import type { CostSettingsStore } from "@/lib/ports/cost-settings-store";
import type { CostLineStore } from "@/lib/ports/cost-store";
import type { ReportStatsStore } from "@/lib/ports/report-stats";
import type { ServiceGraphReader } from "@/lib/ports/service-graph-store";
import type { FunctionStore, MetricSeriesStore, WatermarkStore } from "@/lib/ports/stores";

/**
 * The cost view (issue 8): the bill of a window allocated by one grouping, with idle,
 * unallocated, anomalies, forecast, reconciliation, unit costs and budgets.
 * (Being written; the signatures are the contract the console, API, exports and CLI use.)
 */

export interface CostViewParams {
  groupBy: CostGroupBy;
  /** Whole UTC days [fromMs, toMs). */
  window: TimeWindow;
  /** A bucket id to drill into (`value:payments`, `unallocated`, `idle`), or null. */
  bucket: string | null;
  /** The account whose bill to show; null = the home account (or the first with collected costs). */
  accountId?: string | null;
}

/** The repositories the view reads (the console's ConsoleDeps and the CLI's stores satisfy it). */
export interface CostViewDeps {
  functions: Pick<FunctionStore, "listFunctions">;
  costLines: Pick<CostLineStore, "readLines">;
  series: Pick<MetricSeriesStore, "readSeries">;
  reportStats: Pick<ReportStatsStore, "readStats">;
  serviceGraph: Pick<ServiceGraphReader, "readServiceGraph">;
  watermarks: Pick<WatermarkStore, "list">;
  costSettings: Pick<CostSettingsStore, "get">;
  /** COST_ALLOCATION_TAG_KEYS. */
  tagKeys: readonly string[];
  /** The home account (SIGHTLINE_ACCOUNT_ID), when known. */
  homeAccountId?: string | null;
}

export type CostViewResult = { kind: "ok"; view: CostView } | { kind: "no-data"; message: string };

export async function getCostView(_deps: CostViewDeps, _params: CostViewParams, _nowMs: number): Promise<CostViewResult> {
  throw new Error("not implemented yet");
}

/** Every allocated row of the window (both BilledCost and EffectiveCost), for CSV and FOCUS exports. */
export async function getCostExportRows(_deps: CostViewDeps, _params: Omit<CostViewParams, "bucket">, _nowMs: number): Promise<CostExportRow[]> {
  throw new Error("not implemented yet");
}
