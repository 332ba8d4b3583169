import { createHash } from "node:crypto";
import { z } from "zod";
import {
  ACCOUNT_METRICS,
  FUNCTION_METRICS,
  LAMBDA_NAMESPACE,
  PROVISIONED_METRICS,
  evaluateMetricQueries,
  invokedResource,
  type MetricQuerySpec,
  type MetricSeriesResult,
} from "./model/metric-query";
import { parseStatistic, type Statistic } from "./model/metric-stats";
import { awsJsonError, awsJsonResponse, type SimContext, type SimRequest, type SimResponse, type SimService } from "./wire";

/**
 * CloudWatch on the wire: awsJson1_0 with awsQueryCompatible errors
 * (`x-amz-target: GraniteServiceVersion20100801.<Operation>`). GetMetricData, GetMetricStatistics
 * and ListMetrics are served; their limits follow the real service: GetMetricData ≤ 500
 * queries per call, ≤ 100,800 datapoints per page, the rest behind an opaque, deterministic
 * NextToken; GetMetricStatistics one metric, ≤ 1,440 datapoints per call (more is an error).
 */

export const CLOUDWATCH_TARGET_PREFIX = "GraniteServiceVersion20100801.";
const CONTENT_TYPE = "application/x-amz-json-1.0";
const ERROR_NAMESPACE = "com.amazonaws.cloudwatch#";

const MAX_QUERIES = 500;
const MAX_DATAPOINTS_PER_PAGE = 100_800;
/** Periods CloudWatch accepts below one minute (high-resolution metrics only). */
const HIGH_RESOLUTION_PERIODS = new Set([1, 5, 10, 20, 30]);

/** A client-side (400) error in CloudWatch's awsQueryCompatible shape. */
class CloudWatchError extends Error {
  constructor(
    readonly type: "InvalidParameterValueException" | "InvalidNextToken" | "MissingRequiredParameterException" | "InvalidParameterCombinationException",
    readonly queryCode: string,
    message: string,
  ) {
    super(message);
  }
}

const invalidValue = (message: string) => new CloudWatchError("InvalidParameterValueException", "InvalidParameterValue", message);

const DimensionSchema = z.object({ Name: z.string(), Value: z.string() });
const MetricDataQuerySchema = z.object({
  Id: z.string(),
  MetricStat: z
    .object({
      Metric: z.object({
        Namespace: z.string().optional(),
        MetricName: z.string().optional(),
        Dimensions: z.array(DimensionSchema).optional(),
      }),
      Period: z.number(),
      Stat: z.string(),
      Unit: z.string().optional(),
    })
    .optional(),
  Expression: z.string().optional(),
  Label: z.string().optional(),
  ReturnData: z.boolean().optional(),
  Period: z.number().optional(),
  AccountId: z.string().optional(),
});
type MetricDataQuery = z.infer<typeof MetricDataQuerySchema>;

/** The GetMetricData input as the SDK serialises it (timestamps are epoch seconds). */
const GetMetricDataInputSchema = z.object({
  MetricDataQueries: z.array(MetricDataQuerySchema),
  StartTime: z.number(),
  EndTime: z.number(),
  NextToken: z.string().optional(),
  ScanBy: z.string().optional(),
  MaxDatapoints: z.number().optional(),
  LabelOptions: z.object({ Timezone: z.string().optional() }).optional(),
});
type GetMetricDataInput = z.infer<typeof GetMetricDataInputSchema>;

/** What a NextToken carries: where the next page starts and the clock the first page used. */
interface PageToken {
  offset: number;
  nowMs: number;
  requestHash: string;
}

/** CloudWatch as one service of the simulator. */
export function createCloudWatchApi(ctx: SimContext): SimService {
  const pages = new EvaluationCache();
  return { handle: (request) => handleCloudWatch(ctx, request, pages) };
}

