import { NextResponse, type NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { buildContentSecurityPolicy } from "@/lib/domain/access/content-security-policy";
import { matchPagePattern, pageAccess, rolesWith } from "@/lib/domain/access/route-permissions";
import { RoleSchema, roleCan, type Permission, type Role } from "@/lib/domain/access/roles";

const SIGN_IN_PATH = "/signin";

/**
 * Every page passes through here before it renders:
 * - a fresh CSP nonce per request (lib/domain/access/content-security-policy.ts): the policy goes
 *   on the request, where Next reads the nonce for its own scripts, and on the response;
 * - pages other than /signin need a session: anonymous visitors go to /signin?callbackUrl=…;
 * - a signed-in role without the page's permission (PAGE_ACCESS) gets a 403 page, so no server
 *   component renders data it may not read.
 * API routes under /api/v1 are not matched: they authenticate themselves (bearer token or
 * session) so they answer 401/403 JSON instead of redirecting. /api/auth is next-auth itself.
 */
export default async function proxy(request: NextRequest): Promise<NextResponse> {
  const nonce = btoa(crypto.randomUUID());
  const csp = buildContentSecurityPolicy({ nonce, development: process.env.NODE_ENV === "development" });
  const { pathname, search } = request.nextUrl;

  const access = pageAccess(pathname);
  if (access !== "public") {
    const role = await sessionRole(request);
    if (role === null) {
      const signIn = new URL(SIGN_IN_PATH, request.url);
      signIn.searchParams.set("callbackUrl", `${pathname}${search}`);
      return NextResponse.redirect(signIn);
    }
    if (!roleCan(role, access)) return forbiddenPage(pathname, role, access, csp);
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  return response;
}

/** The session's role, or null when there is no valid session (or it names no known role, e.g. from an older build). */
async function sessionRole(request: NextRequest): Promise<Role | null> {
  const secret = process.env.NEXTAUTH_SECRET ?? process.env.AUTH_SECRET;
  // Without a secret no session can be read; the sign-in page says sign-in is unavailable.
  if (!secret) return null;
  const token = await getToken({ req: request, secret });
  const role = RoleSchema.safeParse(token?.role);
  return role.success ? role.data : null;
}

const PAGE_NAMES: Record<string, string> = { "/costs": "Costs" };

/** A plain 403 page: which permission the page needs, which roles hold it, and a way back. */
function forbiddenPage(pathname: string, role: Role, permission: Permission, csp: string): NextResponse {
  const pattern = matchPagePattern(pathname);
  const page = (pattern !== null ? PAGE_NAMES[pattern] : undefined) ?? "This page";
  const holders = rolesWith(permission);
  const who = holders.length > 1 ? `${holders.slice(0, -1).join(", ")} or ${holders.at(-1)}` : (holders[0] ?? "no");
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>Not allowed · Sightline</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2933}a{color:#2457c5}</style></head>
<body><main data-testid="page-forbidden"><p><strong>Sightline</strong></p><h1>Not allowed</h1>
<p>${escapeHtml(page)} needs the permission <code>${escapeHtml(permission)}</code>. Your role, ${escapeHtml(role)}, does not include it; the ${escapeHtml(who)} role does. Ask an administrator if you need it.</p>
<p><a href="/">Back to the overview</a></p></main></body></html>`;
  return new NextResponse(body, { status: 403, headers: { "content-type": "text/html; charset=utf-8", "content-security-policy": csp, "cache-control": "no-store" } });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const config = {
  matcher: [
    "/((?!api/auth(?:/|$)|api/v1(?:/|$)|_next/|favicon\\.ico$|robots\\.txt$|.*\\.(?:png|jpg|jpeg|gif|svg|ico|webp|css|js|map|txt)$).*)",
  ],
};
