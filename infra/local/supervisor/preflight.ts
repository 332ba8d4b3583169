import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, mkdir, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { UserFacingError } from "@/lib/domain/shared/user-facing-error";

/** Start-up cannot go on; the message says what is wrong and what to do. */
export class PreflightError extends UserFacingError {
  override readonly name = "PreflightError";
}

/** Creates DATA_DIR if needed and proves it is a writable directory. */
export async function ensureWritableDataDir(dataDir: string): Promise<void> {
  try {
    const info = await stat(dataDir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return null;
      throw error;
    });
    if (info && !info.isDirectory()) throw new PreflightError(`DATA_DIR ${dataDir} exists but is not a directory`);
    await mkdir(dataDir, { recursive: true });
    await access(dataDir, constants.W_OK);
    const probe = join(dataDir, `.write-test-${process.pid}`);
    await writeFile(probe, "ok");
    await rm(probe);
  } catch (error) {
    if (error instanceof PreflightError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new PreflightError(`DATA_DIR ${dataDir} is not writable (${code}); set DATA_DIR to a directory you can write to`);
  }
}

/** Fails with a clear message for the first port that is already taken on host. */
export async function ensurePortsFree(host: string, ports: { name: string; port: number }[]): Promise<void> {
  for (const { name, port } of ports) {
    await new Promise<void>((resolve, reject) => {
      const server = createServer();
      server.once("error", (error: NodeJS.ErrnoException) =>
        reject(
          new PreflightError(
            error.code === "EADDRINUSE"
              ? `${name}=${port} is already in use on ${host} (another Sightline running?); set ${name} to a free port`
              : `${name}=${port} cannot be bound on ${host}: ${error.code ?? error.message}`,
          ),
        ),
      );
      server.listen(port, host, () => server.close(() => resolve()));
    });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes DATA_DIR/sightline.pid so two stacks never share one data directory. A lock left by a
 * process that no longer runs (a crash, SIGKILL) is taken over.
 */
export async function acquireDataDirLock(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = join(dataDir, "sightline.pid");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => {
        await rm(lockPath, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number((await readFile(lockPath, "utf8").catch(() => "")).trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isRunning(pid)) {
        throw new PreflightError(`DATA_DIR ${dataDir} is in use by another Sightline (pid ${pid}); stop it or set DATA_DIR elsewhere`);
      }
      await rm(lockPath, { force: true });
    }
  }
  throw new PreflightError(`could not lock DATA_DIR ${dataDir}`);
}

/**
 * Returns the configured secret, or the one generated on first start and kept in
 * DATA_DIR/secrets/<name> (mode 0600, written atomically), so sessions survive restarts.
 */
export async function loadOrCreateSecret(dataDir: string, name: string, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  const dir = join(dataDir, "secrets");
  const path = join(dir, name);
  const existing = await readFile(path, "utf8").catch(() => null);
  if (existing !== null) {
    const value = existing.trim();
    if (value.length >= 32) return value;
    throw new PreflightError(`${path} is damaged (too short); delete it to generate a new secret (everyone signs in again)`);
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const value = randomBytes(32).toString("base64url");
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, value, { mode: 0o600 });
  await rename(tmp, path);
  return value;
}