/** Handles one CloudWatch JSON-RPC request (already routed here by `x-amz-target`). */
export function handleCloudWatch(ctx: SimContext, request: SimRequest, pages = new EvaluationCache()): SimResponse {
  const target = request.headers["x-amz-target"] ?? "";
  const operation = target.startsWith(CLOUDWATCH_TARGET_PREFIX) ? target.slice(CLOUDWATCH_TARGET_PREFIX.length) : target;
  if (operation !== "GetMetricData" && operation !== "GetMetricStatistics" && operation !== "ListMetrics") {
    return awsJsonError(CONTENT_TYPE, 400, "UnknownOperationException", `The operation ${operation || "(none)"} is not supported by the Sightline simulator.`, "UnknownOperation");
  }
  let body: unknown;
  try {
    body = request.body === "" ? {} : JSON.parse(request.body);
  } catch {
    return awsJsonError(CONTENT_TYPE, 400, "SerializationException", "The request body is not valid JSON.");
  }
  try {
    if (operation === "ListMetrics") return awsJsonResponse(CONTENT_TYPE, listMetrics(ctx, request.region, parseListMetricsInput(body)));
    if (operation === "GetMetricStatistics") return awsJsonResponse(CONTENT_TYPE, getMetricStatistics(ctx, request.region, parseWith(GetMetricStatisticsInputSchema, body)));
    return awsJsonResponse(CONTENT_TYPE, getMetricData(ctx, request.region, parseInput(body), pages));
  } catch (error) {
    if (error instanceof CloudWatchError) {
      return awsJsonError(CONTENT_TYPE, 400, `${ERROR_NAMESPACE}${error.type}`, error.message, error.queryCode);
    }
    throw error;
  }
}

function parseInput(body: unknown): GetMetricDataInput {
  return parseWith(GetMetricDataInputSchema, body);
}

function parseWith<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.join(".") ?? "";
  if (issue?.code === "invalid_type" && issue.message.endsWith("received undefined")) {
    throw new CloudWatchError("MissingRequiredParameterException", "MissingParameter", `The parameter ${path} is required.`);
  }
  throw invalidValue(`The parameter ${path} is invalid: ${issue?.message ?? "unknown problem"}.`);
}

interface PreparedQuery {
  query: MetricDataQuery;
  /** Undefined when the query has no datapoints to compute (math expression, sub-minute period). */
  spec: MetricQuerySpec | undefined;
  messages: { Code: string; Value: string }[];
}

/**
 * The evaluated series of the last few paginated requests (keyed by request and clock): the
 * next page is a slice of the same answer, not a recomputation. The answer does not change
 * between pages because later pages reuse the first page's clock.
 */
export class EvaluationCache {
  private readonly entries = new Map<string, MetricSeriesResult[]>();

  constructor(private readonly capacity = 4) {}

