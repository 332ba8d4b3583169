import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { metricKeyId, metricTargetId, type MetricBucket, type MetricKey, type MetricPoint, type MetricResolution, type MetricTarget } from "@/lib/domain/metrics/lambda-metrics";
import { pointsOfBucket, RESOLUTIONS } from "@/lib/domain/metrics/metric-buckets";
import type { TimeWindow } from "@/lib/domain/shared/time";
import type { MetricSeriesStore } from "@/lib/ports/stores";
import { hourItemSk, metricsPk, minuteItemSk, parseTimeKey } from "@/lib/adapters/dynamodb/keys";
import { putItems } from "@/lib/adapters/dynamodb/batch-write";
import { StoredItemError } from "@/lib/adapters/dynamodb/item-error";
import { decodeSeries, encodeSeries } from "@/lib/adapters/dynamodb/series-codec";
import { queryAll } from "@/lib/adapters/dynamodb/query-all";

const SeriesBytesSchema = z.instanceof(Uint8Array, { message: "must be a binary series (float64 values)" });

function bucketSk(resolution: MetricResolution, startMs: number): string {
  return resolution === "minute" ? minuteItemSk(startMs) : hourItemSk(startMs);
}

/**
 * Metric buckets stored as one item per target and hour (minute data) or day (hourly data),
 * every key of the target in it (keys.ts). Writes are whole-item puts: the same answer
 * written twice gives the same bytes, a late datapoint lands when its bucket is re-read.
 */
export class DynamoMetricSeriesStore implements MetricSeriesStore {
  constructor(private readonly doc: DynamoDBDocumentClient, private readonly tableName: string) {}

  async writeBuckets(buckets: readonly MetricBucket[]): Promise<number> {
    const items = buckets.map((b) => ({
      pk: metricsPk(b.accountId, b.region, metricTargetId(b.target)),
      sk: bucketSk(b.resolution, b.startMs),
      ...Object.fromEntries(Object.keys(b.values).sort().map((k) => [k, encodeSeries(b.values[k]!)])),
    }));
    return putItems(this.doc, this.tableName, items);
  }

  async readSeries(
    scope: { accountId: string; region: string },
    target: MetricTarget,
    keys: readonly MetricKey[],
    window: TimeWindow,
    resolution: MetricResolution,
  ): Promise<Record<string, MetricPoint[]>> {
    const result: Record<string, MetricPoint[]> = Object.fromEntries(keys.map((k) => [metricKeyId(k), []]));
    if (window.toMs <= window.fromMs) return result;
    const { bucketMs } = RESOLUTIONS[resolution];
    const firstStart = Math.floor(window.fromMs / bucketMs) * bucketMs;
    const lastStart = Math.floor((window.toMs - 1) / bucketMs) * bucketMs;
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
      ExpressionAttributeValues: {
        ":pk": metricsPk(scope.accountId, scope.region, metricTargetId(target)),
        ":from": bucketSk(resolution, firstStart),
        ":to": bucketSk(resolution, lastStart),
      },
      ProjectionExpression: ["sk", ...keys.map((_, i) => `#k${i}`)].join(", "),
      ExpressionAttributeNames: Object.fromEntries(keys.map((k, i) => [`#k${i}`, metricKeyId(k)])),
    });
    for (const raw of items) {
      const sk = String(raw.sk);
      const startMs = parseTimeKey(sk.slice(2));
      const values: Record<string, (number | null)[]> = {};
      for (const key of keys) {
        const id = metricKeyId(key);
        if (raw[id] === undefined) continue;
        const parsed = SeriesBytesSchema.safeParse(raw[id]);
        if (!parsed.success) throw new StoredItemError(raw.pk ?? metricsPk(scope.accountId, scope.region, metricTargetId(target)), sk, parsed.error.issues.map((i) => ({ ...i, path: [id, ...i.path] })));
        values[id] = decodeSeries(parsed.data);
      }
      for (const id of Object.keys(values)) result[id]!.push(...pointsOfBucket({ resolution, startMs, values }, id, window));
    }
    return result;
  }
}
