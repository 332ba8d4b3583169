import type { z } from "zod";
import { UserFacingError } from "@/lib/domain/shared/user-facing-error";

/** Configuration is invalid: the message names every bad variable and why. */
export class ConfigError extends UserFacingError {
  override readonly name = "ConfigError";
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/**
 * Variables whose values a problem never echoes: secrets, and the external id (not a secret to
 * AWS, but a value that has no business in logs either).
 */
const UNECHOED_NAME = /SECRET|PASSWORD|EXTERNAL_ID/;

/** Parses an environment with a schema; every problem names its variable (and its value, unless UNECHOED_NAME). */
export function parseEnv<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const name = issue.path.join(".") || "(environment)";
      const value = issue.path.length === 1 ? env[String(issue.path[0])] : undefined;
      return `${name}: ${issue.message}${value !== undefined && !UNECHOED_NAME.test(name) ? ` (got "${value}")` : ""}`;
    }),
  );
}
