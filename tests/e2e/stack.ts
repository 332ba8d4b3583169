import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const READY = /Sightline is ready at (http:\/\/127\.0\.0\.1:\d+)/;
/** `next build` may run on first start: 1-3 minutes on 2 cores, plus the first backfill. */
const READY_TIMEOUT_MS = 8 * 60_000;
const STOP_GRACE_MS = 20_000;
const KEPT_LINES = 5000;

/** A running `sightline start`, and how to sign in to it. */
export interface Stack {
  baseUrl: string;
  adminUsername: string;
  adminPassword: string;
  dataDir: string;
  /** The child's most recent output lines, for failure messages. */
  recentOutput(): string;
  /** Everything the child printed so far (bounded). */
  output(): string;
  /** The environment the stack was started with (ports, DATA_DIR). */
  env: Record<string, string>;
  /** Ctrl-C, then SIGKILL after 20 s; says how it ended. */
  stop(): Promise<{ graceful: boolean; code: number | null }>;
  /** SIGKILLs the supervisor alone; resolves whether all its children exited by themselves within `withinMs`. */
  killSupervisor(withinMs: number): Promise<boolean>;
}

/** A port that was free a moment ago: the OS picks it for a listener on port 0. */
export async function findFreePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** 20 random characters from an unambiguous alphabet. */
function randomPassword(): string {
  const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  return Array.from(randomBytes(20), (b) => alphabet[b % alphabet.length]).join("");
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts the whole product (`node bin/sightline.mjs start`) in a fresh data directory on free
 * ports and resolves once it prints its ready line. Rejects with the child's last output
 * lines if it exits or is not ready within 8 minutes.
 */
export interface StackOptions {
  /** Reuse this data directory (a restart); it is then left in place on stop. */
  dataDir?: string;
  /** The admin password for a restart; a fresh stack gets a random one. */
  adminPassword?: string;
  /** Extra environment for `sightline start`. */
  env?: Record<string, string>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "sightline-e2e-")));
  const [port, simPort, dynamoPort] = await distinctFreePorts(3);
  const adminPassword = options.adminPassword ?? randomPassword();
  const lines: string[] = [];
  const keep = (chunk: string, partial: { text: string }) => {
    const text = partial.text + chunk;
    const parts = text.split("\n");
    partial.text = parts.pop() ?? "";
    for (const line of parts) {
      lines.push(line);
      if (lines.length > KEPT_LINES) lines.shift();
    }
  };
  const recentOutput = () => lines.slice(-50).join("\n");
  const output = () => lines.join("\n");

  // Its own process group, so a last-resort SIGKILL also reaches the stack's children.
  const child = spawn(process.execPath, [join(ROOT, "bin", "sightline.mjs"), "start"], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      SIM_PORT: String(simPort),
      DYNAMODB_PORT: String(dynamoPort),
      SIGHTLINE_ADMIN_PASSWORD: adminPassword,
      NEXT_TELEMETRY_DISABLED: "1",
      ...options.env,
    },
  });

  const stackEnv = {
    DATA_DIR: dataDir,
    PORT: String(port),
    SIM_PORT: String(simPort),
    DYNAMODB_PORT: String(dynamoPort),
    ...options.env,
  };

  const stop = async () => {
    let graceful = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGINT");
      graceful = await waitForExit(child, STOP_GRACE_MS);
      if (!graceful && child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          child.kill("SIGKILL");
        }
        await waitForExit(child, 5_000);
      }
    }
    // Grandchildren (next's own workers) may take a moment longer than the supervisor; anything
    // of ours still in the group after that would hold the ports: kill it and say so.
    if (child.pid !== undefined && !(await groupEmptyWithin(child.pid, 5_000))) {
      graceful = false;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // ESRCH: it emptied in between.
      }
    }
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    return { graceful, code: child.exitCode };
  };

  const baseUrl = await new Promise<string>((resolve, reject) => {
    const out = { text: "" };
    const err = { text: "" };
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(
      () => settle(() => reject(new Error(`sightline start was not ready within ${READY_TIMEOUT_MS / 60_000} min; last output:\n${recentOutput()}`))),
      READY_TIMEOUT_MS,
    );
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      keep(chunk, out);
      const match = READY.exec(lines.join("\n"));
      if (match?.[1]) settle(() => resolve(match[1] as string));
    });
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => keep(chunk, err));
    child.once("error", (error) => settle(() => reject(error)));
    child.once("exit", (code, signal) =>
      settle(() => reject(new Error(`sightline start exited (${signal ?? `code ${code}`}) before it was ready; last output:\n${recentOutput()}`))),
    );
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });

  const killSupervisor = async (withinMs: number) => {
    if (child.pid === undefined) return false;
    child.kill("SIGKILL");
    await waitForExit(child, 5_000);
    return groupEmptyWithin(child.pid, withinMs);
  };

  return { baseUrl, adminUsername: "admin", adminPassword, dataDir, recentOutput, output, env: stackEnv, stop, killSupervisor };
}

/** Whether process group `pgid` has no member left within `timeoutMs`. */
async function groupEmptyWithin(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return true; // ESRCH: no process in the group
    }
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `count` free ports, distinct from each other. */
async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await findFreePort());
  return [...ports];
}

/**
 * Uses a stack that is already running (`SIGHTLINE_E2E_URL`, `SIGHTLINE_E2E_ADMIN_PASSWORD`)
 * instead of starting one: for iterating on the console against `sightline start`.
 */
export function attachedStackFromEnv(env: Record<string, string | undefined> = process.env): Stack | null {
  const baseUrl = env.SIGHTLINE_E2E_URL;
  if (!baseUrl) return null;
  const adminPassword = env.SIGHTLINE_E2E_ADMIN_PASSWORD;
  if (!adminPassword) throw new Error("SIGHTLINE_E2E_URL needs SIGHTLINE_E2E_ADMIN_PASSWORD");
  return {
    baseUrl: baseUrl.replace(/\/$/, ""),
    adminUsername: "admin",
    adminPassword,
    dataDir: "",
    recentOutput: () => "",
    output: () => "",
    env: {},
    stop: async () => ({ graceful: true, code: 0 }),
    killSupervisor: async () => false,
  };
}
