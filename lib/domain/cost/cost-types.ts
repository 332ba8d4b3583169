import type { MicroUsd } from "@/lib/domain/cost/micro-usd";
import type { TimeWindow } from "@/lib/domain/shared/time";

/**
 * The vocabulary of cost allocation (issue 8): what the allocation, anomaly, forecast,
 * unit-cost and budget functions read and return, and the view the console, API, exports and
 * CLI share. Pure types; the functions live next to this file.
 *
 * Billed money is integer micro-USD (DESIGN.md §4.7) and every allocation adds up to the bill
 * exactly. Projections (forecasts, the usage model, unit costs per invocation) are estimates:
 * a forecast is still micro-USD (rounded once) with a range; a unit cost per invocation is a
 * float USD (`…Usd`) because it is a ratio, not an amount anyone is billed.
 */

// ── Grouping and buckets ────────────────────────────────────────────────────────────────

/** How a view groups the bill: by one allocation tag key, or by AWS service. */
export type CostGroupBy = { kind: "tag"; key: string } | { kind: "service" };

/** `tag:team` or `service`: the groupBy as it appears in URLs and the API. */
export function formatGroupBy(groupBy: CostGroupBy): string {
  return groupBy.kind === "tag" ? `tag:${groupBy.key}` : "service";
}

/**
 * Where an amount lands:
 * - `value`: a tag value (groupBy tag) or a service name (groupBy service);
 * - `unallocated`: untagged cost that no shared-cost pool shares out (e.g. an untagged function);
 * - `idle`: provisioned concurrency paid for and not used.
 */
export type AllocationBucket = { kind: "value"; value: string } | { kind: "unallocated" } | { kind: "idle" };

/** Stable id of a bucket, used in URLs and exports: `value:<v>`, `unallocated`, `idle`. */
export function bucketId(bucket: AllocationBucket): string {
  return bucket.kind === "value" ? `value:${bucket.value}` : bucket.kind;
}

/** The bucket an id names; null for an id that is none. */
export function parseBucketId(id: string): AllocationBucket | null {
  if (id === "unallocated" || id === "idle") return { kind: id };
  if (id.startsWith("value:") && id.length > "value:".length) return { kind: "value", value: id.slice("value:".length) };
  return null;
}

// ── Shared-cost pools (AWS Cost Categories split-charge vocabulary) ───────────────────────

/**
 * How a pool's cost is split among the allocation values:
 * - even: equal parts to every value that has directly tagged cost that day;
 * - proportional: in proportion to each value's directly tagged cost (basis "cost", AWS's
 *   default), or its Lambda requests or GB-seconds that day (basis "requests" / "gb-seconds");
 * - fixed: the given percentages (value → percent, summing to 100).
 */
export type SplitRule =
  | { method: "even" }
  | { method: "proportional"; basis: "cost" | "requests" | "gb-seconds" }
  | { method: "fixed"; percentages: Record<string, number> };

/** A shared-cost pool: the untagged cost of some services, split by a rule. */
export interface CostPool {
  /** A short name shown in the console and exports ("shared-platform"). */
  name: string;
  /** Cost Explorer SERVICE names whose untagged cost this pool takes. */
  services: string[];
  /** The tag key the pool applies to (its fixed percentages name values of that key), or "*" for every key. */
  tagKey: string;
  rule: SplitRule;
}

/** A monthly budget for one allocation value (or the unallocated / idle bucket) of one grouping. */
export interface CostBudget {
  /** `tag:team`, `service`. */
  groupBy: string;
  /** A bucket id (`value:payments`, `unallocated`, `idle`). */
  bucket: string;
  /** Monthly limit. */
  monthlyMicroUsd: MicroUsd;
  /** Alert when actual or forecast month-end cost reaches these shares of the limit (e.g. [0.8, 1]). */
  alertAtRatios: number[];
}

/** What finance configures; stored in the table, edited through the API and CLI. */
export interface CostSettings {
  pools: CostPool[];
  budgets: CostBudget[];
  /**
   * Whether the usage model deducts Lambda's free tier (1 M requests, 400,000 GB-s a month).
   * Off by default: accounts under consolidated billing share it across the organisation.
   */
  applyFreeTier: boolean;
}

// ── Allocation input and output (allocation.ts) ─────────────────────────────────────────

/** One line of the bill of a day: [SERVICE, USAGE_TYPE] as stored (service-usage grouping). */
export interface BillLine {
  service: string;
  usageType: string;
  microUsd: MicroUsd;
  usageQuantity: number;
  usageUnit: string;
}

