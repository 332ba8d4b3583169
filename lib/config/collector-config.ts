import { z } from "zod";
import { parseEnv } from "@/lib/config/config-error";
import { AccountsSchema, RegionsSchema } from "@/lib/config/accounts";
import { DEFAULT_SETTLE_MINUTES } from "@/lib/domain/collection/collector-cadence";
import { SloWebhooksSchema } from "@/lib/domain/slo/webhook-targets";
import { costAllocationTagKeys, optionalAccountId, optionalUrl, positiveInt, region, tableName } from "@/lib/config/fields";
import { optionalExternalId } from "@/lib/config/external-id";
import { metricsCadenceMinutes } from "@/lib/config/metrics-cadence";

/**
 * What a collector needs, in Lambda and under the local scheduler alike. AWS_ENDPOINT_URL is
 * read by the AWS SDK itself (its own convention); it is validated here so a typo stops
 * start-up instead of sending requests to a wrong host.
 */
export const CollectorConfigSchema = z.object({
  TABLE_NAME: tableName,
  AWS_REGION: region,
  AWS_ENDPOINT_URL: optionalUrl,
  AWS_ENDPOINT_URL_DYNAMODB: optionalUrl,
  SIGHTLINE_ACCOUNT_ID: optionalAccountId,
  /** How far back a first run reaches: 14 days by default (CloudWatch keeps 1-minute data 15). */
  BACKFILL_HOURS: positiveInt(24 * 14, 24 * 455),
  SETTLE_MINUTES: positiveInt(DEFAULT_SETTLE_MINUTES, 180),
  /**
   * Minutes between metrics passes (1, 2, 5, 10 or 15; the SLO evaluator follows). On AWS the
   * schedule comes from the deploy config; here it sets the local scheduler's cadence and what
   * the published LagMinutes allows the SLO evaluator (docs/collectors.md, Cadence and cost).
   */
  METRICS_CADENCE_MINUTES: metricsCadenceMinutes,
  SIGHTLINE_ACCOUNTS: AccountsSchema,
  SIGHTLINE_REGIONS: RegionsSchema,
  /** Sent as ExternalId when assuming a member's role (SIGHTLINE_ACCOUNTS `<id>=<role ARN>`); never logged. */
  SIGHTLINE_EXTERNAL_ID: optionalExternalId,
  /** Account/region pairs collected at once. */
  COLLECT_CONCURRENCY: positiveInt(4, 32),
  /** Days of 1-minute metrics kept besides the hourly series (CloudWatch keeps 15). */
  METRICS_MINUTE_DAYS: positiveInt(3, 15),
  /** Logs Insights queries in flight per account (AWS allows about 30 at once). */
  LOGS_MAX_CONCURRENT_QUERIES: positiveInt(10, 30),
  /** Tag keys that allocate cost (Cost Explorer GroupBy TAG). */
  COST_ALLOCATION_TAG_KEYS: costAllocationTagKeys,
  /**
   * How far back the costs collector's first run reads, at least (BACKFILL_HOURS reaching further
   * wins). A Cost Explorer request costs the same for one day or a month, and month-end
   * forecasts and day-of-week baselines need weeks, so costs reach further than telemetry.
   */
  COST_BACKFILL_DAYS: positiveInt(31, 400),
  /**
   * Where SLO alerts go: comma-separated `json=https://…` and `slack=https://…` webhooks
   * (secrets: never logged beyond their origin). Unset: alerts are recorded, not sent.
   */
  SLO_WEBHOOKS: SloWebhooksSchema,
  /** The console's address, for links in notifications (e.g. https://sightline.example.com). */
  SIGHTLINE_CONSOLE_URL: optionalUrl,
  /** Also collect HOURLY Cost Explorer data (an opt-in on the AWS account; last 14 days). */
  COST_HOURLY: z.enum(["true", "false"], { error: "must be true or false" }).default("false").transform((v) => v === "true"),
});
export type CollectorConfig = z.infer<typeof CollectorConfigSchema>;

export function loadCollectorConfig(env: Record<string, string | undefined> = process.env): CollectorConfig {
  return parseEnv(CollectorConfigSchema, env);
}
