import { z } from "zod";
import { parseEnv } from "@/lib/config/config-error";
import { optionalUrl, region, tableName } from "@/lib/config/fields";

/** What the console (Next.js server) needs. */
export const ConsoleConfigSchema = z.object({
  TABLE_NAME: tableName,
  AWS_REGION: region,
  AWS_ENDPOINT_URL_DYNAMODB: optionalUrl,
  NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters"),
  NEXTAUTH_URL: optionalUrl,
});
export type ConsoleConfig = z.infer<typeof ConsoleConfigSchema>;

export function loadConsoleConfig(env: Record<string, string | undefined> = process.env): ConsoleConfig {
  return parseEnv(ConsoleConfigSchema, env);
}
