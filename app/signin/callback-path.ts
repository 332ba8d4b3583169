import { OIDC_NO_ROLE } from "@/app/signin/oidc-codes";
import { SIGN_IN_THROTTLE_POLICY } from "@/lib/domain/access/sign-in-throttle";

/** Where to go after signing in when no usable callback is given. */
export const DEFAULT_AFTER_SIGN_IN = "/";

/**
 * The path to return to after signing in, from a `callbackUrl` parameter. Only a path on
 * this site is kept (an absolute URL keeps its path, query and fragment, never its host), so
 * the parameter cannot send anyone elsewhere; the sign-in page itself is never a target.
 */
export function safeCallbackPath(raw: string | string[] | undefined): string {
  if (typeof raw !== "string" || raw === "") return DEFAULT_AFTER_SIGN_IN;
  let url: URL;
  try {
    url = new URL(raw, "http://sightline.invalid");
  } catch {
    return DEFAULT_AFTER_SIGN_IN;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return DEFAULT_AFTER_SIGN_IN;
  const path = url.pathname;
  // "//host" and "/\host" are protocol-relative in browsers; URL has already folded them into a host.
  if (!path.startsWith("/") || path.startsWith("//")) return DEFAULT_AFTER_SIGN_IN;
  if (path === "/signin" || path.startsWith("/api/")) return DEFAULT_AFTER_SIGN_IN;
  return `${path}${url.search}${url.hash}`;
}

/** What the sign-in page says for an `error` code from next-auth (`?error=` or signIn()'s result). */
export function describeSignInError(code: string | null | undefined): string | null {
  if (!code) return null;
  switch (code) {
    case "CredentialsSignin":
      return "Wrong username or password.";
    case "SignInUnavailable":
      return "Sign-in is unavailable: the server cannot reach its data store. Try again in a minute.";
    case "SignInThrottled":
      return `Too many failed sign-ins for this username or from this address. Sign-in is paused for up to ${SIGN_IN_THROTTLE_POLICY.windowMs / 60_000} minutes; try again later.`;
    case "SessionRequired":
      return "Please sign in to continue.";
    case OIDC_NO_ROLE:
      return "Your identity provider signed you in, but none of your groups gives you a Sightline role. Ask an administrator to add you to a group that maps to a Sightline role.";
    case "OAuthSignin":
      return "Single sign-on is unavailable: the identity provider could not be reached. Try again in a minute.";
    case "OAuthCallback":
      return "Single sign-on did not complete: it was cancelled, or the identity provider's answer could not be verified. Try again.";
    case "AccessDenied":
      return "Access denied.";
    default:
      return "Sign-in failed. Try again.";
  }
}
