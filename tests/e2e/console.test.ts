import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { COLLECTOR_NAMES } from "@/lib/domain/collection/collector-run";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachedStackFromEnv, startStack, type Stack } from "@/tests/e2e/stack";
import { launchChromium, signIn as submitSignIn } from "@/tests/e2e/browser";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  // Two days of history are plenty for these pages and keep the background backfill short.
  stack = attachedStackFromEnv() ?? (await startStack({ env: { BACKFILL_HOURS: "48" } }));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ baseURL: stack.baseUrl, viewport: { width: 1440, height: 900 } });
  return await context.newPage();
}

async function signIn(page: Page, password: string): Promise<void> {
  await submitSignIn(page, stack.adminUsername, password);
}

/** The invocations `data-value` of every row, top to bottom. */
async function invocationValues(page: Page): Promise<number[]> {
  const raw = await page.locator('[data-testid="function-row"] [data-testid="invocations"]').evaluateAll((cells) =>
    cells.map((cell) => cell.getAttribute("data-value")),
  );
  return raw.map((v) => Number(v));
}

describe("the console in a browser", () => {
  it("sends an anonymous visitor to sign-in and rejects a wrong password", async () => {
    const page = await newPage();
    await page.goto("/functions");
    await page.waitForURL(/\/signin\?callbackUrl=/);
    expect(new URL(page.url()).searchParams.get("callbackUrl")).toBe("/functions");
    await expect(page.getByRole("heading", { name: "Sign in" }).isVisible()).resolves.toBe(true);

    await signIn(page, `${stack.adminPassword}-wrong`);
    const error = page.getByTestId("signin-error");
    await error.waitFor();
    expect(await error.textContent()).toBe("Wrong username or password.");
    expect(new URL(page.url()).pathname).toBe("/signin");
    await page.context().close();
  });

  it("signs the admin in and lists the fleet with traffic and sparklines", async () => {
    const page = await newPage();
    await page.goto("/functions");
    await page.waitForURL(/\/signin/);
    await signIn(page, stack.adminPassword);
    await page.waitForURL((url) => url.pathname === "/functions");

    await page.getByTestId("functions-table").waitFor();
    const names = await page.getByTestId("function-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-function-name")));
    expect(names.length).toBeGreaterThanOrEqual(10);
    expect(names).toContain("orders-api");
    expect(names).toContain("payments-api");

    const invocations = await invocationValues(page);
    expect(invocations).toHaveLength(names.length);
    expect(invocations.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    expect(invocations.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

    // recharts draws on the client only: a line path inside the sparkline proves it rendered.
    const sparklinePath = page.locator('[data-testid="sparkline"] svg path.recharts-line-curve').first();
    await sparklinePath.waitFor({ state: "attached" });
    expect((await sparklinePath.getAttribute("d"))?.length ?? 0).toBeGreaterThan(10);

    await expect(page.getByTestId("signed-in-user").textContent()).resolves.toContain("admin");
    // The freshness line is calm or a warning (the simulator may inject collection faults), never absent.
    const freshness = page.locator('[data-testid="freshness"], [data-testid="freshness-warning"]');
    await expect(freshness.textContent()).resolves.toMatch(/Data collected |Collection failing: |Data is stale: /);

    const screenshotDir = process.env.UPDATE_SCREENSHOT === "1" ? join(ROOT, "docs") : tmpdir();
    await mkdir(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, "screenshot-functions.png"), fullPage: true });
    await page.context().close();
  });

  it("sorts by a column header through the URL", async () => {
    const page = await newPage();
    await page.goto("/signin?callbackUrl=%2Ffunctions");
    await signIn(page, stack.adminPassword);
    await page.waitForURL((url) => url.pathname === "/functions");

    // Sort by name first, so the Invocations header then starts with its own default (descending).
    await page.getByRole("link", { name: "Function", exact: true }).click();
    await page.locator('th[data-sort-key="functionName"][aria-sort="ascending"]').waitFor();
    const byName = await page.getByTestId("function-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-function-name") ?? ""));
    expect(byName).toEqual([...byName].sort((a, b) => a.localeCompare(b)));

    await page.getByRole("link", { name: "Invocations", exact: true }).click();
    await page.locator('th[data-sort-key="invocations"][aria-sort="descending"]').waitFor();
    expect(page.url()).toContain("sort=invocations");
    expect(page.url()).toContain("dir=desc");
    const desc = await invocationValues(page);
    expect(desc.length).toBeGreaterThanOrEqual(10);
    expect(desc[0]).toBeGreaterThanOrEqual(desc[desc.length - 1] ?? Number.POSITIVE_INFINITY);
    expect(desc).toEqual([...desc].sort((a, b) => b - a));

    await page.getByRole("link", { name: "Invocations", exact: true }).click();
    await page.locator('th[data-sort-key="invocations"][aria-sort="ascending"]').waitFor();
    expect(page.url()).toContain("dir=asc");
    const asc = await invocationValues(page);
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    expect(asc[0]).toBeLessThan(asc[asc.length - 1] ?? 0);
    await page.context().close();
  });

  it("shows a clear message for an invalid URL parameter", async () => {
    const page = await newPage();
    await page.goto("/signin?callbackUrl=%2Ffunctions%3Fsort%3Dcolour");
    await signIn(page, stack.adminPassword);
    await page.waitForURL((url) => url.pathname === "/functions");
    const error = page.getByTestId("inline-error");
    await error.waitFor();
    expect(await error.textContent()).toMatch(/sort: /);
    await page.context().close();
  });

  it("answers the JSON API: 401 without credentials, health without", async () => {
    const functions = await fetch(`${stack.baseUrl}/api/v1/functions?range=24h`);
    expect(functions.status).toBe(401);
    expect(functions.headers.get("content-type")).toContain("application/json");
    const body = (await functions.json()) as { error?: { code?: string; message?: string } };
    expect(body.error?.code).toBe("unauthenticated");
    expect(body.error?.message).toBeTruthy();

    const badToken = await fetch(`${stack.baseUrl}/api/v1/functions`, { headers: { Authorization: "Bearer not-a-token" } });
    expect(badToken.status).toBe(401);

    const health = await fetch(`${stack.baseUrl}/api/v1/health`);
    expect(health.status).toBe(200);
    const status = (await health.json()) as { status?: string; dataLastCollectedAt?: string | null; collectionFailing?: boolean };
    expect(status.collectionFailing).toBe(false);
    expect(["ok", "degraded"]).toContain(status.status);
    expect(status.dataLastCollectedAt).not.toBeNull();
    expect(Number.isNaN(Date.parse(status.dataLastCollectedAt ?? ""))).toBe(false);
  });

  it("answers the JSON API with the session of a signed-in browser", async () => {
    const page = await newPage();
    await page.goto("/signin?callbackUrl=%2Ffunctions");
    await signIn(page, stack.adminPassword);
    await page.waitForURL((url) => url.pathname === "/functions");

    const ok = await page.request.get("/api/v1/functions?range=6h&sort=functionName&dir=asc");
    expect(ok.status()).toBe(200);
    const view = (await ok.json()) as { window: { from: string; to: string }; sort: { sort: string }; functions: { functionName: string }[] };
    expect(Date.parse(view.window.to) - Date.parse(view.window.from)).toBe(6 * 3_600_000);
    expect(view.sort.sort).toBe("functionName");
    expect(view.functions.map((f) => f.functionName)).toContain("orders-api");

    const bad = await page.request.get("/api/v1/functions?range=3y");
    expect(bad.status()).toBe(400);
    const error = (await bad.json()) as { error: { code: string; message: string } };
    expect(error.error.code).toBe("bad-request");
    expect(error.error.message).toMatch(/^range: /);
    await page.context().close();
  });
});

