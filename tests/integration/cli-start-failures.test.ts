import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "@/tests/support/free-port";

/** `sightline start` and `sightline sim` refusing bad input: a clear message, a non-zero exit, nothing half-written. */
const BIN = fileURLToPath(new URL("../../bin/sightline.mjs", import.meta.url));
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});


async function start(env: Record<string, string>, cwd?: string) {
  const dataDir = await mkdtemp(join(tmpdir(), "sightline-cli-"));
  dirs.push(dataDir);
  const [port, simPort, dynamoPort] = [await freePort(), await freePort(), await freePort()];
  const childEnv: NodeJS.ProcessEnv = {
    NODE_ENV: "test",
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATA_DIR: dataDir,
    PORT: String(port),
    SIM_PORT: String(simPort),
    DYNAMODB_PORT: String(dynamoPort),
    ...env,
  };
  const result = spawnSync(process.execPath, [BIN, "start"], { env: childEnv, encoding: "utf8", timeout: 60_000, ...(cwd ? { cwd } : {}) });
  return { ...result, dataDir, output: `${result.stdout}${result.stderr}` };
}

describe("sightline start with bad input", () => {
  it("stops with exit 2 and names the variable when configuration is invalid", async () => {
    const run = await start({ PORT: "abc" });
    expect(run.status).toBe(2);
    expect(run.output).toContain('PORT: must be a port number 1-65535 (got "abc")');
    expect(run.output).not.toMatch(/\n\s+at /); // no stack trace
    expect(await readdir(run.dataDir)).toEqual([]);
  });

  it("stops with exit 1 when a port is taken, before starting anything", async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const { port } = blocker.address() as { port: number };
    try {
      const run = await start({ SIM_PORT: String(port) });
      expect(run.status).toBe(1);
      expect(run.output).toContain(`SIM_PORT=${port} is already in use on 127.0.0.1`);
      expect(await readdir(run.dataDir)).toEqual([]);
    } finally {
      blocker.close();
    }
  });

  it("reports a corrupt DATA_DIR, exits 1 and writes nothing new into it", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "sightline-corrupt-"));
    dirs.push(dataDir);
    await mkdir(join(dataDir, "dynamodb"));
    await writeFile(join(dataDir, "dynamodb", "CURRENT"), "MANIFEST-000009\n");
    await writeFile(join(dataDir, "dynamodb", "MANIFEST-000009"), "garbage");
    const run = await start({ DATA_DIR: dataDir });
    expect(run.status).toBe(1);
    expect(run.output).toMatch(/dynamodb cannot be opened, it looks corrupt/);
    expect(run.output).not.toMatch(/\n\s+at /);
    expect((await readdir(dataDir)).sort()).toEqual(["dynamodb"]); // no secrets, no lock left
  });

  it("reads .env from the working directory, with the environment taking precedence", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "sightline-dotenv-"));
    dirs.push(cwd);
    await writeFile(join(cwd, ".env"), "# a comment\nBACKFILL_HOURS=forever\nSIM_SCENARIO=ecommerce\n");
    const fromFile = await start({}, cwd);
    expect(fromFile.status).toBe(2);
    expect(fromFile.output).toContain('BACKFILL_HOURS: must be a whole number 1-10920 (got "forever")');
    // The environment wins over the file: the same start then fails on something else.
    const overridden = await start({ BACKFILL_HOURS: "24", PORT: "abc" }, cwd);
    expect(overridden.status).toBe(2);
    expect(overridden.output).not.toContain("BACKFILL_HOURS");
    expect(overridden.output).toContain("PORT: must be a port number");
  });
});

describe("sightline sim with bad input", () => {
  function sim(args: string[]) {
    const result = spawnSync(process.execPath, [BIN, "sim", "--port", "0", ...args], {
      env: { NODE_ENV: "test", PATH: process.env.PATH, HOME: process.env.HOME },
      encoding: "utf8",
      timeout: 30_000,
    });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  }

  it("names a missing scenario and lists the available ones (exit 2)", () => {
    const result = sim(["--scenario", "no-such-scenario"]);
    expect(result.status).toBe(2);
    expect(result.output).toMatch(/sightline: scenario not found: .*no-such-scenario\.yaml \(available: ecommerce, ecommerce-staging, fleet\)/);
  });

  it("refuses a fleet larger than 5,000 functions (exit 2)", () => {
    const result = sim(["--scenario", "fleet:9000"]);
    expect(result.status).toBe(2);
    expect(result.output).toContain("the fleet scenario takes 1 to 5000 functions, not 9000");
  });

  it("says where it cannot keep its state instead of crashing (exit 2)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sightline-sim-"));
    dirs.push(dir);
    const file = join(dir, "a-file");
    await writeFile(file, "not a directory");
    const result = sim(["--state-dir", join(file, "state")]);
    expect(result.status).toBe(2);
    expect(result.output).toMatch(/cannot keep the simulator's state in .*a-file\/state\/ecommerce-20261101\.json \(ENOTDIR\)/);
    expect(result.output).not.toMatch(/\n\s+at /);
  });
});
