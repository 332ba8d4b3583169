import { createHash } from "node:crypto";
import { z } from "zod";
import { firstUnpublishedMinute } from "../model/time";
import { awsJsonError, awsJsonResponse, type SimContext, type SimRequest, type SimResponse, type SimService } from "../wire";
import { CostExplorerError, validationError } from "./cost-errors";
import { ExpressionSchema, toFilterExpression, type FilterExpression, type WireExpression } from "./cost-filter";
import { CostLedger } from "./cost-ledger";
import { evaluateCostQuery, type CostAggregate, type GroupDefinitionSpec, type PeriodCosts } from "./cost-query";
import { listDimensionValues, listTags, type SortSpec, type ValueAggregate } from "./dimension-values";
import { DIMENSION_KEYS, GROUP_BY_DIMENSIONS, type DimensionKey } from "./dimensions";
import { finalThroughMs, GRANULARITIES, MS_PER_DAY, parseBound, splitPeriods, type Granularity } from "./time-period";

/**
 * Cost Explorer on the wire (awsJson1_1, `x-amz-target: AWSInsightsIndexService.<Operation>`):
 * GetCostAndUsage, GetCostAndUsageWithResources, GetDimensionValues and GetTags over the
 * simulated bill (see cost-ledger.ts). Amounts are decimal strings; pages are cut by an
 * opaque token bound to the request and to the clock of the first page.
 */

/** Cost Explorer on the wire (awsJson1_1, `x-amz-target: AWSInsightsIndexService.<Operation>`). */
export const COST_EXPLORER_TARGET_PREFIX = "AWSInsightsIndexService.";
const CONTENT_TYPE = "application/x-amz-json-1.1";

/** Groups per page of GetCostAndUsage, values per page of GetDimensionValues / GetTags. */
const DEFAULT_PAGE_SIZE = 1000;
/** Resource-level and hourly data reach back 14 days. */
const FINE_GRAINED_DAYS = 14;
/** DAILY and MONTHLY data reach back 13 months (the current one and 12 before it). */
const HISTORY_MONTHS = 12;
/** Periods may reach into the future (they come back empty and estimated), but not without bound. */
const MAX_FUTURE_DAYS = 366;

const COST_METRICS = new Set(["UnblendedCost", "BlendedCost", "AmortizedCost", "NetUnblendedCost", "NetAmortizedCost"]);
const METRICS = [...COST_METRICS, "UsageQuantity", "NormalizedUsageAmount"] as const;
const METRIC_SET: ReadonlySet<string> = new Set(METRICS);

const DateIntervalSchema = z.object({ Start: z.string(), End: z.string() });
const GroupDefinitionSchema = z.object({ Type: z.string().optional(), Key: z.string().optional() });
const SortDefinitionSchema = z.object({ Key: z.string(), SortOrder: z.string().optional() });

const CostAndUsageInputSchema = z.object({
  TimePeriod: DateIntervalSchema,
  Granularity: z.string(),
  Metrics: z.array(z.string()).optional(),
  Filter: ExpressionSchema.optional(),
  GroupBy: z.array(GroupDefinitionSchema).optional(),
  BillingViewArn: z.string().optional(),
  NextPageToken: z.string().optional(),
});
type CostAndUsageInput = z.infer<typeof CostAndUsageInputSchema>;

const DimensionValuesInputSchema = z.object({
  TimePeriod: DateIntervalSchema,
  Dimension: z.string(),
  SearchString: z.string().optional(),
  Context: z.string().optional(),
  Filter: ExpressionSchema.optional(),
  SortBy: z.array(SortDefinitionSchema).optional(),
  BillingViewArn: z.string().optional(),
  MaxResults: z.number().int().optional(),
  NextPageToken: z.string().optional(),
});

const TagsInputSchema = z.object({
  TimePeriod: DateIntervalSchema,
  SearchString: z.string().optional(),
  TagKey: z.string().optional(),
  Filter: ExpressionSchema.optional(),
  SortBy: z.array(SortDefinitionSchema).optional(),
  BillingViewArn: z.string().optional(),
  MaxResults: z.number().int().optional(),
  NextPageToken: z.string().optional(),
});

/**
 * The last evaluated GetCostAndUsage answer, keyed by request and clock, so that walking the
 * pages of a large answer evaluates it once rather than once per page.
 */
interface AnswerMemo {
  key: string;
  results: PeriodCosts[];
}

