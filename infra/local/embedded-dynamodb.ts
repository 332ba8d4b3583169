import { mkdir } from "node:fs/promises";
import type { Server } from "node:http";
import dynalite from "dynalite";
import { Level } from "level";
import { UserFacingError } from "@/lib/domain/shared/user-facing-error";

/** The embedded store could not be opened: corrupt, locked by another process, or unreadable. */
export class EmbeddedStoreError extends UserFacingError {
  override readonly name = "EmbeddedStoreError";
}

/**
 * Opens the LevelDB store once before handing it to dynalite: dynalite crashes the process
 * with an uncaught error on a corrupt store, so corruption and locks are detected here and
 * reported with the path and what to do.
 */
async function checkStore(path: string): Promise<void> {
  const db = new Level(path);
  try {
    await db.open();
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
    if (/lock/i.test(cause)) {
      throw new EmbeddedStoreError(`${path} is in use by another process (is another Sightline running with this DATA_DIR?): ${cause}`);
    }
    throw new EmbeddedStoreError(
      `${path} cannot be opened, it looks corrupt: ${cause}. Move it aside (the collectors rebuild the data by backfilling) or point DATA_DIR elsewhere.`,
    );
  } finally {
    await db.close().catch(() => undefined);
  }
}

/** Starts dynalite persisting under `path`, listening on host:port. */
export async function startEmbeddedDynamo(options: { path: string; host: string; port: number }): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  await mkdir(options.path, { recursive: true });
  await checkStore(options.path);
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    url: `http://${options.host}:${port}`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
