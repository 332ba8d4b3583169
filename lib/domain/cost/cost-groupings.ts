/**
 * The Cost Explorer groupings Sightline stores, as data: which GroupBy set (at most two keys,
 * FACTS.md §6), at which granularity, through which operation, how far back the data exists.
 * Allocation (issue 8) needs cost per service and usage type, per service and allocation tag,
 * per Lambda function, and — where the account opted in — per hour.
 */

export type CostGranularity = "DAILY" | "HOURLY";

/** One GroupBy key as Cost Explorer takes it. */
export interface CostGroupDefinition {
  Type: "DIMENSION" | "TAG";
  Key: string;
}

/** The Filter of a request (only the shape Sightline uses: one dimension equals). */
export interface CostDimensionFilter {
  Dimensions: { Key: string; Values: string[] };
}

export interface CostGrouping {
  /** Stable id, part of every stored line's key (`service-usage`, `tag:team`, ...). */
  id: string;
  granularity: CostGranularity;
  /** GetCostAndUsageWithResources (RESOURCE_ID) instead of GetCostAndUsage. */
  withResources: boolean;
  groupBy: readonly CostGroupDefinition[];
  filter: CostDimensionFilter | null;
  /**
   * Days before today the data reaches (resource-level and HOURLY: 14); null = the DAILY
   * reach of the current month and the 12 before it.
   */
  reachDays: number | null;
}

/** Cost Explorer keeps hourly and resource-level data for 14 days (FACTS.md §6). */
export const FINE_GRAINED_REACH_DAYS = 14;
/** DAILY data covers the current month and the 12 before it. */
export const DAILY_REACH_MONTHS = 12;

/** SERVICE as Cost Explorer names Lambda. */
export const LAMBDA_SERVICE = "AWS Lambda";

const SERVICE: CostGroupDefinition = { Type: "DIMENSION", Key: "SERVICE" };
const USAGE_TYPE: CostGroupDefinition = { Type: "DIMENSION", Key: "USAGE_TYPE" };
const RESOURCE_ID: CostGroupDefinition = { Type: "DIMENSION", Key: "RESOURCE_ID" };

/** Daily cost by [SERVICE, USAGE_TYPE]: the account's bill, line by line. */
export const SERVICE_USAGE_GROUPING: CostGrouping = {
  id: "service-usage",
  granularity: "DAILY",
  withResources: false,
  groupBy: [SERVICE, USAGE_TYPE],
  filter: null,
  reachDays: null,
};

/**
 * Daily Lambda cost by [RESOURCE_ID, USAGE_TYPE] (the function ARN): cost per function, and
 * with USAGE_TYPE its requests, GB-s and provisioned concurrency apart, so UsageQuantity
 * means something (invocations billed, GB-s) instead of a sum of requests and seconds.
 */
export const LAMBDA_RESOURCE_GROUPING: CostGrouping = {
  id: "lambda-resource",
  granularity: "DAILY",
  withResources: true,
  groupBy: [RESOURCE_ID, USAGE_TYPE],
  filter: { Dimensions: { Key: "SERVICE", Values: [LAMBDA_SERVICE] } },
  reachDays: FINE_GRAINED_REACH_DAYS,
};

/** Hourly cost by [SERVICE, USAGE_TYPE] (an opt-in on the AWS account). */
export const HOURLY_SERVICE_USAGE_GROUPING: CostGrouping = {
  id: "hourly:service-usage",
  granularity: "HOURLY",
  withResources: false,
  groupBy: [SERVICE, USAGE_TYPE],
  filter: null,
  reachDays: FINE_GRAINED_REACH_DAYS,
};

/** Daily cost by [SERVICE, TAG:<key>]: one allocation tag key (untagged usage is `key$`). */
export function tagGrouping(tagKey: string): CostGrouping {
  return {
    id: `tag:${tagKey}`,
    granularity: "DAILY",
    withResources: false,
    groupBy: [SERVICE, { Type: "TAG", Key: tagKey }],
    filter: null,
    reachDays: null,
  };
}

/**
 * Every grouping a costs run reads, in request order: service/usage type, one per allocation
 * tag key (deduplicated, in the configured order), Lambda per function, then hourly if enabled.
 */
export function costGroupings(options: { allocationTagKeys: readonly string[]; hourly: boolean }): CostGrouping[] {
  return [
    SERVICE_USAGE_GROUPING,
    ...[...new Set(options.allocationTagKeys)].map(tagGrouping),
    LAMBDA_RESOURCE_GROUPING,
    ...(options.hourly ? [HOURLY_SERVICE_USAGE_GROUPING] : []),
  ];
}

/**
 * The cost metrics requested. They add no request (pages are cut by groups, not metrics):
 * UnblendedCost is the bill at the rates charged; AmortizedCost spreads Savings Plans and
 * reservations (Compute Savings Plans cover Lambda) over the usage they cover; the Net
 * variants subtract discounts (EDP, credits). FOCUS exports need them: BilledCost and
 * EffectiveCost.
 */
export const COST_METRICS = ["UnblendedCost", "AmortizedCost", "NetUnblendedCost", "NetAmortizedCost"] as const;
export type CostMetric = (typeof COST_METRICS)[number];

/** Every metric requested: the cost metrics and UsageQuantity. */
export const REQUESTED_METRICS: readonly string[] = [...COST_METRICS, "UsageQuantity"];