/** Cost Explorer as one service of the simulator: one ledger (and its day cache) per simulator. */
export function createCostExplorerApi(ctx: SimContext): SimService {
  const ledger = new CostLedger(ctx.model);
  const memo: AnswerMemo = { key: "", results: [] };
  return { handle: (request) => handleCostExplorer(ctx, ledger, request, memo) };
}

/** Handles one Cost Explorer request (already routed here by `x-amz-target`). */
export function handleCostExplorer(ctx: SimContext, ledger: CostLedger, request: SimRequest, memo: AnswerMemo = { key: "", results: [] }): SimResponse {
  const target = request.headers["x-amz-target"] ?? "";
  const operation = target.startsWith(COST_EXPLORER_TARGET_PREFIX) ? target.slice(COST_EXPLORER_TARGET_PREFIX.length) : target;
  try {
    const body = parseBody(request.body);
    switch (operation) {
      case "GetCostAndUsage":
        return awsJsonResponse(CONTENT_TYPE, getCostAndUsage(ctx, ledger, memo, parseInput(CostAndUsageInputSchema, body), false));
      case "GetCostAndUsageWithResources":
        return awsJsonResponse(CONTENT_TYPE, getCostAndUsage(ctx, ledger, memo, parseInput(CostAndUsageInputSchema, body), true));
      case "GetDimensionValues":
        return awsJsonResponse(CONTENT_TYPE, getDimensionValues(ctx, ledger, parseInput(DimensionValuesInputSchema, body)));
      case "GetTags":
        return awsJsonResponse(CONTENT_TYPE, getTags(ctx, ledger, parseInput(TagsInputSchema, body)));
      default:
        throw new CostExplorerError("UnknownOperationException", `The operation ${operation || "(none)"} is not supported by the Sightline simulator.`);
    }
  } catch (error) {
    if (error instanceof CostExplorerError) return awsJsonError(CONTENT_TYPE, 400, error.type, error.message);
    throw error;
  }
}

function parseBody(text: string): unknown {
  try {
    return text === "" ? {} : JSON.parse(text);
  } catch {
    throw new CostExplorerError("SerializationException", "The request body is not valid JSON.");
  }
}

/** zod-parses a request; a missing member reads like AWS's own "Member must not be null". */
function parseInput<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = (issue?.path ?? []).map((part) => (typeof part === "string" ? part.charAt(0).toLowerCase() + part.slice(1) : String(part))).join(".");
  if (issue?.code === "invalid_type" && issue.input === undefined) {
    throw validationError(`1 validation error detected: Value null at '${path}' failed to satisfy constraint: Member must not be null`);
  }
  throw new CostExplorerError("SerializationException", `Invalid value at '${path}': ${issue?.message ?? "unexpected value"}.`);
}

// ── GetCostAndUsage / GetCostAndUsageWithResources ───────────────────────────────────────────

function getCostAndUsage(ctx: SimContext, ledger: CostLedger, memo: AnswerMemo, input: CostAndUsageInput, withResources: boolean) {
  const operation = withResources ? "GetCostAndUsageWithResources" : "GetCostAndUsage";
  const hash = requestHash(operation, input);
  const granularity = parseGranularity(input.Granularity);
  if (withResources && granularity === "MONTHLY") {
    throw validationError("Granularity MONTHLY is not supported for resource-level data; use DAILY or HOURLY.");
  }
  if (withResources && input.Filter === undefined) {
    throw validationError("1 validation error detected: Value null at 'filter' failed to satisfy constraint: Member must not be null");
  }
  const metrics = parseMetrics(input.Metrics);
  const token = input.NextPageToken === undefined ? undefined : decodeToken(input.NextPageToken, hash);
  // Later pages reuse the first page's clock, so data published between pages cannot shift them.
  const nowMs = token?.nowMs ?? ctx.now();
  const startMs = parseBound(input.TimePeriod.Start, granularity, "Start");
  const endMs = parseBound(input.TimePeriod.End, granularity, "End");
  checkRange(startMs, endMs, nowMs);
  const todayMs = Math.floor(nowMs / MS_PER_DAY) * MS_PER_DAY;
  if (granularity === "HOURLY" || withResources) {
    if (startMs < todayMs - FINE_GRAINED_DAYS * MS_PER_DAY) {
      throw validationError("start date is too old for hourly, the max supported days for hourly granularity is 14 days.");
    }
  } else if (startMs < monthsBefore(todayMs, HISTORY_MONTHS)) {
    throw validationError("start date is too old: DAILY and MONTHLY data cover the current month and the 12 months before it.");
  }
  const groupBy = parseGroupBy(input.GroupBy, withResources);
  const filter = parseFilter(input.Filter, withResources);

  const memoKey = `${hash}@${nowMs}`;
  if (memo.key !== memoKey) {
    memo.results = evaluateCostQuery(ledger, ctx.model.fleet.accountId, {
      periods: splitPeriods(startMs, endMs, granularity),
      filter,
      groupBy,
      cutoffMinute: firstUnpublishedMinute(nowMs),
    });
    memo.key = memoKey;
  }
  const results = memo.results;
  const finalThrough = finalThroughMs(nowMs, ctx.model.fleet.costSettleMinutes);
  const pageSize = pageSizeFor(ctx);
  const offset = token?.offset ?? 0;
  const page = groupBy.length === 0 ? { results, nextOffset: undefined } : pageOfGroups(results, offset, pageSize);
  const nextPageToken = page.nextOffset === undefined ? undefined : encodeToken({ offset: page.nextOffset, nowMs, hash });
  return {
    ...(nextPageToken === undefined ? {} : { NextPageToken: nextPageToken }),
    ...(input.GroupBy === undefined ? {} : { GroupDefinitions: groupBy.map((g) => ({ Type: g.type, Key: g.key })) }),
    ResultsByTime: page.results.map((result) => ({
      TimePeriod: { Start: result.period.start, End: result.period.end },
      Total: groupBy.length === 0 ? metricValues(metrics, result.total) : {},
      Groups: result.groups.map((group) => ({ Keys: [...group.keys], Metrics: metricValues(metrics, group.aggregate) })),
      // Periods reaching into a day that is not final yet (today, and days closed less than the
      // scenario's costExplorer.settleHours ago) are estimates.
      Estimated: result.period.endMs > finalThrough,
    })),
    DimensionValueAttributes: [],
  };
}

