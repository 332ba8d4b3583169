import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

/** What the production build of the console depends on; a change to any of these rebuilds it. */
const BUILD_INPUTS = ["app", "lib", "public", "proxy.ts", "next.config.ts", "tsconfig.json", "package-lock.json"];
const STAMP_FILE = join(".next", "sightline-build-stamp.json");

function listFiles(root: string, path: string): string[] {
  const full = join(root, path);
  try {
    return readdirSync(full, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(root, join(path, e.name)) : [join(path, e.name)]));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOTDIR") return [path];
    if (code === "ENOENT") return [];
    throw error;
  }
}

/**
 * A content hash of every build input (paths and bytes): mtimes change on every clone, contents don't.
 * Synchronous because the CDK app (infra/console/build-console.ts) runs before synth, where nothing is awaited.
 */
export function hashBuildInputsSync(root: string): string {
  const files = BUILD_INPUTS.flatMap((p) => listFiles(root, p)).sort();
  const hash = createHash("sha256");
  for (const file of files) {
    hash.update(relative(root, join(root, file)));
    hash.update("\0");
    hash.update(readFileSync(join(root, file)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

/** Whether .next holds a complete build of exactly these inputs. */
export function isBuildFreshSync(root: string, inputHash: string): boolean {
  try {
    const stamp = JSON.parse(readFileSync(join(root, STAMP_FILE), "utf8")) as { inputHash?: string };
    readFileSync(join(root, ".next", "BUILD_ID"));
    return stamp.inputHash === inputHash;
  } catch {
    return false;
  }
}

/** Records that the build in .next was made from these inputs (written only after success). */
export function stampBuildSync(root: string, inputHash: string): void {
  writeFileSync(join(root, STAMP_FILE), JSON.stringify({ inputHash, builtAt: new Date().toISOString() }));
}

/** {@link hashBuildInputsSync} for the local supervisor. */
export async function hashBuildInputs(root: string): Promise<string> {
  return hashBuildInputsSync(root);
}

/** {@link isBuildFreshSync} for the local supervisor. */
export async function isBuildFresh(root: string, inputHash: string): Promise<boolean> {
  return isBuildFreshSync(root, inputHash);
}

/** {@link stampBuildSync} for the local supervisor. */
export async function stampBuild(root: string, inputHash: string): Promise<void> {
  stampBuildSync(root, inputHash);
}
