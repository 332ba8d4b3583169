import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { describeSignInError, safeCallbackPath } from "@/app/signin/callback-path";
import { SignInForm } from "@/app/signin/sign-in-form.client";
import type { SearchParams } from "@/app/_server/search-params";
import { getSessionPrincipal } from "@/app/_server/session";

export const metadata: Metadata = { title: "Sign in · Sightline" };

/** The sign-in page; a visitor who is already signed in goes straight on. */
export default async function SignInPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const callbackPath = safeCallbackPath(params.callbackUrl);
  if (await getSessionPrincipal()) redirect(callbackPath);
  const error = typeof params.error === "string" ? describeSignInError(params.error) : null;
  return (
    <main className="centered">
      <div className="card signin-card">
        <p className="brand brand-large">Sightline</p>
        <h1>Sign in</h1>
        <p className="muted">Observability and cost for your serverless fleet.</p>
        <SignInForm callbackPath={callbackPath} initialError={error} />
      </div>
    </main>
  );
}
