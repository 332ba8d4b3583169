import { UserFacingError } from "@/lib/domain/shared/user-facing-error";

/** An AWS API could not be reached at all (refused, no route, DNS, timeout) — not an API error. */
export class AwsUnreachableError extends UserFacingError {
  override readonly name = "AwsUnreachableError";
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "EAI_AGAIN", "EPIPE"]);

/**
 * Runs an SDK call and turns a network failure (after the SDK's own retries) into an
 * AwsUnreachableError naming the API and the address, so logs, watermarks and the console say
 * "cannot reach the Lambda API (connect ECONNREFUSED 127.0.0.1:4566)" rather than a bare code.
 */
export async function reachingAws<T>(api: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_CODES.has(code)) {
      throw new AwsUnreachableError(`cannot reach the ${api} API (${(error as Error).message || code})`, { cause: error });
    }
    throw error;
  }
}
