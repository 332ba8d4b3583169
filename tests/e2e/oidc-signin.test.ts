import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, screenshot } from "@/tests/e2e/browser";
import { startTestIdentityProvider, type TestIdentity, type TestIdentityProvider } from "@/tests/e2e/oidc-provider";
import { startStack, type Stack } from "@/tests/e2e/stack";

/**
 * OIDC sign-in end to end: a real OpenID provider (oidc-provider) on loopback, the whole
 * product started with the OIDC settings the CDK console stack sets (so this also proves
 * `sightline start` hands them to the console process), and Debian Chromium doing what a
 * person does. First with password sign-in switched off (SSO is the only way in), then with both.
 */
const SESSION_COOKIE = "next-auth.session-token";
const IDENTITIES: Record<string, TestIdentity> = {
  // Two groups: one maps to finance, the other to nothing; the mapped one decides.
  fiona: { groups: ["everyone", "sightline-finance"], email: "fiona@example.com" },
  nate: { groups: ["everyone", "marketing"], email: "nate@example.com" },
  // A group named exactly like a role needs no OIDC_ROLE_MAP entry.
  pat: { groups: ["everyone", "engineer"], email: "pat@example.com" },
};

let idp: TestIdentityProvider;
let stack: Stack;
let browser: Browser;

/** The test identity provider and a whole stack configured for it, with `env` on top. */
async function startWithOidc(env: Record<string, string>): Promise<void> {
  idp = await startTestIdentityProvider(IDENTITIES);
  stack = await startStack({
    env: {
      BACKFILL_HOURS: "48",
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_ROLE_MAP: "sightline-finance=finance,sightline-platform=engineer",
      ...env,
    },
  });
  idp.acceptConsole(stack.baseUrl);
}

async function stopAll(): Promise<void> {
  await stack?.stop();
  await idp?.close();
}

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ baseURL: stack.baseUrl, viewport: { width: 1440, height: 900 } });
  return await context.newPage();
}

/** Clicks the SSO button and signs in at the identity provider's own login form. */
async function signInAtProvider(page: Page, login: string, button = "Sign in with Example IdP"): Promise<void> {
  await page.getByRole("button", { name: button, exact: true }).click();
  await page.waitForURL((url) => url.origin === idp.issuer && url.pathname.startsWith("/interaction/"));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any password: the test provider checks none");
  await page.getByRole("button", { name: "Sign-in" }).click();
}

async function sessionCookie(page: Page): Promise<string | undefined> {
  return (await page.context().cookies(stack.baseUrl)).find((c) => c.name === SESSION_COOKIE)?.value;
}

