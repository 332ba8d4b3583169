import { z } from "zod";
import { parseEnv } from "@/lib/config/config-error";
import { AccountsSchema, RegionsSchema } from "@/lib/config/accounts";
import { costAllocationTagKeys, positiveInt, region } from "@/lib/config/fields";
import { optionalExternalId } from "@/lib/config/external-id";
import { metricsCadenceMinutes } from "@/lib/config/metrics-cadence";

/**
 * What a deployment is configured with. Each setting is read from CDK context first
 * (`npx cdk deploy --all -c SIGHTLINE_STAGE=prod`), then from the environment of the `cdk`
 * process, so a CI pipeline can use either. Nothing secret is ever a setting: secrets live in
 * Secrets Manager and the stacks only name them.
 */
export const DEPLOY_SETTING_NAMES = [
  "SIGHTLINE_STAGE",
  "SIGHTLINE_REGION",
  "SIGHTLINE_TABLE_NAME",
  "SIGHTLINE_TABLE_KEY",
  "SIGHTLINE_ACCOUNTS",
  "SIGHTLINE_REGIONS",
  "SIGHTLINE_EXTERNAL_ID",
  "SIGHTLINE_APPLY_SCOPE",
  "SIGHTLINE_ALARM_EMAIL",
  "SIGHTLINE_LOG_RETENTION_DAYS",
  "SIGHTLINE_CONSOLE_DOMAIN",
  "SIGHTLINE_CONSOLE_CERTIFICATE_ARN",
  "OIDC_ISSUER",
  "OIDC_CLIENT_ID",
  "OIDC_ROLES_CLAIM",
  "OIDC_ROLE_MAP",
  "COST_ALLOCATION_TAG_KEYS",
  "BACKFILL_HOURS",
  "METRICS_CADENCE_MINUTES",
] as const;
export type DeploySettingName = (typeof DEPLOY_SETTING_NAMES)[number];

/** Who may apply tuning changes: functions carrying a tag, or functions whose ARN matches a pattern. */
export type ApplyScope =
  | { kind: "tag"; tagKey: string; tagValue: string }
  | { kind: "arn"; functionArnPatterns: string[] };

const FUNCTION_ARN_PATTERN = /^arn:aws[a-z-]*:lambda:[a-z0-9-*]+:(\d{12}|\*):function:[\w*?-]+(:[\w*?$-]+)?$/;
const TAG_PART = /^[\w.:/=+@ -]{1,128}$/;

/**
 * `SIGHTLINE_APPLY_SCOPE`: `tag:<key>=<value>` (default `tag:sightline:tuning=enabled`) or a
 * comma-separated list of Lambda function ARN patterns (`arn:aws:lambda:*:111122223333:function:orders-*`).
 */
export const ApplyScopeSchema = z
  .string()
  .default("tag:sightline:tuning=enabled")
  .transform((value, ctx): ApplyScope => {
    const text = value.trim();
    if (text.startsWith("tag:")) {
      const body = text.slice(4);
      const eq = body.lastIndexOf("=");
      const tagKey = eq > 0 ? body.slice(0, eq) : "";
      const tagValue = eq > 0 ? body.slice(eq + 1) : "";
      if (!TAG_PART.test(tagKey) || !TAG_PART.test(tagValue)) {
        ctx.addIssue({ code: "custom", message: `"${text}": write tag:<key>=<value>, e.g. tag:sightline:tuning=enabled` });
        return z.NEVER;
      }
      return { kind: "tag", tagKey, tagValue };
    }
    const patterns = text.split(",").map((s) => s.trim()).filter(Boolean);
    const bad = patterns.find((p) => !FUNCTION_ARN_PATTERN.test(p));
    if (patterns.length === 0 || bad !== undefined) {
      ctx.addIssue({
        code: "custom",
        message: `"${bad ?? text}": write tag:<key>=<value> or Lambda function ARN patterns like arn:aws:lambda:*:111122223333:function:orders-*`,
      });
      return z.NEVER;
    }
    return { kind: "arn", functionArnPatterns: patterns };
  });

const optionalText = (pattern: RegExp, message: string) =>
  z.preprocess((v) => (v === "" ? undefined : v), z.string().regex(pattern, message).optional());

