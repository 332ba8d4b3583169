import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";
import { hashBuildInputsSync, isBuildFreshSync, stampBuildSync } from "@/infra/local/supervisor/console-build";
import type { ConsoleBuild } from "@/infra/stacks/contracts";
import { UserFacingError } from "@/lib/domain/shared/user-facing-error";

/** The console build or its Lambda package could not be made; the message names what to look at. */
export class ConsoleBuildError extends UserFacingError {
  override readonly name = "ConsoleBuildError";
}

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CONSOLE_DIR = fileURLToPath(new URL(".", import.meta.url));

/**
 * Where the package is assembled: inside `.next` (gitignored), so a new `next build` clears it
 * along with the build it came from and nothing stale survives.
 */
const PACKAGE_ROOT = join(".next", "sightline-lambda");
const PACKAGE_STAMP = "package-stamp.json";

/**
 * Left out of the package: sharp and its prebuilt binaries (`@img/*`) are traced by Next for
 * image optimisation, which the console does not use, and they are built for the build machine's
 * CPU, not the Lambda's arm64 — 19 MB that could never load.
 */
const EXCLUDED_PACKAGES = [join("node_modules", "sharp"), join("node_modules", "@img")];

export interface PrepareConsoleBuildOptions {
  /** The repository (default: this checkout). */
  root?: string;
  /** Where progress lines go (default: stderr, so `cdk synth`'s stdout stays the template). */
  log?: (line: string) => void;
}

/** Hash of what shapes the package beyond the Next build: the start script, run.sh and this packager. */
function hashPackager(): string {
  const hash = createHash("sha256");
  for (const name of readdirSync(CONSOLE_DIR).sort()) {
    hash.update(name);
    hash.update("\0");
    hash.update(readFileSync(join(CONSOLE_DIR, name)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

function runNextBuild(root: string, log: (line: string) => void): void {
  const nextBin = createRequire(join(root, "package.json")).resolve("next/dist/bin/next");
  log("building the console with `next build` (sources changed since the last build; 1-3 minutes)");
  const started = Date.now();
  // Next's output goes to stderr: under `cdk synth` stdout may carry the template.
  const result = spawnSync(process.execPath, [nextBin, "build"], {
    cwd: root,
    stdio: ["ignore", 2, 2],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.error) throw new ConsoleBuildError(`cannot run next build: ${result.error.message}`, { cause: result.error });
  if (result.status !== 0) throw new ConsoleBuildError(`next build failed (${result.signal ?? `exit ${result.status}`}); its output is above`);
  log(`console built in ${Math.round((Date.now() - started) / 1000)} s`);
}

function assemblePackage(root: string, serverDir: string): void {
  const standalone = join(root, ".next", "standalone");
  rmSync(serverDir, { recursive: true, force: true });
  // Dereference symlinks (Turbopack links its external packages from .next/node_modules): the
  // zip CDK uploads follows them too, so the package tested here is the one Lambda runs.
  cpSync(standalone, serverDir, {
    recursive: true,
    dereference: true,
    filter: (source) => !EXCLUDED_PACKAGES.some((p) => `${relative(standalone, source)}${sep}`.startsWith(`${p}${sep}`)),
  });
  cpSync(join(root, ".next", "static"), join(serverDir, ".next", "static"), { recursive: true });
  const publicDir = join(serverDir, "public");
  if (existsSync(join(root, "public"))) cpSync(join(root, "public"), publicDir, { recursive: true });
  else mkdirSync(publicDir);
  copyFileSync(join(CONSOLE_DIR, "run.sh"), join(serverDir, "run.sh"));
  chmodSync(join(serverDir, "run.sh"), 0o755);
  buildSync({
    entryPoints: [join(CONSOLE_DIR, "start.ts")],
    outfile: join(serverDir, "start.mjs"),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    tsconfig: join(root, "tsconfig.json"),
    // The AWS SDK's CommonJS parts call require(); an ES module has none of its own.
    banner: { js: 'import { createRequire as __sightlineCreateRequire } from "node:module"; const require = __sightlineCreateRequire(import.meta.url);' },
    logLevel: "warning",
  });
}

/**
 * The console for Lambda: runs `next build` (standalone output) when the build inputs changed
 * since the last build — the same content stamp the local stack uses, so one build serves both —
 * and assembles the Lambda package: Next's standalone server, `.next/static`, `public/`, run.sh
 * and the bundled start script (infra/console/start.ts → start.mjs). The package is reassembled
 * only when the build or the packager changed, so `cdk synth` without changes costs a hash.
 * Synchronous: infra/bin/sightline.ts calls it before the app is constructed.
 */
export function prepareConsoleBuild(options: PrepareConsoleBuildOptions = {}): ConsoleBuild {
  const root = options.root ?? REPO_ROOT;
  const log = options.log ?? ((line: string) => console.error(`sightline infra: ${line}`));
  const inputHash = hashBuildInputsSync(root);
  if (!isBuildFreshSync(root, inputHash) || !existsSync(join(root, ".next", "standalone", "server.js"))) {
    runNextBuild(root, log);
    if (!existsSync(join(root, ".next", "standalone", "server.js"))) {
      throw new ConsoleBuildError('next build wrote no .next/standalone/server.js; next.config.ts must keep output: "standalone"');
    }
    stampBuildSync(root, inputHash);
  }

  const packageRoot = join(root, PACKAGE_ROOT);
  const serverDir = join(packageRoot, "package");
  const build: ConsoleBuild = { serverDir, staticDir: join(serverDir, ".next", "static"), publicDir: join(serverDir, "public") };
  const stamp = JSON.stringify({ inputHash, packagerHash: hashPackager() });
  const stampPath = join(packageRoot, PACKAGE_STAMP);
  if (existsSync(stampPath) && readFileSync(stampPath, "utf8") === stamp && existsSync(join(serverDir, "start.mjs"))) return build;

  log("assembling the console's Lambda package");
  rmSync(stampPath, { force: true });
  assemblePackage(root, serverDir);
  writeFileSync(stampPath, stamp);
  return build;
}
