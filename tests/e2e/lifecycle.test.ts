import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { COLLECTOR_NAMES } from "@/lib/domain/collection/collector-run";
import { usdAmountToMicroUsd } from "@/lib/domain/cost/micro-usd";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type Stack } from "@/tests/e2e/stack";
import { launchChromium, signIn } from "@/tests/e2e/browser";

/**
 * The stack's life across restarts: a first start backfills, an API token minted by the CLI
 * works, Ctrl-C stops everything cleanly, and a restart keeps the data without backfilling —
 * even when the AWS side is unreachable, where the console serves what is stored and says so.
 */
const BIN = fileURLToPath(new URL("../../bin/sightline.mjs", import.meta.url));
const ADMIN_PASSWORD = "lifecycle-test-password";
/** Against "real" AWS here, the SDK must never look for instance credentials on the network. */
const OFFLINE_AWS = {
  SIGHTLINE_AWS: "real",
  AWS_ENDPOINT_URL: "http://127.0.0.1:9", // the discard port: nothing listens
  AWS_ACCESS_KEY_ID: "offline-test",
  AWS_SECRET_ACCESS_KEY: "offline-test",
  AWS_EC2_METADATA_DISABLED: "true",
};

let dataDir: string;
let stack: Stack | undefined;
let browser: Browser | undefined;
let token = "";

interface FunctionsBody {
  functions: { functionName: string; invocations: number }[];
  collection: { lastSuccessMs: number | null; lastError: string | null; stale: boolean };
}

