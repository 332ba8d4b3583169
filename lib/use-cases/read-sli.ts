import type { FunctionConfig } from "@/lib/domain/inventory/function-config";
import type { MetricKey, MetricResolution } from "@/lib/domain/metrics/lambda-metrics";
import { LAMBDA_FUNCTION_TYPE } from "@/lib/domain/service-map/service-graph-snapshot";
import { addTrafficStats } from "@/lib/domain/service-map/traffic-stats";
import type { SliBucket } from "@/lib/domain/slo/sli-bucket";
import { addSliSeries, availabilityFromMetrics, periodLatencyFromMetrics } from "@/lib/domain/slo/sli-from-metrics";
import { sliFromTrafficStats } from "@/lib/domain/slo/sli-from-xray";
import { isXraySli } from "@/lib/domain/slo/sli-key";
import type { SloSpec } from "@/lib/domain/slo/slo-definition";
import { mapWithConcurrency } from "@/lib/domain/shared/concurrency";
import { HOUR_MS, MINUTE_MS, type TimeWindow } from "@/lib/domain/shared/time";
import type { ServiceGraphReader } from "@/lib/ports/service-graph-store";
import type { MetricSeriesStore } from "@/lib/ports/stores";

/** The stored facts an SLI is computed from. */
export interface SliFacts {
  series: MetricSeriesStore;
  graphs: Pick<ServiceGraphReader, "readSnapshots">;
}

const INVOCATIONS: MetricKey = { metric: "Invocations", stat: "Sum" };
const ERRORS: MetricKey = { metric: "Errors", stat: "Sum" };
const THROTTLES: MetricKey = { metric: "Throttles", stat: "Sum" };
const READ_CONCURRENCY = 4;

/**
 * The functions an SLO counts: its function, or every function of its account/region whose
 * `service` tag is the target's service. Empty when none is in the inventory.
 */
export function functionsOfSlo(slo: Pick<SloSpec, "accountId" | "region" | "target">, functions: readonly FunctionConfig[]): FunctionConfig[] {
  return functions.filter(
    (f) =>
      f.accountId === slo.accountId &&
      f.region === slo.region &&
      (slo.target.kind === "function" ? f.functionName === slo.target.functionName : f.tags.service === slo.target.service),
  );
}

/** Why an SLO's functions cannot be found, for its status. */
export function missingTargetProblem(slo: Pick<SloSpec, "accountId" | "region" | "target">): string {
  return slo.target.kind === "function"
    ? `function ${slo.target.functionName} is not in the inventory of ${slo.accountId} ${slo.region}`
    : `no function of ${slo.accountId} ${slo.region} has the tag service=${slo.target.service}`;
}

/**
 * An SLO's good and total events over `window` from the stored facts, summed over its
 * functions. CloudWatch SLIs come at the resolution asked for (minute buckets, or hour
 * buckets from hourly data); X-Ray SLIs always per hour, from the service-graph snapshots
 * (the current hour's partial one included, with its shorter duration).
 */
export async function readSliFromFacts(
  facts: SliFacts,
  slo: SloSpec,
  functionNames: readonly string[],
  window: TimeWindow,
  resolution: MetricResolution,
): Promise<SliBucket[]> {
  if (window.toMs <= window.fromMs || functionNames.length === 0) return [];
  const scope = { accountId: slo.accountId, region: slo.region };
  if (isXraySli(slo)) {
    const names = new Set(functionNames);
    const indicator = slo.indicator.kind === "latency" ? { kind: "latency" as const, thresholdMs: slo.indicator.thresholdMs } : { kind: "availability" as const };
    const snapshots = await facts.graphs.readSnapshots(scope, window);
    return snapshots
      .map((s) => {
        const nodes = s.nodes.filter((n) => n.type === LAMBDA_FUNCTION_TYPE && names.has(n.name));
        const { good, total } = sliFromTrafficStats(addTrafficStats(...nodes.map((n) => n.stats)), indicator);
        return { startMs: s.window.fromMs, durationMs: s.window.toMs - s.window.fromMs, good, total };
      })
      .filter((b) => b.total > 0);
  }
  const bucketMs = resolution === "minute" ? MINUTE_MS : HOUR_MS;
  const indicator = slo.indicator;
  const perFunction = await mapWithConcurrency([...functionNames], READ_CONCURRENCY, async (functionName) => {
    const target = { kind: "function" as const, functionName };
    if (indicator.kind === "latency" && indicator.method === "period") {
      const percentile: MetricKey = { metric: "Duration", stat: indicator.percentile };
      const read = await facts.series.readSeries(scope, target, [percentile, INVOCATIONS], window, resolution);
      return periodLatencyFromMetrics({ percentile: read[`Duration:${indicator.percentile}`] ?? [], invocations: read["Invocations:Sum"] ?? [] }, indicator.thresholdMs, bucketMs);
    }
    const read = await facts.series.readSeries(scope, target, [INVOCATIONS, ERRORS, THROTTLES], window, resolution);
    return availabilityFromMetrics({ invocations: read["Invocations:Sum"] ?? [], errors: read["Errors:Sum"] ?? [], throttles: read["Throttles:Sum"] ?? [] }, bucketMs);
  });
  return addSliSeries(perFunction);
}
