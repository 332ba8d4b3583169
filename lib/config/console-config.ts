import { z } from "zod";
import { parseEnv } from "@/lib/config/config-error";
import { costAllocationTagKeys, optionalAccountId, optionalUrl, region, tableName } from "@/lib/config/fields";
import { optionalExternalId } from "@/lib/config/external-id";
import { metricsCadenceMinutes } from "@/lib/config/metrics-cadence";
import { parseOidcRoleMap, type OidcRoleMap, type OidcRoleRules } from "@/lib/domain/access/oidc-roles";
import { ROLES } from "@/lib/domain/access/roles";

/** An empty variable counts as unset (templates and `.env` files often carry `NAME=`). */
const blankAsUnset = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** Hosts for which an http issuer is accepted: only this machine (the local test provider). */
function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** The URL, or null when it does not parse (the url check reports that; refinements run anyway). */
function urlOrNull(v: string): URL | null {
  try {
    return new URL(v);
  } catch {
    return null;
  }
}

const oidcIssuer = z.preprocess(
  blankAsUnset,
  z
    .url({ protocol: /^https?$/, message: "must be the issuer URL, e.g. https://cognito-idp.<region>.amazonaws.com/<user pool id>" })
    .refine((v) => {
      const url = urlOrNull(v);
      return url === null || url.protocol !== "http:" || isLoopbackHost(url.hostname);
    }, "must use https (http is accepted only for a loopback host such as 127.0.0.1)")
    .refine((v) => {
      const url = urlOrNull(v);
      return url === null || (url.search === "" && url.hash === "" && url.username === "" && url.password === "");
    }, "must be a plain issuer URL, without query, fragment or credentials")
    .optional(),
);

/**
 * The sign-in settings: username/password (the users table) and/or OIDC. Kept apart so the
 * sign-in page and next-auth can read them without the rest of the console's configuration.
 */
const signInFields = {
  /** The OpenID provider's issuer; its `/.well-known/openid-configuration` is read at sign-in. */
  OIDC_ISSUER: oidcIssuer,
  OIDC_CLIENT_ID: z.preprocess(blankAsUnset, z.string().trim().max(256, "must be at most 256 characters").optional()),
  /** A secret: parse errors never echo it (parseEnv hides values of *SECRET* variables). */
  OIDC_CLIENT_SECRET: z.preprocess(blankAsUnset, z.string().max(1024, "must be at most 1024 characters").optional()),
  /** The ID-token claim that lists the person's groups (Cognito: `cognito:groups`). */
  OIDC_ROLES_CLAIM: z.preprocess(blankAsUnset, z.string().trim().max(128, "must be at most 128 characters").default("groups")),
  /** `group=role,…`; a group named exactly like a role maps to it without an entry. */
  OIDC_ROLE_MAP: z.preprocess(
    blankAsUnset,
    z
      .string()
      .default("")
      .transform((text, ctx): OidcRoleMap => {
        const parsed = parseOidcRoleMap(text);
        if (parsed.ok) return parsed.roleMap;
        for (const problem of parsed.problems) ctx.issues.push({ code: "custom", message: problem, input: text });
        return z.NEVER;
      }),
  ),
  /** The role of a person none of whose groups maps to one; unset refuses them. */
  OIDC_DEFAULT_ROLE: z.preprocess(blankAsUnset, z.enum(ROLES, { error: `must be one of ${ROLES.join(", ")}` }).optional()),
  /** The identity provider's name on the sign-in button ("Sign in with …"). */
  OIDC_NAME: z.preprocess(blankAsUnset, z.string().trim().max(64, "must be at most 64 characters").default("Single sign-on")),
  /** `false`: no username/password sign-in at all (the form is hidden and the provider absent). */
  SIGHTLINE_PASSWORD_SIGN_IN: z.enum(["true", "false"], { error: "must be true or false" }).default("true").transform((v) => v === "true"),
};

const OIDC_TRIO = ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] as const;

/**
 * The rules between sign-in settings: the three OIDC connection settings go together (each
 * missing one is named), and switching password sign-in off needs OIDC, or nobody could sign in.
 */
