/**
 * Names the server (app/_server/auth.ts) and the sign-in page share for OIDC sign-in; kept in
 * a module of their own so the client form does not import the server's auth options.
 */

/** next-auth's id of the OIDC provider: its callback is `<console>/api/auth/callback/oidc`. */
export const OIDC_PROVIDER_ID = "oidc";

/** The `?error=` code for a person the identity provider knows but none of whose groups maps to a Sightline role. */
export const OIDC_NO_ROLE = "OidcNoRole";
