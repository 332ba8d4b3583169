import { COLLECTOR_CADENCE_MINUTES } from "@/lib/domain/collection/collector-cadence";
import { DynamoAnalysisStore } from "@/lib/adapters/dynamodb/analysis-repository";
import { analyzeFleet } from "@/lib/use-cases/analyze-fleet";
import type { CollectorDefinition } from "@/collectors/_runtime/collector-definition";
import { collectorHandler } from "@/collectors/_runtime/collector-handler";

/** After collection: what later analyses need, materialised per function (no AWS calls). */
export const analyzeCollector: CollectorDefinition = {
  name: "analyze",
  scope: "region",
  everyMinutes: COLLECTOR_CADENCE_MINUTES.analyze,
  collect: (runtime, ctx) =>
    analyzeFleet(
      {
        functions: runtime.functions,
        series: runtime.series,
        analyses: new DynamoAnalysisStore(runtime.doc, runtime.tableName),
        watermarks: runtime.watermarks,
      },
      ctx,
    ),
};

/** Lambda entry point (EventBridge Scheduler, after the collectors). */
export const handler = collectorHandler(analyzeCollector);
