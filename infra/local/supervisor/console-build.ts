import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";

/** What the production build of the console depends on; a change to any of these rebuilds it. */
const BUILD_INPUTS = ["app", "lib", "public", "proxy.ts", "next.config.ts", "tsconfig.json", "package-lock.json"];
const STAMP_FILE = join(".next", "sightline-build-stamp.json");

async function listFiles(root: string, path: string): Promise<string[]> {
  const full = join(root, path);
  try {
    const entries = await readdir(full, { withFileTypes: true });
    const nested = await Promise.all(
      entries.map((e) => (e.isDirectory() ? listFiles(root, join(path, e.name)) : Promise.resolve([join(path, e.name)]))),
    );
    return nested.flat();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOTDIR") return [path];
    if (code === "ENOENT") return [];
    throw error;
  }
}

/** A content hash of every build input (paths and bytes): mtimes change on every clone, contents don't. */
export async function hashBuildInputs(root: string): Promise<string> {
  const files = (await Promise.all(BUILD_INPUTS.map((p) => listFiles(root, p)))).flat().sort();
  const hash = createHash("sha256");
  for (const file of files) {
    hash.update(relative(root, join(root, file)));
    hash.update("\0");
    hash.update(await readFile(join(root, file)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

/** Whether .next holds a complete build of exactly these inputs. */
export async function isBuildFresh(root: string, inputHash: string): Promise<boolean> {
  try {
    const stamp = JSON.parse(await readFile(join(root, STAMP_FILE), "utf8")) as { inputHash?: string };
    await readFile(join(root, ".next", "BUILD_ID"));
    return stamp.inputHash === inputHash;
  } catch {
    return false;
  }
}

/** Records that the build in .next was made from these inputs (written only after success). */
export async function stampBuild(root: string, inputHash: string): Promise<void> {
  await writeFile(join(root, STAMP_FILE), JSON.stringify({ inputHash, builtAt: new Date().toISOString() }));
}
