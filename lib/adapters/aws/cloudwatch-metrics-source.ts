import { type CloudWatchClient, paginateGetMetricData, type MetricDataQuery as SdkQuery } from "@aws-sdk/client-cloudwatch";
import type { MetricPoint } from "@/lib/domain/metrics/lambda-metrics";
import type { MetricDataQuery } from "@/lib/domain/metrics/metric-data-queries";
import type { TimeWindow } from "@/lib/domain/shared/time";
import type { MetricQueryResult, MetricsSource } from "@/lib/ports/metrics-source";
import { reachingAws } from "@/lib/adapters/aws/unreachable";

function toSdkQuery(query: MetricDataQuery): SdkQuery {
  return {
    Id: query.id,
    MetricStat: {
      Metric: {
        Namespace: query.namespace,
        MetricName: query.metricName,
        Dimensions: query.dimensions.map((d) => ({ Name: d.name, Value: d.value })),
      },
      Period: query.periodSeconds,
      Stat: query.stat,
    },
    ReturnData: true,
  };
}

/**
 * Runs GetMetricData for one batch and follows NextToken: one logical call, which CloudWatch
 * may split into pages when the answer exceeds 100,800 datapoints.
 */
export class CloudWatchMetricsSource implements MetricsSource {
  constructor(private readonly client: CloudWatchClient) {}

  async getMetricData(batch: MetricDataQuery[], window: TimeWindow): Promise<MetricQueryResult[]> {
    if (batch.length === 0) return [];
    const pointsById = new Map<string, MetricPoint[]>(batch.map((q) => [q.id, []]));
    const pages = paginateGetMetricData(
      { client: this.client },
      {
        MetricDataQueries: batch.map(toSdkQuery),
        StartTime: new Date(window.fromMs),
        EndTime: new Date(window.toMs),
        ScanBy: "TimestampAscending",
      },
    );
    await reachingAws("CloudWatch", async () => {
      for await (const page of pages) {
        for (const result of page.MetricDataResults ?? []) {
          const points = result.Id ? pointsById.get(result.Id) : undefined;
          if (!points) continue;
          const timestamps = result.Timestamps ?? [];
          const values = result.Values ?? [];
          timestamps.forEach((t, i) => {
            const value = values[i];
            if (typeof value === "number" && Number.isFinite(value)) points.push({ timestampMs: t.getTime(), value });
          });
        }
      }
    });
    return batch.map((query) => ({
      query,
      points: (pointsById.get(query.id) ?? []).sort((a, b) => a.timestampMs - b.timestampMs),
    }));
  }
}
