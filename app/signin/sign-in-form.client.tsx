"use client";

import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { describeSignInError } from "@/app/signin/callback-path";

/** Username and password, posted to next-auth's credentials provider without leaving the page. */
export function SignInForm({ callbackPath, initialError }: { callbackPath: string; initialError: string | null }) {
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
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
    setPending(false);
  }

  return (
    <form className="signin-form" onSubmit={onSubmit} aria-describedby={error ? "signin-error" : undefined}>
      <div className="field">
        <label htmlFor="username">Username</label>
        <input id="username" name="username" type="text" autoComplete="username" required autoFocus />
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
      </div>
      {error ? (
        <p id="signin-error" className="form-error" role="alert" data-testid="signin-error">
          {error}
        </p>
      ) : null}
      <button type="submit" className="button button-primary" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