/** One [SERVICE, TAG:key] line of a day; tagValue "" = usage without the tag. */
export interface TaggedLine {
  service: string;
  tagValue: string;
  microUsd: MicroUsd;
}

/** One [RESOURCE_ID, USAGE_TYPE] Lambda line of a day, with the function's tags from the inventory. */
export interface FunctionLine {
  functionName: string;
  /** The function ARN (Cost Explorer's RESOURCE_ID). */
  resourceId: string;
  usageType: string;
  microUsd: MicroUsd;
  usageQuantity: number;
  usageUnit: string;
  /** The function's tags as the inventory has them; {} for an untagged function or one no longer in the inventory. */
  tags: Record<string, string>;
}

/** Unused provisioned concurrency of one function on one day. */
export interface IdleCapacity {
  functionName: string;
  tags: Record<string, string>;
  /** The day's PC allocation cost of the function (its Lambda-Provisioned-Concurrency lines). */
  provisionedMicroUsd: MicroUsd;
  /** Mean utilisation of the allocated PC over the day, 0..1 (an upper bound: per-minute maxima). */
  utilisationRatio: number;
  /** provisionedMicroUsd × (1 − utilisation), rounded to the µUSD: what moves to `idle`. */
  idleMicroUsd: MicroUsd;
}

/** Everything stored about one UTC day that allocation reads. */
export interface AllocationDayInput {
  dayMs: number;
  /** Cost Explorer still marks the day Estimated. */
  estimated: boolean;
  /** The bill: allocation adds up to exactly Σ microUsd of these lines. */
  bill: BillLine[];
  /** [SERVICE, TAG:key] lines of the grouped tag key (empty for groupBy service). Used as weights. */
  tagged: TaggedLine[];
  /** Per-function Lambda lines; null when the day is beyond the 14 days resource-level data reaches. */
  functions: FunctionLine[] | null;
  /** Idle PC per function (empty when unknown: no resource lines or no utilisation data). */
  idle: IdleCapacity[];
}

/** How an amount reached its bucket. */
export type AllocationSource =
  /** Cost Explorer attributed it to the tag value (or service). */
  | "tagged"
  /** Untagged cost of a pool's service, split by the pool's rule. */
  | "shared"
  /** Untagged cost no pool takes. */
  | "untagged"
  /** Unused provisioned concurrency, moved out of its function's bucket. */
  | "idle";

/** One allocated amount: a bucket's share of one service's bill on one day. */
export interface AllocationRow {
  bucket: AllocationBucket;
  service: string;
  source: AllocationSource;
  /** The pool that shared it (source "shared"). */
  pool?: string;
  microUsd: MicroUsd;
}

export interface AllocatedDay {
  dayMs: number;
  estimated: boolean;
  /** Σ bill lines. */
  billMicroUsd: MicroUsd;
  /** Σ rows.microUsd === billMicroUsd, always. */
  rows: AllocationRow[];
  /** Within each bucket, its Lambda amount apportioned exactly over its functions and usage types (null without function lines). */
  functions: { bucket: AllocationBucket; functionName: string; usageType: string; microUsd: MicroUsd }[] | null;
  /** Why something could not be done as configured (a fixed pool naming no present value, …); [] when all went by the rules. */
  notes: string[];
}

// ── Usage model and reconciliation (lambda-usage-model.ts) ───────────────────────────────

/** Lambda usage of one function on one day, from its REPORT lines and configuration. */
export interface FunctionDayUsage {
  functionName: string;
  region: string;
  architecture: "x86_64" | "arm64";
  dayMs: number;
  invocations: number;
  /** Billed Duration × memory (INIT included where the REPORT line bills it), split by who served it. */
  onDemandGbSeconds: number;
  provisionedDurationGbSeconds: number;
  /** SnapStart Billed Restore Duration × memory. */
  restoreGbSeconds: number;
  /** Allocated PC × memory × seconds configured that day. */
  provisionedAllocatedGbSeconds: number;
  /** (ephemeral MB − 512)/1024 × billed seconds. */
  ephemeralGbSeconds: number;
  /** Hours of the day REPORT lines were collected for (24 = complete). */
  coveredHours: number;
}