function checkSignInSettings(
  value: { OIDC_ISSUER?: string | undefined; OIDC_CLIENT_ID?: string | undefined; OIDC_CLIENT_SECRET?: string | undefined; SIGHTLINE_PASSWORD_SIGN_IN: boolean },
  ctx: z.RefinementCtx,
): void {
  const missing = OIDC_TRIO.filter((name) => value[name] === undefined);
  if (missing.length > 0 && missing.length < OIDC_TRIO.length) {
    const present = OIDC_TRIO.filter((name) => !missing.includes(name));
    for (const name of missing) {
      ctx.addIssue({ code: "custom", path: [name], message: `must be set: ${present.join(" and ")} ${present.length > 1 ? "are" : "is"} set, and OIDC sign-in needs all of ${OIDC_TRIO.join(", ")}` });
    }
  }
  if (!value.SIGHTLINE_PASSWORD_SIGN_IN && missing.length > 0) {
    ctx.addIssue({ code: "custom", path: ["SIGHTLINE_PASSWORD_SIGN_IN"], message: `is false but OIDC is not configured (${OIDC_TRIO.join(", ")}): nobody could sign in` });
  }
}

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
  /**
   * Sent as ExternalId when assuming TUNING_APPLY_ROLE_NAME in a member account (the same value
   * as the collectors'); not with the home account's apply role, whose trust needs none. Never logged.
   */
  SIGHTLINE_EXTERNAL_ID: optionalExternalId,
  /** Tag keys the cost view groups by (the same setting as the costs collector's). */
  COST_ALLOCATION_TAG_KEYS: costAllocationTagKeys,
  /**
   * The metrics collector's cadence (the collectors' setting, 1 by default): the Collectors page
   * judges the metrics collector and the SLO evaluator late by it.
   */
  METRICS_CADENCE_MINUTES: metricsCadenceMinutes,
  ...signInFields,
});
export type ConsoleConfig = z.infer<typeof ConsoleConfigSchema>;

/** Parses the console's environment, including the rules between the sign-in settings. */
export function loadConsoleConfig(env: Record<string, string | undefined> = process.env): ConsoleConfig {
  return parseEnv(ConsoleConfigSchema.superRefine(checkSignInSettings), env);
}

const SignInEnvSchema = z.object(signInFields).superRefine(checkSignInSettings);

/** An OpenID Connect provider to sign in with, as next-auth needs it. */
export interface OidcSignIn {
  issuer: string;
  /** `<issuer>/.well-known/openid-configuration` (a trailing slash on the issuer is not doubled). */
  wellKnownUrl: string;
  clientId: string;
  clientSecret: string;
  /** The ID-token claim that lists groups. */
  rolesClaim: string;
  roleRules: OidcRoleRules;
  /** Shown as "Sign in with <name>". */
  name: string;
}

/** How people sign in to this console. */
export interface SignInConfig {
  /** Username and password against the users table. */
  passwordSignIn: boolean;
  /** Null when OIDC is not configured. */
  oidc: OidcSignIn | null;
}

/**
 * The sign-in settings alone, read when called (not at import): in AWS, OIDC_CLIENT_SECRET is
 * filled into the environment from Secrets Manager at start-up. Throws ConfigError.
 */
export function loadSignInConfig(env: Record<string, string | undefined> = process.env): SignInConfig {
  const c = parseEnv(SignInEnvSchema, env);
  const oidc =
    c.OIDC_ISSUER !== undefined && c.OIDC_CLIENT_ID !== undefined && c.OIDC_CLIENT_SECRET !== undefined
      ? {
          issuer: c.OIDC_ISSUER,
          wellKnownUrl: `${c.OIDC_ISSUER.replace(/\/+$/, "")}/.well-known/openid-configuration`,
          clientId: c.OIDC_CLIENT_ID,
          clientSecret: c.OIDC_CLIENT_SECRET,
          rolesClaim: c.OIDC_ROLES_CLAIM,
          roleRules: { roleMap: c.OIDC_ROLE_MAP, defaultRole: c.OIDC_DEFAULT_ROLE ?? null },
          name: c.OIDC_NAME,
        }
      : null;
  return { passwordSignIn: c.SIGHTLINE_PASSWORD_SIGN_IN, oidc };
}
