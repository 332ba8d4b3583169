import { z } from "zod";
import { LATENCY_PERCENTILES } from "@/lib/domain/slo/slo-definition";

/**
 * The OpenSLO v1 shapes Sightline reads, as zod schemas (the structural half of the import;
 * openslo.ts checks what the fields mean and maps them onto SloSpec).
 *
 * Field names follow the specification exactly:
 * - OpenSLO/OpenSLO `README.md` (v1: General Schema, SLO, Objectives, SLI, Ratio Metric) and
 *   `examples/budgeting-method/README.md` (what `target` and `timeSliceTarget` mean);
 * - OpenSLO/go-sdk `pkg/openslo/v1/slo.go` and `pkg/openslo/v1/sli.go` (the reference types
 *   and validation: `target` in [0, 1), `targetPercent` in [0, 100), exactly one time window,
 *   `calendar` iff not rolling, `indicator` xor `indicatorRef`, `good` xor `bad`, `raw` apart);
 * - the CloudWatch metric source spec as OpenSLO/oslo reads it
 *   (`internal/pkg/convert/convert.go`, `test/inputs/v1/sli/sli-threshold-cloudwatch.yaml`):
 *   `region`, `namespace`, `metricName`, `stat`, `dimensions: [{name, value}]`, or `sql`, or
 *   `json` (a JSON array of GetMetricData MetricDataQuery objects, i.e. metric math).
 *
 * Every object is strict, so a misspelt or foreign field is reported as "unknown field" rather
 * than silently dropped. YAML's `key:` with no value is null, which optional fields accept.
 */

export const OPENSLO_API_VERSION = "openslo/v1";
export const OPENSLO_SLO_KIND = "SLO";
export const BUDGETING_METHODS = ["Occurrences", "Timeslices", "RatioTimeslices"] as const;

/** A field the specification has but Sightline does not import: present (not null) → `message`. */
function unsupported(message: string) {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      if (value !== null) ctx.addIssue({ code: "custom", message });
    })
    .optional();
}

const COMPOSITE_UNSUPPORTED =
  "composite SLOs (an indicator per objective) are not supported: give one spec.indicator and one objective";

/** `metadata` of an SLO or an inline indicator; labels and annotations are read in openslo.ts. */
export const OpenSloMetadataSchema = z.strictObject({
  name: z.string(),
  displayName: z.string().nullish(),
  labels: z.record(z.string(), z.unknown()).nullish(),
  annotations: z.record(z.string(), z.unknown()).nullish(),
});

/** `metricSource`: the spec is free-form per type (CloudWatch, Sightline: schemas below). */
export const OpenSloMetricSourceSchema = z.strictObject({
  metricSourceRef: z.string().nullish(),
  type: z.string().nullish(),
  spec: z.record(z.string(), z.unknown()),
});
export type OpenSloMetricSource = z.infer<typeof OpenSloMetricSourceSchema>;

export const OpenSloMetricSpecSchema = z.strictObject({ metricSource: OpenSloMetricSourceSchema });
export type OpenSloMetricSpec = z.infer<typeof OpenSloMetricSpecSchema>;

export const OpenSloRatioMetricSchema = z.strictObject({
  counter: z.boolean().nullish(),
  good: OpenSloMetricSpecSchema.nullish(),
  bad: OpenSloMetricSpecSchema.nullish(),
  total: OpenSloMetricSpecSchema.nullish(),
  rawType: unsupported("rawType belongs to raw ratio metrics, which Sightline does not import: give good (or bad) and total"),
  raw: unsupported("raw (precomputed) ratio metrics are not supported: give good (or bad) and total counts"),
});
export type OpenSloRatioMetric = z.infer<typeof OpenSloRatioMetricSchema>;

export const OpenSloSliSpecSchema = z.strictObject({
  description: z.string().nullish(),
  thresholdMetric: OpenSloMetricSpecSchema.nullish(),
  ratioMetric: OpenSloRatioMetricSchema.nullish(),
});

export const OpenSloInlineIndicatorSchema = z.strictObject({
  metadata: OpenSloMetadataSchema,
  spec: OpenSloSliSpecSchema,
});

export const OpenSloTimeWindowSchema = z.strictObject({
  duration: z.string(),
  isRolling: z.boolean().nullish(),
  calendar: z.strictObject({ startTime: z.string(), timeZone: z.string() }).nullish(),
});
export type OpenSloTimeWindow = z.infer<typeof OpenSloTimeWindowSchema>;

export const OpenSloObjectiveSchema = z.strictObject({
  displayName: z.string().nullish(),
  op: z.string().nullish(),
  value: z.number().nullish(),
  target: z.number().nullish(),
  targetPercent: z.number().nullish(),
  timeSliceTarget: z.number().nullish(),
  timeSliceWindow: z.union([z.string(), z.number()], { error: "must be a duration like 1m (or a number of minutes)" }).nullish(),
  indicator: unsupported(COMPOSITE_UNSUPPORTED),
  indicatorRef: unsupported(COMPOSITE_UNSUPPORTED),
  compositeWeight: unsupported(COMPOSITE_UNSUPPORTED),
});
export type OpenSloObjective = z.infer<typeof OpenSloObjectiveSchema>;

