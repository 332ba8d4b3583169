import { ROLES, roleCan, type Permission, type Role } from "@/lib/domain/access/roles";

/** What a route needs: a permission, or nothing at all (`public`: health checks, the sign-in page). */
export type RouteAccess = Permission | "public";

/**
 * The permission every console page needs, by its App Router pattern (route groups dropped,
 * `[name]` for a dynamic segment). proxy.ts enforces it before a page renders, so a role
 * without it gets a 403 and no server component runs; the pages check again themselves.
 * The access walk (tests/e2e/access-walk.test.ts) fails when a page exists that is not listed.
 */
export const PAGE_ACCESS: Readonly<Record<string, RouteAccess>> = {
  "/": "fleet:read",
  "/cold-starts": "fleet:read",
  "/collectors": "fleet:read",
  "/costs": "costs:read",
  "/functions": "fleet:read",
  "/functions/[name]": "fleet:read",
  "/map": "fleet:read",
  "/slos": "fleet:read",
  "/slos/[id]": "fleet:read",
  "/tuning": "fleet:read",
  "/tuning/[name]": "fleet:read",
  "/signin": "public",
};

/**
 * The permission each `/api/v1` route and method needs (`METHOD /api/v1/pattern`). The routes
 * call `authorize(request, permission)` themselves; this table is the contract the access walk
 * checks them against, and the list docs/console.md ("Security") shows.
 */
export const API_ACCESS: Readonly<Record<string, RouteAccess>> = {
  "GET /api/v1/health": "public",
  "GET /api/v1/overview": "fleet:read",
  "GET /api/v1/functions": "fleet:read",
  "GET /api/v1/functions/[name]": "fleet:read",
  "GET /api/v1/cold-starts": "fleet:read",
  "GET /api/v1/collectors": "fleet:read",
  "GET /api/v1/collectors/runs": "fleet:read",
  "GET /api/v1/service-map": "fleet:read",
  "GET /api/v1/service-map/nodes": "fleet:read",
  "GET /api/v1/slos": "fleet:read",
  "POST /api/v1/slos": "slos:write",
  "GET /api/v1/slos/[id]": "fleet:read",
  "PUT /api/v1/slos/[id]": "slos:write",
  "DELETE /api/v1/slos/[id]": "slos:write",
  "GET /api/v1/tuning": "fleet:read",
  "GET /api/v1/tuning/audit": "fleet:read",
  "POST /api/v1/tuning/apply": "tuning:apply",
  "POST /api/v1/tuning/rollback": "tuning:apply",
  "POST /api/v1/whatif": "fleet:read",
  "GET /api/v1/costs": "costs:read",
  "GET /api/v1/costs/export": "costs:read",
  "GET /api/v1/costs/settings": "costs:read",
  "PUT /api/v1/costs/settings": "costs:write",
};

/**
 * The page pattern a path belongs to (`/functions/orders-api` → `/functions/[name]`), or null
 * when no page has that shape (Next answers 404 for it).
 */
export function matchPagePattern(pathname: string): string | null {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  const segments = path.split("/").filter((s) => s !== "");
  for (const pattern of Object.keys(PAGE_ACCESS)) {
    const parts = pattern.split("/").filter((s) => s !== "");
    if (parts.length !== segments.length) continue;
    if (parts.every((part, i) => (part.startsWith("[") && part.endsWith("]")) || part === segments[i])) return pattern;
  }
  return null;
}

/**
 * What a page path needs. A path no page matches still needs a session (`fleet:read`, which
 * every role holds), so an anonymous visitor learns nothing about which paths exist.
 */
export function pageAccess(pathname: string): RouteAccess {
  const pattern = matchPagePattern(pathname);
  return pattern === null ? "fleet:read" : (PAGE_ACCESS[pattern] ?? "fleet:read");
}

/** The roles that hold a permission, least privileged first (`["finance", "admin"]`). */
export function rolesWith(permission: Permission): Role[] {
  return ROLES.filter((role) => roleCan(role, permission));
}
