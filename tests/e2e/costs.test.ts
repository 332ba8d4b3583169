import { readFile } from "node:fs/promises";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usdAmountToMicroUsd } from "@/lib/domain/cost/micro-usd";
import { attachedStackFromEnv, startStack, type Stack } from "@/tests/e2e/stack";
import { launchChromium, screenshot, signIn } from "@/tests/e2e/browser";
import { createStackUser } from "@/tests/e2e/users";

/**
 * The finance reviewer's view in a browser against the whole product (`sightline start`,
 * simulator, dynalite): the bill allocated by team with unallocated and idle called out,
 * switched between bars, treemap and table, drilled into, and downloaded as CSV — whose
 * money, read back with integer arithmetic, is the page's total to the micro-dollar. Other
 * roles are refused per RBAC. Screenshots are kept in test-results/screenshots/.
 */
let stack: Stack;
let browser: Browser;
const contexts: BrowserContext[] = [];
const FINANCE = { username: "fiona", password: "finance-password-123", role: "finance" as const };
const VIEWER = { username: "victor", password: "viewer-password-456", role: "viewer" as const };

beforeAll(async () => {
  // Telemetry for a day; the costs collector reads at least a month of Cost Explorer lines anyway.
  stack = attachedStackFromEnv() ?? (await startStack({ env: { BACKFILL_HOURS: "26" } }));
  await createStackUser(stack, FINANCE);
  await createStackUser(stack, VIEWER);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Σ of one money column of a CSV, in µUSD, with the product's own exact decimal reader. */
function sumColumn(csv: string, column: string): { microUsd: number; rows: number } {
  const [header, ...rows] = csv.trim().split(/\r?\n/);
  const index = header!.split(",").indexOf(column);
  expect(index, `${column} in ${header}`).toBeGreaterThanOrEqual(0);
  let microUsd = 0;
  for (const row of rows) {
    // Money cells are never quoted; text cells before them may be, but hold no commas here.
    const parsed = usdAmountToMicroUsd(row.split(",")[index]!);
    if (parsed.kind !== "ok") throw new Error(`${column} in "${row}": ${parsed.reason}`);
    microUsd += parsed.microUsd;
  }
  return { microUsd, rows: rows.length };
}

/** A page in a fresh browser context (its own cookies), signed in as the user. */
async function signedIn(user: { username: string; password: string }): Promise<Page> {
  const context = await browser.newContext({ baseURL: stack.baseUrl, viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto("/signin");
  await signIn(page, user.username, user.password);
  await page.waitForURL((url) => url.pathname === "/");
  return page;
}

describe("costs: the finance view", () => {
  it("shows the bill by team with unallocated and idle, switches views, drills in, and downloads a CSV whose total is the page's", async () => {
    const page = await signedIn(FINANCE);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Costs" }).waitFor();
    // The costs collector runs once the first pass is through; wait for its lines.
    await expect.poll(async () => (await page.request.get("/api/v1/costs?groupBy=tag:team")).status(), { timeout: 180_000, interval: 2_000 }).toBe(200);

    await page.goto("/costs?groupBy=tag:team&range=14d");
    const total = page.getByTestId("cost-total");
    await total.waitFor();
    const pageMicroUsd = Number(await total.getAttribute("data-micro-usd"));
    expect(pageMicroUsd).toBeGreaterThan(0);
    expect(await total.textContent()).toMatch(/^\$[\d,]+\.\d{2}$/);

    // The buckets add up to the total; the untagged function's cost is called out as unallocated.
    const buckets = page.getByTestId("cost-bucket");
    const amounts = await buckets.evaluateAll((rows) => rows.map((r) => ({ id: r.getAttribute("data-bucket"), microUsd: Number(r.getAttribute("data-micro-usd")) })));
    expect(amounts.reduce((s, b) => s + b.microUsd, 0)).toBe(pageMicroUsd);
    expect(amounts.map((b) => b.id)).toEqual(expect.arrayContaining(["value:payments", "value:commerce", "value:catalog", "unallocated", "idle"]));
    expect(amounts.find((b) => b.id === "unallocated")!.microUsd).toBeGreaterThan(0);
    expect(amounts.find((b) => b.id === "idle")!.microUsd).toBeGreaterThan(0);
    expect(await page.getByTestId("cost-unallocated").textContent()).toMatch(/unallocated/i);
    expect(await page.getByTestId("cost-idle").textContent()).toMatch(/idle/i);
    await screenshot(page, "costs-bars");

    // The same numbers as the API, which is what the page renders.
    const api = (await (await page.request.get("/api/v1/costs?groupBy=tag:team&range=14d")).json()) as { totals: { billMicroUsd: number } };
    expect(api.totals.billMicroUsd).toBe(pageMicroUsd);

    await page.getByRole("link", { name: "Treemap" }).click();
    await page.waitForURL(/view=treemap/);
    expect(await page.getByTestId("cost-total").getAttribute("data-micro-usd")).toBe(String(pageMicroUsd));
    await screenshot(page, "costs-treemap");
    await page.getByRole("link", { name: "Table" }).click();
    await page.waitForURL(/view=table/);
    expect(new URL(page.url()).searchParams.get("groupBy")).toBe("tag:team");

    // Drill into unallocated: the untagged legacy-report-generator is what is in it.
    await page.goto("/costs?groupBy=tag:team&range=14d&bucket=unallocated");
    const drill = page.getByTestId("cost-drill");
    await drill.waitFor();
    await drill.getByRole("link", { name: "legacy-report-generator" }).first().waitFor();
    await screenshot(page, "costs-drill-unallocated");

    // Download the CSV from the page: its money adds up to the page's total exactly.
    await page.goto("/costs?groupBy=tag:team&range=14d");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
    expect(download.suggestedFilename()).toMatch(/^sightline-costs-tag-team-.*\.csv$/);
    const csv = await readFile((await download.path())!, "utf8");
    const summed = sumColumn(csv, "cost_usd");
    expect(summed.rows).toBeGreaterThan(10);
    expect(summed.microUsd).toBe(pageMicroUsd);
    // And the FOCUS file's BilledCost likewise.
    const focus = await (await page.request.get(new URL((await page.getByTestId("export-focus").getAttribute("href"))!, stack.baseUrl).toString())).text();
    expect(sumColumn(focus, "BilledCost").microUsd).toBe(pageMicroUsd);
    await page.close();
  });

  it("sets a team's monthly budget from the page, shows it against the month's spend, and removes it", async () => {
    const page = await signedIn(FINANCE);
    await page.goto("/costs?groupBy=tag:team&range=mtd");
    const editor = page.getByTestId("budget-editor");
    await editor.waitFor();
    await editor.getByLabel("Bucket").selectOption("value:catalog");
    // A typo is named before anything is sent.
    await editor.getByLabel("Monthly limit (USD)").fill("1.2.3");
    expect(await editor.getByText(/Monthly limit must be an amount in USD/).count()).toBe(1);
    await editor.getByLabel("Monthly limit (USD)").fill("$1.00");
    await editor.getByRole("button", { name: "Save budget" }).click();
    const row = page.locator('[data-testid="cost-budget"][data-bucket="value:catalog"]');
    await row.waitFor();
    // The catalog team spends more than a dollar in a month: over budget.
    expect(await row.getAttribute("data-tone")).toBe("over");
    const settings = (await (await page.request.get("/api/v1/costs/settings")).json()) as { settings: { budgets: { groupBy: string; bucket: string; monthlyMicroUsd: number; alertAtRatios: number[] }[] } };
    expect(settings.settings.budgets).toEqual([{ groupBy: "tag:team", bucket: "value:catalog", monthlyMicroUsd: 1_000_000, alertAtRatios: [0.8, 1] }]);
    await screenshot(page, "costs-budget");
    await row.getByTestId("budget-remove").click();
    await row.waitFor({ state: "detached" });
    const after = (await (await page.request.get("/api/v1/costs/settings")).json()) as { settings: { budgets: unknown[] } };
    expect(after.settings.budgets).toEqual([]);
    await page.close();
  });

  it("refuses a viewer: no Costs link, a clear panel on /costs, 403 from the API", async () => {
    const page = await signedIn(VIEWER);
    expect(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Costs" }).count()).toBe(0);
    // proxy.ts answers the page itself with a 403 (PAGE_ACCESS): no cost view renders.
    expect((await page.goto("/costs"))?.status()).toBe(403);
    expect(await page.getByTestId("page-forbidden").textContent()).toMatch(/viewer.*finance or admin/);
    expect((await page.request.get("/api/v1/costs")).status()).toBe(403);
    expect((await page.request.get("/api/v1/costs/export?format=csv")).status()).toBe(403);
    await screenshot(page, "costs-viewer");
    await page.close();
  });
});
