import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareConsoleBuild } from "@/infra/console/build-console";
import type { ConsoleBuild } from "@/infra/stacks/contracts";
import { startTestDynamo } from "@/tests/support/embedded-dynamo";
import { freePort } from "@/tests/support/free-port";

/**
 * The console's Lambda package really serves: the package prepareConsoleBuild assembles for
 * `cdk deploy` is started the way Lambda Web Adapter starts it (run.sh → start.mjs → Next's
 * standalone server.js) against dynalite. LWA itself only forwards HTTP, so what it would see is
 * what this test sees. The first run needs `next build` (1-3 minutes); later runs reuse the
 * build while its sources are unchanged.
 */
const BUILD_TIMEOUT_MS = 600_000;


function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((p) => statSync(join(dir, p)).isFile()).sort();
}

describe("the console's Lambda package", () => {
  let build: ConsoleBuild;
  let db: Awaited<ReturnType<typeof startTestDynamo>>;
  let server: ChildProcess | undefined;
  let baseUrl: string;
  const output: string[] = [];
  let filesBefore: string[];

  beforeAll(async () => {
    build = prepareConsoleBuild({ log: () => undefined });
    db = await startTestDynamo("sightline-lambda-package");
    filesBefore = listFiles(build.serverDir);
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    // What the stack gives the function (minus LWA's own variables), with dynalite for DynamoDB.
    const child = spawn(join(build.serverDir, "run.sh"), [], {
      cwd: "/",
      env: {
        NODE_ENV: "production",
        PATH: process.env.PATH,
        PORT: String(port),
        HOSTNAME: "127.0.0.1",
        NEXT_TELEMETRY_DISABLED: "1",
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
        AWS_ENDPOINT_URL_DYNAMODB: db.url,
        TABLE_NAME: db.tableName,
        SIGHTLINE_ACCOUNT_ID: "111122223333",
        TUNING_APPLY_HOME_VIA_ROLE: "true",
        NEXTAUTH_SECRET: randomBytes(32).toString("hex"),
        NEXTAUTH_URL: baseUrl,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    server = child;
    child.stdout!.on("data", (b: Buffer) => output.push(b.toString()));
    child.stderr!.on("data", (b: Buffer) => output.push(b.toString()));
    // LWA's readiness check: poll the health path until the server answers.
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the package's server exited (${child.exitCode}):\n${output.join("")}`);
      try {
        await fetch(`${baseUrl}/api/v1/health`, { signal: AbortSignal.timeout(2_000) });
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`the package's server did not answer within 60 s:\n${output.join("")}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once("exit", r));
      server.kill("SIGTERM");
      await exited;
    }
    await db?.close();
  });

  it("holds what Lambda and CloudFront need: run.sh, start.mjs, server.js, static files, and no binaries for the build machine", () => {
    for (const file of ["run.sh", "start.mjs", "server.js", join(".next", "BUILD_ID")]) expect(existsSync(join(build.serverDir, file)), file).toBe(true);
    expect(statSync(join(build.serverDir, "run.sh")).mode & 0o111).not.toBe(0);
    expect(build.staticDir.startsWith(build.serverDir)).toBe(true);
    expect(listFiles(build.staticDir).some((f) => f.endsWith(".js"))).toBe(true);
    expect(existsSync(build.publicDir)).toBe(true);
    expect(existsSync(join(build.serverDir, "node_modules", "sharp"))).toBe(false);
    expect(existsSync(join(build.serverDir, "node_modules", "@img"))).toBe(false);
  });

  it("starts through run.sh and answers the health check from the table", async () => {
    const response = await fetch(`${baseUrl}/api/v1/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "degraded", dataLastCollectedAt: null });
    expect(output.join("")).toContain("[sightline] console: from Secrets Manager: nothing");
  });

  it("refuses a protected API route without credentials (401 JSON)", async () => {
    const response = await fetch(`${baseUrl}/api/v1/functions`);
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
  });

  it("sends an anonymous page visitor to sign in, and the sign-in page's scripts are in staticDir (served from S3)", async () => {
    const home = await fetch(`${baseUrl}/`, { redirect: "manual" });
    expect(home.status).toBe(307);
    expect(home.headers.get("location")).toMatch(/^\/signin\?callbackUrl=/);
    const page = await fetch(`${baseUrl}/signin`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const assets = [...html.matchAll(/\/_next\/static\/([^"'?\s)]+\.(?:js|css))/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of new Set(assets)) expect(existsSync(join(build.staticDir, asset)), asset).toBe(true);
  });

  it("writes nothing into its own package (Lambda's /var/task is read-only)", () => {
    const added = listFiles(build.serverDir).filter((f) => !filesBefore.includes(f));
    expect(added.map((f) => relative(build.serverDir, join(build.serverDir, f)))).toEqual([]);
  });
});
