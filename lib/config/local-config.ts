import { z } from "zod";
import { parseEnv } from "@/lib/config/config-error";
import { optionalAccountId, optionalUrl, port, positiveInt, region, tableName } from "@/lib/config/fields";
import { metricsCadenceMinutes } from "@/lib/config/metrics-cadence";

/**
 * `sightline start`: the whole local stack. Which parts are embedded is configurable, so the
 * same command runs against a real account (SIGHTLINE_AWS=real) or real DynamoDB.
 */
export const LocalConfigSchema = z.object({
  DATA_DIR: z.string().min(1, "must not be empty").default(".data"),
  PORT: port(3000),
  SIM_PORT: port(4566),
  DYNAMODB_PORT: port(4567),
  SIGHTLINE_AWS: z.enum(["simulated", "real"], { message: 'must be "simulated" or "real"' }).default("simulated"),
  SIGHTLINE_DYNAMODB: z.enum(["embedded", "external"], { message: 'must be "embedded" or "external"' }).default("embedded"),
  SIM_SCENARIO: z.string().min(1).default("ecommerce"),
  /** Unset: the scenario file's own seed. */
  SIM_SEED: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").optional()),
  TABLE_NAME: tableName,
  AWS_REGION: region,
  AWS_ENDPOINT_URL: optionalUrl,
  AWS_ENDPOINT_URL_DYNAMODB: optionalUrl,
  SIGHTLINE_ACCOUNT_ID: optionalAccountId,
  SIGHTLINE_ADMIN_PASSWORD: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string().min(8, "must be at least 8 characters").optional(),
  ),
  NEXTAUTH_SECRET: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string().min(32, "must be at least 32 characters").optional(),
  ),
  COLLECT_INTERVAL_SECONDS: positiveInt(60, 3600),
  BACKFILL_HOURS: positiveInt(24 * 14, 24 * 455),
  SETTLE_MINUTES: positiveInt(5, 180),
  /**
   * Minutes between metrics passes (1, 2, 5, 10 or 15): handed to the collectors (the local
   * scheduler's cadence) and to the console (what the Collectors page calls late).
   */
  METRICS_CADENCE_MINUTES: metricsCadenceMinutes,
  /**
   * OpenSLO YAML imported once into a new table (default: the simulated scenario's own
   * `<scenario>.slos.yaml`); `none` imports nothing.
   */
  SLO_SEED_FILE: z.preprocess((v) => (v === "" ? undefined : v), z.string().optional()),
});
export type LocalConfig = z.infer<typeof LocalConfigSchema>;

export function loadLocalConfig(env: Record<string, string | undefined> = process.env): LocalConfig {
  return parseEnv(LocalConfigSchema, env);
}
