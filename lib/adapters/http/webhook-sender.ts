import { redactUrl, type WebhookFormat } from "@/lib/domain/slo/webhook-targets";

/**
 * Posts alert notifications to webhooks (generic JSON receivers and Slack incoming webhooks).
 *
 * - One POST of the JSON body per attempt, `content-type: application/json`,
 *   `user-agent: sightline`, each attempt bounded by AbortSignal.timeout.
 * - Retries network errors, timeouts, 429 and 5xx with exponential backoff, or after the
 *   response's Retry-After (capped at 10 s); other statuses (4xx, 3xx: redirects are not
 *   followed, so a body is never replayed to another host) fail at once.
 * - A timed-out attempt may still have been delivered, so a retry can duplicate a message:
 *   receivers deduplicate on the document's dedupKey.
 * - Webhook URLs are secrets (a Slack URL's path is its credential): logs and errors show the
 *   origin only, and anything a receiver echoes back has the path scrubbed.
 */

export interface WebhookSenderOptions {
  /** Defaults to the global fetch. */
  fetchImpl?: typeof fetch;
  /** Per attempt, including reading the response. Default 5 s. */
  timeoutMs?: number;
  /** Attempts after the first. Default 2. */
  retries?: number;
  /** The delay before the first retry, doubled for each later one. Default 500 ms. */
  backoffMs?: number;
  log: (msg: string) => void;
}

export interface WebhookTargetRef {
  url: string;
  format: WebhookFormat;
}

export type WebhookSendResult = { ok: true; status: number } | { ok: false; error: string };

export interface WebhookSender {
  send(target: WebhookTargetRef, body: unknown): Promise<WebhookSendResult>;
}

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 5_000;
export const DEFAULT_WEBHOOK_RETRIES = 2;
export const DEFAULT_WEBHOOK_BACKOFF_MS = 500;
/** The longest Retry-After honoured; a longer one is shortened to this. */
export const MAX_RETRY_AFTER_MS = 10_000;
/** How much of an error response's body goes into the error (Slack answers e.g. "invalid_payload"). */
const ERROR_BODY_MAX_CHARS = 200;

type AttemptOutcome =
  | { ok: true; status: number }
  | { ok: false; retryable: boolean; error: string; retryAfterMs: number | null };

