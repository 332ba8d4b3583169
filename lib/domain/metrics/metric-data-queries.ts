import type { FunctionRef } from "@/lib/domain/shared/ids";
import { type MetricKey } from "@/lib/domain/metrics/lambda-metrics";

/** CloudWatch's limit of metric queries in one GetMetricData call (FACTS.md §6). */
export const MAX_QUERIES_PER_CALL = 500;

/** One MetricStat query, in the shape GetMetricData takes, with where its answer belongs. */
export interface MetricDataQuery {
  /** Unique within its batch; CloudWatch wants ^[a-z][a-zA-Z0-9_]*$. */
  id: string;
  namespace: "AWS/Lambda";
  metricName: string;
  dimensions: { name: string; value: string }[];
  periodSeconds: number;
  stat: string;
  target: { ref: FunctionRef; key: MetricKey };
}

/**
 * Builds the GetMetricData query sets for every function × metric key, packed into batches
 * of at most 500 queries so the call count sits at the floor ceil(N × M / 500).
 */
export function buildLambdaMetricQueryBatches(
  functions: readonly FunctionRef[],
  keys: readonly MetricKey[],
  periodSeconds: number,
): MetricDataQuery[][] {
  if (!Number.isInteger(periodSeconds) || periodSeconds <= 0 || periodSeconds % 60 !== 0) {
    throw new RangeError(`periodSeconds must be a positive multiple of 60, got ${periodSeconds}`);
  }
  const all: Omit<MetricDataQuery, "id">[] = [];
  for (const ref of functions) {
    for (const key of keys) {
      all.push({
        namespace: "AWS/Lambda",
        metricName: key.metric,
        dimensions: [{ name: "FunctionName", value: ref.functionName }],
        periodSeconds,
        stat: key.stat,
        target: { ref, key },
      });
    }
  }
  const batches: MetricDataQuery[][] = [];
  for (let i = 0; i < all.length; i += MAX_QUERIES_PER_CALL) {
    batches.push(all.slice(i, i + MAX_QUERIES_PER_CALL).map((q, j) => ({ ...q, id: `q${j}` })));
  }
  return batches;
}
