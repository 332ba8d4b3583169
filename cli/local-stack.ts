import { resolve } from "node:path";
import type { LocalConfig } from "@/lib/config/local-config";
import { formatAccountsSetting, hostedAccounts, type HostedAccount } from "@/infra/local/sim/accounts";
import { loadScenario } from "@/infra/local/sim/load-scenario";

function simulatedAccounts(scenarioName: string): HostedAccount[] {
  try {
    return hostedAccounts(loadScenario(scenarioName));
  } catch {
    return [];
  }
}

/** Everything binds to loopback: the local stack is never reachable from the network. */
export const LOCAL_HOST = "127.0.0.1";

export interface LocalEndpoints {
  dataDir: string;
  consoleUrl: string;
  /** dynalite when embedded, else the configured endpoint (undefined = real DynamoDB). */
  dynamoEndpoint: string | undefined;
  /** The simulator when simulated, else the configured override (undefined = real AWS). */
  awsEndpoint: string | undefined;
}

export function resolveLocalEndpoints(config: LocalConfig, cwd = process.cwd()): LocalEndpoints {
  return {
    dataDir: resolve(cwd, config.DATA_DIR),
    consoleUrl: `http://${LOCAL_HOST}:${config.PORT}`,
    dynamoEndpoint: config.SIGHTLINE_DYNAMODB === "embedded" ? `http://${LOCAL_HOST}:${config.DYNAMODB_PORT}` : config.AWS_ENDPOINT_URL_DYNAMODB,
    awsEndpoint: config.SIGHTLINE_AWS === "simulated" ? `http://${LOCAL_HOST}:${config.SIM_PORT}` : config.AWS_ENDPOINT_URL,
  };
}

/**
 * The environment every child of `sightline start` runs with: the collectors' and the
 * console's own configuration variables, pointed at the local endpoints. Against the
 * simulator and dynalite any credentials do; against real AWS the SDK's credential chain
 * (profile, SSO, instance role…) applies unchanged.
 */
export function buildChildEnv(
  config: LocalConfig,
  endpoints: LocalEndpoints,
  extra: { nextAuthSecret: string | undefined },
  baseEnv: Record<string, string | undefined> = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(baseEnv)) if (v !== undefined) env[k] = v;
  delete env.AWS_ENDPOINT_URL;
  delete env.AWS_ENDPOINT_URL_DYNAMODB;
  Object.assign(env, {
    TABLE_NAME: config.TABLE_NAME,
    AWS_REGION: config.AWS_REGION,
    BACKFILL_HOURS: String(config.BACKFILL_HOURS),
    SETTLE_MINUTES: String(config.SETTLE_MINUTES),
    // The collectors schedule metrics by it and the console judges them late by it: both get the one value.
    METRICS_CADENCE_MINUTES: String(config.METRICS_CADENCE_MINUTES),
    NEXTAUTH_URL: endpoints.consoleUrl,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    NEXT_TELEMETRY_DISABLED: "1",
  });
  // Links in SLO notifications point at this console unless configured otherwise.
  env.SIGHTLINE_CONSOLE_URL ??= endpoints.consoleUrl;
  if (extra.nextAuthSecret) env.NEXTAUTH_SECRET = extra.nextAuthSecret;
  if (endpoints.awsEndpoint) env.AWS_ENDPOINT_URL = endpoints.awsEndpoint;
  if (endpoints.dynamoEndpoint) env.AWS_ENDPOINT_URL_DYNAMODB = endpoints.dynamoEndpoint;
  if (config.SIGHTLINE_ACCOUNT_ID) env.SIGHTLINE_ACCOUNT_ID = config.SIGHTLINE_ACCOUNT_ID;
  // Simulated: collect every account the simulator hosts (a member through its role), unless
  // the accounts are configured explicitly. A scenario that cannot be read is the simulator's
  // to report; the collectors then read the own account alone.
  if (config.SIGHTLINE_AWS === "simulated") {
    const accounts = simulatedAccounts(config.SIM_SCENARIO);
    if (!env.SIGHTLINE_ACCOUNTS && accounts.length > 1) env.SIGHTLINE_ACCOUNTS = formatAccountsSetting(accounts);
    // The console applies tuning in a member account through a role; a simulated member
    // declares one role (any call is allowed through it), so that is the one to assume.
    const memberRole = accounts.find((a) => a.roleArn !== null)?.roleArn?.split("/").at(-1);
    if (memberRole && !env.TUNING_APPLY_ROLE_NAME) env.TUNING_APPLY_ROLE_NAME = memberRole;
  }
  const everythingLocal = config.SIGHTLINE_AWS === "simulated" && config.SIGHTLINE_DYNAMODB === "embedded";
  if (everythingLocal && !env.AWS_ACCESS_KEY_ID) {
    env.AWS_ACCESS_KEY_ID = "sightline-local";
    env.AWS_SECRET_ACCESS_KEY = "sightline-local";
  }
  // A simulated account never needs the EC2 instance metadata service; make sure the SDK's
  // credential chain can't wander off to it.
  if (config.SIGHTLINE_AWS === "simulated") env.AWS_EC2_METADATA_DISABLED = "true";
  return env;
}