/** The modelled Lambda cost of one function on one day, priced with tiers (and free tier when enabled). */
export interface FunctionDayModelCost {
  functionName: string;
  dayMs: number;
  microUsd: MicroUsd;
  components: { component: "requests" | "duration" | "provisioned-duration" | "restore" | "provisioned-concurrency" | "ephemeral-storage"; microUsd: MicroUsd }[];
}

/** Model against bill for one day: the gap shown, not hidden. */
export interface ReconciliationDay {
  dayMs: number;
  /** AWS Lambda in Cost Explorer (service-usage lines). */
  billedMicroUsd: MicroUsd;
  /** The usage model; null when REPORT lines do not cover the whole day. */
  modelMicroUsd: MicroUsd | null;
  /** model − billed; null without a model. */
  gapMicroUsd: MicroUsd | null;
  /** gap / billed; null without a model or a bill. */
  gapRatio: number | null;
  /** Functions whose model differs most (largest |gap|) where per-function lines exist. */
  largestGaps: { functionName: string; billedMicroUsd: MicroUsd; modelMicroUsd: MicroUsd }[];
}

export interface Reconciliation {
  days: ReconciliationDay[];
  /** Over the days that have a model. */
  billedMicroUsd: MicroUsd;
  modelMicroUsd: MicroUsd;
  gapMicroUsd: MicroUsd;
  gapRatio: number | null;
  /** What the model does not cover or assumes (free tier off, tiers from month-to-date, days without REPORT lines). */
  notes: string[];
}

// ── Unit costs (unit-costs.ts) ───────────────────────────────────────────────────────────

export interface FunctionUnitCost {
  functionName: string;
  bucket: AllocationBucket;
  invocations: number;
  /** The function's Lambda cost over the window (its resource lines). */
  costMicroUsd: MicroUsd;
  /** costMicroUsd / invocations in USD; null without invocations. */
  costPerInvocationUsd: number | null;
}

/** What one API route request costs, across the services its request touches. */
export interface RouteUnitCost {
  /** `POST /orders` when traces name it, else `<api-stage> → <entry function>`. */
  route: string;
  apiStage: string;
  entryFunction: string;
  /** Requests on the route in the window (X-Ray edge count, scaled up by the sampling it saw). */
  requests: number;
  costPerRequestUsd: number;
  /** Each node the request reaches, with calls per request and its cost per request. */
  touches: { name: string; kind: "api-gateway" | "lambda" | "service"; callsPerRequest: number; costPerRequestUsd: number }[];
}

// ── Anomalies and forecast (cost-anomalies.ts, cost-forecast.ts) ─────────────────────────

/** One daily series: a bucket's cost, or a function's cost per invocation. */
export interface DailySeries {
  /** What the series is of: a bucket id, or `function:<name>` for a unit cost. */
  id: string;
  /** Consecutive UTC days, oldest first; value null = no data that day. */
  days: { dayMs: number; value: number | null }[];
}

/** What moved inside a bucket on a day (candidates for the likely cause). */
export interface CauseCandidate {
  kind: "function" | "usage-type" | "service";
  name: string;
  /** Its cost that day and its own baseline for that day (µUSD). */
  actualMicroUsd: MicroUsd;
  baselineMicroUsd: MicroUsd;
}

export interface CostAnomaly {
  /** The series' id (a bucket id, or `function:<name>`). */
  seriesId: string;
  metric: "cost" | "unit-cost";
  dayMs: number;
  direction: "up" | "down";
  /** The day's value and what the seasonal (day-of-week) baseline expected. */
  actual: number;
  baseline: number;
  /** actual − baseline (µUSD for cost, USD per invocation for unit cost). */
  delta: number;
  /** actual / baseline; null when the baseline is 0. */
  ratio: number | null;
  /** |delta| in robust standard deviations of the series' residuals. */
  score: number;
  /** The candidate that explains the largest part of the delta, with its share of it (0..1); null when none stands out. */
  likelyCause: (CauseCandidate & { deltaShare: number }) | null;
}

/** Month-end projection of one bucket (or the total). */
export interface CostForecast {
  seriesId: string;
  monthStartMs: number;
  /** First day of the next month. */
  monthEndMs: number;
  /** Complete days of the month in the data, and their cost. */
  daysActual: number;
  actualMicroUsd: MicroUsd;
  /** actual + projected rest of the month. */
  forecastMicroUsd: { lower: MicroUsd; expected: MicroUsd; upper: MicroUsd };
  /** How the projection was made ("day-of-week mean of the last 14 days ± 1.64 σ"). */
  method: string;
}

