import { mkdtemp, readFile, readdir, rm, stat, writeFile, mkdir } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  acquireDataDirLock,
  ensurePortsFree,
  ensureWritableDataDir,
  loadOrCreateSecret,
  PreflightError,
} from "@/infra/local/supervisor/preflight";
import { startEmbeddedDynamo, EmbeddedStoreError } from "@/infra/local/embedded-dynamodb";
import { hashBuildInputs } from "@/infra/local/supervisor/console-build";

const dirs: string[] = [];
async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), "sightline-preflight-"));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe("DATA_DIR checks", () => {
  it("creates a missing DATA_DIR", async () => {
    const dir = join(await tempDir(), "nested", "data");
    await ensureWritableDataDir(dir);
    expect((await stat(dir)).isDirectory()).toBe(true);
  });

  it("rejects a DATA_DIR that is a file, and one below a file, naming the path", async () => {
    const root = await tempDir();
    const file = join(root, "plain-file");
    await writeFile(file, "x");
    await expect(ensureWritableDataDir(file)).rejects.toThrow(new PreflightError(`DATA_DIR ${file} exists but is not a directory`));
    await expect(ensureWritableDataDir(join(file, "data"))).rejects.toThrow(/DATA_DIR .*plain-file\/data is not writable \(ENOTDIR\)/);
  });

  it("refuses a second stack on the same DATA_DIR and takes over a stale lock", async () => {
    const dir = await tempDir();
    const release = await acquireDataDirLock(dir);
    // Our own pid counts as "another process" only when it is not us: simulate another live one.
    await writeFile(join(dir, "sightline.pid"), String(process.ppid));
    await expect(acquireDataDirLock(dir)).rejects.toThrow(new RegExp(`in use by another Sightline \\(pid ${process.ppid}\\)`));
    await writeFile(join(dir, "sightline.pid"), "999999999"); // no such process
    const again = await acquireDataDirLock(dir);
    expect(await readFile(join(dir, "sightline.pid"), "utf8")).toBe(String(process.pid));
    await again();
    await release();
    expect(await readdir(dir)).toEqual([]);
  });

  it("generates the session secret once, private to the owner, and reuses it", async () => {
    const dir = await tempDir();
    const first = await loadOrCreateSecret(dir, "nextauth-secret", undefined);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect((await stat(join(dir, "secrets", "nextauth-secret"))).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateSecret(dir, "nextauth-secret", undefined)).toBe(first);
    expect(await loadOrCreateSecret(dir, "nextauth-secret", "c".repeat(40))).toBe("c".repeat(40));
  });
});

describe("ports", () => {
  it("names the variable of a port that is taken", async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(ensurePortsFree("127.0.0.1", [{ name: "SIM_PORT", port }])).rejects.toThrow(
        `SIM_PORT=${port} is already in use on 127.0.0.1 (another Sightline running?); set SIM_PORT to a free port`,
      );
    } finally {
      blocker.close();
    }
  });
});

describe("embedded DynamoDB store", () => {
  it("reports a corrupt store clearly and leaves its files as they were", async () => {
    const dir = await tempDir();
    const store = join(dir, "dynamodb");
    await mkdir(store);
    await writeFile(join(store, "CURRENT"), "MANIFEST-000009\n");
    await writeFile(join(store, "MANIFEST-000009"), Buffer.from("definitely not a leveldb manifest"));
    const before = await readdir(store);
    await expect(startEmbeddedDynamo({ path: store, host: "127.0.0.1", port: 0 })).rejects.toThrow(EmbeddedStoreError);
    await expect(startEmbeddedDynamo({ path: store, host: "127.0.0.1", port: 0 })).rejects.toThrow(/looks corrupt.*Move it aside/);
    // LevelDB may add its own LOCK and info LOG files when it tries to open; data files stay as they were.
    expect((await readdir(store)).filter((f) => f !== "LOCK" && !f.startsWith("LOG"))).toEqual(before);
    expect(await readFile(join(store, "MANIFEST-000009"), "utf8")).toBe("definitely not a leveldb manifest");
  });
});

describe("console build staleness", () => {
  it("changes the input hash when a source file changes, not when nothing does", async () => {
    const root = await tempDir();
    await mkdir(join(root, "app"));
    await writeFile(join(root, "app", "page.tsx"), "export default 1;");
    await writeFile(join(root, "package-lock.json"), "{}");
    const a = await hashBuildInputs(root);
    expect(await hashBuildInputs(root)).toBe(a);
    await writeFile(join(root, "app", "page.tsx"), "export default 2;");
    expect(await hashBuildInputs(root)).not.toBe(a);
  });
});
