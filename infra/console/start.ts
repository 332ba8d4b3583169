/**
 * The console Lambda's start script (bundled by esbuild into the package as start.mjs; run.sh
 * execs it). It reads the secrets named by SIGHTLINE_SECRET_IDS into the environment, then starts
 * Next's standalone server, which parses the console configuration from that environment. A
 * secret that cannot be read stops the start with a line naming the secret, never its value:
 * Lambda Web Adapter then reports the init failure and the next request retries it.
 */
import { resolveSecretEnv } from "@/lib/adapters/aws/secret-env";
import { describeError } from "@/lib/use-cases/describe-error";

/**
 * What the console takes from Secrets Manager: the session key, the sign-in provider's client
 * credentials, and the two settings the stack can only know after CloudFront exists (the console's
 * URL and, with the stack's Cognito pool, the app client id; see infra/stacks/console-stack.ts).
 */
const CONSOLE_SECRET_VARIABLES = ["NEXTAUTH_SECRET", "NEXTAUTH_URL", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] as const;

try {
  const filled = await resolveSecretEnv(process.env, { allowed: CONSOLE_SECRET_VARIABLES });
  console.log(`[sightline] console: from Secrets Manager: ${filled.length > 0 ? filled.join(", ") : "nothing"}`);
} catch (error) {
  console.error(`[sightline] console cannot start: ${describeError(error)}`);
  process.exit(1);
}

// Next's standalone server sits next to this file in the package; it listens on PORT and HOSTNAME.
await import(new URL("./server.js", import.meta.url).href);
