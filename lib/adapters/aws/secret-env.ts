import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { z } from "zod";
import { reachingAws } from "@/lib/adapters/aws/unreachable";
import { UserFacingError } from "@/lib/domain/shared/user-facing-error";

/**
 * `SIGHTLINE_SECRET_IDS`: comma-separated Secrets Manager secret ids (names or ARNs). Each
 * secret is a JSON object whose keys are environment variable names, e.g.
 * `{"NEXTAUTH_SECRET":"…","OIDC_CLIENT_SECRET":"…"}`; at start-up, before the configuration is
 * parsed, each key fills the variable of that name. This is how a deployment gets secrets into
 * the console and the collectors without putting them in a template, a Lambda environment or a
 * log. A variable already set in the environment is left as it is (a local override).
 */
export const SECRET_IDS_VARIABLE = "SIGHTLINE_SECRET_IDS";

/** A secret could not be read or does not hold what this runtime takes. Never carries a secret value. */
export class SecretEnvError extends UserFacingError {
  override readonly name = "SecretEnvError";
}

const SecretObjectSchema = z.record(z.string(), z.string());

export interface ResolveSecretEnvOptions {
  /** The variable names this runtime takes from secrets; any other key is refused (a typo would otherwise pass silently). */
  allowed: readonly string[];
  /** For tests: the client (default: one in AWS_REGION, endpoint by the SDK's own resolution). */
  client?: SecretsManagerClient;
}

/**
 * Fills `env` from the secrets named by SIGHTLINE_SECRET_IDS (nothing to do when unset).
 * Returns the names it filled, for a log line that names variables, never values.
 */
export async function resolveSecretEnv(env: Record<string, string | undefined>, options: ResolveSecretEnvOptions): Promise<string[]> {
  const ids = (env[SECRET_IDS_VARIABLE] ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0) return [];
  const client = options.client ?? new SecretsManagerClient({ region: env.AWS_REGION, maxAttempts: 5, retryMode: "adaptive" });
  const filled: string[] = [];
  for (const id of ids) {
    let text: string | undefined;
    try {
      const out = await reachingAws("Secrets Manager", () => client.send(new GetSecretValueCommand({ SecretId: id })));
      text = out.SecretString;
    } catch (error) {
      const e = error as { name?: string; message?: string };
      throw new SecretEnvError(`cannot read secret ${id}: ${e.name ?? "Error"}: ${(e.message ?? "").split("\n")[0]}`, { cause: error });
    }
    if (text === undefined) throw new SecretEnvError(`secret ${id} has no string value (binary secrets are not read)`);
    let parsed: Record<string, string>;
    try {
      parsed = SecretObjectSchema.parse(JSON.parse(text));
    } catch {
      throw new SecretEnvError(`secret ${id} must be a JSON object of string values, e.g. {"NEXTAUTH_SECRET":"…"}`);
    }
    for (const [name, value] of Object.entries(parsed)) {
      if (!options.allowed.includes(name)) {
        throw new SecretEnvError(`secret ${id} holds ${name}, which this runtime does not take (it takes ${options.allowed.join(", ")})`);
      }
      if (env[name] !== undefined && env[name] !== "") continue;
      env[name] = value;
      filled.push(name);
    }
  }
  return filled;
}
