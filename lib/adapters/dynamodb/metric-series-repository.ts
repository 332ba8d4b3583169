import { UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { metricKeyId, type MetricKey, type MetricPoint } from "@/lib/domain/metrics/lambda-metrics";
import type { FunctionRef } from "@/lib/domain/shared/ids";
import { floorToHourMs, MINUTE_MS, type TimeWindow } from "@/lib/domain/shared/time";
import type { MetricSeriesStore } from "@/lib/ports/stores";
import { hourStartFromSeriesSk, minuteAttribute, seriesPk, seriesSk } from "@/lib/adapters/dynamodb/keys";
import { mapWithConcurrency } from "@/lib/domain/shared/concurrency";
import { queryAll } from "@/lib/adapters/dynamodb/query-all";

/** Concurrent UpdateItem calls per writePoints; dynalite and on-demand tables both take this easily. */
const WRITE_CONCURRENCY = 8;

/**
 * Minute series stored as one item per function, metric key and hour (keys.ts). Writes are
 * `SET mN = :v` updates: idempotent, and a late datapoint simply overwrites its minute.
 */
export class DynamoMetricSeriesStore implements MetricSeriesStore {
  constructor(private readonly doc: DynamoDBDocumentClient, private readonly tableName: string) {}

  async writePoints(ref: FunctionRef, key: MetricKey, points: MetricPoint[]): Promise<number> {
    const byHour = new Map<number, MetricPoint[]>();
    for (const point of points) {
      if (!Number.isFinite(point.value)) continue;
      const hour = floorToHourMs(point.timestampMs);
      const bucket = byHour.get(hour) ?? [];
      bucket.push(point);
      byHour.set(hour, bucket);
    }
    const pk = seriesPk(ref.accountId, ref.region, ref.functionName);
    const keyId = metricKeyId(key);
    await mapWithConcurrency([...byHour.entries()], WRITE_CONCURRENCY, async ([hourStartMs, hourPoints]) => {
      const names: Record<string, string> = {};
      const values: Record<string, number> = {};
      const sets: string[] = [];
      for (const point of hourPoints) {
        const minute = Math.floor((point.timestampMs - hourStartMs) / MINUTE_MS);
        names[`#m${minute}`] = minuteAttribute(minute);
        values[`:m${minute}`] = point.value;
        sets.push(`#m${minute} = :m${minute}`);
      }
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk, sk: seriesSk(keyId, hourStartMs) },
          UpdateExpression: `SET ${[...new Set(sets)].join(", ")}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    });
    return [...byHour.values()].reduce((n, ps) => n + ps.length, 0);
  }

  async readSeries(ref: FunctionRef, key: MetricKey, window: TimeWindow): Promise<MetricPoint[]> {
    if (window.toMs <= window.fromMs) return [];
    const keyId = metricKeyId(key);
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
      ExpressionAttributeValues: {
        ":pk": seriesPk(ref.accountId, ref.region, ref.functionName),
        ":from": seriesSk(keyId, floorToHourMs(window.fromMs)),
        ":to": seriesSk(keyId, floorToHourMs(window.toMs - 1)),
      },
    });
    const points: MetricPoint[] = [];
    for (const item of items) {
      const hourStartMs = hourStartFromSeriesSk(String(item.sk));
      for (let minute = 0; minute < 60; minute++) {
        const value = item[minuteAttribute(minute)];
        if (typeof value !== "number") continue;
        const timestampMs = hourStartMs + minute * MINUTE_MS;
        if (timestampMs >= window.fromMs && timestampMs < window.toMs) points.push({ timestampMs, value });
      }
    }
    return points.sort((a, b) => a.timestampMs - b.timestampMs);
  }
}

