import type { DataSufficiency } from "@/lib/domain/analysis/data-sufficiency";
import type { FunctionRef } from "@/lib/domain/shared/ids";
import type { FunctionTuning } from "@/lib/domain/sizing/tuning-types";

/** What the analyze collector materialises per function. */
export interface FunctionAnalysis extends FunctionRef {
  /** The instant the analysis describes (the run's nowMs). */
  asOfMs: number;
  lookbackDays: number;
  sufficiency: DataSufficiency;
  /** Tuning recommendations (issue 7); null in items written before they existed. */
  tuning: FunctionTuning | null;
}

export interface AnalysisStore {
  /** Replaces the analyses of one account/region: writes these, removes functions no longer present. */
  replaceAll(accountId: string, region: string, analyses: readonly FunctionAnalysis[]): Promise<number>;
  list(accountId: string, region: string): Promise<FunctionAnalysis[]>;
}
