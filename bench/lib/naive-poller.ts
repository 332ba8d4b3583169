/**
 * The per-metric polling peer the collectors are compared with: the way a dashboard script
 * fetches Lambda metrics without GetMetricData — one CloudWatch GetMetricStatistics request per
 * target, metric and window chunk of at most 1,440 datapoints (FACTS.md §6), through the real
 * @aws-sdk/client-cloudwatch client. It reads what the metrics collector reads (the same
 * targets, statistics and windows), so the two call counts compare like for like.
 *
 * It is as frugal as GetMetricStatistics allows: the statistics of one metric share a request,
 * except that plain statistics and percentiles cannot be mixed in one (Statistics and
 * ExtendedStatistics are exclusive), so Duration (Average + p50/p90/p99) takes two.
 */
import { CloudWatchClient, GetMetricStatisticsCommand, type GetMetricStatisticsCommandInput, type Statistic } from "@aws-sdk/client-cloudwatch";
import type { FunctionConfig } from "@/lib/domain/inventory/function-config";
import { metricDimensions, type LambdaMetricName, type MetricTarget } from "@/lib/domain/metrics/lambda-metrics";
import { mapWithConcurrency } from "@/lib/domain/shared/concurrency";
import { HOUR_MS, MINUTE_MS, type TimeWindow } from "@/lib/domain/shared/time";
import { metricTargetsOf } from "@/lib/use-cases/collect-metrics";

/** GetMetricStatistics' limit: at most 1,440 datapoints per request (FACTS.md §6). */
export const MAX_STATISTICS_DATAPOINTS = 1_440;
/** GetMetricStatistics price: $0.01 per 1,000 requests (FACTS.md §6). */
export const USD_PER_STATISTICS_REQUEST = 0.01 / 1_000;

const SIMPLE_STATISTICS: ReadonlySet<string> = new Set(["SampleCount", "Average", "Sum", "Minimum", "Maximum"]);

/** What one request asks for, whatever the window: one metric of one target, statistics of one kind. */
export interface MetricRequestGroup {
  target: MetricTarget;
  metric: LambdaMetricName;
  statistics: Statistic[];
  extendedStatistics: string[];
}

/** The windows a poll covers, as the metrics collector plans them: minute data and hourly data (either may be absent). */
export interface PollWindows {
  minute: TimeWindow | null;
  hour: TimeWindow | null;
}

/**
 * The request groups for a fleet's functions: per target (function, provisioned alias, region)
 * and metric, one group of plain statistics and one of percentiles where it has them.
 */
export function metricRequestGroups(functions: readonly FunctionConfig[]): MetricRequestGroup[] {
  const groups: MetricRequestGroup[] = [];
  for (const { target, keys } of metricTargetsOf(functions)) {
    const byMetric = new Map<LambdaMetricName, { statistics: Statistic[]; extendedStatistics: string[] }>();
    for (const key of keys) {
      const entry = byMetric.get(key.metric) ?? { statistics: [], extendedStatistics: [] };
      if (SIMPLE_STATISTICS.has(key.stat)) entry.statistics.push(key.stat as Statistic);
      else entry.extendedStatistics.push(key.stat);
      byMetric.set(key.metric, entry);
    }
    for (const [metric, { statistics, extendedStatistics }] of byMetric) {
      if (statistics.length > 0) groups.push({ target, metric, statistics, extendedStatistics: [] });
      if (extendedStatistics.length > 0) groups.push({ target, metric, statistics: [], extendedStatistics });
    }
  }
  return groups;
}

/** Cuts a window into consecutive chunks of at most 1,440 periods (the last may be shorter). */
export function statisticsChunks(window: TimeWindow | null, periodMs: number): TimeWindow[] {
  if (window === null || window.fromMs >= window.toMs) return [];
  const chunkMs = MAX_STATISTICS_DATAPOINTS * periodMs;
  const chunks: TimeWindow[] = [];
  for (let from = window.fromMs; from < window.toMs; from += chunkMs) chunks.push({ fromMs: from, toMs: Math.min(from + chunkMs, window.toMs) });
  return chunks;
}

/** The requests a poll makes: every group × every chunk of the minute window (60 s) and the hour window (3600 s). */
export function planPollRequests(groups: readonly MetricRequestGroup[], windows: PollWindows): GetMetricStatisticsCommandInput[] {
  const slices = [
    ...statisticsChunks(windows.minute, MINUTE_MS).map((chunk) => ({ chunk, period: 60 })),
    ...statisticsChunks(windows.hour, HOUR_MS).map((chunk) => ({ chunk, period: 3600 })),
  ];
  return groups.flatMap((group) =>
    slices.map(({ chunk, period }) => ({
      Namespace: "AWS/Lambda",
      MetricName: group.metric,
      Dimensions: metricDimensions(group.target).map((d) => ({ Name: d.name, Value: d.value })),
      StartTime: new Date(chunk.fromMs),
      EndTime: new Date(chunk.toMs),
      Period: period,
      ...(group.statistics.length > 0 ? { Statistics: group.statistics } : { ExtendedStatistics: group.extendedStatistics }),
    })),
  );
}

/**
 * The number of requests `planPollRequests` makes, without building them (for the windows too
 * slow to poll here): groups × (minute chunks + hour chunks).
 */
export function pollRequestCount(groups: number, windows: PollWindows): number {
  return groups * (statisticsChunks(windows.minute, MINUTE_MS).length + statisticsChunks(windows.hour, HOUR_MS).length);
}

export interface PollResult {
  requests: number;
  datapoints: number;
  seconds: number;
}

/**
 * Sends every request, `concurrency` at a time, through one CloudWatch client against
 * `endpoint` (the SDK's own retries apply), and counts the datapoints returned.
 */
export async function runPoll(
  requests: readonly GetMetricStatisticsCommandInput[],
  options: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string }; concurrency: number },
): Promise<PollResult> {
  const client = new CloudWatchClient({ endpoint: options.endpoint, region: options.region, credentials: options.credentials });
  const started = performance.now();
  let datapoints = 0;
  try {
    await mapWithConcurrency(requests, options.concurrency, async (input) => {
      const output = await client.send(new GetMetricStatisticsCommand(input));
      datapoints += output.Datapoints?.length ?? 0;
    });
  } finally {
    client.destroy();
  }
  return { requests: requests.length, datapoints, seconds: (performance.now() - started) / 1000 };
}
