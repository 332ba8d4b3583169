import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachedStackFromEnv, startStack, type Stack } from "@/tests/e2e/stack";
import { launchChromium, screenshot, signIn } from "@/tests/e2e/browser";

/**
 * The SRE views in a browser against the whole product (`sightline start`, simulator and
 * dynalite): overview, SLOs, service map, cold starts and the function page. Screenshots of
 * each are kept in test-results/screenshots/ as test artifacts.
 *
 * The stack runs the `ecommerce` scenario with its payment-provider degradation moved to
 * 20 minutes before the start (an `at` schedule instead of twice a week at random), so the
 * scenario's default SLOs (imported by `sightline start`) have a burst to page on.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PRIMARY = { account: "123456789012", region: "us-east-1" };

let stack: Stack;
let browser: Browser;
let context: BrowserContext;

/** ecommerce.yaml with the payment burst starting `minutesAgo` before now and lasting 90 minutes. */
async function scenarioWithBurstNow(minutesAgo: number): Promise<string> {
  const source = await readFile(join(ROOT, "infra/local/sim/scenarios/ecommerce.yaml"), "utf8");
  const startIso = new Date(Math.floor(Date.now() / 60_000) * 60_000 - minutesAgo * 60_000).toISOString();
  const burst = /(name: payment-provider-degradation\n\s+schedule: )\{ randomPerWeek: 2 \}(\n\s+durationMinutes: )25/;
  if (!burst.test(source)) throw new Error("ecommerce.yaml no longer schedules payment-provider-degradation as this test expects");
  const dir = await mkdtemp(join(tmpdir(), "sightline-e2e-scenario-"));
  const file = join(dir, "ecommerce-burst-now.yaml");
  await writeFile(file, source.replace(burst, `$1{ at: "${startIso}" }$290`));
  return file;
}

