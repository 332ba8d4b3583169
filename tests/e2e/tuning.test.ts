import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachedStackFromEnv, startStack, type Stack } from "@/tests/e2e/stack";
import { launchChromium, screenshot, signIn } from "@/tests/e2e/browser";
import { createStackUser } from "@/tests/e2e/users";

/**
 * The engineer's tuning walk in a browser against the whole product (`sightline start`,
 * simulator, dynalite): recommend → what-if → apply → audit → rollback, on payments-api's idle
 * provisioned concurrency (50 on `live`, peak need under 20 — scenarios/ecommerce.yaml).
 * The apply goes through the console's API and the Lambda adapter to the simulated account;
 * the audit and the Lambda setting are checked after each step. Screenshots are kept in
 * test-results/screenshots/.
 */
const FUNCTION = "payments-api";
const PRIMARY = "account=123456789012&region=us-east-1";

let stack: Stack;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  // A day of history (provisioned concurrency is sized on a whole daily cycle), and little more: the backfill stays short.
  stack = attachedStackFromEnv() ?? (await startStack({ env: { BACKFILL_HOURS: "26" } }));
  browser = await launchChromium();
  context = await browser.newContext({ baseURL: stack.baseUrl, viewport: { width: 1440, height: 1000 } });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});


interface TuningView {
  config: { provisionedConcurrency: { qualifier: string; requested: number }[] };
  audit: { action: string; result: string; before: { executions?: number }; after: { executions?: number } }[];
}

async function functionView(page: Page): Promise<TuningView> {
  const response = await page.request.get(`/api/v1/tuning?function=${FUNCTION}&${PRIMARY}`);
  expect(response.status()).toBe(200);
  return (await response.json()) as TuningView;
}

describe("tuning: recommend → what-if → apply → audit → rollback", () => {
  it("walks the whole loop on payments-api's idle provisioned concurrency", async () => {
    const page = await context.newPage();
    await page.goto("/signin");
    await signIn(page, stack.adminUsername, stack.adminPassword);
    await page.waitForURL((url) => url.pathname === "/");

    // The analyze collector runs after the metrics; wait for its recommendation.
    await expect
      .poll(
        async () => {
          const body = (await (await page.request.get("/api/v1/tuning")).json()) as { ranked: { functionName: string; finding: string }[] };
          return body.ranked.some((r) => r.functionName === FUNCTION && r.finding === "idle-provisioned-concurrency");
        },
        { timeout: 240_000, interval: 3_000 },
      )
      .toBe(true);

    // Recommend: the fleet list shows it, ranked by saving per risk.
    await page.goto("/tuning");
    const row = page.locator(`[data-testid="tuning-row"][data-function="${FUNCTION}"][data-finding="idle-provisioned-concurrency"]`);
    await row.waitFor();
    expect(await row.textContent()).toMatch(/50/);
    await screenshot(page, "tuning-fleet");
    await row.getByRole("link", { name: FUNCTION }).first().click();
    await page.waitForURL((url) => url.pathname === `/tuning/${FUNCTION}`);
    const card = page.locator('[data-testid="recommendation-card"][data-finding="idle-provisioned-concurrency"]');
    await card.waitFor();
    expect(await card.textContent()).toMatch(/break-even/);

    // What-if: the card's proposal replayed on the recorded traffic costs less than what happened.
    await card.getByTestId("try-whatif").click();
    const form = page.getByTestId("whatif-form");
    await form.waitFor();
    await page.getByTestId("whatif-submit").click();
    const result = page.getByTestId("whatif-result");
    await result.waitFor({ timeout: 30_000 });
    const usd = async (testId: string) => Number(((await page.getByTestId(testId).first().textContent()) ?? "").replace(/[^0-9.]/g, ""));
    const actualCost = await usd("whatif-actual-cost");
    const projectedCost = await usd("whatif-projected-cost");
    expect(actualCost).toBeGreaterThan(0);
    expect(projectedCost).toBeLessThan(actualCost);
    await screenshot(page, "tuning-whatif");

    // Apply: a diff, then confirmation; the change goes through the Lambda adapter.
    const before = (await functionView(page)).config.provisionedConcurrency.find((pc) => pc.qualifier === "live")?.requested;
    expect(before).toBe(50);
    await card.getByTestId("apply-button").click();
    const diff = page.getByTestId("apply-diff");
    await diff.waitFor();
    expect(await diff.textContent()).toMatch(/50/);
    expect(await diff.textContent()).toMatch(/PutProvisionedConcurrencyConfig/);
    await screenshot(page, "tuning-apply-diff");
    await page.getByTestId("apply-confirm").click();
    const applied = page.locator('[data-testid="audit-entry"][data-action="apply"][data-result="succeeded"]');
    await applied.first().waitFor({ timeout: 30_000 });
    const afterApply = await functionView(page);
    expect(afterApply.audit[0]).toMatchObject({ action: "apply", result: "succeeded", before: { executions: 50 } });
    const appliedTo = afterApply.audit[0]!.after.executions!;
    expect(appliedTo).toBeLessThan(50);
    await screenshot(page, "tuning-audit");

    // Rollback: one click puts 50 back, recorded as its own entry.
    await applied.first().getByTestId("rollback-button").click();
    await page.locator('[data-testid="audit-entry"][data-action="rollback"][data-result="succeeded"]').first().waitFor({ timeout: 30_000 });
    const afterRollback = await functionView(page);
    expect(afterRollback.audit[0]).toMatchObject({ action: "rollback", result: "succeeded", before: { executions: appliedTo }, after: { executions: 50 } });
    await screenshot(page, "tuning-rollback");
    await page.close();
  });

  it("shows a viewer the apply button disabled with the reason, and the API refuses the viewer's apply", async () => {
    const password = "viewer-password-123";
    await createStackUser(stack, { username: "vera", password, role: "viewer" });

    const viewer = await browser.newContext({ baseURL: stack.baseUrl, viewport: { width: 1440, height: 1000 } });
    const page = await viewer.newPage();
    await page.goto("/signin");
    await signIn(page, "vera", password);
    await page.waitForURL((url) => url.pathname === "/");
    await page.goto(`/tuning/${FUNCTION}`);
    const card = page.locator('[data-testid="recommendation-card"][data-finding="idle-provisioned-concurrency"]');
    await card.waitFor();
    expect(await card.getByTestId("apply-button").isDisabled()).toBe(true);
    expect(await card.getByTestId("apply-disabled-reason").textContent()).toMatch(/viewer.*engineer or admin/);
    // The what-if is open to every role: it changes nothing.
    await card.getByTestId("try-whatif").click();
    await page.getByTestId("whatif-submit").click();
    await page.getByTestId("whatif-result").waitFor({ timeout: 30_000 });
    await screenshot(page, "tuning-viewer");

    const recommendation = ((await (await page.request.get("/api/v1/tuning")).json()) as { ranked: { id: string; functionName: string; finding: string; revert: unknown }[] }).ranked.find(
      (r) => r.functionName === FUNCTION && r.finding === "idle-provisioned-concurrency",
    )!;
    const refused = await page.request.post("/api/v1/tuning/apply", {
      headers: { "content-type": "application/json", origin: stack.baseUrl },
      data: { recommendationId: recommendation.id, expectedBefore: recommendation.revert },
    });
    expect(refused.status()).toBe(403);
    expect(((await refused.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: "forbidden", message: expect.stringMatching(/tuning:apply/) });
    expect((await functionView(page)).config.provisionedConcurrency.find((pc) => pc.qualifier === "live")?.requested).toBe(50);
    await viewer.close();
  });
});