  getOrCompute(key: string, compute: () => MetricSeriesResult[]): MetricSeriesResult[] {
    const cached = this.entries.get(key);
    if (cached !== undefined) return cached;
    const value = compute();
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}

function getMetricData(ctx: SimContext, region: string, input: GetMetricDataInput, pages: EvaluationCache) {
  const queries = input.MetricDataQueries;
  if (queries.length > MAX_QUERIES) {
    throw invalidValue(`The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`);
  }
  if (queries.length === 0) throw invalidValue("The collection MetricDataQueries must not be empty.");
  if (!(input.StartTime < input.EndTime)) {
    throw invalidValue("The parameter StartTime must be less than the parameter EndTime.");
  }
  const scanBy = input.ScanBy ?? "TimestampDescending";
  if (scanBy !== "TimestampDescending" && scanBy !== "TimestampAscending") {
    throw invalidValue(`The value ${scanBy} for parameter ScanBy is not valid; use TimestampDescending or TimestampAscending.`);
  }
  const pageLimit = ctx.faults.pageLimit("cloudwatch") ?? MAX_DATAPOINTS_PER_PAGE;
  const maxDatapoints = Math.min(MAX_DATAPOINTS_PER_PAGE, pageLimit, input.MaxDatapoints ?? MAX_DATAPOINTS_PER_PAGE);
  if (!Number.isInteger(maxDatapoints) || maxDatapoints < 1) {
    throw invalidValue("The parameter MaxDatapoints must be a positive integer.");
  }

  const prepared = queries.map((query, index) => prepareQuery(query, index + 1));
  const ids = new Set<string>();
  for (const { query } of prepared) {
    if (ids.has(query.Id)) throw invalidValue(`The value ${query.Id} for parameter MetricDataQueries.member.Id is duplicated.`);
    ids.add(query.Id);
  }

  const requestHash = hashRequest(input, scanBy);
  const token = input.NextToken === undefined ? undefined : decodeToken(input.NextToken, requestHash);
  // Later pages reuse the first page's clock, so a minute published between two pages cannot
  // shift offsets (and duplicate or drop datapoints).
  const nowMs = token?.nowMs ?? ctx.now();

  const returned = prepared.filter(({ query }) => query.ReturnData !== false);
  const computable = returned.filter((p): p is PreparedQuery & { spec: MetricQuerySpec } => p.spec !== undefined);
  const evaluate = () => evaluateMetricQueries(ctx.model, computable.map((p) => p.spec), { startSec: input.StartTime, endSec: input.EndTime }, nowMs, region);
  // Writes change minutes from their own on, never the ones published at `nowMs`: the cached answer stays right.
  const evaluated = pages.getOrCompute(`${requestHash}:${nowMs}:${region}`, evaluate);
  const seriesByQuery = new Map<PreparedQuery, MetricSeriesResult | undefined>(computable.map((p, index) => [p, evaluated[index]]));

  // Datapoints are paged in one sequence: query by query (request order), each in ScanBy order.
  const offset = token?.offset ?? 0;
  const pageEnd = offset + maxDatapoints;
  let position = 0;
  const results = returned.map((p) => {
    const series = seriesByQuery.get(p) ?? { timestampsSec: [], values: [] };
    let timestamps = series.timestampsSec;
    let values = series.values;
    if (scanBy === "TimestampDescending") {
      timestamps = [...timestamps].reverse();
      values = [...values].reverse();
    }
    const from = Math.min(timestamps.length, Math.max(0, offset - position));
    const to = Math.min(timestamps.length, Math.max(0, pageEnd - position));
    const hasMore = position + timestamps.length > pageEnd;
    position += timestamps.length;
    return {
      Id: p.query.Id,
      Label: p.query.Label ?? p.spec?.metricName ?? p.query.Id,
      Timestamps: timestamps.slice(from, to),
      Values: values.slice(from, to),
      StatusCode: hasMore ? "PartialData" : "Complete",
      ...(p.messages.length > 0 ? { Messages: p.messages } : {}),
    };
  });
  const nextToken = pageEnd < position ? encodeToken({ offset: pageEnd, nowMs, requestHash }) : undefined;
  return { MetricDataResults: results, ...(nextToken === undefined ? {} : { NextToken: nextToken }), Messages: [] };
}

/** Rejects a Period CloudWatch would not accept (`where` names the parameter in the message). */
function checkPeriod(period: number, where: string): void {
  if (!Number.isInteger(period) || period < 1 || (period % 60 !== 0 && !HIGH_RESOLUTION_PERIODS.has(period))) {
    throw invalidValue(`The parameter ${where} must be a multiple of 60, or equal to 1, 5, 10, 20, or 30.`);
  }
}

function prepareQuery(query: MetricDataQuery, member: number): PreparedQuery {
  const where = `MetricDataQueries.member.${member}`;
  if (!/^[a-z][a-zA-Z0-9_]*$/.test(query.Id) || query.Id.length > 255) {
    throw invalidValue(`The value ${query.Id} for parameter ${where}.Id is not valid: it must start with a lowercase letter and contain only letters, numbers and underscores.`);
  }
  const hasStat = query.MetricStat !== undefined;
  const hasExpression = query.Expression !== undefined;
  if (hasStat === hasExpression) {
    throw new CloudWatchError("InvalidParameterCombinationException", "InvalidParameterCombination", `Exactly one of ${where}.MetricStat or ${where}.Expression must be specified.`);
  }
  if (query.MetricStat === undefined) {
    return { query, spec: undefined, messages: [{ Code: "Unsupported", Value: "Metric math expressions are not supported by the Sightline simulator." }] };
  }
  const { Metric, Period, Stat } = query.MetricStat;
  checkPeriod(Period, `${where}.MetricStat.Period`);
  const statistic = parseStatistic(Stat);
  if (statistic === "invalid") {
    throw invalidValue(`The value ${Stat} for parameter ${where}.MetricStat.Stat is not a valid statistic.`);
  }
  if (Metric.MetricName === undefined || Metric.Namespace === undefined) {
    throw new CloudWatchError("MissingRequiredParameterException", "MissingParameter", `The parameters ${where}.MetricStat.Metric.Namespace and MetricName are required.`);
  }
  if ((Metric.Dimensions?.length ?? 0) > 30) {
    throw invalidValue(`The collection ${where}.MetricStat.Metric.Dimensions must not have a size greater than 30.`);
  }
  if (statistic === "unsupported") {
    return { query, spec: undefined, messages: [{ Code: "Unsupported", Value: `The statistic ${Stat} is not modelled by the Sightline simulator.` }] };
  }
  // AWS/Lambda metrics are standard resolution: there is no data below one minute.
  if (Period < 60) return { query, spec: undefined, messages: [] };
  return {
    query,
    spec: {
      namespace: Metric.Namespace,
      metricName: Metric.MetricName,
      dimensions: (Metric.Dimensions ?? []).map((d) => ({ name: d.Name, value: d.Value })),
      periodSeconds: Period,
      statistic: statistic satisfies Statistic,
    },
    messages: [],
  };
}

/** Identifies the request a token belongs to (everything but the page size and the token). */
function hashRequest(input: GetMetricDataInput, scanBy: string): string {
  const canonical = JSON.stringify([input.MetricDataQueries, input.StartTime, input.EndTime, scanBy]);
  return createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}

function encodeToken(token: PageToken): string {
  return Buffer.from(JSON.stringify([1, token.offset, token.nowMs, token.requestHash])).toString("base64url");
}

function decodeToken(text: string, requestHash: string): PageToken {
  const invalid = new CloudWatchError("InvalidNextToken", "InvalidNextToken", "The service returned an invalid next token.");
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    throw invalid;
  }
  const parsed = z.tuple([z.literal(1), z.number().int().nonnegative(), z.number(), z.string()]).safeParse(decoded);
  if (!parsed.success || parsed.data[3] !== requestHash) throw invalid;
  return { offset: parsed.data[1], nowMs: parsed.data[2], requestHash };
}

