import { describe, expect, it } from "vitest";
import { describeSignInError } from "@/app/signin/callback-path";
import {
  clientAddressFrom,
  decideSignIn,
  recordFailure,
  SIGN_IN_THROTTLE_POLICY,
  signInThrottleKeys,
  type FailureWindow,
  type SignInThrottlePolicy,
} from "@/lib/domain/access/sign-in-throttle";
import type { SignInThrottleStore } from "@/lib/ports/stores";
import { signInWithPassword } from "@/lib/use-cases/authenticate";
import { InMemoryUserStore } from "@/tests/fakes/in-memory-stores";

const POLICY: SignInThrottlePolicy = { maxFailures: 5, windowMs: 15 * 60_000 };
const T0 = Date.UTC(2026, 10, 26, 9, 0);
const MIN = 60_000;

describe("the sign-in throttle policy", () => {
  it("is 5 failures per 15 minutes", () => {
    expect(SIGN_IN_THROTTLE_POLICY).toEqual({ maxFailures: 5, windowMs: 900_000 });
  });

  it("opens a window at the first failure and counts into it until it closes", () => {
    const first = recordFailure(null, T0, POLICY);
    expect(first).toEqual({ windowStartMs: T0, failures: 1 });
    const second = recordFailure(first, T0 + 14 * MIN, POLICY);
    expect(second).toEqual({ windowStartMs: T0, failures: 2 });
    // At windowStartMs + windowMs the window has closed: a new one starts.
    expect(recordFailure(second, T0 + 15 * MIN, POLICY)).toEqual({ windowStartMs: T0 + 15 * MIN, failures: 1 });
  });

  it.each([
    { failures: 4, atMs: T0 + MIN, expected: { kind: "allowed" } },
    { failures: 5, atMs: T0 + MIN, expected: { kind: "throttled", retryAfterMs: 14 * MIN } },
    { failures: 9, atMs: T0 + 15 * MIN - 1, expected: { kind: "throttled", retryAfterMs: 1 } },
    { failures: 9, atMs: T0 + 15 * MIN, expected: { kind: "allowed" } },
  ])("with $failures failures since T0, at T0+$atMs ms → $expected.kind", ({ failures, atMs, expected }) => {
    expect(decideSignIn([{ windowStartMs: T0, failures }, null], atMs, POLICY)).toEqual(expected);
  });

  it("waits for the last of the used-up windows", () => {
    const windows: FailureWindow[] = [
      { windowStartMs: T0, failures: 5 },
      { windowStartMs: T0 + 5 * MIN, failures: 7 },
    ];
    expect(decideSignIn(windows, T0 + 6 * MIN, POLICY)).toEqual({ kind: "throttled", retryAfterMs: 14 * MIN });
  });

  it("keys by case-folded username and by address", () => {
    expect(signInThrottleKeys(" Admin ", "203.0.113.7")).toEqual(["user:admin", "addr:203.0.113.7"]);
    expect(signInThrottleKeys("sam", null)).toEqual(["user:sam"]);
  });

  it("takes the CloudFront-set viewer address first, else the first x-forwarded-for entry", () => {
    const from = (headers: Record<string, string>) => clientAddressFrom((name) => headers[name]);
    expect(from({ "x-sightline-viewer-address": "198.51.100.4", "x-forwarded-for": "10.0.0.1" })).toBe("198.51.100.4");
    expect(from({ "x-forwarded-for": "203.0.113.9, 10.0.0.1" })).toBe("203.0.113.9");
    expect(from({})).toBeNull();
  });

  it("says on the sign-in page that sign-in is paused and for how long", () => {
    expect(describeSignInError("SignInThrottled")).toMatch(/Too many failed sign-ins.*15 minutes/);
  });
});

/** The store contract, in memory, using the domain's own window arithmetic. */
class InMemoryThrottleStore implements SignInThrottleStore {
  readonly windows = new Map<string, FailureWindow>();
  async get(keys: readonly string[]) {
    return keys.map((k) => this.windows.get(k) ?? null);
  }
  async recordFailure(key: string, nowMs: number, policy: SignInThrottlePolicy) {
    const next = recordFailure(this.windows.get(key) ?? null, nowMs, policy);
    this.windows.set(key, next);
    return next;
  }
  async clear(key: string) {
    this.windows.delete(key);
  }
}

