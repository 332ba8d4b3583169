import { describe, expect, it } from "vitest";
import { READ_CACHE_MAX_ENTRIES, READ_CACHE_TTL_MS, forgetReads, readThrough } from "@/lib/queries/read-cache";

/** A load that counts its calls and resolves to the call number. */
function counter() {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    load: async () => ++calls,
  };
}

describe("readThrough", () => {
  it("reuses a read for the same owner and key within the TTL, from when the read started", async () => {
    const owner = {};
    const c = counter();
    expect(await readThrough(owner, "k", c.load, 1_000)).toBe(1);
    expect(await readThrough(owner, "k", c.load, 1_000 + READ_CACHE_TTL_MS - 1)).toBe(1);
    expect(await readThrough(owner, "k", c.load, 1_000 + READ_CACHE_TTL_MS)).toBe(2);
    expect(c.calls).toBe(2);
  });

  it("keeps keys and owners apart: another window or another store reads again", async () => {
    const c = counter();
    const store = {};
    await readThrough(store, "window-1", c.load, 0);
    await readThrough(store, "window-2", c.load, 0);
    await readThrough({}, "window-1", c.load, 0);
    expect(c.calls).toBe(3);
  });

  it("shares one read among concurrent callers (single flight)", async () => {
    const owner = {};
    let release!: (v: string) => void;
    let calls = 0;
    const load = () => {
      calls++;
      return new Promise<string>((resolve) => (release = resolve));
    };
    const a = readThrough(owner, "k", load, 0);
    const b = readThrough(owner, "k", load, 10);
    release("answer");
    expect(await Promise.all([a, b])).toEqual(["answer", "answer"]);
    expect(calls).toBe(1);
  });

  it("does not keep a failed read: the next caller tries again", async () => {
    const owner = {};
    await expect(readThrough(owner, "k", () => Promise.reject(new Error("throttled")), 0)).rejects.toThrow("throttled");
    expect(await readThrough(owner, "k", async () => "ok", 1)).toBe("ok");
  });

  it("does not serve a read that started after the caller's clock (a clock that went back)", async () => {
    const owner = {};
    const c = counter();
    await readThrough(owner, "k", c.load, 10_000);
    expect(await readThrough(owner, "k", c.load, 9_000)).toBe(2);
  });

  it("keeps at most READ_CACHE_MAX_ENTRIES per owner, dropping the oldest first", async () => {
    const owner = {};
    const c = counter();
    for (let i = 0; i <= READ_CACHE_MAX_ENTRIES; i++) await readThrough(owner, `k${i}`, c.load, 0);
    expect(c.calls).toBe(READ_CACHE_MAX_ENTRIES + 1);
    await readThrough(owner, `k${READ_CACHE_MAX_ENTRIES}`, c.load, 0);
    expect(c.calls).toBe(READ_CACHE_MAX_ENTRIES + 1);
    await readThrough(owner, "k0", c.load, 0);
    expect(c.calls).toBe(READ_CACHE_MAX_ENTRIES + 2);
  });

  it("forgets every read of an owner on request", async () => {
    const owner = {};
    const c = counter();
    await readThrough(owner, "k", c.load, 0);
    forgetReads(owner);
    await readThrough(owner, "k", c.load, 0);
    expect(c.calls).toBe(2);
  });
});
