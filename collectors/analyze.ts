import { DynamoAnalysisStore } from "@/lib/adapters/dynamodb/analysis-repository";
import { DynamoReportStatsStore } from "@/lib/adapters/dynamodb/report-stats-repository";
import { DynamoSloStore } from "@/lib/adapters/dynamodb/slo-repository";
import { analyzeFleet } from "@/lib/use-cases/analyze-fleet";
import type { CollectorDefinition } from "@/collectors/_runtime/collector-definition";
import { collectorHandler } from "@/collectors/_runtime/collector-handler";

/** After collection: data sufficiency and tuning recommendations per function (no AWS calls). */
export const analyzeCollector: CollectorDefinition = {
  name: "analyze",
  scope: "region",
  collect: (runtime, ctx) =>
    analyzeFleet(
      {
        functions: runtime.functions,
        series: runtime.series,
        reportStats: new DynamoReportStatsStore(runtime.doc, runtime.tableName),
        slos: new DynamoSloStore(runtime.doc, runtime.tableName),
        analyses: new DynamoAnalysisStore(runtime.doc, runtime.tableName),
        watermarks: runtime.watermarks,
      },
      ctx,
    ),
};

/** Lambda entry point (EventBridge Scheduler, after the collectors). */
export const handler = collectorHandler(analyzeCollector);
