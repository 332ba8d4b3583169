import type { Role } from "@/lib/domain/access/roles";

// What Sightline keeps in next-auth's user, JWT and session. Values read back are still
// parsed with zod (see session.ts): a cookie minted by an older build may lack them.
declare module "next-auth" {
  interface User {
    /** null: an OIDC user none of whose groups maps to a role; the signIn callback refuses them. */
    role: Role | null;
  }
  interface Session {
    /** Absent when the token does not carry a valid subject and role. */
    user?: { name: string; role: Role };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    role?: Role;
  }
}