// ── GetMetricStatistics ──────────────────────────────────────────────────────────────────

/** GetMetricStatistics returns at most 1,440 datapoints per call; asking for more is an error (FACTS.md §6). */
const MAX_STATISTICS_DATAPOINTS = 1_440;
const SIMPLE_STATISTICS = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"] as const;
type SimpleStatistic = (typeof SIMPLE_STATISTICS)[number];

/** The GetMetricStatistics input as the SDK serialises it (one metric; timestamps in epoch seconds). */
const GetMetricStatisticsInputSchema = z.object({
  Namespace: z.string(),
  MetricName: z.string(),
  Dimensions: z.array(DimensionSchema).optional(),
  StartTime: z.number(),
  EndTime: z.number(),
  Period: z.number(),
  Statistics: z.array(z.string()).optional(),
  ExtendedStatistics: z.array(z.string()).optional(),
  Unit: z.string().optional(),
});
type GetMetricStatisticsInput = z.infer<typeof GetMetricStatisticsInputSchema>;

/** The unit AWS/Lambda publishes each metric in (what a Datapoint's `Unit` says and `Unit` filters on). */
function lambdaMetricUnit(metricName: string): string {
  if (metricName === "Duration") return "Milliseconds";
  if (metricName === "ProvisionedConcurrencyUtilization") return "None";
  return "Count";
}

interface StatisticsDatapoint {
  Timestamp: number;
  Unit: string;
  SampleCount?: number;
  Average?: number;
  Sum?: number;
  Minimum?: number;
  Maximum?: number;
  ExtendedStatistics?: Record<string, number>;
}

/**
 * GetMetricStatistics: one metric, its statistics from the same model GetMetricData answers
 * from (so a value agrees with GetMetricData's for the same bucket). As documented, Statistics
 * and ExtendedStatistics are exclusive, more than 1,440 datapoints is an error rather than a
 * page, and datapoints come back in no chronological order (here a fixed scramble, so a
 * client that relies on order fails deterministically).
 */
