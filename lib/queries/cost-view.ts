import type { CostExportRow, CostGroupBy, CostView } from "@/lib/domain/cost/cost-types";
import type { TimeWindow } from "@/lib/domain/shared/time";

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
}

/** The repositories the view reads (the console's ConsoleDeps and the CLI's stores satisfy it). */
export type CostViewDeps = Record<string, unknown>;

export type CostViewResult = { kind: "ok"; view: CostView } | { kind: "no-data"; message: string };

export async function getCostView(_deps: CostViewDeps, _params: CostViewParams, _nowMs: number): Promise<CostViewResult> {
  throw new Error("not implemented yet");
}

/** Every allocated row of the window (both BilledCost and EffectiveCost), for CSV and FOCUS exports. */
export async function getCostExportRows(_deps: CostViewDeps, _params: Omit<CostViewParams, "bucket">, _nowMs: number): Promise<CostExportRow[]> {
  throw new Error("not implemented yet");
}
