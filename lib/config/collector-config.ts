import { z } from "zod";
import { parseEnv } from "@/lib/config/config-error";
import { optionalAccountId, optionalUrl, positiveInt, region, tableName } from "@/lib/config/fields";

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
  BACKFILL_HOURS: positiveInt(24, 24 * 15),
  SETTLE_MINUTES: positiveInt(5, 180),
});
export type CollectorConfig = z.infer<typeof CollectorConfigSchema>;

export function loadCollectorConfig(env: Record<string, string | undefined> = process.env): CollectorConfig {
  return parseEnv(CollectorConfigSchema, env);
}
