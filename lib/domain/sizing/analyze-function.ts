import type { DataSufficiency } from "@/lib/domain/analysis/data-sufficiency";
import { recommendArchitecture } from "@/lib/domain/sizing/architecture";
import { fitDurationModel } from "@/lib/domain/sizing/duration-model";
import { monthlyOnDemandCostUsd } from "@/lib/domain/sizing/memory-sizing";
import { recommendMemory } from "@/lib/domain/sizing/memory-sizing";
import { recommendProvisionedConcurrency } from "@/lib/domain/sizing/provisioned-concurrency";
import { recommendReservedConcurrency } from "@/lib/domain/sizing/reserved-concurrency";
import type { FunctionTuning, Recommendation, SizingInput } from "@/lib/domain/sizing/tuning-types";

/**
 * Every tuning analysis of one function (memory, architecture, provisioned and reserved
 * concurrency) over its lookback, as the analyze collector stores it. Pure: the same input
 * gives the same FunctionTuning, so a rerun rewrites identical items.
 */
export function analyzeFunctionTuning(input: SizingInput, sufficiency: DataSufficiency, asOfMs: number): FunctionTuning {
  const { fn } = input;
  const base = { accountId: fn.accountId, region: fn.region, functionName: fn.functionName, asOfMs };
  const model = fitDurationModel({ architecture: fn.architecture, memoryMb: fn.memoryMb, reportStats: input.reportStats, recent: input.hours });
  if (model === null) {
    return { ...base, status: "insufficient-data", reason: "no REPORT lines collected in the lookback: duration and memory use are unknown" };
  }
  const results = [
    recommendMemory(input, model),
    recommendArchitecture(input, model),
    recommendProvisionedConcurrency(input, model),
    recommendReservedConcurrency(input, model),
  ];
  const recommendations: Recommendation[] = results.flatMap((r) => (r.recommendation === null ? [] : [r.recommendation]));
  const notes = results.flatMap((r) => (r.note === null ? [] : [r.note]));
  if (sufficiency.kind === "insufficient-data") {
    notes.unshift(`Thin data: ${sufficiency.reason}; Compute Optimizer would skip this function, Sightline answers with lower confidence.`);
  }
  return {
    ...base,
    status: "analysed",
    recommendations,
    notes,
    durationModel: model,
    currentMonthlyCostUsd: monthlyOnDemandCostUsd(input, model, fn.memoryMb, fn.architecture).expected,
  };
}
