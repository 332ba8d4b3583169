/**
 * Benchmark of the collectors (`npm run bench:collectors`): a first run (14-day backfill) of
 * every collector against the simulated account and dynalite, each in its own process as
 * `npm start` runs them, through the real SDK clients. Prints per collector the time, requests
 * per operation, the GetMetricData floor, items written and the estimated AWS API cost; then
 * one steady-state pass a minute later. Figures, not pass/fail: machines are noisy.
 *
 *   npm run bench:collectors                          # ecommerce
 *   npm run bench:collectors -- --scenario fleet:1000 # the generated fleet
 *   npm run bench:collectors -- --days 3
 */
import { fork, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createCollectorRuntime } from "@/collectors/_runtime/collector-runtime";
import { ALL_COLLECTORS } from "@/collectors/_runtime/registry";
import { runCollectorEverywhere } from "@/collectors/_runtime/run-collector";
import { createDynamoClients } from "@/lib/adapters/dynamodb/client";
import { ensureTable } from "@/lib/adapters/dynamodb/table";
import type { CollectorRun } from "@/lib/domain/collection/collector-run";
import { ALIAS_METRIC_KEYS, FUNCTION_METRIC_KEYS, REGION_METRIC_KEYS } from "@/lib/domain/metrics/lambda-metrics";
import { getMetricDataFloor, MAX_QUERIES_PER_CALL } from "@/lib/domain/metrics/metric-data-queries";
import { DAY_MS, floorToHourMs, floorToMinuteMs, HOUR_MS, MINUTE_MS } from "@/lib/domain/shared/time";

const { values } = parseArgs({ options: { scenario: { type: "string", default: "ecommerce" }, days: { type: "string", default: "14" } } });
const scenario = values.scenario!;
const days = Number(values.days);
const BIN = join(import.meta.dirname, "..", "bin", "sightline.mjs");

function start(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(BIN, args, { stdio: ["ignore", "ignore", "inherit", "ipc"], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" } });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${args[0]} exited with ${code}`)));
    child.on("message", (m: { type?: string; url?: string }) => {
      if (m.type === "ready" && m.url) resolve({ child, url: m.url });
    });
  });
}

const requests = (run: CollectorRun) => Object.values(run.apiUsage).reduce((n, u) => n + u.requests, 0);
const perOperation = (run: CollectorRun) =>
  Object.entries(run.apiUsage)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, u]) => `${op.split(".")[1]} ${u.requests}`)
    .join(", ");

async function main() {
  const dir = await mkdtemp(join(tmpdir(), "sightline-bench-"));
  const children: ChildProcess[] = [];
  try {
    const db = await start(["db", "--path", join(dir, "dynamodb"), "--port", "0"]);
    children.push(db.child);
    const sim = await start(["sim", "--scenario", scenario, "--port", "0", "--state-dir", join(dir, "sim")]);
    children.push(sim.child);
    process.env.AWS_ACCESS_KEY_ID ??= "bench";
    process.env.AWS_SECRET_ACCESS_KEY ??= "bench";
    process.env.AWS_ENDPOINT_URL = sim.url;
    const tableName = "sightline-bench";
    await ensureTable(createDynamoClients({ region: "us-east-1", endpoint: db.url }).client, tableName);
    const runtime = createCollectorRuntime({
      env: { TABLE_NAME: tableName, AWS_REGION: "us-east-1", AWS_ENDPOINT_URL: sim.url, AWS_ENDPOINT_URL_DYNAMODB: db.url, BACKFILL_HOURS: String(days * 24) },
      log: { info: () => {}, error: (m) => console.error(m) },
    });
    const nowMs = Date.now();
    console.log(`\n${scenario}: first run of every collector (${days}-day backfill), then a pass a minute later\n`);
    // Rows print as each collector finishes: a fleet's backfill takes minutes.
    const widths = [14, 9, 8, 9, 10, 8];
    const print = (row: string[]) => console.log(row.map((c, i) => (i < widths.length ? c.padEnd(widths[i]!) : c)).join("  "));
    print(["collector", "pass", "seconds", "requests", "est. cost", "items", "requests per operation"]);
    for (const [pass, at] of [["backfill", nowMs], ["steady", nowMs + MINUTE_MS]] as const) {
      for (const definition of ALL_COLLECTORS) {
        const started = performance.now();
        const runs = await runCollectorEverywhere(runtime, definition, { nowMs: at });
        const seconds = (performance.now() - started) / 1000;
        for (const run of runs) {
          print([`${run.collector}${runs.length > 1 ? ` ${run.accountId}` : ""}`, pass, seconds.toFixed(1), String(requests(run)), `$${run.estimatedCostUsd.toFixed(4)}`, String(run.itemsWritten), run.error ?? perOperation(run)]);
        }
      }
    }

    // The GetMetricData floor for the backfill: per tier, ceil(batch × periods / 100,800) per batch.
    const functions = await runtime.functions.listFunctions();
    const own = functions.filter((f) => f.accountId === functions[0]?.accountId);
    const aliases = own.reduce((n, f) => n + f.provisionedConcurrency.length, 0);
    const queries = own.length * FUNCTION_METRIC_KEYS.length + aliases * ALIAS_METRIC_KEYS.length + REGION_METRIC_KEYS.length;
    const minuteFrom = floorToHourMs(Math.max(nowMs - days * DAY_MS, nowMs - runtime.config.METRICS_MINUTE_DAYS * DAY_MS));
    const minutePeriods = (floorToMinuteMs(nowMs) - minuteFrom) / MINUTE_MS;
    const hourFrom = Math.floor((nowMs - days * DAY_MS) / DAY_MS) * DAY_MS;
    const hourPeriods = (floorToHourMs(nowMs - runtime.config.SETTLE_MINUTES * MINUTE_MS) - hourFrom) / HOUR_MS;
    const ledger = await runtime.ledger.listRecent({ sinceMs: 0, nowMs: Date.now(), limit: 500, collector: "metrics" });
    const backfill = ledger.filter((r) => r.nowMs === nowMs && r.accountId === own[0]?.accountId);
    const calls = backfill.reduce((n, r) => n + (r.apiUsage["CloudWatch.GetMetricData"]?.requests ?? 0), 0);
    const floor = getMetricDataFloor(queries, minutePeriods) + getMetricDataFloor(queries, hourPeriods);
    console.log(
      `\nGetMetricData backfill (${own.length} functions, ${queries} queries = ${Math.ceil(queries / MAX_QUERIES_PER_CALL)} batches): ` +
        `${calls} calls; datapoint floor ${floor} (${minutePeriods} minutes + ${hourPeriods} hours) → ratio ${(calls / floor).toFixed(2)}; ` +
        `per-metric polling (GetMetricStatistics, ≤ 1,440 points per call) would need ${queries * (Math.ceil(minutePeriods / 1440) + Math.ceil(hourPeriods / 1440))} calls`,
    );
  } finally {
    await Promise.all(children.map((child) => new Promise((done) => (child.once("exit", done), child.kill("SIGTERM")))));
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
