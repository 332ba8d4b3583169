import { mkdir, open, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseCommandArgs, formatHelp, type CommandSpec } from "@/cli/args";
import type { Command } from "@/cli/command";
import { buildChildEnv, LOCAL_HOST, resolveLocalEndpoints } from "@/cli/local-stack";
import { loadLocalConfig } from "@/lib/config/local-config";
import { createDynamoClients } from "@/lib/adapters/dynamodb/client";
import { ensureTable } from "@/lib/adapters/dynamodb/table";
import { DynamoUserStore } from "@/lib/adapters/dynamodb/user-repository";
import { ScryptPasswordHasher, generatePassword } from "@/lib/adapters/crypto/scrypt-password-hasher";
import { bootstrapAdmin, ADMIN_USERNAME, type BootstrapAdminResult } from "@/lib/use-cases/bootstrap-admin";
import { describeError } from "@/lib/use-cases/describe-error";
import { importSlos } from "@/lib/use-cases/manage-slos";
import { DynamoSettingsStore } from "@/lib/adapters/dynamodb/settings-repository";
import { DynamoSloStore } from "@/lib/adapters/dynamodb/slo-repository";
import { scenarioSloSeedFile } from "@/infra/local/sim/load-scenario";
import type { LocalConfig } from "@/lib/config/local-config";
import { acquireDataDirLock, ensurePortsFree, ensureWritableDataDir, loadOrCreateSecret } from "@/infra/local/supervisor/preflight";
import { UserFacingError } from "@/lib/domain/shared/user-facing-error";
import { hashBuildInputs, isBuildFresh, stampBuild } from "@/infra/local/supervisor/console-build";
import { ManagedChild } from "@/infra/local/supervisor/managed-child";

const spec = {
  name: "start",
  summary: "start the whole local stack: DynamoDB, simulated AWS, collectors, console",
  usage: "sightline start",
  options: {},
  optionHelp: ["(configured by environment variables: see README, Configuration)"],
} satisfies CommandSpec;

/**
 * Imports the default SLOs once per table: SLO_SEED_FILE, else the simulated scenario's own
 * `<scenario>.slos.yaml`, through the same import as `sightline slo import`. Recorded in the
 * table, so SLOs deleted later stay deleted. Returns what to tell the user, or null.
 */
async function seedDefaultSlos(doc: ReturnType<typeof createDynamoClients>["doc"], config: LocalConfig): Promise<string | null> {
  const file = config.SLO_SEED_FILE === "none" ? null : (config.SLO_SEED_FILE ?? (config.SIGHTLINE_AWS === "simulated" ? scenarioSloSeedFile(config.SIM_SCENARIO) : null));
  if (file === null) return null;
  const settings = new DynamoSettingsStore(doc, config.TABLE_NAME);
  if ((await settings.getSloSeed()) !== null) return null;
  let yaml: string;
  try {
    yaml = await readFile(file, "utf8");
  } catch (error) {
    throw new UserFacingError(`SLO_SEED_FILE: cannot read ${file} (${describeError(error)})`);
  }
  const ownAccountId = await settings.getOwnAccountId();
  const result = await importSlos(new DynamoSloStore(doc, config.TABLE_NAME), {
    yaml,
    defaults: ownAccountId === null ? null : { accountId: ownAccountId, region: config.AWS_REGION },
    by: "sightline start",
    nowMs: Date.now(),
  });
  if (!result.ok) {
    const first = result.errors[0]!;
    throw new UserFacingError(`the default SLOs in ${file} were not imported: document ${first.document}, ${first.path}: ${first.message}`);
  }
  await settings.putSloSeed({ source: file, atMs: Date.now() });
  return `imported ${result.outcome.created.length + result.outcome.updated.length} default SLOs from ${file}`;
}

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(ROOT, "bin", "sightline.mjs");
const NEXT_BIN = createRequire(import.meta.url).resolve("next/dist/bin/next");

function say(line: string): void {
  console.log(`sightline: ${line}`);
}