/** Builds a sender; the same one serves every target. */
export function createWebhookSender(options: WebhookSenderOptions): WebhookSender {
  const fetchImpl = options.fetchImpl ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  const retries = Math.max(0, Math.floor(options.retries ?? DEFAULT_WEBHOOK_RETRIES));
  const backoffMs = options.backoffMs ?? DEFAULT_WEBHOOK_BACKOFF_MS;
  const log = options.log;

  async function send(target: WebhookTargetRef, body: unknown): Promise<WebhookSendResult> {
    const where = `${target.format} webhook ${redactUrl(target.url)}`;
    const scrub = scrubberFor(target.url);

    let url: URL;
    try {
      url = new URL(target.url);
    } catch {
      return giveUp(`${where}: not a valid URL`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return giveUp(`${where}: only http(s) URLs are supported`);

    let payload: string | undefined;
    try {
      payload = JSON.stringify(body);
    } catch (error) {
      return giveUp(`${where}: the body cannot be serialised as JSON (${scrub(messageOf(error))})`);
    }
    if (payload === undefined) return giveUp(`${where}: the body cannot be serialised as JSON`);

    const attempts = retries + 1;
    for (let attempt = 1; ; attempt++) {
      const outcome = await attemptOnce(url, payload, scrub);
      if (outcome.ok) {
        log(`${where}: delivered (HTTP ${outcome.status})${attempt > 1 ? ` on attempt ${attempt} of ${attempts}` : ""}`);
        return { ok: true, status: outcome.status };
      }
      if (!outcome.retryable || attempt >= attempts) {
        const tried = attempt === 1 ? "1 attempt" : `${attempt} attempts`;
        return giveUp(`${where}: ${outcome.error} (gave up after ${tried}${outcome.retryable ? "" : ", not retryable"})`);
      }
      const delayMs = outcome.retryAfterMs ?? backoffMs * 2 ** (attempt - 1);
      log(`${where}: ${outcome.error}; retrying in ${delayMs} ms (attempt ${attempt} of ${attempts})`);
      await sleep(delayMs);
    }
  }

  function giveUp(error: string): WebhookSendResult {
    log(error);
    return { ok: false, error };
  }

  async function attemptOnce(url: URL, payload: string, scrub: (text: string) => string): Promise<AttemptOutcome> {
    let response: Response;
    try {
      response = await fetchImpl(url, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "sightline" },
        body: payload,
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      return { ok: false, retryable: true, error: scrub(describeFetchError(error, timeoutMs)), retryAfterMs: null };
    }
    // Read the body either way so the connection is released; it only matters for errors.
    let text = "";
    try {
      text = await response.text();
    } catch {
      // The status already says what happened; a body cut short does not change it.
    }
    const status = response.status;
    if (status >= 200 && status < 300) return { ok: true, status };
    const retryable = status === 429 || status >= 500;
    const snippet = scrub(oneLine(text)).slice(0, ERROR_BODY_MAX_CHARS);
    const redirectNote = status >= 300 && status < 400 ? "redirects are not followed" : "";
    const detail = [snippet, redirectNote].filter((s) => s !== "").join("; ");
    return {
      ok: false,
      retryable,
      error: `HTTP ${status}${detail === "" ? "" : ` (${detail})`}`,
      retryAfterMs: retryable ? parseRetryAfterMs(response.headers.get("retry-after"), Date.now()) : null,
    };
  }

  return { send };
}

/**
 * The wait a Retry-After header asks for, in ms: delay-seconds or an HTTP date, capped at
 * MAX_RETRY_AFTER_MS; 0 for a date in the past; null when absent or unreadable.
 */
export function parseRetryAfterMs(header: string | null, nowMs: number): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Math.min(Number(value) * 1000, MAX_RETRY_AFTER_MS);
  // Every HTTP-date form starts with the day name; Date.parse alone would read "-1" as a year.
  if (!/^[A-Za-z]{3}/.test(value)) return null;
  const dateMs = Date.parse(value);
  if (Number.isNaN(dateMs)) return null;
  return Math.min(Math.max(0, dateMs - nowMs), MAX_RETRY_AFTER_MS);
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return `timed out after ${timeoutMs} ms`;
  // undici reports "fetch failed" and puts the reason (ECONNREFUSED 127.0.0.1:80, …) in `cause`.
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause && typeof cause.message === "string" && cause.message !== "") return `network error: ${cause.message}`;
  if (cause && typeof cause.code === "string") return `network error: ${cause.code}`;
  return `network error: ${messageOf(error)}`;
}

/** Removes a URL's secret parts (whole URL, path, query) from text that may echo them. */
function scrubberFor(rawUrl: string): (text: string) => string {
  const secrets = new Set<string>([rawUrl.trim()]);
  try {
    const url = new URL(rawUrl);
    secrets.add(url.href);
    if (url.search !== "") secrets.add(url.search);
    if (url.pathname.length > 1) {
      secrets.add(url.pathname + url.search);
      secrets.add(url.pathname);
      // Last: throws on a malformed escape, which leaves the encoded forms above in place.
      secrets.add(decodeURIComponent(url.pathname));
    }
  } catch {
    // Unparseable: the whole string is all there is to hide.
  }
  // Longest first, so the whole URL goes before its path.
  const ordered = [...secrets].filter((s) => s !== "" && s !== "/").sort((a, b) => b.length - a.length);
  return (text) => ordered.reduce((out, secret) => out.split(secret).join("/…"), text);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
