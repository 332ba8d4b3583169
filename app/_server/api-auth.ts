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
  if (!roleCan(principal.role, permission)) {
    throw new ForbiddenError(`role "${principal.role}" lacks the permission "${permission}"`);
  }
  return principal;
}

async function identify(request: Request): Promise<Principal> {
  const header = request.headers.get("authorization");
  if (header !== null) {
    const token = BEARER.exec(header)?.[1];
    if (!token) throw new UnauthenticatedError("the Authorization header must be 'Bearer <token>'");
    const principal = await authenticateToken(getDeps(), token);
    if (!principal) throw new UnauthenticatedError("the API token is unknown or revoked");
    return principal;
  }
  const principal = await getSessionPrincipal();
  if (!principal) throw new UnauthenticatedError();
  return principal;
}