describe("the Collectors page", () => {
  it("shows every collector that ran as healthy, its runs, and filters them by collector", async () => {
    const page = await newPage();
    await page.goto("/signin?callbackUrl=%2Ffunctions");
    await signIn(page, stack.adminPassword);
    await page.waitForURL((url) => url.pathname === "/functions");
    // The stack is ready once functions and metrics are in; logs, traces and costs finish their
    // backfill in the background. Wait for every collector to have run somewhere.
    const everyCollector = COLLECTOR_NAMES;
    await expect
      .poll(
        async () => {
          const body = (await (await page.request.get("/api/v1/collectors")).json()) as { collectors: { collector: string; status: string }[] };
          return new Set(body.collectors.filter((c) => c.status !== "never-run").map((c) => c.collector)).size;
        },
        { timeout: 180_000, interval: 2_000 },
      )
      .toBe(everyCollector.length);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Collectors" }).click();
    await page.waitForURL((url) => url.pathname === "/collectors");

    await page.getByTestId("collector-health-table").waitFor();
    const rows = await page
      .getByTestId("collector-health-row")
      .evaluateAll((els) => els.map((r) => ({ collector: r.getAttribute("data-collector"), region: r.getAttribute("data-region"), status: r.getAttribute("data-status") })));
    const ran = rows.filter((r) => r.status !== "never-run");
    expect(new Set(ran.map((r) => r.collector))).toEqual(new Set(everyCollector));
    expect(ran.filter((r) => r.status !== "healthy")).toEqual([]);
    expect(await page.getByTestId("status-legend").textContent()).toMatch(/Lagging/);

    const runCollectors = await page.getByTestId("collector-run-row").evaluateAll((els) => els.map((r) => r.getAttribute("data-collector")));
    expect(runCollectors.length).toBeGreaterThan(0);

    await page.getByTestId("collector-filter").getByRole("link", { name: "metrics", exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get("collector") === "metrics");
    await page.getByTestId("collector-runs-table").waitFor();
    const filtered = await page.getByTestId("collector-run-row").evaluateAll((els) => els.map((r) => r.getAttribute("data-collector")));
    expect(filtered.length).toBeGreaterThan(0);
    expect(new Set(filtered)).toEqual(new Set(["metrics"]));

    const api = await page.request.get("/api/v1/collectors/runs?collector=costs&limit=1");
    expect(api.status()).toBe(200);
    const body = (await api.json()) as { runs: { collector: string }[] };
    expect(body.runs.map((r) => r.collector)).toEqual(["costs"]);
    await page.context().close();
  });
});