function parseGranularity(text: string): Granularity {
  if (!(GRANULARITIES as readonly string[]).includes(text)) {
    throw validationError(`1 validation error detected: Value '${text}' at 'granularity' failed to satisfy constraint: Member must satisfy enum value set: [${GRANULARITIES.join(", ")}]`);
  }
  return text as Granularity;
}

function parseMetrics(metrics: readonly string[] | undefined): readonly string[] {
  if (metrics === undefined || metrics.length === 0) throw validationError("Metrics is required: name at least one of " + METRICS.join(", ") + ".");
  for (const metric of metrics) {
    if (!METRIC_SET.has(metric)) throw validationError(`Metric ${metric} is invalid. Valid values are ${METRICS.join(", ")}.`);
  }
  return [...new Set(metrics)];
}

function checkRange(startMs: number, endMs: number, nowMs: number): void {
  if (!(startMs < endMs)) throw validationError("Start date (and hour) should be before end date (and hour)");
  if (endMs > nowMs + MAX_FUTURE_DAYS * MS_PER_DAY) throw validationError("End date is too far in the future.");
}

/** The first day of the UTC month `months` before the month of `ms`. */
function monthsBefore(ms: number, months: number): number {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - months, 1);
}

function parseGroupBy(raw: readonly { Type?: string | undefined; Key?: string | undefined }[] | undefined, withResources: boolean): GroupDefinitionSpec[] {
  if (raw === undefined) return [];
  if (raw.length > 2) throw validationError("GroupBy accepts at most 2 group definitions (DIMENSION, TAG or COST_CATEGORY).");
  const allowed: readonly DimensionKey[] = withResources ? [...GROUP_BY_DIMENSIONS, "RESOURCE_ID"] : GROUP_BY_DIMENSIONS;
  const seen = new Set<string>();
  return raw.map(({ Type: type, Key: key }) => {
    if (type === undefined || type === "" || key === undefined || key === "") {
      throw validationError("Group Definition is invalid. Both type an key need to be set to a non-empty value.");
    }
    if (type !== "DIMENSION" && type !== "TAG" && type !== "COST_CATEGORY") throw validationError("Group Definition type is invalid.");
    if (type === "DIMENSION" && !(allowed as readonly string[]).includes(key)) {
      throw validationError(`Group Definition dimension is invalid. Valid values are ${allowed.join(", ")}.`);
    }
    const id = `${type}:${key}`;
    if (seen.has(id)) throw validationError(`Group Definition ${type} ${key} is duplicated.`);
    seen.add(id);
    return type === "DIMENSION" ? { type, key: key as DimensionKey } : { type, key };
  });
}

function parseFilter(filter: WireExpression | undefined, allowResourceId: boolean): FilterExpression | undefined {
  return filter === undefined ? undefined : toFilterExpression(filter, { allowResourceId });
}

