import { z } from "zod";
import { PERCENT_SUM_TOLERANCE } from "@/lib/domain/cost/apportion";
import { LAMBDA_SERVICE } from "@/lib/domain/cost/cost-groupings";
import { parseBucketId, type CostPool, type CostSettings } from "@/lib/domain/cost/cost-types";

/**
 * What finance configures for allocation (issue 8): shared-cost pools, budgets, and whether
 * the usage model deducts the free tier — the defaults, and the one parser every way in (API,
 * CLI, the stored item) goes through.
 *
 * Pools speak the vocabulary of AWS Cost Categories split charges (even, proportional, fixed).
 * AWS Lambda is never a shared service: its untagged cost is an untagged function, shown in
 * `unallocated` so someone tags it, and idle provisioned concurrency and the per-function
 * drill-down both assume a bucket's Lambda cost belongs to its own functions.
 */

/**
 * Cost Explorer SERVICE names of the services a serverless fleet shares (the same strings the
 * simulator bills under, infra/local/sim/cost/usage-types.ts). Their untagged cost — one API,
 * bus, queue or table serving several teams — is a shared cost, not nobody's.
 */
export const SHARED_SERVICES: readonly string[] = [
  "Amazon API Gateway",
  "Amazon DynamoDB",
  "Amazon EventBridge",
  "Amazon Simple Queue Service",
  "Amazon Simple Notification Service",
  "AmazonCloudWatch",
  "AWS X-Ray",
];

/** The default pool: shared services' untagged cost, for every tag key, in proportion to each value's tagged cost (AWS's default split). */
export const DEFAULT_COST_POOLS: CostPool[] = [
  { name: "shared-services", services: [...SHARED_SERVICES], tagKey: "*", rule: { method: "proportional", basis: "cost" } },
];

export const DEFAULT_COST_SETTINGS: CostSettings = { pools: DEFAULT_COST_POOLS, budgets: [], applyFreeTier: false };

export const MAX_COST_POOLS = 50;
export const MAX_COST_BUDGETS = 200;
export const MAX_ALERT_RATIOS = 5;
/** An alert at 5× the budget is the highest that still means something. */
export const MAX_ALERT_RATIO = 5;

/** AWS's tag-key rule: 1–128 Unicode letters, digits, spaces and `_ . : / = + - @`. */
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;

const PercentagesSchema = z
  .record(
    z.string().min(1, "a percentage must name a tag value").max(256, "a tag value has at most 256 characters"),
    z
      .number("must be a number")
      .refine(Number.isFinite, "must be a finite number")
      .refine((p) => p > 0 && p <= 100, "must be more than 0 and at most 100"),
  )
  .superRefine((percentages, ctx) => {
    const values = Object.values(percentages);
    if (values.length === 0) {
      ctx.addIssue({ code: "custom", message: "name at least one tag value and its percentage" });
      return;
    }
    const sum = values.reduce((total, p) => total + p, 0);
    if (Number.isFinite(sum) && Math.abs(sum - 100) > PERCENT_SUM_TOLERANCE) ctx.addIssue({ code: "custom", message: `must add up to 100, they add up to ${sum}` });
  });

const SplitRuleSchema = z.discriminatedUnion(
  "method",
  [
    z.strictObject({ method: z.literal("even") }),
    z.strictObject({
      method: z.literal("proportional"),
      basis: z.enum(["cost", "requests", "gb-seconds"], 'must be "cost", "requests" or "gb-seconds"'),
    }),
    z.strictObject({ method: z.literal("fixed"), percentages: PercentagesSchema }),
  ],
  'method must be "even", "proportional" or "fixed"',
);

const CostPoolSchema = z
  .strictObject({
    name: z.string().min(1, "must not be empty").max(64, "must be at most 64 characters"),
    services: z
      .array(z.string().min(1, "must not be empty").max(128, "must be at most 128 characters"))
      .min(1, "name at least one service"),
    tagKey: z.string().refine((key) => key === "*" || TAG_KEY.test(key), `must be "*" (every tag key) or a tag key: 1–128 letters, digits, spaces or _ . : / = + - @`),
    rule: SplitRuleSchema,
  })
  .superRefine((pool, ctx) => {
    if (pool.rule.method === "fixed" && pool.tagKey === "*") {
      ctx.addIssue({ code: "custom", path: ["tagKey"], message: 'a fixed split names values of one tag key: set tagKey to that key, not "*"' });
    }
    pool.services.forEach((service, i) => {
      if (service === LAMBDA_SERVICE) {
        ctx.addIssue({ code: "custom", path: ["services", i], message: `${LAMBDA_SERVICE} cannot be shared: an untagged function stays unallocated until it is tagged` });
      }
    });
  });

const GROUP_BY = /^(service|tag:(.+))$/s;

