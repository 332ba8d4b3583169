import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDynamoClients } from "@/lib/adapters/dynamodb/client";
import { API_ACCESS, PAGE_ACCESS, type RouteAccess } from "@/lib/domain/access/route-permissions";
import { ROLES, roleCan, type Role } from "@/lib/domain/access/roles";
import { launchChromium, signIn } from "@/tests/e2e/browser";
import { startStack, type Stack } from "@/tests/e2e/stack";
import { createStackUser } from "@/tests/e2e/users";

/**
 * The access walk (issue 10): every page and every /api/v1 route and method, found on the file
 * system (so a new one is walked without editing this file), against the permission table in
 * lib/domain/access/route-permissions.ts, which must list each of them. For each: no
 * credentials → 401 JSON (API) or a redirect to /signin (pages); a role without the permission
 * → 403; a role with it → 2xx. API calls use an API token per role (minted by the CLI), pages a
 * signed-in session per role. Then: tokens stored hashed and revocable, CSRF on cookie-made
 * changes (ours and next-auth's), sign-in throttling, and the security headers.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const APP = join(ROOT, "app");
const BIN = join(ROOT, "bin", "sightline.mjs");
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

// --- What exists: pages and routes from the file system -----------------------------------------------------

function filesNamed(dir: string, name: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name === name)
    .map((e) => join(e.parentPath, e.name));
}

/** `app/(console)/functions/[name]/page.tsx` → `/functions/[name]` (route groups and slots are not in the URL). */
function urlPatternOf(file: string): string {
  const segments = relative(APP, file).split(sep).slice(0, -1);
  return `/${segments.filter((s) => !(s.startsWith("(") && s.endsWith(")")) && !s.startsWith("@")).join("/")}`;
}

/** The HTTP methods a route module exports (`export const GET =`, `export async function POST`, `export { PUT }`). */
function exportedMethods(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(/export\s+(?:const|let|async\s+function|function)\s+([A-Z]+)\b/g)) found.add(m[1]!);
  for (const m of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of m[1]!.split(",")) found.add(part.trim().split(/\s+as\s+/).at(-1)!.trim());
  }
  return METHODS.filter((method) => found.has(method));
}

const PAGES = filesNamed(APP, "page.tsx").map(urlPatternOf).sort();
const API_ROUTES = filesNamed(join(APP, "api", "v1"), "route.ts")
  .flatMap((file) => exportedMethods(readFileSync(file, "utf8")).map((method) => `${method} ${urlPatternOf(file)}`))
  .sort();

// --- HTTP helpers -----------------------------------------------------------------------------------------------

let stack: Stack;
let requests = 0;
const failures: string[] = [];

/** A cookie jar for one signed-in (or signing-in) visitor. */
class Jar {
  readonly cookies = new Map<string, string>();
  absorb(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(";")[0]!;
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === "" || /max-age=0\b/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  get signedIn(): boolean {
    return this.cookies.has("next-auth.session-token");
  }
}

async function call(path: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<Response> {
  requests++;
  return fetch(`${stack.baseUrl}${path}`, { redirect: "manual", ...init });
}

/**
 * Signs in with next-auth's own protocol (as the sign-in form does): a CSRF token from
 * /api/auth/csrf, then the credentials POST. `error` is the code the sign-in page would show.
 */
async function signInOverHttp(username: string, password: string, options: { clientAddress?: string; csrf?: "valid" | "missing" } = {}) {
  const jar = new Jar();
  const csrfResponse = await call("/api/auth/csrf");
  jar.absorb(csrfResponse);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const form = new URLSearchParams({ username, password, json: "true", callbackUrl: `${stack.baseUrl}/` });
  if (options.csrf !== "missing") form.set("csrfToken", csrfToken);
  const response = await call("/api/auth/callback/credentials", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: jar.header(),
      ...(options.clientAddress ? { "x-forwarded-for": options.clientAddress } : {}),
    },
    body: form.toString(),
  });
  jar.absorb(response);
  const text = await response.text();
  let url = response.headers.get("location") ?? "";
  try {
    url = (JSON.parse(text) as { url?: string }).url ?? url;
  } catch {
    // A redirect answer has no JSON body; its Location is the url.
  }
  const error = url ? new URL(url, stack.baseUrl).searchParams.get("error") : null;
  return { jar, url, error, status: response.status };
}