/**
 * One page of groups: groups are numbered across periods in order; a page holds `pageSize` of
 * them, each period appearing with the part of its groups on the page (periods without groups
 * go with the page their position falls on).
 */
function pageOfGroups(results: readonly PeriodCosts[], offset: number, pageSize: number): { results: PeriodCosts[]; nextOffset: number | undefined } {
  const totalGroups = results.reduce((sum, result) => sum + result.groups.length, 0);
  const pageIndex = Math.floor(offset / pageSize);
  const lastPage = Math.max(0, Math.ceil(totalGroups / pageSize) - 1);
  const page: PeriodCosts[] = [];
  let position = 0;
  for (const result of results) {
    const count = result.groups.length;
    if (count === 0) {
      if (Math.min(Math.floor(position / pageSize), lastPage) === pageIndex) page.push(result);
    } else {
      const from = Math.max(0, offset - position);
      const to = Math.min(count, offset + pageSize - position);
      if (from < to) page.push({ ...result, groups: result.groups.slice(from, to) });
    }
    position += count;
  }
  return { results: page, nextOffset: offset + pageSize < totalGroups ? offset + pageSize : undefined };
}

function metricValues(metrics: readonly string[], aggregate: CostAggregate): Record<string, { Amount: string; Unit: string }> {
  const values: Record<string, { Amount: string; Unit: string }> = {};
  for (const metric of metrics) {
    if (COST_METRICS.has(metric)) values[metric] = { Amount: formatAmount(aggregate.costUsd), Unit: "USD" };
    else if (metric === "UsageQuantity") values[metric] = { Amount: formatAmount(aggregate.quantity), Unit: aggregate.unit ?? "N/A" };
    // Normalized units only exist for reserved EC2/RDS capacity; serverless usage has none.
    else values[metric] = { Amount: "0", Unit: "N/A" };
  }
  return values;
}

/** A decimal string with at most 10 fractional digits, trailing zeros removed ("0" for zero). */
export function formatAmount(value: number): string {
  if (!Number.isFinite(value) || Math.abs(value) < 5e-11) return "0";
  return value.toFixed(10).replace(/\.?0+$/, "");
}

// ── GetDimensionValues / GetTags ─────────────────────────────────────────────────────────────

function getDimensionValues(ctx: SimContext, ledger: CostLedger, input: z.infer<typeof DimensionValuesInputSchema>) {
  const token = input.NextPageToken === undefined ? undefined : decodeToken(input.NextPageToken, requestHash("GetDimensionValues", input));
  const nowMs = token?.nowMs ?? ctx.now();
  const { startMs, endMs } = parseListingPeriod(input.TimePeriod, nowMs);
  if (!(DIMENSION_KEYS as readonly string[]).includes(input.Dimension)) {
    throw validationError(`1 validation error detected: Value '${input.Dimension}' at 'dimension' failed to satisfy constraint: Member must satisfy enum value set: [${DIMENSION_KEYS.join(", ")}]`);
  }
  const dimension = input.Dimension as DimensionKey;
  if (dimension === "RESOURCE_ID" && startMs < Math.floor(nowMs / MS_PER_DAY) * MS_PER_DAY - FINE_GRAINED_DAYS * MS_PER_DAY) {
    throw validationError("start date is too old for hourly, the max supported days for hourly granularity is 14 days.");
  }
  const context = input.Context ?? "COST_AND_USAGE";
  if (!["COST_AND_USAGE", "RESERVATIONS", "SAVINGS_PLANS"].includes(context)) {
    throw validationError(`1 validation error detected: Value '${context}' at 'context' failed to satisfy constraint: Member must satisfy enum value set: [COST_AND_USAGE, RESERVATIONS, SAVINGS_PLANS]`);
  }
  const sort = parseSort(input.SortBy);
  const filter = parseFilter(input.Filter, true);
  // The account has no reservations or savings plans: those contexts list nothing.
  const values = context === "COST_AND_USAGE"
    ? listDimensionValues(ledger, ctx.model.fleet.accountId, { dimension, startMs, endMs, cutoffMinute: firstUnpublishedMinute(nowMs), filter, searchString: input.SearchString, sort })
    : [];
  const page = pageOfValues(values, token?.offset ?? 0, listingPageSize(ctx, sort, input.MaxResults));
  return {
    DimensionValues: page.values.map((value) => ({ Value: value.value, Attributes: value.attributes })),
    ReturnSize: page.values.length,
    TotalSize: values.length,
    ...(page.nextOffset === undefined ? {} : { NextPageToken: encodeToken({ offset: page.nextOffset, nowMs, hash: requestHash("GetDimensionValues", input) }) }),
  };
}