function getMetricStatistics(ctx: SimContext, region: string, input: GetMetricStatisticsInput) {
  const simple = input.Statistics ?? [];
  const extended = input.ExtendedStatistics ?? [];
  if (simple.length > 0 && extended.length > 0) {
    throw new CloudWatchError(
      "InvalidParameterCombinationException",
      "InvalidParameterCombination",
      "The parameters Statistics and ExtendedStatistics are mutually exclusive and you have specified both.",
    );
  }
  if (simple.length === 0 && extended.length === 0) {
    throw new CloudWatchError("MissingRequiredParameterException", "MissingParameter", "Either the parameter Statistics or ExtendedStatistics is required.");
  }
  if (simple.length > SIMPLE_STATISTICS.length) throw invalidValue(`The collection Statistics must not have a size greater than ${SIMPLE_STATISTICS.length}.`);
  if (extended.length > 10) throw invalidValue("The collection ExtendedStatistics must not have a size greater than 10.");
  simple.forEach((stat, i) => {
    if (!(SIMPLE_STATISTICS as readonly string[]).includes(stat)) {
      throw invalidValue(`The parameter Statistics.member.${i + 1} must be a value in the set [${SIMPLE_STATISTICS.join(", ")}].`);
    }
  });
  const parsedExtended = extended.map((stat, i) => {
    const parsed = parseStatistic(stat);
    if (parsed === "invalid" || (parsed !== "unsupported" && parsed.kind !== "percentile")) {
      throw invalidValue(`The value ${stat} for parameter ExtendedStatistics.member.${i + 1} is not a valid extended statistic.`);
    }
    return { name: stat, statistic: parsed };
  });
  if ((input.Dimensions?.length ?? 0) > 30) throw invalidValue("The collection Dimensions must not have a size greater than 30.");
  checkPeriod(input.Period, "Period");
  if (!(input.StartTime < input.EndTime)) throw invalidValue("The parameter StartTime must be less than the parameter EndTime.");
  const requested = Math.ceil((input.EndTime - input.StartTime) / input.Period);
  if (requested > MAX_STATISTICS_DATAPOINTS) {
    throw new CloudWatchError(
      "InvalidParameterCombinationException",
      "InvalidParameterCombination",
      `You have requested up to ${requested} datapoints, which exceeds the limit of ${MAX_STATISTICS_DATAPOINTS}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
    );
  }

  const unit = lambdaMetricUnit(input.MetricName);
  // A Unit other than the one the metric is published in selects nothing, as on AWS.
  const wanted: { name: string; statistic: Statistic; extended: boolean }[] =
    (input.Unit !== undefined && input.Unit !== unit) || input.Period < 60
      ? []
      : [
          ...simple.map((name) => ({ name, statistic: { kind: name as SimpleStatistic }, extended: false })),
          ...parsedExtended.flatMap(({ name, statistic }) => (statistic === "unsupported" ? [] : [{ name, statistic, extended: true }])),
        ];
  const dimensions = (input.Dimensions ?? []).map((d) => ({ name: d.Name, value: d.Value }));
  const series = evaluateMetricQueries(
    ctx.model,
    wanted.map(({ statistic }) => ({ namespace: input.Namespace, metricName: input.MetricName, dimensions, periodSeconds: input.Period, statistic })),
    { startSec: input.StartTime, endSec: input.EndTime },
    ctx.now(),
    region,
  );
  const byTimestamp = new Map<number, StatisticsDatapoint>();
  wanted.forEach(({ name, extended: isExtended }, i) => {
    const { timestampsSec, values } = series[i]!;
    timestampsSec.forEach((timestamp, j) => {
      let point = byTimestamp.get(timestamp);
      if (point === undefined) byTimestamp.set(timestamp, (point = { Timestamp: timestamp, Unit: unit }));
      if (isExtended) (point.ExtendedStatistics ??= {})[name] = values[j]!;
      else point[name as SimpleStatistic] = values[j]!;
    });
  });
  return { Label: input.MetricName, Datapoints: scramble([...byTimestamp.values()]) };
}

/** A fixed, non-chronological order (by a multiplicative hash of the timestamp). */
function scramble(points: StatisticsDatapoint[]): StatisticsDatapoint[] {
  const key = (p: StatisticsDatapoint) => Math.imul(p.Timestamp / 60, 2_654_435_761) >>> 0;
  return points.sort((a, b) => key(a) - key(b));
}

// ── ListMetrics ──────────────────────────────────────────────────────────────────────────

const ListMetricsInputSchema = z.object({
  Namespace: z.string().optional(),
  MetricName: z.string().optional(),
  Dimensions: z.array(z.object({ Name: z.string(), Value: z.string().optional() })).max(10).optional(),
  NextToken: z.string().optional(),
  RecentlyActive: z.string().optional(),
  IncludeLinkedAccounts: z.boolean().optional(),
  OwningAccount: z.string().optional(),
});
type ListMetricsInput = z.infer<typeof ListMetricsInputSchema>;

function parseListMetricsInput(body: unknown): ListMetricsInput {
  return parseWith(ListMetricsInputSchema, body);
}

/** ListMetrics returns up to 500 metrics per page. */
const LIST_METRICS_PAGE = 500;

interface ListedMetric {
  Namespace: string;
  MetricName: string;
  Dimensions: { Name: string; Value: string }[];
}

/** Every AWS/Lambda metric the region publishes, in a stable order. */
function publishedMetrics(ctx: SimContext, region: string): ListedMetric[] {
  const metric = (name: string, dimensions: { Name: string; Value: string }[]): ListedMetric => ({ Namespace: LAMBDA_NAMESPACE, MetricName: name, Dimensions: dimensions });
  const metrics: ListedMetric[] = ACCOUNT_METRICS.map((name) => metric(name, []));
  const nowMinute = Math.floor(ctx.now() / 60_000);
  for (const fn of ctx.model.fleet.functions) {
    if (fn.region !== region) continue;
    const byName = [{ Name: "FunctionName", Value: fn.name }];
    const byResource = [...byName, { Name: "Resource", Value: invokedResource(fn) }];
    const hasProvisioned = fn.revisions.some((revision) => revision.fromMinute <= nowMinute && revision.provisioned.length > 0);
    for (const name of FUNCTION_METRICS) metrics.push(metric(name, byName));
    if (fn.aliases.length > 0) for (const name of FUNCTION_METRICS) metrics.push(metric(name, byResource));
    if (hasProvisioned) for (const name of PROVISIONED_METRICS) metrics.push(metric(name, byName), metric(name, byResource));
  }
  return metrics;
}

/** ListMetrics: filter by namespace, name and dimensions (a dimension without Value matches any value). */
function listMetrics(ctx: SimContext, region: string, input: ListMetricsInput) {
  if (input.RecentlyActive !== undefined && input.RecentlyActive !== "PT3H") {
    throw invalidValue(`The value ${input.RecentlyActive} for parameter RecentlyActive is not valid; the only valid value is PT3H.`);
  }
  const matches = publishedMetrics(ctx, region).filter((m) =>
    (input.Namespace === undefined || input.Namespace === m.Namespace) &&
    (input.MetricName === undefined || input.MetricName === m.MetricName) &&
    (input.Dimensions ?? []).every((filter) => m.Dimensions.some((d) => d.Name === filter.Name && (filter.Value === undefined || filter.Value === d.Value))),
  );
  const requestHash = createHash("sha256").update(JSON.stringify([input.Namespace, input.MetricName, input.Dimensions, input.RecentlyActive, region])).digest("hex").slice(0, 16);
  const offset = input.NextToken === undefined ? 0 : decodeToken(input.NextToken, requestHash).offset;
  const pageSize = Math.min(LIST_METRICS_PAGE, ctx.faults.pageLimit("cloudwatch") ?? LIST_METRICS_PAGE);
  const end = offset + pageSize;
  return {
    Metrics: matches.slice(offset, end),
    ...(end < matches.length ? { NextToken: encodeToken({ offset: end, nowMs: 0, requestHash }) } : {}),
  };
}
