import { metricDimensions, type MetricKey, type MetricTarget } from "@/lib/domain/metrics/lambda-metrics";

/** CloudWatch's limits for one GetMetricData call (FACTS.md §6). */
export const MAX_QUERIES_PER_CALL = 500;
export const MAX_DATAPOINTS_PER_CALL = 100_800;

/** One MetricStat query, in the shape GetMetricData takes, with where its answer belongs. */
export interface MetricDataQuery {
  /** Unique within its batch; CloudWatch wants ^[a-z][a-zA-Z0-9_]*$. */
  id: string;
  namespace: "AWS/Lambda";
  metricName: string;
  dimensions: { name: string; value: string }[];
  periodSeconds: number;
  stat: string;
  target: { target: MetricTarget; key: MetricKey };
}

/**
 * Builds the GetMetricData query sets for every target × its keys, packed into batches of at
 * most 500 queries so the call count per window sits at the floor ceil(queries / 500).
 */
export function buildMetricQueryBatches(
  targets: readonly { target: MetricTarget; keys: readonly MetricKey[] }[],
  periodSeconds: number,
): MetricDataQuery[][] {
  if (!Number.isInteger(periodSeconds) || periodSeconds <= 0 || periodSeconds % 60 !== 0) {
    throw new RangeError(`periodSeconds must be a positive multiple of 60, got ${periodSeconds}`);
  }
  const all: Omit<MetricDataQuery, "id">[] = [];
  for (const { target, keys } of targets) {
    for (const key of keys) {
      all.push({
        namespace: "AWS/Lambda",
        metricName: key.metric,
        dimensions: metricDimensions(target),
        periodSeconds,
        stat: key.stat,
        target: { target, key },
      });
    }
  }
  const batches: MetricDataQuery[][] = [];
  for (let i = 0; i < all.length; i += MAX_QUERIES_PER_CALL) {
    batches.push(all.slice(i, i + MAX_QUERIES_PER_CALL).map((q, j) => ({ ...q, id: `q${j}` })));
  }
  return batches;
}

/**
 * The fewest GetMetricData calls that can fetch `queries` series of `periods` datapoints each:
 * per full batch of 500, the datapoints it returns over 100,800 per call (FACTS.md §6).
 */
export function getMetricDataFloor(queries: number, periods: number): number {
  let calls = 0;
  for (let left = queries; left > 0; left -= MAX_QUERIES_PER_CALL) {
    const batch = Math.min(left, MAX_QUERIES_PER_CALL);
    calls += Math.max(1, Math.ceil((batch * periods) / MAX_DATAPOINTS_PER_CALL));
  }
  return calls;
}