function getTags(ctx: SimContext, ledger: CostLedger, input: z.infer<typeof TagsInputSchema>) {
  const token = input.NextPageToken === undefined ? undefined : decodeToken(input.NextPageToken, requestHash("GetTags", input));
  const nowMs = token?.nowMs ?? ctx.now();
  const { startMs, endMs } = parseListingPeriod(input.TimePeriod, nowMs);
  const sort = parseSort(input.SortBy);
  const filter = parseFilter(input.Filter, false);
  const values = listTags(ledger, ctx.model.fleet.accountId, { tagKey: input.TagKey, startMs, endMs, cutoffMinute: firstUnpublishedMinute(nowMs), filter, searchString: input.SearchString, sort });
  const page = pageOfValues(values, token?.offset ?? 0, listingPageSize(ctx, sort, input.MaxResults));
  return {
    Tags: page.values.map((value) => value.value),
    ReturnSize: page.values.length,
    TotalSize: values.length,
    ...(page.nextOffset === undefined ? {} : { NextPageToken: encodeToken({ offset: page.nextOffset, nowMs, hash: requestHash("GetTags", input) }) }),
  };
}

function parseListingPeriod(period: { Start: string; End: string }, nowMs: number): { startMs: number; endMs: number } {
  const startMs = parseBound(period.Start, "DAILY", "Start");
  const endMs = parseBound(period.End, "DAILY", "End");
  checkRange(startMs, endMs, nowMs);
  return { startMs, endMs };
}

function parseSort(sortBy: readonly { Key: string; SortOrder?: string | undefined }[] | undefined): SortSpec | undefined {
  const first = sortBy?.[0];
  if (first === undefined) return undefined;
  if (!METRIC_SET.has(first.Key)) throw validationError(`SortBy key ${first.Key} is invalid. Valid values are ${METRICS.join(", ")}.`);
  const order = first.SortOrder ?? "DESCENDING";
  if (order !== "ASCENDING" && order !== "DESCENDING") throw validationError(`SortOrder ${order} is invalid. Valid values are ASCENDING, DESCENDING.`);
  return { metric: COST_METRICS.has(first.Key) ? "cost" : first.Key === "UsageQuantity" ? "quantity" : "none", descending: order === "DESCENDING" };
}

/** MaxResults only applies with SortBy (as on AWS); the truncated-pages fault caps both. */
function listingPageSize(ctx: SimContext, sort: SortSpec | undefined, maxResults: number | undefined): number {
  if (maxResults !== undefined && maxResults < 1) throw validationError("MaxResults must be at least 1.");
  const requested = sort !== undefined && maxResults !== undefined ? Math.min(maxResults, DEFAULT_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
  return Math.min(requested, ctx.faults.pageLimit("ce") ?? requested);
}

function pageOfValues(values: readonly ValueAggregate[], offset: number, pageSize: number): { values: ValueAggregate[]; nextOffset: number | undefined } {
  const end = offset + pageSize;
  return { values: values.slice(offset, end), nextOffset: end < values.length ? end : undefined };
}

function pageSizeFor(ctx: SimContext): number {
  return Math.min(DEFAULT_PAGE_SIZE, ctx.faults.pageLimit("ce") ?? DEFAULT_PAGE_SIZE);
}

// ── Page tokens ──────────────────────────────────────────────────────────────────────────────

interface PageToken {
  offset: number;
  nowMs: number;
  hash: string;
}

/** Identifies the request a token belongs to (everything but the token itself). */
function requestHash(operation: string, input: { NextPageToken?: string | undefined }): string {
  const { NextPageToken: _token, ...rest } = input;
  return createHash("sha256").update(JSON.stringify([operation, rest])).digest("hex").slice(0, 16);
}

function encodeToken(token: PageToken): string {
  return Buffer.from(JSON.stringify([1, token.offset, token.nowMs, token.hash])).toString("base64url");
}

const TokenSchema = z.tuple([z.literal(1), z.number().int().nonnegative(), z.number(), z.string()]);

function decodeToken(text: string, hash: string): PageToken {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    decoded = undefined;
  }
  const parsed = TokenSchema.safeParse(decoded);
  if (!parsed.success) throw new CostExplorerError("InvalidNextTokenException", "The pagination token is invalid.");
  if (parsed.data[3] !== hash) {
    throw new CostExplorerError("RequestChangedException", "Your request parameters changed between pages. Submit the request with the same parameters.");
  }
  return { offset: parsed.data[1], nowMs: parsed.data[2], hash };
}