// ── Budgets (cost-budgets.ts) ────────────────────────────────────────────────────────────

export interface BudgetStatus {
  budget: CostBudget;
  monthStartMs: number;
  actualMicroUsd: MicroUsd;
  forecastMicroUsd: MicroUsd;
  /** actual / limit and forecast / limit. */
  actualRatio: number;
  forecastRatio: number;
  /** The highest alert threshold actual has reached, and the highest forecast has reached (null = none). */
  actualCrossed: number | null;
  forecastCrossed: number | null;
}

/** A budget notification, sent once per budget, month, threshold and kind. */
export interface BudgetAlert {
  budget: CostBudget;
  monthStartMs: number;
  threshold: number;
  kind: "actual" | "forecast";
  actualMicroUsd: MicroUsd;
  forecastMicroUsd: MicroUsd;
  /** Dedupe key: `<groupBy>|<bucket>|<YYYY-MM>|<kind>|<threshold>`. */
  key: string;
}

// ── The view (lib/queries/cost-view.ts) ──────────────────────────────────────────────────

export interface BucketSummary {
  id: string;
  bucket: AllocationBucket;
  /** "payments", "Unallocated", "Idle provisioned concurrency". */
  label: string;
  totalMicroUsd: MicroUsd;
  /** Share of the window's bill, 0..1. */
  shareRatio: number;
  /** Per day of the view's `days`, µUSD (0 when none). */
  byDay: MicroUsd[];
  /** Per service, largest first. */
  byService: { service: string; source: AllocationSource; microUsd: MicroUsd }[];
  forecast: CostForecast | null;
  budget: BudgetStatus | null;
  anomalyCount: number;
}

export interface CostView {
  accountId: string;
  /** Whole UTC days [fromMs, toMs). */
  window: TimeWindow;
  groupBy: string;
  /** Groupings offered: `tag:<key>` for every configured key, and `service`. */
  groupByOptions: string[];
  days: { dayMs: number; estimated: boolean; billMicroUsd: MicroUsd }[];
  totals: {
    billMicroUsd: MicroUsd;
    /** Σ buckets — equal to billMicroUsd by construction; the view says so. */
    allocatedMicroUsd: MicroUsd;
    unallocatedMicroUsd: MicroUsd;
    idleMicroUsd: MicroUsd;
    sharedMicroUsd: MicroUsd;
  };
  /** Largest first; unallocated and idle always present (0 when none). */
  buckets: BucketSummary[];
  anomalies: CostAnomaly[];
  /** Month-end forecast of the month containing the window's last day, per bucket id and "total". */
  forecast: CostForecast | null;
  reconciliation: Reconciliation;
  unitCosts: { functions: FunctionUnitCost[]; routes: RouteUnitCost[] };
  budgets: BudgetStatus[];
  pools: CostPool[];
  /** With `?bucket=`: that bucket's rows per service, function and usage type. */
  drill: CostDrill | null;
  /** Costs collected: the last complete run, and the first day still estimated. */
  freshness: { collectedAtMs: number | null; estimatedFromDayMs: number | null };
  notes: string[];
}

export interface CostDrill {
  bucket: AllocationBucket;
  label: string;
  totalMicroUsd: MicroUsd;
  byService: { service: string; source: AllocationSource; pool?: string; microUsd: MicroUsd }[];
  /** Lambda cost of the bucket per function and usage type (days with resource lines only). */
  byFunction: { functionName: string; usageType: string; microUsd: MicroUsd }[];
  /** The days resource-level lines covered (Cost Explorer keeps them 14 days). */
  functionDays: number;
}

// ── Exports (cost-export.ts) ─────────────────────────────────────────────────────────────

/** One allocated amount as exported: a bucket's share of one service's bill on one day. */
export interface CostExportRow {
  dayMs: number;
  estimated: boolean;
  groupBy: string;
  bucket: AllocationBucket;
  service: string;
  source: AllocationSource;
  pool?: string;
  /** UnblendedCost allocated: what the bill charges (FOCUS BilledCost). */
  billedMicroUsd: MicroUsd;
  /** NetAmortizedCost allocated: after discounts and commitments (FOCUS EffectiveCost). */
  effectiveMicroUsd: MicroUsd;
  /** The tag the row is allocated by ({ team: "payments" }); {} for unallocated, idle and groupBy service. */
  tags: Record<string, string>;
  accountId: string;
}