export const OpenSloSloSpecSchema = z.strictObject({
  description: z.string().nullish(),
  service: z.string(),
  indicator: OpenSloInlineIndicatorSchema.nullish(),
  indicatorRef: unsupported("indicatorRef is not supported: inline the indicator under spec.indicator (metadata and spec)"),
  budgetingMethod: z.string(),
  timeWindow: z.array(OpenSloTimeWindowSchema).nullish(),
  objectives: z.array(OpenSloObjectiveSchema),
  alertPolicies: z
    .array(z.unknown())
    .max(0, "alert policies are not imported: Sightline alerts on burn rates of its own (set annotation sightline.dev/alerting)")
    .nullish(),
});
export type OpenSloSloSpec = z.infer<typeof OpenSloSloSpecSchema>;

/** One `kind: SLO` document of `apiVersion: openslo/v1`. */
export const OpenSloSloDocumentSchema = z.strictObject({
  apiVersion: z.literal(OPENSLO_API_VERSION),
  kind: z.literal(OPENSLO_SLO_KIND),
  metadata: OpenSloMetadataSchema,
  spec: OpenSloSloSpecSchema,
});
export type OpenSloSloDocument = z.infer<typeof OpenSloSloDocumentSchema>;

/** A Sightline metric source (`type: Sightline`): which Sightline SLI it is and which events it counts. */
export const SightlineMetricSourceSpecSchema = z.strictObject({
  source: z.enum(["cloudwatch", "xray"]),
  sli: z.enum(["availability", "latency"]),
  /** Which count of a ratioMetric this query is; absent in a thresholdMetric. */
  events: z.enum(["good", "bad", "total"]).optional(),
  /** Request-based latency: a good request is answered within this many ms. */
  thresholdMs: z.number().optional(),
  /** Period-based latency: the per-minute Duration percentile that is judged. */
  percentile: z.enum(LATENCY_PERCENTILES).optional(),
});
export type SightlineMetricSourceSpec = z.infer<typeof SightlineMetricSourceSpecSchema>;

/** The CloudWatch metric source spec (one metric by dimensions, or metric math as `json`). */
export const CloudWatchMetricSourceSpecSchema = z.strictObject({
  region: z.string().optional(),
  accountId: z.string().optional(),
  namespace: z.string().optional(),
  metricName: z.string().optional(),
  stat: z.string().optional(),
  dimensions: z.array(z.strictObject({ name: z.string(), value: z.string() })).optional(),
  sql: unsupported(
    "Metrics Insights queries (sql) are not evaluated by Sightline: read AWS/Lambda metrics by FunctionName " +
      "(namespace, metricName, stat, dimensions or json metric math); for a service-tag target use type Sightline",
  ),
  json: z.string().optional(),
});
export type CloudWatchMetricSourceSpec = z.infer<typeof CloudWatchMetricSourceSpecSchema>;

/** CloudWatch's own rule for a MetricDataQuery Id. */
export const METRIC_DATA_QUERY_ID_PATTERN = /^[a-z][A-Za-z0-9_]*$/;

/** One GetMetricData MetricDataQuery, in the API's PascalCase (as the `json` field holds it). */
export const MetricDataQuerySchema = z.strictObject({
  Id: z.string().regex(METRIC_DATA_QUERY_ID_PATTERN, "must start with a lower-case letter and hold only letters, digits and _"),
  MetricStat: z
    .strictObject({
      Metric: z.strictObject({
        Namespace: z.string(),
        MetricName: z.string(),
        Dimensions: z.array(z.strictObject({ Name: z.string(), Value: z.string() })).optional(),
      }),
      Period: z.number().int("must be a whole number of seconds").positive("must be more than 0 seconds"),
      Stat: z.string(),
      Unit: z.string().optional(),
    })
    .optional(),
  Expression: z.string().optional(),
  Label: z.string().optional(),
  ReturnData: z.boolean().optional(),
  Period: z.number().int("must be a whole number of seconds").positive("must be more than 0 seconds").optional(),
  AccountId: z.string().optional(),
});
export type MetricDataQuery = z.infer<typeof MetricDataQuerySchema>;

/** At most 20 queries: the limit of one alarm's or SLO's metric math set in CloudWatch (10 MetricStat + 10 Expression). */
export const MetricDataQueriesSchema = z
  .array(MetricDataQuerySchema)
  .min(1, "must hold at least one query")
  .max(20, "must hold at most 20 queries (CloudWatch's limit for one metric math set)");