async function getFunctions(baseUrl: string, bearer: string): Promise<{ status: number; body: FunctionsBody }> {
  const response = await fetch(`${baseUrl}/api/v1/functions?range=24h`, { headers: { authorization: `Bearer ${bearer}` } });
  return { status: response.status, body: (await response.json()) as FunctionsBody };
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "sightline-lifecycle-"));
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("start, stop, restart", () => {
  it("backfills 14 days on the first start, for both simulated accounts", async () => {
    stack = await startStack({ dataDir, adminPassword: ADMIN_PASSWORD });
    expect(stack.output()).toMatch(/collecting accounts 123456789012, 210987654321/);
    expect(stack.output()).toMatch(/metrics collected: \d+ functions, \d+ targets, backfill, hourly from \d{4}-\d{2}-\d{2} accountId=123456789012/);
    expect(stack.output()).toMatch(/inventory collected: \d+ functions \(\d+ described\) accountId=210987654321/);
    expect(stack.output()).toContain("Functions and metrics collected; logs, traces and costs follow in the background");
  });

  it("mints an API token with the CLI that the API accepts, with the token's role", async () => {
    const minted = spawnSync(process.execPath, [BIN, "token", "create", "--role", "viewer", "--name", "lifecycle", "--json"], {
      env: { ...process.env, ...stack!.env },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(minted.status, minted.stderr).toBe(0);
    const parsed = JSON.parse(minted.stdout) as { token: string; role: string };
    expect(parsed.role).toBe("viewer");
    expect(parsed.token).toMatch(/^sl_/);
    token = parsed.token;

    const { status, body } = await getFunctions(stack!.baseUrl, token);
    expect(status).toBe(200);
    expect(body.functions.length).toBeGreaterThanOrEqual(10);
    expect(body.functions.reduce((n, f) => n + f.invocations, 0)).toBeGreaterThan(0);
    expect((await getFunctions(stack!.baseUrl, `${token}x`)).status).toBe(401);
  });

  it("runs the collectors once from the CLI against the running stack", async () => {
    // The stack's own first pass finishes its backfill in the background; let it, so this run
    // is the incremental one a user would see.
    await expect.poll(() => stack!.output(), { timeout: 180_000, interval: 1_000 }).toMatch(/analyze collected: .*accountId=123456789012/);
    const run = spawnSync(process.execPath, [BIN, "collect", "--once", "--json"], {
      env: { ...process.env, ...stack!.env },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const lines = run.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.at(-1)).toMatchObject({ ok: true, error: null });
    // One ledger entry per collector and account (costs once per account, region "global").
    const runs = lines.slice(0, -1) as { collector: string; accountId: string; outcome: string; note: string | null }[];
    expect(new Set(runs.map((r) => r.collector))).toEqual(new Set(COLLECTOR_NAMES));
    expect(runs.filter((r) => r.collector === "inventory").map((r) => r.accountId).sort()).toEqual(["123456789012", "210987654321"]);
    expect(runs.find((r) => r.collector === "metrics" && r.accountId === "123456789012")?.note).toMatch(/, incremental$/);
    expect(runs.every((r) => r.outcome !== "failed")).toBe(true);
  });

  it("reports and exports the allocated bill from the CLI: the buckets and the export add up to the bill", () => {
    const cli = (args: string[]) => spawnSync(process.execPath, [BIN, "cost", ...args], { env: { ...process.env, ...stack!.env }, encoding: "utf8", timeout: 60_000 });
    const report = cli(["report", "--group-by", "tag:team", "--range", "7d", "--json"]);
    expect(report.status, report.stdout + report.stderr).toBe(0);
    const view = JSON.parse(report.stdout) as { totals: { billMicroUsd: number; unallocatedMicroUsd: number }; buckets: { id: string; totalMicroUsd: number }[] };
    expect(view.totals.billMicroUsd).toBeGreaterThan(0);
    expect(view.buckets.reduce((s, b) => s + b.totalMicroUsd, 0)).toBe(view.totals.billMicroUsd);
    // legacy-report-generator carries no tags (scenarios/ecommerce.yaml).
    expect(view.totals.unallocatedMicroUsd).toBeGreaterThan(0);
    const out = join(stack!.dataDir, "costs-focus.csv");
    const exported = cli(["export", "--format", "focus", "--group-by", "tag:team", "--range", "7d", "--out", out]);
    expect(exported.status, exported.stderr).toBe(0);
    const [header, ...rows] = readFileSync(out, "utf8").trim().split(/\r?\n/);
    const billed = header!.split(",").indexOf("BilledCost");
    const sum = rows.reduce((s, row) => {
      const parsed = usdAmountToMicroUsd(row.split(",")[billed]!);
      if (parsed.kind !== "ok") throw new Error(parsed.reason);
      return s + parsed.microUsd;
    }, 0);
    expect(sum).toBe(view.totals.billMicroUsd);
    const bad = cli(["report", "--group-by", "tag:owner"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--group-by/);
  });

  it("reports a function's cold starts from the CLI, as the API does", () => {
    const cli = (args: string[]) => spawnSync(process.execPath, [BIN, "coldstarts", ...args], { env: { ...process.env, ...stack!.env }, encoding: "utf8", timeout: 60_000 });
    const run = cli(["--function", "shipping-rates-api", "--json"]);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const view = JSON.parse(run.stdout) as { function: { functionName: string; runtime: string }; summary: { invocations: number; coldStarts: number } };
    expect(view.function).toMatchObject({ functionName: "shipping-rates-api", runtime: "java17" });
    // Sparse traffic on a slow runtime (scenarios/ecommerce.yaml): cold on a large share of calls.
    expect(view.summary.invocations).toBeGreaterThan(0);
    expect(view.summary.coldStarts / view.summary.invocations).toBeGreaterThan(0.1);
    const unknown = cli(["--function", "no-such-function"]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/no function named "no-such-function"/);
  });

  it("replays a what-if and lists tuning recommendations from the CLI; a bad flag is named", async () => {
    const cli = (command: string, args: string[]) =>
      spawnSync(process.execPath, [BIN, command, ...args], { env: { ...process.env, ...stack!.env }, encoding: "utf8", timeout: 60_000 });
    // payments-api keeps 50 provisioned on live for a peak need under 20 (scenarios/ecommerce.yaml): 20 costs less.
    const whatif = cli("whatif", ["--function", "payments-api", "--pc", "20", "--hours", "6", "--json"]);
    expect(whatif.status, whatif.stdout + whatif.stderr).toBe(0);
    const result = JSON.parse(whatif.stdout) as { current: { pc: { kind: string } }; candidate: { pc: unknown }; actual: { costUsd: number; invocations: number }; projected: { costUsd: number; invocations: number } };
    expect(result.candidate.pc).toEqual({ kind: "fixed", executions: 20 });
    expect(result.actual.invocations).toBeGreaterThan(0);
    expect(result.projected.invocations).toBe(result.actual.invocations);
    expect(result.projected.costUsd).toBeLessThan(result.actual.costUsd);
    const table = cli("whatif", ["--function", "payments-api", "--memory", "1024", "--arch", "arm64"]);
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/candidate: 1,024 MB · arm64/);
    const bad = cli("whatif", ["--function", "payments-api", "--memory", "64"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--memory must be at least 128 MB/);
    const badPc = cli("whatif", ["--function", "payments-api", "--pc", "09:00-25:00=5"]);
    expect(badPc.status).toBe(2);
    expect(badPc.stderr).toMatch(/--pc/);
    // The analyze collector materialises recommendations after each pass.
    await expect
      .poll(
        () => {
          const run = cli("tuning", ["--json"]);
          if (run.status !== 0) return `exit ${run.status}: ${run.stderr}`;
          const view = JSON.parse(run.stdout) as { ranked: { functionName: string; finding: string }[] };
          return view.ranked.some((r) => r.functionName === "payments-api" && r.finding === "idle-provisioned-concurrency");
        },
        { timeout: 240_000, interval: 3_000 },
      )
      .toBe(true);
    expect(cli("tuning", []).stdout).toMatch(/Savings available: \$/);
  });

  it("shows the default SLOs from the CLI as the API does, and exports and re-imports them unchanged", async () => {
    const cli = (args: string[], input?: string) =>
      spawnSync(process.execPath, [BIN, "slo", ...args], { env: { ...process.env, ...stack!.env }, encoding: "utf8", timeout: 60_000, input });
    // sightline start imported the scenario's default SLOs; the evaluator runs after each pass.
    await expect
      .poll(
        () => {
          const run = cli(["status", "--json"]);
          if (run.status !== 0) return `exit ${run.status}: ${run.stderr}`;
          const view = JSON.parse(run.stdout) as { rows: { id: string; level: string }[] };
          return view.rows.filter((r) => r.level !== "unevaluated").length;
        },
        { timeout: 120_000, interval: 2_000 },
      )
      .toBe(8);
    const table = cli(["status"]);
    expect(table.stdout).toMatch(/payments-availability/);
    const exported = cli(["export"]);
    expect(exported.status).toBe(0);
    expect(exported.stdout.match(/kind: SLO/g)).toHaveLength(8);
    const reimport = cli(["import", "-", "--json"], exported.stdout);
    expect(reimport.status, reimport.stderr).toBe(0);
    expect(JSON.parse(reimport.stdout)).toMatchObject({ ok: true, created: [], updated: [] });
    const broken = cli(["import", "-"], exported.stdout.replace("target: 0.999", "target: 99.9"));
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/document 1, spec\.objectives\[0\]\.target: /);
  });

  it("restarts a child that crashes while the stack runs", async () => {
    const found = spawnSync("pgrep", ["-f", `sightline.mjs sim --port ${stack!.env.SIM_PORT}`], { encoding: "utf8" });
    const simPid = Number(found.stdout.trim().split("\n")[0]);
    expect(simPid).toBeGreaterThan(0);
    const simStarts = () => stack!.output().split("\n").filter((l) => l.startsWith("[sim] simulated AWS account")).length;
    expect(simStarts()).toBe(1);
    process.kill(simPid, "SIGKILL");
    await expect.poll(() => stack!.output(), { timeout: 10_000 }).toContain("sim stopped unexpectedly (SIGKILL); restarting in 1 s");
    await expect.poll(simStarts, { timeout: 15_000 }).toBe(2);
  });

  it("stops every child on Ctrl-C and releases DATA_DIR", async () => {
    const result = await stack!.stop();
    stack = undefined;
    expect(result).toEqual({ graceful: true, code: 0 });
    expect(await readdir(dataDir)).not.toContain("sightline.pid");
  });

  it("restarts on the same data without backfilling; with AWS unreachable it serves stored data and says so", async () => {
    stack = await startStack({ dataDir, adminPassword: ADMIN_PASSWORD, env: OFFLINE_AWS });
    const output = stack.output();
    expect(output).not.toMatch(/, backfill/);
    expect(output).toMatch(/The first collection failed \(inventory: cannot reach the Lambda API \(connect ECONNREFUSED 127\.0\.0\.1:9\)/);
    await expect.poll(() => stack!.output(), { timeout: 10_000 }).toMatch(/retrying in \d+ s/);

    const { status, body } = await getFunctions(stack.baseUrl, token);
    expect(status).toBe(200);
    expect(body.functions.reduce((n, f) => n + f.invocations, 0)).toBeGreaterThan(0);
    expect(body.collection.lastError).toBe("cannot reach the Lambda API (connect ECONNREFUSED 127.0.0.1:9)");
    expect(body.collection.lastSuccessMs).not.toBeNull();

    const health = (await (await fetch(`${stack.baseUrl}/api/v1/health`)).json()) as { status: string; collectionFailing: boolean };
    expect(health).toMatchObject({ status: "degraded", collectionFailing: true });

    browser = await launchChromium();
    const page = await browser.newPage({ baseURL: stack.baseUrl });
    await page.goto("/functions");
    await page.waitForURL(/\/signin/);
    await signIn(page, "admin", ADMIN_PASSWORD);
    await page.waitForURL(/\/functions/);
    const warning = page.getByTestId("freshness-warning");
    await warning.waitFor();
    expect(await warning.textContent()).toMatch(/Collection failing: cannot reach the Lambda API \(connect ECONNREFUSED 127\.0\.0\.1:9\)/);
    expect(await page.getByTestId("function-row").count()).toBeGreaterThanOrEqual(10);
  });

  it("leaves no orphan when the supervisor itself is killed", async () => {
    await browser?.close();
    browser = undefined;
    expect(await stack!.killSupervisor(15_000)).toBe(true);
    await stack!.stop(); // releases nothing more; the group is already empty
    stack = undefined;
  });
});