const CostBudgetSchema = z.strictObject({
  groupBy: z.string().refine((g) => {
    const match = GROUP_BY.exec(g);
    return match !== null && (match[2] === undefined || TAG_KEY.test(match[2]));
  }, 'must be "service" or "tag:<key>" with a valid tag key'),
  bucket: z.string().refine((b) => parseBucketId(b) !== null, 'must be a bucket id: "value:<value>", "unallocated" or "idle"'),
  monthlyMicroUsd: z
    .number("must be a number")
    .refine((n) => Number.isSafeInteger(n) && n > 0, "must be a positive whole number of µUSD (at most 2^53 − 1)"),
  alertAtRatios: z
    .array(
      z
        .number("must be a number")
        .refine((r) => Number.isFinite(r) && r > 0 && r <= MAX_ALERT_RATIO, `must be more than 0 and at most ${MAX_ALERT_RATIO}`),
    )
    .min(1, "give at least one alert ratio")
    .max(MAX_ALERT_RATIOS, `give at most ${MAX_ALERT_RATIOS} alert ratios`)
    // Normalised: ascending, each once, so [1, 0.8, 0.8] and [0.8, 1] are the same budget.
    .transform((ratios) => [...new Set(ratios)].sort((a, b) => a - b)),
});

/**
 * The settings as stored and as the API takes them: strict objects (an unknown or misspelt key
 * is an error, not silently dropped), every field required. Cross-field rules (unique pool
 * names, a service in at most one pool per tag key, one budget per grouping and bucket) are
 * checked on the whole and reported at the offending element.
 */
export const CostSettingsSchema = z
  .strictObject({
    pools: z.array(CostPoolSchema).max(MAX_COST_POOLS, `at most ${MAX_COST_POOLS} pools`),
    budgets: z.array(CostBudgetSchema).max(MAX_COST_BUDGETS, `at most ${MAX_COST_BUDGETS} budgets`),
    applyFreeTier: z.boolean("must be true or false"),
  })
  .superRefine((settings, ctx) => {
    const poolNames = new Map<string, number>();
    settings.pools.forEach((pool, i) => {
      const first = poolNames.get(pool.name);
      if (first !== undefined) ctx.addIssue({ code: "custom", path: ["pools", i, "name"], message: `pool name "${pool.name}" is already used by pools[${first}]` });
      else poolNames.set(pool.name, i);
    });

    // A service may be in one pool per tag key; a "*" pool applies to every key, so it clashes with all.
    const claims: { service: string; tagKey: string; pool: number }[] = [];
    settings.pools.forEach((pool, i) => {
      pool.services.forEach((service, j) => {
        const clash = claims.find((c) => c.service === service && (c.tagKey === pool.tagKey || c.tagKey === "*" || pool.tagKey === "*"));
        if (clash !== undefined) {
          const where = clash.pool === i ? "earlier in this pool" : `in pools[${clash.pool}] ("${settings.pools[clash.pool]!.name}")`;
          ctx.addIssue({ code: "custom", path: ["pools", i, "services", j], message: `"${service}" is already ${where} for the same tag key` });
        } else claims.push({ service, tagKey: pool.tagKey, pool: i });
      });
    });

    const budgetKeys = new Map<string, number>();
    settings.budgets.forEach((budget, i) => {
      const key = `${budget.groupBy}|${budget.bucket}`;
      const first = budgetKeys.get(key);
      if (first !== undefined) ctx.addIssue({ code: "custom", path: ["budgets", i, "bucket"], message: `budgets[${first}] already covers ${budget.bucket} under ${budget.groupBy}` });
      else budgetKeys.set(key, i);
    });
  });

export type CostSettingsParse = { kind: "ok"; settings: CostSettings } | { kind: "invalid"; errors: { path: string; message: string }[] };

/** `pools[1].rule.percentages`: a zod issue path as a person reads it. */
export function formatSettingsPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const part of path) {
    if (typeof part === "number") text += `[${part}]`;
    else {
      const name = String(part);
      if (/^[A-Za-z_$][\w$-]*$/.test(name)) text += text === "" ? name : `.${name}`;
      else text += `[${JSON.stringify(name)}]`;
    }
  }
  return text === "" ? "settings" : text;
}

/**
 * Validates cost settings from anywhere (API body, CLI file, stored item): the settings, or
 * every problem with the path of the field it is about (`pools[1].rule.percentages`,
 * `budgets[0].alertAtRatios[2]`). Alert ratios come back ascending and deduplicated.
 */
export function parseCostSettings(input: unknown): CostSettingsParse {
  const parsed = CostSettingsSchema.safeParse(input);
  if (parsed.success) return { kind: "ok", settings: parsed.data };
  return {
    kind: "invalid",
    errors: parsed.error.issues.map((issue) => ({
      path: formatSettingsPath(issue.path),
      // A record key's own problem is nested under zod's generic "Invalid key in record".
      message: issue.code === "invalid_key" ? (issue.issues[0]?.message ?? issue.message) : issue.message,
    })),
  };
}

/**
 * The pools that apply to a grouping: those of its tag key and those for every key ("*").
 * groupBy service (tagKey null) has none — untagged cost is simply its service's.
 */
export function poolsFor(pools: readonly CostPool[], tagKey: string | null): CostPool[] {
  if (tagKey === null) return [];
  return pools.filter((pool) => pool.tagKey === "*" || pool.tagKey === tagKey);
}
