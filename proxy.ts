import { withAuth } from "next-auth/middleware";
import { RoleSchema } from "@/lib/domain/access/roles";

/**
 * Every page needs a session; anonymous visitors go to /signin?callbackUrl=…. API routes
 * under /api/v1 are not matched: they authenticate themselves (bearer token or session) so
 * they can answer 401 JSON instead of redirecting. /api/auth is next-auth itself.
 */
export default withAuth({
  pages: { signIn: "/signin" },
  callbacks: {
    // A token without a known role (e.g. from an older build) counts as signed out.
    authorized: ({ token }) => token !== null && RoleSchema.safeParse(token.role).success,
  },
});

export const config = {
  matcher: [
    "/((?!api/auth(?:/|$)|api/v1(?:/|$)|signin(?:/|$)|_next/|favicon\\.ico$|robots\\.txt$|.*\\.(?:png|jpg|jpeg|gif|svg|ico|webp|css|js|map|txt)$).*)",
  ],
};