describe("OIDC as the only way in (SIGHTLINE_PASSWORD_SIGN_IN=false)", () => {
  beforeAll(async () => {
    await startWithOidc({ OIDC_ROLES_CLAIM: "groups", OIDC_NAME: "Example IdP", SIGHTLINE_PASSWORD_SIGN_IN: "false" });
  });
  afterAll(stopAll);

  it("offers only the identity provider's button when password sign-in is off", async () => {
    const page = await newPage();
    await page.goto("/costs");
    await page.waitForURL(/\/signin\?callbackUrl=/);
    await page.getByRole("button", { name: "Sign in with Example IdP" }).waitFor();
    expect(await page.getByLabel("Username").count()).toBe(0);
    expect(await page.getByLabel("Password").count()).toBe(0);
    await screenshot(page, "oidc-signin");
    await page.context().close();
  });

  it("signs a finance-group user in through the provider with the finance role, and no more", async () => {
    const page = await newPage();
    await page.goto("/costs");
    await page.waitForURL(/\/signin\?callbackUrl=/);
    await signInAtProvider(page, "fiona");
    await page.waitForURL((url) => url.origin === stack.baseUrl && url.pathname === "/costs");

    const user = page.getByTestId("signed-in-user");
    await expect(user.locator(".user-name").textContent()).resolves.toBe("fiona");
    await expect(user.locator(".role-badge").textContent()).resolves.toBe("finance");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Costs" }).isVisible()).resolves.toBe(true);
    expect(await sessionCookie(page)).toBeTruthy();
    expect(await (await page.request.get("/api/auth/session")).json()).toMatchObject({ user: { name: "fiona", role: "finance" } });
    await screenshot(page, "oidc-finance-costs");

    // The same permission checks as for a password user: finance reads costs, cannot apply tuning.
    expect([401, 403]).not.toContain((await page.request.get("/api/v1/costs")).status());
    const refused = await page.request.post("/api/v1/tuning/apply", {
      headers: { "content-type": "application/json", origin: stack.baseUrl },
      data: { recommendationId: "any", expectedBefore: { kind: "memory", memoryMb: 128 } },
    });
    expect(refused.status()).toBe(403);
    expect(((await refused.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: "forbidden",
      message: expect.stringMatching(/role "finance" lacks the permission "tuning:apply"/),
    });
    await page.context().close();
  });

  it("refuses a user none of whose groups maps to a role, with a message saying so", async () => {
    const page = await newPage();
    await page.goto("/signin");
    await signInAtProvider(page, "nate");
    await page.waitForURL((url) => url.origin === stack.baseUrl && url.pathname === "/signin" && url.searchParams.get("error") === "OidcNoRole");
    const error = page.getByTestId("signin-error");
    await error.waitFor();
    expect(await error.textContent()).toMatch(/^Your identity provider signed you in, but none of your groups gives you a Sightline role\./);
    await screenshot(page, "oidc-no-role");

    expect(await sessionCookie(page)).toBeUndefined();
    await page.goto("/");
    await page.waitForURL(/\/signin\?callbackUrl=/);
    // The console says why in its log, naming the groups, never the client secret.
    expect(stack.output()).toMatch(/\[console\] .*OIDC sign-in refused for "nate": no role for the groups in claim "groups" \(\[everyone, marketing\]\)/);
    expect(stack.output()).not.toContain(idp.clientSecret);
    await page.context().close();
  });

  it("refuses username and password at the server, not only in the page", async () => {
    const page = await newPage();
    const providers = (await (await page.request.get("/api/auth/providers")).json()) as Record<string, { type: string }>;
    expect(Object.keys(providers)).toEqual(["oidc"]);

    const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const attempt = await page.request.post("/api/auth/callback/credentials", {
      form: { csrfToken, username: stack.adminUsername, password: stack.adminPassword, json: "true" },
      maxRedirects: 0,
    });
    expect(attempt.status()).toBeGreaterThanOrEqual(400);
    expect(await sessionCookie(page)).toBeUndefined();
    expect(await (await page.request.get("/api/auth/session")).json()).toEqual({});

    // The same CSRF token starts an OIDC sign-in: the refusal above is the missing provider, not a bad request.
    const sso = await page.request.post("/api/auth/signin/oidc", { form: { csrfToken, callbackUrl: "/", json: "true" }, maxRedirects: 0 });
    expect(new URL(((await sso.json()) as { url: string }).url).origin).toBe(idp.issuer);
    await page.context().close();
  });
});

describe("OIDC beside username and password (defaults: claim groups, label Single sign-on)", () => {
  beforeAll(async () => {
    await startWithOidc({});
  });
  afterAll(stopAll);

  it("offers both, keeps the password error line, and signs the admin in with a password", async () => {
    const page = await newPage();
    await page.goto("/signin?callbackUrl=%2Ffunctions");
    await page.getByRole("button", { name: "Sign in with Single sign-on", exact: true }).waitFor();
    await page.getByLabel("Username").fill(stack.adminUsername);
    await page.getByLabel("Password").fill(`${stack.adminPassword}-wrong`);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    const error = page.getByTestId("signin-error");
    await error.waitFor();
    expect(await error.textContent()).toBe("Wrong username or password.");
    await screenshot(page, "oidc-and-password-signin");

    await page.getByLabel("Password").fill(stack.adminPassword);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/functions");
    await expect(page.getByTestId("signed-in-user").locator(".role-badge").textContent()).resolves.toBe("admin");
    await page.context().close();
  });

  it("maps a group named exactly like a role without an entry", async () => {
    const page = await newPage();
    await page.goto("/signin?callbackUrl=%2Ftuning");
    await signInAtProvider(page, "pat", "Sign in with Single sign-on");
    await page.waitForURL((url) => url.origin === stack.baseUrl && url.pathname === "/tuning");
    const user = page.getByTestId("signed-in-user");
    await expect(user.locator(".user-name").textContent()).resolves.toBe("pat");
    await expect(user.locator(".role-badge").textContent()).resolves.toBe("engineer");
    // Engineers do not read costs: the nav hides the link and the API refuses.
    expect(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Costs" }).count()).toBe(0);
    expect((await page.request.get("/api/v1/costs")).status()).toBe(403);
    await page.context().close();
  });
});