const PASSWORDS: Record<Role, string> = {
  viewer: "walk-viewer-password-1",
  sre: "walk-sre-password-1",
  finance: "walk-finance-password-1",
  engineer: "walk-engineer-password-1",
  admin: "",
};
const USERNAMES: Record<Role, string> = { viewer: "walk-viewer", sre: "walk-sre", finance: "walk-finance", engineer: "walk-engineer", admin: "admin" };
const sessions = {} as Record<Role, Jar>;
const tokens = {} as Record<Role, string>;

function mintToken(role: Role, name: string, extra: string[] = []): { token: string; name: string } {
  const minted = spawnSync(process.execPath, [BIN, "token", "create", "--role", role, "--name", name, "--json", ...extra], {
    env: { ...process.env, ...stack.env },
    encoding: "utf8",
    timeout: 60_000,
  });
  if (minted.status !== 0) throw new Error(`token create failed: ${minted.stderr}`);
  return JSON.parse(minted.stdout) as { token: string; name: string };
}

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, ...stack.env }, encoding: "utf8", timeout: 60_000 });
}

const bearer = (role: Role) => ({ authorization: `Bearer ${tokens[role]}` });

// --- Real names for dynamic segments, and bodies for changes ----------------------------------------------------

let functionName = "";
let sloId = "";
let sloSpec: Record<string, unknown> = {};
let throwaways = 0;

/** A new SLO (a copy of a real one under a new id) made with the admin token, for a write to act on. */
async function throwawaySlo(): Promise<string> {
  const id = `access-walk-${++throwaways}`;
  const response = await call("/api/v1/slos", {
    method: "POST",
    headers: { ...bearer("admin"), "content-type": "application/json" },
    body: JSON.stringify({ ...sloSpec, id, name: `Access walk ${throwaways}` }),
  });
  if (response.status !== 201) throw new Error(`could not create throwaway SLO ${id}: ${response.status} ${await response.text()}`);
  return id;
}

interface Probe {
  path: string;
  init?: { method: string; headers?: Record<string, string>; body?: string };
  /** Statuses other than 2xx a permitted caller may get, with why (a change the walk should not really make). */
  permittedAlso?: { statuses: number[]; why: string };
}

