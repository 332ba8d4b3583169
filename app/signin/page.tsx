import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { describeSignInError, safeCallbackPath } from "@/app/signin/callback-path";
import { SignInForm } from "@/app/signin/sign-in-form.client";
import type { SearchParams } from "@/app/_server/search-params";
import { getSessionPrincipal } from "@/app/_server/session";
import { ConfigError } from "@/lib/config/config-error";
import { loadSignInConfig, type SignInConfig } from "@/lib/config/console-config";

export const metadata: Metadata = { title: "Sign in · Sightline" };

/**
 * The sign-in settings, or null when they are invalid: the problems go to the server log
 * (they name variables, never secret values) and the page says sign-in is unavailable.
 */
function readSignInConfig(): SignInConfig | null {
  try {
    return loadSignInConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`[sightline] sign-in is unavailable: ${error.message}`);
    return null;
  }
}

/** The sign-in page; a visitor who is already signed in goes straight on. */
export default async function SignInPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const callbackPath = safeCallbackPath(params.callbackUrl);
  const config = readSignInConfig();
  if (config !== null && (await getSessionPrincipal())) redirect(callbackPath);
  const error = typeof params.error === "string" ? describeSignInError(params.error) : null;
  return (
    <main className="centered">
      <div className="card signin-card">
        <p className="brand brand-large">Sightline</p>
        <h1>Sign in</h1>
        <p className="muted">Observability and cost for your serverless fleet.</p>
        {config === null ? (
          <p className="form-error" role="alert" data-testid="signin-error">
            Sign-in is unavailable: the console&apos;s sign-in settings are invalid. The server log names the setting to fix.
          </p>
        ) : (
          <SignInForm callbackPath={callbackPath} initialError={error} passwordSignIn={config.passwordSignIn} ssoName={config.oidc?.name ?? null} />
        )}
      </div>
    </main>
  );
}
