import { fork, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Real processes for the chaos tests: the `sightline` CLI started as a child (the same launcher
 * a person runs), killed with SIGKILL — no handler runs, no buffer is flushed, exactly like a
 * Lambda environment or a laptop losing power mid-pass — and started again.
 */

const BIN = fileURLToPath(new URL("../../bin/sightline.mjs", import.meta.url));

/** A small seeded PRNG (mulberry32): the same seed gives the same kill points. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The seed of a chaos run: CHAOS_SEED to replay one, else a fresh one (printed in every failure message). */
export function chaosSeed(): number {
  const fromEnv = process.env.CHAOS_SEED;
  if (fromEnv !== undefined && fromEnv !== "") return Number(fromEnv) >>> 0;
  return Math.floor(Math.random() * 2 ** 31);
}

export interface SightlineProcess {
  child: ChildProcess;
  /** Settles when the process has exited: its code, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** stdout and stderr so far (for failure messages). */
  output(): string;
  /** SIGKILL, then wait for the exit. */
  kill(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs `sightline <args>` as a child with exactly `env` (plus PATH and HOME), in a working
 * directory of its own so no `.env` file of the repository leaks in. With IPC, so a command
 * that reports `ready` (db, sim) can be awaited.
 */
export function spawnSightline(args: readonly string[], env: Record<string, string>, cwd: string): SightlineProcess {
  const childEnv: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? cwd, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...env };
  const child = fork(BIN, [...args], {
    cwd,
    // Next's types make NODE_ENV required in ProcessEnv; the child runs without it, as from a shell.
    env: childEnv as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return {
    child,
    exited,
    output: () => output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      return exited;
    },
  };
}

/** Waits for a child's `{ type: "ready" }` IPC message; fails with its output if it exits first. */
export function whenReady(proc: SightlineProcess, timeoutMs = 60_000): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after ${timeoutMs} ms:\n${proc.output()}`)), timeoutMs);
    proc.child.on("message", (message: { type?: string }) => {
      if (message?.type !== "ready") return;
      clearTimeout(timer);
      resolve();
    });
    void proc.exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`exited (${signal ?? code}) before it was ready:\n${proc.output()}`));
    });
  });
}

/**
 * The embedded DynamoDB as its own process (`sightline db`, what `sightline start` runs), so a
 * test can SIGKILL it and start it again on the same data directory and port.
 */
export async function startDbProcess(options: { path: string; port: number; cwd: string }): Promise<SightlineProcess> {
  const proc = spawnSightline(["db", "--path", options.path, "--port", String(options.port)], {}, options.cwd);
  await whenReady(proc);
  return proc;
}

/** A temporary directory, removed by the returned `remove`. */
export async function tempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Resolves once `condition()` holds (checked every `everyMs`), or with false once `stop` settles first. */
export async function waitUntil(condition: () => boolean, stop: Promise<unknown>, everyMs = 2): Promise<boolean> {
  let stopped = false;
  void stop.then(() => (stopped = true));
  while (!condition()) {
    if (stopped) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return true;
}
