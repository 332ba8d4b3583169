import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";
import type { CollectorName, CollectorRun } from "@/lib/domain/collection/collector-run";
import { COLLECTOR_METRICS_NAMESPACE as METRICS_NAMESPACE } from "@/lib/domain/collection/collector-lag";
import { totalRequests } from "@/collectors/_runtime/run-collector";

/** The Powertools service name of every collector (logs, metrics' `service` dimension, traces). */
export const COLLECTORS_SERVICE_NAME = "sightline-collectors";

/** The dimension naming the collector on every metric (besides Powertools' `service`). */
export const COLLECTOR_DIMENSION = "Collector";

/**
 * The metrics a collector invocation publishes (namespace METRICS_NAMESPACE, dimensions
 * `service` = COLLECTORS_SERVICE_NAME and `Collector` = its name), once per invocation:
 * - RunsSucceeded / RunsFailed: account/region runs by outcome (an invocation that failed
 *   before any run — bad event, configuration, unreadable secret — counts one failed run);
 * - ItemsWritten: table items written by its runs;
 * - ApiRequests: HTTP requests to AWS APIs (retries included, as the run ledger counts them);
 * - LagMinutes: the worst collectorLagMinutes over its runs; left out when any run's lag is
 *   unknown (never succeeded there), which the lag alarm treats as breaching.
 */
export const COLLECTOR_METRIC_NAMES = {
  runsSucceeded: "RunsSucceeded",
  runsFailed: "RunsFailed",
  itemsWritten: "ItemsWritten",
  apiRequests: "ApiRequests",
  lagMinutes: "LagMinutes",
} as const;

/** What one invocation did, as the metrics report it. */
export interface InvocationSummary {
  runsSucceeded: number;
  runsFailed: number;
  itemsWritten: number;
  apiRequests: number;
  /** Null: unknown for some run, or no run at all (the metric is left out). */
  lagMinutes: number | null;
}

/**
 * Sums the runs of one invocation. `lagMinutes[i]` is the lag of `runs[i]` (null: unknown).
 * `failedBeforeRuns`: the invocation failed before its runs ran (or finished), counted as one
 * failed run so RunsFailed shows it.
 */
export function summarizeInvocation(runs: readonly CollectorRun[], lagMinutes: readonly (number | null)[], failedBeforeRuns = false): InvocationSummary {
  const failed = runs.filter((r) => r.outcome === "failed").length;
  const known = lagMinutes.filter((l): l is number => l !== null);
  return {
    runsSucceeded: runs.length - failed,
    runsFailed: failed + (failedBeforeRuns ? 1 : 0),
    itemsWritten: runs.reduce((n, r) => n + r.itemsWritten, 0),
    apiRequests: runs.reduce((n, r) => n + totalRequests(r), 0),
    lagMinutes: runs.length > 0 && known.length === runs.length ? Math.max(...known) : null,
  };
}

/** Powertools Metrics (EMF on stdout, which CloudWatch turns into metrics) and Tracer for one collector. */
export interface CollectorTelemetry {
  metrics: Metrics;
  tracer: Tracer;
}

/**
 * Built once per execution environment. The Tracer is inert outside Lambda (no
 * AWS_EXECUTION_ENV: the local scheduler, tests); in Lambda with active tracing it also traces
 * every HTTPS call (the AWS SDK's included) as a subsegment.
 */
export function createCollectorTelemetry(collector: CollectorName): CollectorTelemetry {
  return {
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: COLLECTORS_SERVICE_NAME, defaultDimensions: { [COLLECTOR_DIMENSION]: collector } }),
    tracer: new Tracer({ serviceName: COLLECTORS_SERVICE_NAME }),
  };
}

/** Stores the invocation's metrics and flushes them as one EMF line. */
export function publishInvocationMetrics(metrics: Metrics, summary: InvocationSummary): void {
  metrics.addMetric(COLLECTOR_METRIC_NAMES.runsSucceeded, MetricUnit.Count, summary.runsSucceeded);
  metrics.addMetric(COLLECTOR_METRIC_NAMES.runsFailed, MetricUnit.Count, summary.runsFailed);
  metrics.addMetric(COLLECTOR_METRIC_NAMES.itemsWritten, MetricUnit.Count, summary.itemsWritten);
  metrics.addMetric(COLLECTOR_METRIC_NAMES.apiRequests, MetricUnit.Count, summary.apiRequests);
  // CloudWatch has no minute unit; the name carries it.
  if (summary.lagMinutes !== null) metrics.addMetric(COLLECTOR_METRIC_NAMES.lagMinutes, MetricUnit.NoUnit, summary.lagMinutes);
  metrics.publishStoredMetrics();
}

/**
 * Runs `work` in a `## <collector>` subsegment annotated with the collector (plus Powertools'
 * ColdStart and Service), recording its error; just `work` when tracing is off.
 */
export async function traceInvocation<T>(tracer: Tracer, collector: CollectorName, work: () => Promise<T>): Promise<T> {
  if (!tracer.isTracingEnabled()) return work();
  const parent = tracer.getSegment();
  const subsegment = parent?.addNewSubsegment(`## ${collector}`);
  if (subsegment) tracer.setSegment(subsegment);
  try {
    tracer.annotateColdStart();
    tracer.addServiceNameAnnotation();
    tracer.putAnnotation(COLLECTOR_DIMENSION, collector);
    return await work();
  } catch (error) {
    tracer.addErrorAsMetadata(error as Error);
    throw error;
  } finally {
    subsegment?.close();
    if (parent) tracer.setSegment(parent);
  }
}
