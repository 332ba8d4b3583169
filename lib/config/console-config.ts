import { z } from "zod";
import { parseEnv } from "@/lib/config/config-error";
import { costAllocationTagKeys, optionalAccountId, optionalUrl, region, tableName } from "@/lib/config/fields";

/** What the console (Next.js server) needs. */
export const ConsoleConfigSchema = z.object({
  TABLE_NAME: tableName,
  AWS_REGION: region,
  AWS_ENDPOINT_URL_DYNAMODB: optionalUrl,
  NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters"),
  NEXTAUTH_URL: optionalUrl,
  /**
   * Where the AWS SDK sends Lambda and STS calls (the simulator locally); read by the SDK
   * itself, validated here so a typo stops start-up.
   */
  AWS_ENDPOINT_URL: optionalUrl,
  /** The account the console's own credentials act in; asked of STS when unset. */
  SIGHTLINE_ACCOUNT_ID: optionalAccountId,
  /**
   * The IAM role the console assumes in a member account to apply a tuning change
   * (`arn:aws:iam::<member>:role/<name>`); the home account uses the console's own credentials.
   */
  TUNING_APPLY_ROLE_NAME: z
    .string()
    .regex(/^[\w+=,.@-]{1,64}$/, "must be an IAM role name (1-64 letters, digits or +=,.@_-)")
    .default("SightlineTuningApply"),
  /**
   * `true`: changes in the console's own account also go through TUNING_APPLY_ROLE_NAME (as the
   * CDK app deploys it: the console's execution role has no write action of its own). `false`
   * (the default, and the local stack): the home account uses the console's own credentials.
   */
  TUNING_APPLY_HOME_VIA_ROLE: z.enum(["true", "false"], { error: "must be true or false" }).default("false").transform((v) => v === "true"),
  /** Tag keys the cost view groups by (the same setting as the costs collector's). */
  COST_ALLOCATION_TAG_KEYS: costAllocationTagKeys,
});
export type ConsoleConfig = z.infer<typeof ConsoleConfigSchema>;

export function loadConsoleConfig(env: Record<string, string | undefined> = process.env): ConsoleConfig {
  return parseEnv(ConsoleConfigSchema, env);
}
