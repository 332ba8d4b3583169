/**
 * The console for a bench section, started exactly as `sightline start` starts it: the
 * production build in .next (rebuilt with `next build` when its inputs changed, as
 * cli/commands/start.ts does), served by `node bin/sightline.mjs console --port <port>` with
 * the stack's environment, NEXTAUTH_SECRET and NEXTAUTH_URL. And the two ways a client signs
 * in: an API token for /api/v1 (as `sightline token create`) and a next-auth session cookie
 * for pages (a user in the table, then the credentials callback with its CSRF token).
 *
 * .next is shared with other users of the working tree (browser tests): whoever runs a
 * section that calls this holds `flock /tmp/sightline-next.lock` around the whole run.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, openSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { join } from "node:path";
import { BIN } from "@/bench/lib/fleet-stack";
import { hashBuildInputs, isBuildFresh, stampBuild } from "@/infra/local/supervisor/console-build";
import { createDynamoClients } from "@/lib/adapters/dynamodb/client";
import { DynamoApiTokenStore } from "@/lib/adapters/dynamodb/api-token-repository";
import { DynamoUserStore } from "@/lib/adapters/dynamodb/user-repository";
import { ScryptPasswordHasher, generateApiToken, hashApiToken } from "@/lib/adapters/crypto/scrypt-password-hasher";
import type { Role } from "@/lib/domain/access/roles";
import { createApiToken } from "@/lib/use-cases/authenticate";

const ROOT = join(import.meta.dirname, "..", "..");
const NEXT_BIN = createRequire(import.meta.url).resolve("next/dist/bin/next");
const LOOPBACK = "127.0.0.1";

/** A port the OS handed out a moment ago (listen on 0, close). */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

/**
 * Makes sure .next holds a build of the current sources: nothing to do when the stamp matches
 * (what `sightline start` checks), else `next build` (output in `<logDir>/console-build.log`)
 * and a new stamp. Returns how long the build took, or null when it was fresh.
 */
export async function ensureConsoleBuilt(options: { logDir: string; log(message: string): void }): Promise<number | null> {
  const inputHash = await hashBuildInputs(ROOT);
  if (await isBuildFresh(ROOT, inputHash)) return null;
  const logPath = join(options.logDir, "console-build.log");
  options.log(`building the console (sources changed since the last build; 1-3 minutes); log: ${logPath}`);
  const started = performance.now();
  const out = openSync(logPath, "w");
  try {
    const build = spawn(process.execPath, [NEXT_BIN, "build"], { cwd: ROOT, stdio: ["ignore", out, out], env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    const { code, signal } = await exited(build);
    // The log lives in the run's scratch directory, removed at the end: the error carries its tail.
    if (code !== 0) throw new Error(`next build failed (${signal ?? `exit ${code}`}); last lines of ${logPath}:\n${readFileSync(logPath, "utf8").trimEnd().split("\n").slice(-25).join("\n")}`);
  } finally {
    closeSync(out);
  }
  await stampBuild(ROOT, inputHash);
  return (performance.now() - started) / 1000;
}

export interface ConsoleServer {
  url: string;
  /** Seconds from spawn to the first answer of /api/v1/health. */
  startSeconds: number;
  close(): Promise<void>;
}

/**
 * Starts the built console on a free loopback port with the stack's environment (as
 * `sightline start` passes it: TABLE_NAME, AWS_REGION, the endpoints, credentials) plus a
 * fresh NEXTAUTH_SECRET and NEXTAUTH_URL, and waits until /api/v1/health answers.
 */
export async function startConsole(options: { env: Record<string, string>; timeoutMs?: number }): Promise<ConsoleServer> {
  const port = await freePort();
  const url = `http://${LOOPBACK}:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, "console", "--port", String(port)], {
    cwd: ROOT,
    // stdout is Next's banner; errors stay visible.
    stdio: ["ignore", "ignore", "inherit", "ipc"],
    env: {
      ...process.env,
      ...options.env,
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
      NEXTAUTH_URL: url,
      NEXT_TELEMETRY_DISABLED: "1",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
  });
  const close = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const done = exited(child);
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await done;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let gone = false;
  void exited(child).then(() => (gone = true));
  while (Date.now() < deadline) {
    if (gone) throw new Error(`the console exited before it answered on ${url}`);
    try {
      const response = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(2_000) });
      if (response.status < 500) return { url, startSeconds: (performance.now() - started) / 1000, close };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await close();
  throw new Error(`the console did not answer on ${url} within ${(options.timeoutMs ?? 60_000) / 1000} s`);
}

function stackDoc(env: Record<string, string>) {
  return createDynamoClients({ region: env.AWS_REGION ?? "us-east-1", endpoint: env.AWS_ENDPOINT_URL_DYNAMODB }).doc;
}

/** An API token of `role` in the stack's table, as `sightline token create --role <role>` makes one. */
export async function createBenchToken(env: Record<string, string>, role: Role): Promise<string> {
  const { token } = await createApiToken(
    { tokens: new DynamoApiTokenStore(stackDoc(env), env.TABLE_NAME!), hashToken: hashApiToken, generateToken: generateApiToken },
    { name: `bench-${role}`, role, createdBy: "bench", nowMs: Date.now() },
  );
  return token;
}

/** Cookies of a response as `name=value` pairs (Node's fetch keeps every Set-Cookie apart). */
function cookiesOf(response: Response): string[] {
  return response.headers.getSetCookie().map((c) => c.split(";")[0]!);
}

/**
 * A session cookie for pages: adds a user with the product's own store and hasher (as the
 * browser tests do), then signs in through next-auth's credentials callback with the CSRF
 * token and cookie it hands out. Returns the Cookie header value to send.
 */
export async function signInBenchUser(env: Record<string, string>, consoleUrl: string, role: Role): Promise<string> {
  const username = `bench-${role}-${randomBytes(4).toString("hex")}`;
  const password = randomBytes(18).toString("base64url");
  const passwordHash = await new ScryptPasswordHasher().hash(password);
  await new DynamoUserStore(stackDoc(env), env.TABLE_NAME!).createIfAbsent({ username, passwordHash, role, createdAtMs: Date.now() });
  const csrf = await fetch(`${consoleUrl}/api/auth/csrf`);
  if (!csrf.ok) throw new Error(`GET /api/auth/csrf answered ${csrf.status}`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const callback = await fetch(`${consoleUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookiesOf(csrf).join("; ") },
    body: new URLSearchParams({ csrfToken, username, password, json: "true", callbackUrl: consoleUrl }).toString(),
  });
  const session = cookiesOf(callback).find((c) => /^(__Secure-)?next-auth\.session-token=/.test(c));
  if (!session) throw new Error(`signing in through /api/auth/callback/credentials gave no session cookie (status ${callback.status})`);
  return session;
}
