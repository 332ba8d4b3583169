/**
 * A generated fleet (`fleet:<n>`) behind the simulated AWS account, with dynalite on disk, as
 * separate processes exactly as `sightline start` runs them — and in the same layout
 * (`<dir>/dynamodb`, `<dir>/sim`, table `sightline`), so a console or `sightline start`
 * with DATA_DIR=<dir> reads what a bench section collected.
 */
import { fork, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createCollectorRuntime, type CollectorRuntime } from "@/collectors/_runtime/collector-runtime";
import { runCollectionPass, type PassReport } from "@/infra/local/scheduler";
import { createDynamoClients } from "@/lib/adapters/dynamodb/client";
import { ensureTable } from "@/lib/adapters/dynamodb/table";
import type { BenchContext } from "@/bench/lib/report";

export const BIN = join(import.meta.dirname, "..", "..", "bin", "sightline.mjs");
export const FLEET_TABLE = "sightline";
const REGION = "us-east-1";

/** Requests the simulator served, as `GET /__sim/requests` reports them. */
export interface SimRequestCounts {
  total: number;
  services: Record<string, Record<string, number>>;
}

export interface FleetStack {
  dir: string;
  functions: number;
  dbUrl: string;
  simUrl: string;
  tableName: string;
  /** The environment a collector or console child needs to reach this stack. */
  env: Record<string, string>;
  /** A collector runtime in this process, with BACKFILL_HOURS as started. */
  runtime: CollectorRuntime;
  /** One scheduler pass (every collector with `force`), as `sightline collect --once` runs it. */
  pass(options?: { nowMs?: number; force?: boolean }): Promise<PassReport>;
  /** The simulator's request counters since it started (or since the last `resetRequestCounts`). */
  requestCounts(): Promise<SimRequestCounts>;
  resetRequestCounts(): Promise<void>;
  close(): Promise<void>;
}

function startChild(args: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(BIN, args, { stdio: ["ignore", "ignore", "inherit", "ipc"], env });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`sightline ${args[0]} exited with ${code} before it was ready`)));
    child.on("message", (m: { type?: string; url?: string }) => {
      if (m.type === "ready" && m.url) resolve({ child, url: m.url });
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once("exit", () => done());
    child.kill("SIGTERM");
  });
}

/**
 * Starts dynalite on `<dir>/dynamodb` and the simulator with `fleet:<functions>` (state in
 * `<dir>/sim`) on free ports, creates the table if needed, and builds a collector runtime.
 * Reusing a `dir` resumes from what is stored (watermarks included).
 */