const hasher = {
  hash: async (p: string) => `hashed(${p})`,
  verify: async (p: string, h: string) => h === `hashed(${p})`,
};

async function setUp() {
  const users = new InMemoryUserStore();
  await users.createIfAbsent({ username: "sam", passwordHash: "hashed(right-pw)", role: "sre", createdAtMs: 0 });
  await users.createIfAbsent({ username: "fay", passwordHash: "hashed(fay-pw)", role: "finance", createdAtMs: 0 });
  const signInThrottle = new InMemoryThrottleStore();
  let verified = 0;
  const countingHasher = { ...hasher, verify: async (p: string, h: string) => (verified++, hasher.verify(p, h)) };
  return { deps: { users, hasher: countingHasher, signInThrottle }, signInThrottle, verified: () => verified };
}

const attempt = (username: string, password: string, nowMs: number, clientAddress: string | null = "203.0.113.7") => ({
  username,
  password,
  clientAddress,
  nowMs,
  policy: POLICY,
});

describe("signInWithPassword", () => {
  it("refuses the 6th attempt even with the right password, without checking it, and lets it in after the window", async () => {
    const { deps, verified } = await setUp();
    for (let i = 0; i < 5; i++) expect(await signInWithPassword(deps, attempt("sam", `guess-${i}`, T0 + i * MIN))).toEqual({ kind: "refused" });
    const checks = verified();
    expect(await signInWithPassword(deps, attempt("sam", "right-pw", T0 + 5 * MIN))).toEqual({ kind: "throttled", retryAfterMs: 10 * MIN });
    expect(verified()).toBe(checks);
    // From another address the username is still locked.
    expect((await signInWithPassword(deps, attempt("SAM", "right-pw", T0 + 6 * MIN, "198.51.100.1"))).kind).toBe("throttled");
    expect(await signInWithPassword(deps, attempt("sam", "right-pw", T0 + 15 * MIN))).toEqual({
      kind: "signed-in",
      principal: { subject: "sam", role: "sre", via: "session" },
    });
  });

  it("locks an address spraying many usernames, for every username, but not other addresses", async () => {
    const { deps } = await setUp();
    for (let i = 0; i < 5; i++) await signInWithPassword(deps, attempt(`user-${i}`, "Winter2026!", T0 + i * 1000, "203.0.113.66"));
    expect((await signInWithPassword(deps, attempt("fay", "fay-pw", T0 + 10_000, "203.0.113.66"))).kind).toBe("throttled");
    expect((await signInWithPassword(deps, attempt("fay", "fay-pw", T0 + 10_000, "198.51.100.2"))).kind).toBe("signed-in");
  });

  it("clears the username's own count on success, never the address's", async () => {
    const { deps, signInThrottle } = await setUp();
    for (let i = 0; i < 4; i++) await signInWithPassword(deps, attempt("sam", "wrong", T0 + i * 1000));
    expect((await signInWithPassword(deps, attempt("sam", "right-pw", T0 + 5000))).kind).toBe("signed-in");
    expect(signInThrottle.windows.get("user:sam")).toBeUndefined();
    expect(signInThrottle.windows.get("addr:203.0.113.7")).toEqual({ windowStartMs: T0, failures: 4 });
    // One more failure from that address (any username) uses up its five.
    await signInWithPassword(deps, attempt("fay", "wrong", T0 + 6000));
    expect((await signInWithPassword(deps, attempt("fay", "fay-pw", T0 + 7000))).kind).toBe("throttled");
  });

  it("counts an unknown username like a wrong password", async () => {
    const { deps } = await setUp();
    for (let i = 0; i < 5; i++) expect((await signInWithPassword(deps, attempt("nobody", "x", T0 + i, null))).kind).toBe("refused");
    expect((await signInWithPassword(deps, attempt("nobody", "x", T0 + 10, null))).kind).toBe("throttled");
  });
});