/** The request to make for a route and method: real names in the path, a valid body for changes. */
async function probeFor(route: string): Promise<Probe> {
  const [method, pattern] = route.split(" ") as [string, string];
  const json = (body: unknown) => ({ method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  switch (route) {
    case "POST /api/v1/slos":
      return { path: pattern, init: json({ ...sloSpec, id: `access-walk-new-${++throwaways}`, name: "Access walk (created)" }) };
    case "PUT /api/v1/slos/[id]": {
      const id = await throwawaySlo();
      return { path: `/api/v1/slos/${id}`, init: json({ ...sloSpec, id, name: "Access walk (edited)", version: 1 }) };
    }
    case "DELETE /api/v1/slos/[id]":
      return { path: `/api/v1/slos/${await throwawaySlo()}`, init: { method } };
    case "PUT /api/v1/costs/settings": {
      const current = (await (await call("/api/v1/costs/settings", { headers: bearer("admin") })).json()) as { settings: unknown };
      return { path: pattern, init: json(current.settings) };
    }
    case "POST /api/v1/whatif":
      return {
        path: pattern,
        init: json({ functionName, hours: 24, memoryMb: 1024 }),
        permittedAlso: { statuses: [409, 422], why: "the function may be ambiguous or lack data to replay" },
      };
    case "POST /api/v1/tuning/apply":
      // Applying a real recommendation would change the simulated fleet under the other checks.
      return {
        path: pattern,
        init: json({ recommendationId: "access-walk:no-such-recommendation" }),
        permittedAlso: { statuses: [400, 404], why: "a validation answer: the walk does not apply a real change" },
      };
    case "POST /api/v1/tuning/rollback":
      return {
        path: pattern,
        init: json({ auditId: "0000000000000-00000000" }),
        permittedAlso: { statuses: [404], why: "no such audit entry: the walk does not roll back a real change" },
      };
    case "GET /api/v1/service-map/nodes": {
      const map = (await (await call("/api/v1/service-map?range=24h&group=none", { headers: bearer("admin") })).json()) as {
        scope: { accountId: string; region: string } | null;
        nodes: { id: string }[];
      };
      const scope = map.scope ?? { accountId: "123456789012", region: "us-east-1" };
      const node = map.nodes[0]?.id ?? "no-node-yet";
      const query = new URLSearchParams({ account: scope.accountId, region: scope.region, node, range: "24h", group: "none" });
      return {
        path: `${pattern}?${query}`,
        init: { method },
        ...(map.nodes.length === 0 ? { permittedAlso: { statuses: [404], why: "the traces collector has not stored a graph yet" } } : {}),
      };
    }
    default: {
      if (method !== "GET") throw new Error(`the access walk has no request for ${route}: add one to probeFor`);
      const path = pattern.replace("[name]", encodeURIComponent(functionName)).replace("[id]", encodeURIComponent(sloId));
      return { path, init: { method } };
    }
  }
}

const allowed = (access: RouteAccess, role: Role) => access === "public" || roleCan(role, access);

// --- The stack ----------------------------------------------------------------------------------------------------

beforeAll(async () => {
  stack = await startStack();
  PASSWORDS.admin = stack.adminPassword;
  for (const role of ROLES) {
    if (role !== "admin") await createStackUser(stack, { username: USERNAMES[role], password: PASSWORDS[role], role });
    const result = await signInOverHttp(USERNAMES[role], PASSWORDS[role]);
    if (!result.jar.signedIn) throw new Error(`could not sign in as ${role}: ${result.status} ${result.url}`);
    sessions[role] = result.jar;
    tokens[role] = mintToken(role, `walk-${role}`).token;
  }
  const functions = (await (await call("/api/v1/functions?range=24h", { headers: bearer("admin") })).json()) as { functions: { functionName: string }[] };
  const counts = new Map<string, number>();
  for (const f of functions.functions) counts.set(f.functionName, (counts.get(f.functionName) ?? 0) + 1);
  functionName = [...counts].find(([, n]) => n === 1)?.[0] ?? functions.functions[0]!.functionName;
  const slos = (await (await call("/api/v1/slos", { headers: bearer("admin") })).json()) as { rows: { id: string }[] };
  sloId = slos.rows[0]!.id;
  const detail = (await (await call(`/api/v1/slos/${sloId}`, { headers: bearer("admin") })).json()) as { definition: Record<string, unknown> };
  const { version: _v, createdAtMs: _c, updatedAtMs: _u, updatedBy: _b, ...spec } = detail.definition;
  sloSpec = spec;
});

afterAll(async () => {
  console.log(`[access-walk] ${PAGES.length} pages and ${API_ROUTES.length} API route-methods × ${ROLES.length} roles + anonymous; ${requests} requests; ${failures.length} failures`);
  await stack?.stop();
});

describe("the access walk", () => {
  it("has a permission for every page and API route on disk, and none for routes that are gone", () => {
    expect(PAGES.length).toBeGreaterThanOrEqual(11);
    expect(API_ROUTES.length).toBeGreaterThanOrEqual(20);
    expect(PAGES.filter((p) => !(p in PAGE_ACCESS)), "pages missing from PAGE_ACCESS").toEqual([]);
    expect(API_ROUTES.filter((r) => !(r in API_ACCESS)), "API routes missing from API_ACCESS").toEqual([]);
    expect(Object.keys(PAGE_ACCESS).filter((p) => !PAGES.includes(p)), "PAGE_ACCESS lists pages that do not exist").toEqual([]);
    expect(Object.keys(API_ACCESS).filter((r) => !API_ROUTES.includes(r)), "API_ACCESS lists routes that do not exist").toEqual([]);
  });

  it("answers every API route: 401 JSON without credentials, 403 for a role without the permission, 2xx with it", async () => {
    for (const route of API_ROUTES) {
      const access = API_ACCESS[route]!;
      const anonymous = await probeFor(route);
      const response = await call(anonymous.path, anonymous.init ?? {});
      const body = await response.text();
      if (access === "public") {
        if (response.status !== 200) failures.push(`${route} anonymous: ${response.status}, expected 200 (public)`);
      } else if (response.status !== 401 || !body.includes('"unauthenticated"')) {
        failures.push(`${route} anonymous: ${response.status} ${body.slice(0, 120)}, expected 401 JSON`);
      }
      for (const role of ROLES) {
        const probe = await probeFor(route);
        const init = probe.init ?? { method: "GET" };
        const answer = await call(probe.path, { ...init, headers: { ...init.headers, ...bearer(role) } });
        const text = await answer.text();
        if (allowed(access, role)) {
          const ok = (answer.status >= 200 && answer.status < 300) || (probe.permittedAlso?.statuses.includes(answer.status) ?? false);
          if (!ok) failures.push(`${route} as ${role}: ${answer.status} ${text.slice(0, 160)}, expected 2xx`);
        } else if (answer.status !== 403 || !text.includes('"forbidden"')) {
          failures.push(`${route} as ${role}: ${answer.status} ${text.slice(0, 160)}, expected 403 (${access})`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("answers every page: a redirect to /signin without a session, 403 for a role without the permission, 200 with it", async () => {
    const pageFailures: string[] = [];
    for (const pattern of PAGES) {
      const access = PAGE_ACCESS[pattern]!;
      const path = pattern.replace("[name]", encodeURIComponent(functionName)).replace("[id]", encodeURIComponent(sloId));
      const anonymous = await call(path);
      await anonymous.arrayBuffer();
      if (access === "public") {
        if (anonymous.status !== 200) pageFailures.push(`${path} anonymous: ${anonymous.status}, expected 200`);
      } else {
        const location = anonymous.headers.get("location") ?? "";
        const target = new URL(location, stack.baseUrl);
        if (anonymous.status !== 307 || target.pathname !== "/signin" || target.searchParams.get("callbackUrl") !== path) {
          pageFailures.push(`${path} anonymous: ${anonymous.status} → ${location}, expected 307 to /signin?callbackUrl=${path}`);
        }
      }
      for (const role of ROLES) {
        if (access === "public") continue;
        const response = await call(path, { headers: { cookie: sessions[role].header() } });
        const html = await response.text();
        const expected = allowed(access, role) ? 200 : 403;
        if (response.status !== expected) pageFailures.push(`${path} as ${role}: ${response.status}, expected ${expected}`);
        if (expected === 403 && !new RegExp(`${access}.*${role}`).test(html)) pageFailures.push(`${path} as ${role}: the 403 page does not say why`);
      }
    }
    failures.push(...pageFailures);
    expect(pageFailures).toEqual([]);
  });

  it("shows a role without costs:read no cost figure on /costs, only the 403 page saying who may see it", async () => {
    const response = await call("/costs", { headers: { cookie: sessions.viewer.header() } });
    const html = await response.text();
    expect(response.status).toBe(403);
    expect(html).toMatch(/Your role, viewer, does not include it; the finance or admin role does/);
    expect(html).not.toMatch(/\$\s?\d/);
  });
});

describe("API tokens", () => {
  it("are stored as sha256 hashes: the table holds no token, only its hash", async () => {
    const { token } = mintToken("viewer", "walk-hash-check");
    process.env.AWS_ACCESS_KEY_ID ??= "sightline-local";
    process.env.AWS_SECRET_ACCESS_KEY ??= "sightline-local";
    const { doc, client } = createDynamoClients({ region: "us-east-1", endpoint: `http://127.0.0.1:${stack.env.DYNAMODB_PORT}` });
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(new ScanCommand({ TableName: "sightline", ExclusiveStartKey: startKey }));
      items.push(...((page.Items ?? []) as Record<string, unknown>[]));
      startKey = page.LastEvaluatedKey as Record<string, unknown> | undefined;
    } while (startKey);
    client.destroy();
    const dump = JSON.stringify(items);
    const secret = token.replace(/^sl_/, "");
    expect(dump).not.toContain(secret);
    for (const t of Object.values(tokens)) expect(dump).not.toContain(t.replace(/^sl_/, ""));
    const item = items.find((i) => i.pk === "TOKEN" && i.name === "walk-hash-check");
    expect(item?.sk).toBe(createHash("sha256").update(token).digest("hex"));
  });

  it("are listed without anything but a hash prefix, and a revoked token answers 401 at once", async () => {
    const { token } = mintToken("engineer", "walk-revoke-me");
    expect((await call("/api/v1/overview", { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const listed = cli(["token", "list", "--json"]);
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).not.toContain(token.replace(/^sl_/, ""));
    const entry = (JSON.parse(listed.stdout) as { tokens: { name: string; status: string; hashPrefix: string }[] }).tokens.find((t) => t.name === "walk-revoke-me");
    expect(entry).toMatchObject({ status: "active", hashPrefix: createHash("sha256").update(token).digest("hex").slice(0, 8) });

    const revoked = cli(["token", "revoke", "walk-revoke-me"]);
    expect(revoked.status, revoked.stderr).toBe(0);
    const refused = await call("/api/v1/overview", { headers: { authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: "unauthenticated", message: expect.stringMatching(/revoked/) } });
    const after = JSON.parse(cli(["token", "list", "--json"]).stdout) as { tokens: { name: string; status: string; revokedBy: string | null }[] };
    expect(after.tokens.find((t) => t.name === "walk-revoke-me")).toMatchObject({ status: "revoked", revokedBy: "cli" });
    expect(cli(["token", "revoke", "walk-revoke-me"]).status).not.toBe(0);
  });
});

describe("CSRF", () => {
  const crossSite = { origin: "https://evil.example", "sec-fetch-site": "cross-site" };

  it("refuses a cookie-authenticated POST, PUT or DELETE from another origin (403) and allows it from the console's", async () => {
    const cookie = sessions.admin.header();
    const sameOrigin = { origin: stack.baseUrl, "sec-fetch-site": "same-origin" };
    const create = (headers: Record<string, string>, id: string) =>
      call("/api/v1/slos", { method: "POST", headers: { cookie, "content-type": "application/json", ...headers }, body: JSON.stringify({ ...sloSpec, id, name: "CSRF check" }) });

    const refused = await create(crossSite, "csrf-cross");
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: "forbidden", message: expect.stringMatching(/Origin/) } });
    // No Origin and no Sec-Fetch-Site at all (an old browser, a form from a file): refused too.
    expect((await create({}, "csrf-none")).status).toBe(403);
    expect((await create(sameOrigin, "csrf-same")).status).toBe(201);

    const settings = (await (await call("/api/v1/costs/settings", { headers: { cookie } })).json()) as { settings: unknown };
    const put = (headers: Record<string, string>) =>
      call("/api/v1/costs/settings", { method: "PUT", headers: { cookie, "content-type": "application/json", ...headers }, body: JSON.stringify(settings.settings) });
    expect((await put(crossSite)).status).toBe(403);
    expect((await put(sameOrigin)).status).toBe(200);

    expect((await call("/api/v1/slos/csrf-same", { method: "DELETE", headers: { cookie, ...crossSite } })).status).toBe(403);
    expect((await call("/api/v1/slos/csrf-same", { method: "GET", headers: { cookie } })).status).toBe(200);
    expect((await call("/api/v1/slos/csrf-same", { method: "DELETE", headers: { cookie, ...sameOrigin } })).status).toBe(204);
    // Nothing the refused requests asked for happened.
    expect((await call("/api/v1/slos/csrf-cross", { headers: { cookie } })).status).toBe(404);
  });

  it("lets next-auth's own sign-in POST create no session without its CSRF token", async () => {
    const withoutToken = await signInOverHttp("walk-sre", PASSWORDS.sre, { csrf: "missing" });
    expect(withoutToken.jar.signedIn).toBe(false);
    expect(withoutToken.url).toMatch(/csrf=true/);
    const withToken = await signInOverHttp("walk-sre", PASSWORDS.sre);
    expect(withToken.jar.signedIn).toBe(true);
  });
});

describe("security headers", () => {
  it("sends pages a CSP with a fresh nonce that Next puts on its scripts, and nosniff, no framing, same-origin referrer", async () => {
    const seen = new Set<string>();
    for (const path of ["/signin", "/", "/map"]) {
      const response = await call(path, { headers: path === "/signin" ? {} : { cookie: sessions.sre.header() } });
      const html = await response.text();
      expect(response.status).toBe(200);
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp).toMatch(/default-src 'self'/);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(csp).toMatch(/object-src 'none'/);
      expect(csp).toMatch(/base-uri 'self'/);
      expect(csp).toMatch(/form-action 'self'/);
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toBeTruthy();
      seen.add(nonce!);
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("referrer-policy")).toBe("same-origin");
    }
    expect(seen.size).toBe(3);
    const api = await call("/api/v1/health");
    expect(api.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(api.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("renders the pages in Chromium with no Content-Security-Policy violation", async () => {
    const browser = await launchChromium();
    try {
      const page = await (await browser.newContext({ baseURL: stack.baseUrl })).newPage();
      const violations: string[] = [];
      page.on("console", (message) => {
        if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
      });
      await page.goto("/signin");
      await signIn(page, "admin", stack.adminPassword);
      await page.waitForURL((url) => url.pathname === "/");
      for (const path of ["/", "/map", "/costs", "/slos", `/functions/${encodeURIComponent(functionName)}`, "/tuning", "/cold-starts", "/collectors"]) {
        await page.goto(path);
        await page.waitForLoadState("load");
      }
      // Hydrated: client navigation works (a blocked script would leave a dead page).
      await page.getByRole("link", { name: "Costs" }).first().click();
      await page.waitForURL((url) => url.pathname === "/costs");
      expect(violations).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe("sign-in throttling", () => {
  it("refuses the 6th password attempt for a username even with the right password, from any address, and says so", async () => {
    await createStackUser(stack, { username: "walk-throttled", password: "walk-throttled-password", role: "viewer" });
    for (let i = 0; i < 5; i++) {
      const attempt = await signInOverHttp("walk-throttled", `wrong-${i}`, { clientAddress: "203.0.113.50" });
      expect(attempt.error).toBe("CredentialsSignin");
    }
    const sixth = await signInOverHttp("walk-throttled", "walk-throttled-password", { clientAddress: "203.0.113.50" });
    expect(sixth.jar.signedIn).toBe(false);
    expect(sixth.error).toBe("SignInThrottled");
    const elsewhere = await signInOverHttp("walk-throttled", "walk-throttled-password", { clientAddress: "198.51.100.77" });
    expect(elsewhere.error).toBe("SignInThrottled");
    const page = await (await call("/signin?error=SignInThrottled")).text();
    expect(page).toMatch(/Too many failed sign-ins for this username or from this address/);
    // Another user is not affected.
    expect((await signInOverHttp("walk-finance", PASSWORDS.finance, { clientAddress: "198.51.100.78" })).jar.signedIn).toBe(true);
  });

  it("refuses an address that failed 5 times, for every username, while other addresses sign in", async () => {
    for (let i = 0; i < 5; i++) await signInOverHttp(`walk-nobody-${i}`, "Spring2026!", { clientAddress: "203.0.113.99" });
    expect((await signInOverHttp("walk-engineer", PASSWORDS.engineer, { clientAddress: "203.0.113.99" })).error).toBe("SignInThrottled");
    expect((await signInOverHttp("walk-engineer", PASSWORDS.engineer, { clientAddress: "198.51.100.79" })).jar.signedIn).toBe(true);
  });
});