beforeAll(async () => {
  // Six hours of history keep the background backfill of logs and traces short.
  stack =
    attachedStackFromEnv() ??
    (await startStack({
      env: { BACKFILL_HOURS: "6", SIM_SCENARIO: await scenarioWithBurstNow(20), SLO_SEED_FILE: join(ROOT, "infra/local/sim/scenarios/ecommerce.slos.yaml") },
    }));
  browser = await launchChromium();
  context = await browser.newContext({ baseURL: stack.baseUrl, viewport: { width: 1440, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});


/** Waits until the named collectors have each completed a run (their backfill runs after the stack is ready). */
async function waitForCollectors(page: Page, names: readonly string[]): Promise<void> {
  await expect
    .poll(
      async () => {
        const body = (await (await page.request.get("/api/v1/collectors")).json()) as { collectors: { collector: string; lastSuccessMs: number | null }[] };
        return names.every((n) => body.collectors.some((c) => c.collector === n && c.lastSuccessMs !== null));
      },
      { timeout: 240_000, interval: 2_000 },
    )
    .toBe(true);
}

describe("the SRE views", () => {
  it("lands on the overview after sign-in, which says what is wrong now or that all is clear", async () => {
    const page = await context.newPage();
    await page.goto("/signin");
    await signIn(page, stack.adminUsername, stack.adminPassword);
    await page.waitForURL((url) => url.pathname === "/");
    await expect(page.getByRole("heading", { name: "What is wrong now" }).isVisible()).resolves.toBe(true);
    const verdict = page.locator('[data-testid="overview-signals"], [data-testid="overview-all-clear"]');
    await verdict.first().waitFor();
    const signals = await page.getByTestId("overview-signal").count();
    const allClear = await page.getByTestId("overview-all-clear").count();
    expect(signals > 0 || allClear === 1).toBe(true);
    await screenshot(page, "overview");
    await waitForCollectors(page, ["traces", "logs-insights"]);
    await page.close();
  });

  it("lists the SLOs with payments-api's availability paging during the burst, and opens it with its alert and burn rates", async () => {
    const page = await context.newPage();
    // The evaluator runs after each collection; the burst is 20+ minutes old when it first does.
    await expect
      .poll(
        async () => {
          const body = (await (await page.request.get("/api/v1/slos")).json()) as { rows: { id: string; level: string }[] };
          return body.rows.find((r) => r.id === "payments-availability")?.level ?? "missing";
        },
        { timeout: 240_000, interval: 3_000 },
      )
      .toBe("page");
    // The overview puts the paging SLO first among what is wrong now.
    await page.goto("/");
    await page.getByTestId("overview-signal").first().waitFor();
    expect(await page.getByTestId("overview-signal").first().textContent()).toMatch(/SLO paging: .*(Payments API availability|Users API latency)/);
    expect(await page.getByTestId("overview-signals").textContent()).toMatch(/SLO paging: Payments API availability/);
    await screenshot(page, "overview-slo-paging");

    await page.goto("/slos");
    const table = page.getByTestId("slo-table");
    await table.waitFor();
    const row = page.getByTestId("slo-row-payments-availability");
    expect(await row.getAttribute("data-level")).toBe("page");
    expect(await row.getByTestId("slo-status").textContent()).toMatch(/paging/i);
    // Sorted by risk: paging rows come first.
    const levels = await table.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-level")));
    expect(levels.length).toBe(8);
    expect(levels.indexOf("page")).toBe(0);
    expect(levels.lastIndexOf("page")).toBeLessThan(levels.findIndex((l) => l !== "page"));
    expect(await row.locator('[data-testid="burn-pair"][data-window="1h / 5m"]').getAttribute("data-firing")).toBe("true");
    await screenshot(page, "slos");

    await row.getByRole("link", { name: "Payments API availability" }).click();
    await page.waitForURL((url) => url.pathname === "/slos/payments-availability");
    const history = page.getByTestId("alert-history");
    await history.waitFor();
    expect(await history.getByTestId("alert-episode").first().textContent()).toMatch(/page/i);
    expect(await page.getByTestId("slo-burn-rates").textContent()).toMatch(/14\.4/);
    await page.locator('[data-testid="slo-burndown-chart"] svg').first().waitFor();
    await screenshot(page, "slo-detail");
    await page.close();
  });

  it("creates an SLO from the console form and shows it; bad input is marked on its field", async () => {
    const page = await context.newPage();
    await page.goto("/slos");
    await page.getByTestId("new-slo").click();
    const form = page.getByTestId("slo-form");
    await form.waitFor();
    await form.getByLabel("Id", { exact: true }).fill("inventory-latency");
    await form.getByLabel("Name", { exact: true }).fill("Inventory API latency");
    await form.getByLabel("Service", { exact: true }).fill("inventory");
    await form.getByLabel("Function name").fill("inventory-api");
    await form.getByLabel("Objective (%)").fill("150");
    await form.getByTestId("slo-form-submit").click();
    await form.locator('[data-testid="field-error"][data-field="objective"]').waitFor();
    await form.getByLabel("Objective (%)").fill("99.5");
    await form.getByTestId("slo-form-submit").click();
    await page.waitForURL((url) => url.pathname === "/slos/inventory-latency");
    await page.getByTestId("slo-detail").waitFor();
    const listed = (await (await page.request.get("/api/v1/slos")).json()) as { rows: { id: string; objective: number }[] };
    expect(listed.rows.find((r) => r.id === "inventory-latency")?.objective).toBe(0.995);
    await page.close();
  });

  it("draws the service map; clicking a function opens its panel with latency, outcomes and a link to the function", async () => {
    const page = await context.newPage();
    await page.goto(`/map?range=6h&group=none&account=${PRIMARY.account}&region=${PRIMARY.region}`);
    await page.getByTestId("service-map").waitFor();
    // React Flow renders nodes on the client.
    await page.getByTestId("map-node").first().waitFor();
    const ids = await page.getByTestId("map-node").evaluateAll((els) => els.map((e) => e.getAttribute("data-node-id") ?? ""));
    expect(ids.length).toBeGreaterThanOrEqual(10);
    // Node ids are `<X-Ray type>|<name>|<account>` (service-graph-snapshot.ts).
    const payments = `AWS::Lambda::Function|payments-api|${PRIMARY.account}`;
    expect(ids).toContain(payments);
    expect(ids.some((id) => id.startsWith("AWS::ApiGateway::Stage|"))).toBe(true);
    expect(ids.some((id) => id.startsWith("AWS::DynamoDB::Table|"))).toBe(true);
    const health = await page.getByTestId("map-node").evaluateAll((els) => els.map((e) => e.getAttribute("data-health")));
    expect(health.every((h) => h === "ok" || h === "warning" || h === "critical" || h === "idle")).toBe(true);
    expect(await page.getByTestId("map-legend").textContent()).toMatch(/critical/i);

    await page.locator(`[data-testid="map-node"][data-node-id="${payments}"]`).click();
    const panel = page.getByTestId("node-panel");
    await panel.waitFor();
    await panel.getByTestId("node-histogram").waitFor();
    expect(await panel.getByTestId("node-errors").textContent()).toMatch(/5xx|fault/i);
    const functionLink = panel.getByTestId("function-link").first();
    expect(await functionLink.getAttribute("href")).toMatch(/^\/functions\/payments-api\?/);
    await screenshot(page, "service-map");

    // Search keeps the map and marks what matches.
    await page.getByTestId("map-search").fill("orders");
    await expect.poll(() => page.locator('[data-testid="map-node"][data-match="true"]').count()).toBeGreaterThan(0);
    await page.close();
  });

  it("ranks functions by cold-start impact, with the top one's init percentiles, INIT cost and p99 share", async () => {
    const page = await context.newPage();
    await page.goto("/cold-starts?range=6h");
    await page.getByTestId("cold-start-ranking").waitFor();
    const names = await page.getByTestId("cold-start-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-function")));
    expect(names.length).toBeGreaterThanOrEqual(10);
    expect(names).toContain("shipping-rates-api");
    const section = page.getByTestId("function-cold-starts");
    await section.waitFor();
    await section.getByTestId("init-percentiles").waitFor();
    await section.getByTestId("init-cost").waitFor();
    await section.getByTestId("p99-share").waitFor();
    await section.locator('[data-testid="cold-start-chart"] svg').first().waitFor();
    await screenshot(page, "cold-starts");
    await page.close();
  });

  it("opens a function from the Functions table: configuration with sources, charts, concurrency, PC, memory and cost", async () => {
    const page = await context.newPage();
    await page.goto("/functions?range=6h");
    await page.locator('[data-testid="function-row"][data-function-name="payments-api"] [data-testid="function-link"]').click();
    await page.waitForURL((url) => url.pathname === "/functions/payments-api");
    await page.getByTestId("function-detail").waitFor();
    const fields = await page.getByTestId("config-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-field")));
    expect(fields.length).toBeGreaterThanOrEqual(8);
    expect(await page.getByTestId("function-config").textContent()).toMatch(/java21/);
    await page.locator('[data-testid="function-metrics-chart"] svg path.recharts-line-curve, [data-testid="function-metrics-chart"] svg path.recharts-area-area').first().waitFor({ state: "attached" });
    // payments-api keeps 50 provisioned on `live` (scenarios/ecommerce.yaml).
    expect(await page.locator('[data-testid="pc-row"][data-qualifier="live"]').count()).toBe(1);
    for (const id of ["function-concurrency", "function-memory", "function-cost", "function-recommendations", "function-cold-starts"]) {
      await page.getByTestId(id).waitFor();
    }
    await screenshot(page, "function-detail");
    await page.close();
  });

  it("shows a clear not-found state for a function that was never collected", async () => {
    const page = await context.newPage();
    await page.goto("/functions/no-such-function");
    await page.getByTestId("function-not-found").waitFor();
    expect(await page.getByTestId("function-not-found").textContent()).toMatch(/no-such-function/);
    await page.close();
  });
});
