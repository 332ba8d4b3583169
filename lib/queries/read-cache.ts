/**
 * A short in-process memo for the fleet-wide fan-out reads of the read side (one Query per
 * function: a 1,000-function fleet is thousands of Queries per page view), so that a console
 * under load serves them once a minute instead of once a request.
 *
 * Rules that keep it honest:
 * - The key names every input of the read (window, scope, the functions it covers and the
 *   configuration it depends on); callers build it from exactly what they pass to the load.
 * - An entry lives at most {@link READ_CACHE_TTL_MS} from when its read *started* — the
 *   metrics cadence — so an answer is never older than one collection interval. The windows
 *   the console asks for end at the current minute, so their key changes every minute anyway.
 * - Concurrent requests for the same key share one read (single flight); a failed read is
 *   not kept, the next request tries again.
 * - Entries belong to a store instance (the composition root's): each console process, and
 *   each test's fresh fakes, has its own, and nothing is shared across tables.
 * - Only collected facts go through it: user-edited data (SLO definitions, cost settings) is
 *   read fresh on every request, so an edit shows at once.
 */

/** How long a read is reused: the metrics collector's cadence (one minute). */
export const READ_CACHE_TTL_MS = 60_000;
/** Entries kept per store (distinct windows, scopes, groupings): older ones are dropped first. */
export const READ_CACHE_MAX_ENTRIES = 64;

interface Entry {
  startedAtMs: number;
  value: Promise<unknown>;
}

const caches = new WeakMap<object, Map<string, Entry>>();

/**
 * The value of `load()` for `key`, reused from an earlier call on the same `owner` (a store
 * instance) that started less than the TTL before `nowMs`. `nowMs` is the caller's clock
 * (injectable for tests).
 */
export function readThrough<T>(owner: object, key: string, load: () => Promise<T>, nowMs: number = Date.now()): Promise<T> {
  let entries = caches.get(owner);
  if (!entries) caches.set(owner, (entries = new Map()));
  const known = entries.get(key);
  if (known && nowMs - known.startedAtMs < READ_CACHE_TTL_MS && nowMs >= known.startedAtMs) return known.value as Promise<T>;
  for (const [k, e] of entries) if (nowMs - e.startedAtMs >= READ_CACHE_TTL_MS) entries.delete(k);
  while (entries.size >= READ_CACHE_MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  const value = load();
  const entry: Entry = { startedAtMs: nowMs, value };
  entries.set(key, entry);
  // A failed read is not remembered (only this entry: a newer one for the key may exist).
  value.catch(() => {
    if (entries.get(key) === entry) entries.delete(key);
  });
  return value;
}

/** Forgets every read of `owner` (tests; and a writer that wants its change seen at once). */
export function forgetReads(owner: object): void {
  caches.delete(owner);
}

/**
 * The fleet's functions (one Query of the whole inventory partition, validated item by item:
 * the largest fixed cost of every fleet-wide view), reused for a minute. The inventory is
 * collected every 5 minutes, so this adds at most a minute to its own cadence.
 */
export function readFunctionList<T>(functions: { listFunctions(): Promise<T[]> }, nowMs: number): Promise<T[]> {
  return readThrough(functions, "function-list", () => functions.listFunctions(), nowMs);
}
