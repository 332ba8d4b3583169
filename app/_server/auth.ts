import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { getDeps } from "@/app/_server/deps";
import { RoleSchema } from "@/lib/domain/access/roles";
import { authenticateUser } from "@/lib/use-cases/authenticate";
import { describeError } from "@/lib/use-cases/describe-error";

/** How long a console session lasts (seconds). Roles are carried in the JWT, so a role change takes effect at the next sign-in. */
const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

const CredentialsSchema = z.object({
  username: z.string().trim().min(1).max(128),
  password: z.string().min(1).max(1024),
});

/** The part of the JWT Sightline relies on. */
export const SessionTokenSchema = z.object({ sub: z.string().min(1), role: RoleSchema });

/** Thrown by `authorize` when the user store cannot answer; the sign-in page shows it as "unavailable". */
export const SIGN_IN_UNAVAILABLE = "SignInUnavailable";

/**
 * next-auth configuration: username/password against the users table, JWT sessions that carry
 * the subject and role, and Sightline's own sign-in page (which also shows auth errors).
 * The secret comes from NEXTAUTH_SECRET, which `getDeps()` validates at the first sign-in.
 */
export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/signin", error: "/signin" },
  providers: [
    CredentialsProvider({
      name: "Sightline",
      credentials: {
        username: { label: "Username", type: "text" },
        password: { label: "Password", type: "password" },
      },
      async authorize(credentials) {
        const parsed = CredentialsSchema.safeParse(credentials);
        if (!parsed.success) return null;
        try {
          const principal = await authenticateUser(getDeps(), parsed.data.username, parsed.data.password);
          return principal ? { id: principal.subject, name: principal.subject, role: principal.role } : null;
        } catch (error) {
          // A store or configuration failure is not a wrong password: log it, tell the page apart.
          console.error(`[sightline] sign-in failed: ${describeError(error)}`);
          throw new Error(SIGN_IN_UNAVAILABLE);
        }
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      // `user` is present only right after authorize() succeeded.
      if (user) return { ...token, sub: user.id, name: user.id, role: user.role };
      return token;
    },
    session({ session, token }) {
      const parsed = SessionTokenSchema.safeParse(token);
      if (!parsed.success) return { expires: session.expires };
      return { expires: session.expires, user: { name: parsed.data.sub, role: parsed.data.role } };
    },
  },
};
