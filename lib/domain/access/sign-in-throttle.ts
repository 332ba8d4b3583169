/**
 * Throttling failed password sign-ins (issue 10). Failures are counted per *key* — the
 * username and, separately, the client address — in a window that opens at a key's first
 * failure and lasts `windowMs`. A key with `maxFailures` failures in its open window refuses
 * every further attempt until the window closes, even with the right password, so guessing is
 * limited to `maxFailures` tries per window per username and per address. The per-address key
 * stops one client spraying a password over many usernames; the per-username key stops many
 * clients (or one that rotates addresses) guessing one account's password.
 *
 * The cost: anyone can lock a username out for a window by failing on purpose. A window is
 * short, OIDC sign-in and API tokens are unaffected, and the alternative (no limit) is worse.
 */
export interface SignInThrottlePolicy {
  maxFailures: number;
  windowMs: number;
}

/** 5 failures in 15 minutes, then refused until the window closes (OWASP's order of magnitude). */
export const SIGN_IN_THROTTLE_POLICY: SignInThrottlePolicy = { maxFailures: 5, windowMs: 15 * 60_000 };

/** A key's open window: when its first failure was and how many failures it has seen since. */
export interface FailureWindow {
  windowStartMs: number;
  failures: number;
}

/** Whether the window is still open at nowMs. */
export function isWindowOpen(window: FailureWindow, nowMs: number, policy: SignInThrottlePolicy): boolean {
  return nowMs >= window.windowStartMs && nowMs < window.windowStartMs + policy.windowMs;
}

/**
 * The window after one more failure at nowMs: the same window one higher while it is open,
 * else a new one starting now.
 */
export function recordFailure(window: FailureWindow | null, nowMs: number, policy: SignInThrottlePolicy): FailureWindow {
  if (window !== null && isWindowOpen(window, nowMs, policy)) return { windowStartMs: window.windowStartMs, failures: window.failures + 1 };
  return { windowStartMs: nowMs, failures: 1 };
}

export type ThrottleDecision = { kind: "allowed" } | { kind: "throttled"; retryAfterMs: number };

/**
 * Whether a sign-in may be tried at nowMs given the windows of its keys (username, address;
 * null where a key has none): refused while any key has used up its failures, until the last
 * of those windows closes.
 */
export function decideSignIn(windows: readonly (FailureWindow | null)[], nowMs: number, policy: SignInThrottlePolicy): ThrottleDecision {
  let retryAfterMs = 0;
  for (const window of windows) {
    if (window === null || !isWindowOpen(window, nowMs, policy) || window.failures < policy.maxFailures) continue;
    retryAfterMs = Math.max(retryAfterMs, window.windowStartMs + policy.windowMs - nowMs);
  }
  return retryAfterMs > 0 ? { kind: "throttled", retryAfterMs } : { kind: "allowed" };
}

/**
 * The throttle keys of an attempt: the username case-folded (so `Admin` and `admin` share a
 * count) and the client address. An attempt whose address is unknown is counted by username only.
 */
export function signInThrottleKeys(username: string, clientAddress: string | null): string[] {
  const keys = [`user:${username.trim().toLowerCase()}`];
  if (clientAddress !== null) keys.push(`addr:${clientAddress}`);
  return keys;
}

/**
 * The client's address from request headers: `x-sightline-viewer-address`, which the CloudFront
 * function in front of the console overwrites with the viewer's IP (so a viewer cannot forge it
 * there), else the first `x-forwarded-for` entry (Next's own server sets it to the socket's
 * address when a client sends none), else null. Off CloudFront a client can choose these
 * headers and so evade the per-address count; the per-username count still holds.
 */
export function clientAddressFrom(header: (name: string) => string | null | undefined): string | null {
  const viewer = header("x-sightline-viewer-address")?.trim();
  if (viewer) return viewer.slice(0, 64);
  const first = header("x-forwarded-for")?.split(",")[0]?.trim();
  return first ? first.slice(0, 64) : null;
}
