"use client";

import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { describeSignInError } from "@/app/signin/callback-path";
import { OIDC_PROVIDER_ID } from "@/app/signin/oidc-codes";

/**
 * The ways in the configuration enables: a "Sign in with <name>" button that leaves for the
 * identity provider (OIDC), and/or username and password posted to next-auth's credentials
 * provider without leaving the page. One error line serves both.
 */
export function SignInForm({
  callbackPath,
  initialError,
  passwordSignIn,
  ssoName,
}: {
  callbackPath: string;
  initialError: string | null;
  /** Show the username/password form. */
  passwordSignIn: boolean;
  /** The identity provider's name (OIDC_NAME), or null without OIDC. */
  ssoName: string | null;
}) {
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState<"password" | "sso" | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending("password");
    setError(null);
    try {
      const result = await signIn<"credentials">("credentials", {
        redirect: false,
        username: String(form.get("username") ?? ""),
        password: String(form.get("password") ?? ""),
      });
      if (result?.ok && !result.error) {
        // A full load, so every server component renders with the new session cookie.
        window.location.assign(callbackPath);
        return;
      }
      setError(describeSignInError(result?.error ?? "unknown"));
    } catch {
      setError("Sign-in failed: the server did not answer. Try again.");
    }
    setPending(null);
  }

  async function onSso() {
    setPending("sso");
    setError(null);
    try {
      // Navigates away to the identity provider; it comes back to callbackPath signed in, or to /signin?error=….
      await signIn(OIDC_PROVIDER_ID, { callbackUrl: callbackPath });
    } catch {
      setError("Sign-in failed: the server did not answer. Try again.");
      setPending(null);
    }
  }

  const errorLine = error ? (
    <p id="signin-error" className="form-error" role="alert" data-testid="signin-error">
      {error}
    </p>
  ) : null;

  return (
    <>
      {ssoName !== null ? (
        <div className="signin-form">
          {errorLine}
          <button type="button" className="button button-primary" onClick={onSso} disabled={pending !== null} data-testid="sso-sign-in">
            {pending === "sso" ? "Redirecting…" : `Sign in with ${ssoName}`}
          </button>
          {passwordSignIn ? <p className="muted">or with a Sightline username and password:</p> : null}
        </div>
      ) : null}
      {passwordSignIn ? (
        <form className="signin-form" onSubmit={onSubmit} aria-describedby={error ? "signin-error" : undefined}>
          <div className="field">
            <label htmlFor="username">Username</label>
            <input id="username" name="username" type="text" autoComplete="username" required autoFocus={ssoName === null} />
          </div>
          <div className="field">
            <label htmlFor="password">Password</label>
            <input id="password" name="password" type="password" autoComplete="current-password" required />
          </div>
          {ssoName === null ? errorLine : null}
          <button type="submit" className={ssoName === null ? "button button-primary" : "button"} disabled={pending !== null}>
            {pending === "password" ? "Signing in…" : "Sign in"}
          </button>
        </form>
      ) : null}
    </>
  );
}