async function waitForHttp(url: string, timeoutMs: number, child: ManagedChild): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void child.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`console exited before it answered:\n${child.recentLines.slice(-15).join("\n")}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`console did not answer on ${url} within ${timeoutMs / 1000} s`);
}

/** Runs `next build` when the build is missing or older than its sources; output goes to a log file. */
async function ensureConsoleBuild(env: Record<string, string>, dataDir: string, children: Set<ManagedChild>): Promise<void> {
  const inputHash = await hashBuildInputs(ROOT);
  if (await isBuildFresh(ROOT, inputHash)) return;
  const logDir = join(dataDir, "logs");
  await mkdir(logDir, { recursive: true });
  const logPath = join(logDir, "console-build.log");
  say(`building the console (first start or changed sources; 1-3 minutes on 2 cores); log: ${logPath}`);
  const log = await open(logPath, "w");
  const started = Date.now();
  const build = new ManagedChild({ name: "build", command: process.execPath, args: [NEXT_BIN, "build"], env, cwd: ROOT, echo: false });
  children.add(build);
  build.process.stdout?.on("data", (chunk: Buffer) => void log.write(chunk));
  build.process.stderr?.on("data", (chunk: Buffer) => void log.write(chunk));
  const ticker = setInterval(() => say(`still building the console (${Math.round((Date.now() - started) / 1000)} s)`), 20_000);
  const { code, signal } = await build.exited;
  clearInterval(ticker);
  children.delete(build);
  await log.close();
  if (build.stopping) throw new Error("stopped during the console build");
  if (code !== 0) {
    throw new Error(`the console build failed (${signal ?? `exit ${code}`}); last lines of ${logPath}:\n${build.recentLines.slice(-25).join("\n")}`);
  }
  await stampBuild(ROOT, inputHash);
  say(`console built in ${Math.round((Date.now() - started) / 1000)} s`);
}

function describeAdmin(result: BootstrapAdminResult): string[] {
  if (result.kind === "exists") {
    return [`Sign in as "${ADMIN_USERNAME}" with the password printed on first start (or SIGHTLINE_ADMIN_PASSWORD).`];
  }
  if (result.passwordSource === "environment") return [`Sign in as "${ADMIN_USERNAME}" with the password from SIGHTLINE_ADMIN_PASSWORD.`];
  return [
    `Sign in as "${ADMIN_USERNAME}" with password: ${result.generatedPassword}`,
    "(generated on first start and shown only this once; only its hash is stored)",
  ];
}

export const startCommand: Command = {
  spec,
  async run(argv) {
    const { values } = parseCommandArgs(spec, argv);
    if (values.help) return (console.log(formatHelp(spec)), 0);
    const startedAt = Date.now();
    const config = loadLocalConfig();
    const endpoints = resolveLocalEndpoints(config);

    await ensureWritableDataDir(endpoints.dataDir);
    await ensurePortsFree(LOCAL_HOST, [
      { name: "PORT", port: config.PORT },
      ...(config.SIGHTLINE_AWS === "simulated" ? [{ name: "SIM_PORT", port: config.SIM_PORT }] : []),
      ...(config.SIGHTLINE_DYNAMODB === "embedded" ? [{ name: "DYNAMODB_PORT", port: config.DYNAMODB_PORT }] : []),
    ]);
    const releaseLock = await acquireDataDirLock(endpoints.dataDir);
    // The session secret is written only after the store has opened, so a start-up that fails
    // on a corrupt or locked DATA_DIR leaves nothing new behind.
    const env: Record<string, string> = { ...buildChildEnv(config, endpoints, { nextAuthSecret: undefined }), SIGHTLINE_SUPERVISED: "1" };
    Object.assign(process.env, env);

    const children = new Set<ManagedChild>();
    let running = false;
    let shuttingDown: Promise<void> | undefined;
    const shutdown = (reason: string) => {
      shuttingDown ??= (async () => {
        say(reason);
        // Stop in reverse order of start: console, collectors, simulator, database.
        for (const child of [...children].reverse()) await child.stop();
        await releaseLock();
      })();
      return shuttingDown;
    };
    process.on("SIGINT", () => void shutdown("stopping (Ctrl-C)…").then(() => process.exit(0)));
    process.on("SIGTERM", () => void shutdown("stopping…").then(() => process.exit(0)));

    /**
     * Keeps a child running. During start-up a crash fails the start (the caller is waiting on
     * it). Once the stack is up, a crashed child is restarted in its place with backoff (1 s,
     * doubling), so a simulator or collector hiccup does not take the console down; a child
     * that crashes 5 times within 5 minutes stops everything.
     */
    const supervise = (options: ManagedChild["options"]): ManagedChild => {
      const restarts: number[] = [];
      const launch = (previous?: ManagedChild): ManagedChild => {
        const child = new ManagedChild(options);
        if (previous) {
          const order = [...children].map((c) => (c === previous ? child : c));
          children.clear();
          order.forEach((c) => children.add(c));
        } else {
          children.add(child);
        }
        void child.exited.then(({ code, signal }) => {
          if (child.stopping || shuttingDown) return;
          const how = signal ?? `exit ${code}`;
          if (!running) {
            void shutdown(`${options.name} stopped unexpectedly during start-up (${how}); stopping everything`).then(() =>
              process.exit(1),
            );
            return;
          }
          const now = Date.now();
          restarts.push(now);
          while (restarts.length > 0 && restarts[0]! < now - 5 * 60_000) restarts.shift();
          if (restarts.length > 5) {
            void shutdown(`${options.name} keeps crashing (${how}); stopping everything`).then(() => process.exit(1));
            return;
          }
          const delayMs = 1000 * 2 ** (restarts.length - 1);
          say(`${options.name} stopped unexpectedly (${how}); restarting in ${delayMs / 1000} s`);
          setTimeout(() => {
            if (!shuttingDown) launch(child);
          }, delayMs);
        });
        return child;
      };
      return launch();
    };
    const spawnCli = (name: string, args: string[]) =>
      supervise({ name, command: process.execPath, args: [BIN, ...args], env, cwd: ROOT });

    try {
      if (config.SIGHTLINE_DYNAMODB === "embedded") {
        const db = spawnCli("db", ["db", "--path", join(endpoints.dataDir, "dynamodb"), "--port", String(config.DYNAMODB_PORT)]);
        await db.waitFor("ready");
      }
      env.NEXTAUTH_SECRET = await loadOrCreateSecret(endpoints.dataDir, "nextauth-secret", config.NEXTAUTH_SECRET);
      const { client, doc } = createDynamoClients({ region: config.AWS_REGION, endpoint: endpoints.dynamoEndpoint });
      if ((await ensureTable(client, config.TABLE_NAME)) === "created") say(`created table ${config.TABLE_NAME}`);
      const admin = await bootstrapAdmin(
        { users: new DynamoUserStore(doc, config.TABLE_NAME), hasher: new ScryptPasswordHasher(), generatePassword },
        { configuredPassword: config.SIGHTLINE_ADMIN_PASSWORD, nowMs: Date.now() },
      );
      const seeded = await seedDefaultSlos(doc, config);
      if (seeded !== null) say(seeded);

      if (config.SIGHTLINE_AWS === "simulated") {
        const sim = spawnCli("sim", [
          "sim",
          "--port",
          String(config.SIM_PORT),
          "--scenario",
          config.SIM_SCENARIO,
          "--state-dir",
          join(endpoints.dataDir, "sim"),
          ...(config.SIM_SEED !== undefined ? ["--seed", String(config.SIM_SEED)] : []),
        ]);
        await sim.waitFor("ready");
        if (env.SIGHTLINE_ACCOUNTS) say(`collecting accounts ${env.SIGHTLINE_ACCOUNTS.split(",").map((a) => a.split("=")[0]).join(", ")}`);
      } else {
        say(`collecting from real AWS (${config.AWS_REGION}) with the SDK's credential chain`);
      }

      const collect = spawnCli("collect", ["collect"]);
      const firstRun = collect.waitFor<{ type: string; ok: boolean; error: string | null }>("first-run");
      await ensureConsoleBuild(env, endpoints.dataDir, children);
      const console_ = spawnCli("console", ["console", "--port", String(config.PORT)]);
      await waitForHttp(`${endpoints.consoleUrl}/api/v1/health`, 60_000, console_);
      say("waiting for the first collection to finish…");
      const first = await firstRun;
      running = true;
      const seconds = Math.round((Date.now() - startedAt) / 1000);
      console.log(
        [
          "",
          `Sightline is ready at ${endpoints.consoleUrl} (started in ${seconds} s)`,
          ...describeAdmin(admin).map((l) => `  ${l}`),
          first.ok ? "  Functions and metrics collected; logs, traces and costs follow in the background (the Collectors page shows them)." : `  The first collection failed (${first.error}); showing stored data, retrying.`,
          `  Data in ${endpoints.dataDir}. Ctrl-C stops everything.`,
          "",
        ].join("\n"),
      );
      await new Promise(() => undefined); // run until a signal or a child failure ends the process
      return 0;
    } catch (error) {
      await shutdown(error instanceof UserFacingError ? error.message : `start-up failed: ${describeError(error)}`);
      return 1;
    }
  },
};