export const DeployConfigSchema = z
  .object({
    /** `prod` keeps data on teardown (deletion protection, RETAIN); `dev` deletes everything with the stacks. */
    SIGHTLINE_STAGE: z.enum(["prod", "dev"], { error: "must be prod or dev" }).default("prod"),
    /** The region Sightline itself runs in (the table, collectors and console). */
    SIGHTLINE_REGION: region,
    SIGHTLINE_TABLE_NAME: z
      .string()
      .regex(/^[a-zA-Z0-9_.-]{3,255}$/, "must be 3-255 characters of letters, digits, _ . -")
      .default("sightline"),
    /** Encryption at rest: `aws-owned` (DynamoDB's default, free) or `customer-managed` (a KMS key the stack creates, rotated yearly). */
    SIGHTLINE_TABLE_KEY: z.enum(["aws-owned", "customer-managed"], { error: "must be aws-owned or customer-managed" }).default("aws-owned"),
    /** Accounts the collectors read (same format as the collectors' SIGHTLINE_ACCOUNTS). Empty: the deploying account. */
    SIGHTLINE_ACCOUNTS: AccountsSchema,
    /** Regions the collectors read. Empty: SIGHTLINE_REGION alone. */
    SIGHTLINE_REGIONS: RegionsSchema,
    /**
     * The external id the member accounts' roles require (their template's `ExternalId`
     * parameter, the same value in every member): set on the collectors and the console, which
     * send it with every AssumeRole into a member. Unset: none is sent (and no variable is set).
     */
    SIGHTLINE_EXTERNAL_ID: optionalExternalId,
    SIGHTLINE_APPLY_SCOPE: ApplyScopeSchema,
    /** Where alarm notifications go (an SNS email subscription, confirmed by the recipient). */
    SIGHTLINE_ALARM_EMAIL: optionalText(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "must be an email address"),
    SIGHTLINE_LOG_RETENTION_DAYS: z.coerce
      .number({ error: "must be a number of days" })
      .int()
      .refine((d) => [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653].includes(d), "must be a retention CloudWatch Logs offers (1, 3, 5, 7, 14, 30, 60, 90, … days)")
      .default(30),
    /** A custom domain for the console (its certificate is not managed here); unset: the CloudFront domain. */
    SIGHTLINE_CONSOLE_DOMAIN: optionalText(/^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/, "must be a domain name like sightline.example.com"),
    /** The ACM certificate (in us-east-1, as CloudFront requires) covering SIGHTLINE_CONSOLE_DOMAIN. */
    SIGHTLINE_CONSOLE_CERTIFICATE_ARN: optionalText(/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/, "must be an ACM certificate ARN in us-east-1 (CloudFront takes certificates from there only)"),
    /** An external OIDC provider's issuer URL. Unset: the stack creates a Cognito user pool. */
    OIDC_ISSUER: z.preprocess((v) => (v === "" ? undefined : v), z.url({ protocol: /^https$/, message: "must be an https issuer URL" }).optional()),
    /** The client id registered with OIDC_ISSUER (its secret goes into Secrets Manager, never here). */
    OIDC_CLIENT_ID: optionalText(/^[\w.:@/-]{1,255}$/, "must be an OIDC client id"),
    /** The ID-token claim listing the user's groups. */
    OIDC_ROLES_CLAIM: optionalText(/^[\w.:/-]{1,128}$/, "must be a claim name"),
    /** `group=role,…` mapping the provider's groups to Sightline roles; groups named like a role map to it. */
    OIDC_ROLE_MAP: z.string().optional(),
    COST_ALLOCATION_TAG_KEYS: costAllocationTagKeys,
    BACKFILL_HOURS: positiveInt(24 * 14, 24 * 455),
    /**
     * Minutes between metrics passes (1, 2, 5, 10 or 15): the metrics and slos schedules' rate,
     * their lag alarms, and the collectors' and console's environment. GetMetricData is billed
     * per metric requested, so the metrics bill divides by it (docs/collectors.md, Cadence and cost).
     */
    METRICS_CADENCE_MINUTES: metricsCadenceMinutes,
  })
  .superRefine((c, ctx) => {
    if ((c.SIGHTLINE_CONSOLE_DOMAIN === undefined) !== (c.SIGHTLINE_CONSOLE_CERTIFICATE_ARN === undefined)) {
      ctx.addIssue({ code: "custom", path: ["SIGHTLINE_CONSOLE_CERTIFICATE_ARN"], message: "SIGHTLINE_CONSOLE_DOMAIN and SIGHTLINE_CONSOLE_CERTIFICATE_ARN go together (CloudFront serves a domain only with its certificate)" });
    }
    if ((c.OIDC_ISSUER === undefined) !== (c.OIDC_CLIENT_ID === undefined)) {
      ctx.addIssue({ code: "custom", path: ["OIDC_CLIENT_ID"], message: "OIDC_ISSUER and OIDC_CLIENT_ID go together (set both, or neither for a Cognito user pool)" });
    }
  });
export type DeployConfig = z.infer<typeof DeployConfigSchema>;

/** Reads every deploy setting from `context(name)` first, then `env`; invalid settings stop synth naming each one. */
export function loadDeployConfig(context: (name: string) => unknown, env: Record<string, string | undefined> = process.env): DeployConfig {
  const raw: Record<string, string | undefined> = {};
  for (const name of DEPLOY_SETTING_NAMES) {
    const fromContext = context(name);
    raw[name] = fromContext === undefined || fromContext === null ? env[name] : String(fromContext);
  }
  return parseEnv(DeployConfigSchema, raw);
}