export async function startFleetStack(options: { dir: string; functions: number; backfillHours: number; seed?: number; extraEnv?: Record<string, string> }): Promise<FleetStack> {
  mkdirSync(options.dir, { recursive: true });
  const baseEnv = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
  const children: ChildProcess[] = [];
  try {
    const db = await startChild(["db", "--path", join(options.dir, "dynamodb"), "--port", "0"], baseEnv);
    children.push(db.child);
    const sim = await startChild(
      ["sim", "--scenario", `fleet:${options.functions}`, "--port", "0", "--state-dir", join(options.dir, "sim"), ...(options.seed === undefined ? [] : ["--seed", String(options.seed)])],
      baseEnv,
    );
    children.push(sim.child);
    const env: Record<string, string> = {
      TABLE_NAME: FLEET_TABLE,
      AWS_REGION: REGION,
      AWS_ENDPOINT_URL: sim.url,
      AWS_ENDPOINT_URL_DYNAMODB: db.url,
      AWS_ACCESS_KEY_ID: "sightline-local",
      AWS_SECRET_ACCESS_KEY: "sightline-local",
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      BACKFILL_HOURS: String(options.backfillHours),
      ...options.extraEnv,
    };
    // The SDK clients read their endpoints and credentials from the process environment.
    for (const key of ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_EC2_METADATA_DISABLED"] as const) process.env[key] = env[key];
    await ensureTable(createDynamoClients({ region: REGION, endpoint: db.url }).client, FLEET_TABLE);
    const runtime = createCollectorRuntime({ env, log: { info: () => {}, error: (m) => console.error(m) } });
    return {
      dir: options.dir,
      functions: options.functions,
      dbUrl: db.url,
      simUrl: sim.url,
      tableName: FLEET_TABLE,
      env,
      runtime,
      pass: (o = {}) => runCollectionPass(runtime, { nowMs: o.nowMs, force: o.force ?? true }),
      async requestCounts() {
        const response = await fetch(`${sim.url}/__sim/requests`);
        if (!response.ok) throw new Error(`GET /__sim/requests answered ${response.status}`);
        return (await response.json()) as SimRequestCounts;
      },
      async resetRequestCounts() {
        const response = await fetch(`${sim.url}/__sim/requests`, { method: "DELETE" });
        if (!response.ok) throw new Error(`DELETE /__sim/requests answered ${response.status}`);
      },
      async close() {
        await Promise.all(children.map(stop));
      },
    };
  } catch (error) {
    await Promise.all(children.map(stop));
    throw error;
  }
}

/** What `seededFleet` leaves in `ctx.shared`: a directory holding a backfilled fleet (processes stopped). */
export interface SeededFleet {
  dir: string;
  functions: number;
  days: number;
  /** The `nowMs` the backfill pass ran at. */
  nowMs: number;
  /** Wall time of the backfill pass, seconds. */
  seconds: number;
  itemsWritten: number;
}

const seededKey = (functions: number, days: number) => `seeded-fleet:${functions}:${days}`;

/** A seeded fleet this run already knows (from an earlier section or a kept --work-dir), without seeding one. */
export function knownSeededFleet(ctx: BenchContext, functions: number, days: number): SeededFleet | undefined {
  return ctx.shared.get(seededKey(functions, days)) as SeededFleet | undefined;
}

const SEEDED_FILE = "seeded.json";

/**
 * Records a seeded fleet so later sections reuse it instead of backfilling again — and, in
 * `<dir>/seeded.json`, so a later `npm run bench -- --work-dir <same dir>` reuses it too.
 */
export function rememberSeededFleet(ctx: BenchContext, seeded: SeededFleet): void {
  ctx.shared.set(seededKey(seeded.functions, seeded.days), seeded);
  writeFileSync(join(seeded.dir, SEEDED_FILE), `${JSON.stringify(seeded, null, 2)}\n`);
}

/** Registers the seeded fleets a kept work directory holds (`<workDir>/<fleet>/seeded.json`). */
export function loadSeededFleets(ctx: BenchContext): SeededFleet[] {
  if (!existsSync(ctx.workDir)) return [];
  const found: SeededFleet[] = [];
  for (const entry of readdirSync(ctx.workDir, { withFileTypes: true })) {
    const file = join(ctx.workDir, entry.name, SEEDED_FILE);
    if (!entry.isDirectory() || !existsSync(file)) continue;
    const seeded = JSON.parse(readFileSync(file, "utf8")) as SeededFleet;
    // The directory may have moved since it was recorded.
    const here = { ...seeded, dir: join(ctx.workDir, entry.name) };
    ctx.shared.set(seededKey(here.functions, here.days), here);
    found.push(here);
  }
  return found;
}

/**
 * A directory with `functions` × `days` collected (every collector, one forced pass), reused
 * from an earlier section of the same run when there is one.
 */
export async function seededFleet(ctx: BenchContext, functions: number, days: number): Promise<SeededFleet> {
  const known = ctx.shared.get(seededKey(functions, days)) as SeededFleet | undefined;
  if (known) return known;
  const dir = join(ctx.workDir, `fleet-${functions}-${days}d`);
  ctx.log(`seeding fleet:${functions} with a ${days}-day backfill in ${dir}`);
  const stack = await startFleetStack({ dir, functions, backfillHours: days * 24 });
  try {
    const nowMs = Date.now();
    const started = performance.now();
    const report = await stack.pass({ nowMs });
    if (!report.ok) throw new Error(`the backfill pass failed: ${report.error ?? report.runs.filter((r) => r.error).map((r) => `${r.collector}: ${r.error}`).join("; ")}`);
    const seeded: SeededFleet = {
      dir,
      functions,
      days,
      nowMs,
      seconds: (performance.now() - started) / 1000,
      itemsWritten: report.runs.reduce((n, r) => n + r.itemsWritten, 0),
    };
    rememberSeededFleet(ctx, seeded);
    return seeded;
  } finally {
    await stack.close();
  }
}
