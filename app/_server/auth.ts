import type { NextAuthOptions } from "next-auth";
import type { Provider } from "next-auth/providers/index";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { getDeps } from "@/app/_server/deps";
import { OIDC_NO_ROLE, OIDC_PROVIDER_ID } from "@/app/signin/oidc-codes";
import { loadSignInConfig, type OidcSignIn, type SignInConfig } from "@/lib/config/console-config";
import { oidcSubject, readOidcGroups, resolveOidcRole } from "@/lib/domain/access/oidc-roles";
import { RoleSchema } from "@/lib/domain/access/roles";
import { clientAddressFrom, SIGN_IN_THROTTLE_POLICY } from "@/lib/domain/access/sign-in-throttle";
import { signInWithPassword } from "@/lib/use-cases/authenticate";
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

/** Thrown by `authorize` while the username or address has used up its failed sign-ins (sign-in-throttle.ts). */
export const SIGN_IN_THROTTLED = "SignInThrottled";

/**
 * Scopes asked of the identity provider. Cognito puts `cognito:groups` in the ID token without
 * a scope of its own, and refuses scopes the app client does not allow, so none is added.
 */
const OIDC_SCOPE = "openid profile email";

/**
 * Any OpenID Connect provider (Cognito, Entra ID, Okta, Keycloak…): the authorization-code flow
 * with PKCE, state and nonce, endpoints and keys from the issuer's discovery document, and the
 * person's name and role from the verified ID token's claims. A person without a role gets
 * `role: null` here; the `signIn` callback refuses them before any session exists.
 */
function oidcProvider(oidc: OidcSignIn): Provider {
  return {
    id: OIDC_PROVIDER_ID,
    name: oidc.name,
    type: "oauth",
    wellKnown: oidc.wellKnownUrl,
    clientId: oidc.clientId,
    clientSecret: oidc.clientSecret,
    idToken: true,
    checks: ["pkce", "state", "nonce"],
    authorization: { params: { scope: OIDC_SCOPE } },
    profile(claims: Record<string, unknown>) {
      // A valid ID token always has `sub`; an empty id makes next-auth abandon the sign-in.
      const subject = oidcSubject(claims) ?? "";
      const resolution = resolveOidcRole(readOidcGroups(claims, oidc.rolesClaim), oidc.roleRules);
      return { id: subject, name: subject, role: resolution.kind === "role" ? resolution.role : null };
    },
  };
}

/** Username and password against the users table (absent when SIGHTLINE_PASSWORD_SIGN_IN=false). */
const credentialsProvider = CredentialsProvider({
  name: "Sightline",
  credentials: {
    username: { label: "Username", type: "text" },
    password: { label: "Password", type: "password" },
  },
  async authorize(credentials, request) {
    const parsed = CredentialsSchema.safeParse(credentials);
    if (!parsed.success) return null;
    const headers = (request?.headers ?? {}) as Record<string, string | string[] | undefined>;
    const header = (name: string) => {
      const value = headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    let outcome;
    try {
      outcome = await signInWithPassword(getDeps(), {
        username: parsed.data.username,
        password: parsed.data.password,
        clientAddress: clientAddressFrom(header),
        nowMs: Date.now(),
        policy: SIGN_IN_THROTTLE_POLICY,
      });
    } catch (error) {
      // A store or configuration failure is not a wrong password: log it, tell the page apart.
      console.error(`[sightline] sign-in failed: ${describeError(error)}`);
      throw new Error(SIGN_IN_UNAVAILABLE);
    }
    if (outcome.kind === "throttled") {
      console.warn(`[sightline] password sign-in refused for "${parsed.data.username}": too many failed attempts (retry in ${Math.ceil(outcome.retryAfterMs / 60_000)} min)`);
      throw new Error(SIGN_IN_THROTTLED);
    }
    if (outcome.kind === "refused") return null;
    const { principal } = outcome;
    return { id: principal.subject, name: principal.subject, role: principal.role };
  },
});

/**
 * The providers the configuration enables. With password sign-in off the credentials provider
 * is not registered at all, so `/api/auth/callback/credentials` cannot create a session.
 */
export function signInProviders(config: SignInConfig): Provider[] {
  return [...(config.passwordSignIn ? [credentialsProvider] : []), ...(config.oidc ? [oidcProvider(config.oidc)] : [])];
}

/**
 * next-auth configuration: username/password against the users table and/or an OIDC provider
 * (docs/console.md, "Signing in with OIDC"), JWT sessions that carry the subject and role
 * either way, and Sightline's own sign-in page (which also shows auth errors).
 * The providers are read from the environment on each use rather than at import: in AWS the
 * OIDC client secret is filled into the environment at start-up (lib/adapters/aws/secret-env.ts).
 * The secret comes from NEXTAUTH_SECRET, which `getDeps()` validates at the first sign-in.
 */
export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/signin", error: "/signin" },
  get providers() {
    return signInProviders(loadSignInConfig());
  },
  callbacks: {
    signIn({ user, profile }) {
      if (user.role !== null) return true;
      // Only the OIDC provider yields a user without a role. Throwing sends the browser to
      // /signin?error=OidcNoRole (next-auth passes the message through as the error code).
      const claim = loadSignInConfig().oidc?.rolesClaim ?? "groups";
      const groups = profile ? readOidcGroups(profile as Record<string, unknown>, claim) : [];
      console.warn(
        `[sightline] OIDC sign-in refused for "${user.id}": no role for the groups in claim "${claim}" ([${groups.join(", ")}]); see OIDC_ROLE_MAP and OIDC_DEFAULT_ROLE`,
      );
      throw new Error(OIDC_NO_ROLE);
    },
    jwt({ token, user }) {
      // `user` is present only right after authorize() or the OIDC profile() succeeded.
      if (user?.role) return { ...token, sub: user.id, name: user.id, role: user.role };
      return token;
    },
    session({ session, token }) {
      const parsed = SessionTokenSchema.safeParse(token);
      if (!parsed.success) return { expires: session.expires };
      return { expires: session.expires, user: { name: parsed.data.sub, role: parsed.data.role } };
    },
  },
};
