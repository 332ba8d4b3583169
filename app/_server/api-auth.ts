import { getDeps } from "@/app/_server/deps";
import { ForbiddenError, UnauthenticatedError } from "@/app/_server/http-errors";
import { getSessionPrincipal } from "@/app/_server/session";
import { roleCan, type Permission } from "@/lib/domain/access/roles";
import { authenticateToken, type Principal } from "@/lib/use-cases/authenticate";

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Who is calling an API route, and may they do `permission`?
 * An `Authorization` header must be a valid bearer token (no fallback to the session, so a
 * script with a bad token fails loudly); without one the next-auth session cookie counts.
 * Throws UnauthenticatedError (401) or ForbiddenError (403); `handleApi` answers them.
 */
export async function authorize(request: Request, permission: Permission): Promise<Principal> {
  const principal = await identify(request);
  if (!SAFE_METHODS.has(request.method) && request.headers.get("authorization") === null) assertSameOrigin(request);
  if (!roleCan(principal.role, permission)) {
    throw new ForbiddenError(`role "${principal.role}" lacks the permission "${permission}"`);
  }
  return principal;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF protection for cookie-authenticated changes: the browser must say the request comes
 * from the console's own origin (Origin header, or Sec-Fetch-Site: same-origin). Bearer-token
 * callers are exempt: a browser never attaches a token on its own.
 */
function assertSameOrigin(request: Request): void {
  if (request.headers.get("sec-fetch-site") === "same-origin") return;
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (origin !== null && host !== null) {
    try {
      if (new URL(origin).host === host) return;
    } catch {
      // An unparseable Origin is not the console's.
    }
  }
  throw new ForbiddenError("a change made with a session cookie must come from the console itself (Origin mismatch); scripts use an API token");
}

async function identify(request: Request): Promise<Principal> {
  const header = request.headers.get("authorization");
  if (header !== null) {
    const token = BEARER.exec(header)?.[1];
    if (!token) throw new UnauthenticatedError("the Authorization header must be 'Bearer <token>'");
    const principal = await authenticateToken(getDeps(), token, Date.now());
    if (!principal) throw new UnauthenticatedError("the API token is unknown, revoked or expired");
    return principal;
  }
  const principal = await getSessionPrincipal();
  if (!principal) throw new UnauthenticatedError();
  return principal;
}
