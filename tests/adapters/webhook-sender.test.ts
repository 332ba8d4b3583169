import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createWebhookSender, parseRetryAfterMs, type WebhookSenderOptions } from "@/lib/adapters/http/webhook-sender";
import type { AlertNotificationEvent } from "@/lib/domain/slo/alert-lifecycle";
import { toSlackMessage, toWebhookJson } from "@/lib/domain/slo/alert-notification";
import type { SloSpec } from "@/lib/domain/slo/slo-definition";
import { aSloSpec } from "@/tests/builders/slo";

/** Slack webhook URLs carry their credential in the path: it must never reach a log line. */
const SECRET = "SeCrEtToKeN";
const SECRET_PATH = `/services/T0001/B0002/${SECRET}`;

interface Received {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}
type Handler = (res: ServerResponse, requestNumber: number) => void;

let server: Server;
let origin: string;
let received: Received[] = [];
let handler: Handler = (res) => res.end("ok");
let logs: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      handler(res, received.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  // Every test's log lines, whatever it was about: the origin at most, never the path.
  for (const line of logs) {
    expect(line).not.toContain(SECRET);
    expect(line).not.toContain("/services/");
  }
  // Connections stay open between tests: closing them here would hand the next test a stale
  // keep-alive socket (the sender would rightly retry it, and the request counts would be off).
  received = [];
  logs = [];
  handler = (res) => res.end("ok");
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function sender(options: Partial<WebhookSenderOptions> = {}) {
  return createWebhookSender({ backoffMs: 20, log: (msg) => logs.push(msg), ...options });
}

const slo: SloSpec = aSloSpec({
  id: "checkout-availability",
  name: "Checkout availability",
  service: "orders",
  region: "eu-west-1",
  target: { kind: "service", service: "orders" },
  labels: { team: "commerce" },
});
const event: AlertNotificationEvent = {
  kind: "firing",
  severity: "page",
  sloId: slo.id,
  startedAtMs: Date.UTC(2026, 10, 26, 12),
  endedAtMs: null,
  burnRate: 14.4,
};
const context = { consoleUrl: "https://sightline.example.com", budgetRemainingRatio: 0.6 };

describe("createWebhookSender against a local receiver", () => {
  it("POSTs a JSON document with content-type and user-agent", async () => {
    handler = (res) => {
      res.writeHead(202).end();
    };
    const doc = toWebhookJson(event, slo, context);
    const result = await sender().send({ url: `${origin}${SECRET_PATH}`, format: "json" }, doc);
    expect(result).toEqual({ ok: true, status: 202 });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: "POST", path: SECRET_PATH });
    expect(received[0]!.headers["content-type"]).toBe("application/json");
    expect(received[0]!.headers["user-agent"]).toBe("sightline");
    expect(JSON.parse(received[0]!.body)).toEqual(doc);
    expect(logs).toEqual([`json webhook ${origin}/…: delivered (HTTP 202)`]);
  });

  it("POSTs a Slack message as Slack expects it (text + blocks)", async () => {
    handler = (res) => {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    };
    const message = toSlackMessage(event, slo, context);
    const result = await sender().send({ url: `${origin}${SECRET_PATH}`, format: "slack" }, message);
    expect(result).toEqual({ ok: true, status: 200 });
    const body = JSON.parse(received[0]!.body) as { text: string; blocks: { type: string }[] };
    expect(body).toEqual(message);
    expect(body.blocks.map((b) => b.type)).toEqual(["header", "section", "section", "context"]);
  });

  it("retries a 503 with backoff and succeeds", async () => {
    handler = (res, n) => {
      res.writeHead(n === 1 ? 503 : 200).end(n === 1 ? "busy" : "ok");
    };
    const result = await sender().send({ url: `${origin}${SECRET_PATH}`, format: "json" }, { hello: "world" });
    expect(result).toEqual({ ok: true, status: 200 });
    expect(received).toHaveLength(2);
    expect(received[1]!.body).toBe(received[0]!.body);
    expect(logs).toEqual([
      `json webhook ${origin}/…: HTTP 503 (busy); retrying in 20 ms (attempt 1 of 3)`,
      `json webhook ${origin}/…: delivered (HTTP 200) on attempt 2 of 3`,
    ]);
  });

  it("doubles the backoff and gives up after the configured retries", async () => {
    handler = (res) => {
      res.writeHead(500).end();
    };
    const result = await sender({ retries: 2 }).send({ url: `${origin}${SECRET_PATH}`, format: "json" }, {});
    expect(received).toHaveLength(3);
    expect(result).toEqual({ ok: false, error: `json webhook ${origin}/…: HTTP 500 (gave up after 3 attempts)` });
    expect(logs.slice(0, 2).map((l) => /retrying in (\d+) ms/.exec(l)?.[1])).toEqual(["20", "40"]);
  });

  it("gives up on a 400 at once, with Slack's error token", async () => {
    handler = (res) => {
      res.writeHead(400, { "content-type": "text/plain" }).end("invalid_payload");
    };
    const result = await sender({ retries: 2 }).send({ url: `${origin}${SECRET_PATH}`, format: "slack" }, {});
    expect(received).toHaveLength(1);
    expect(result).toEqual({ ok: false, error: `slack webhook ${origin}/…: HTTP 400 (invalid_payload) (gave up after 1 attempt, not retryable)` });
  });

  it("does not follow a redirect (the body is never replayed elsewhere)", async () => {
    handler = (res) => {
      res.writeHead(302, { location: `${origin}/elsewhere` }).end();
    };
    const result = await sender().send({ url: `${origin}${SECRET_PATH}`, format: "json" }, {});
    expect(received.map((r) => r.path)).toEqual([SECRET_PATH]);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain("HTTP 302 (redirects are not followed)");
  });

  it("times out on a receiver that never answers, and retries the timeout", async () => {
    handler = () => {
      // Never answers; the sender aborts, which closes the connection.
    };
    const startedMs = Date.now();
    const result = await sender({ timeoutMs: 150, retries: 1, backoffMs: 10 }).send({ url: `${origin}${SECRET_PATH}`, format: "json" }, {});
    const elapsedMs = Date.now() - startedMs;
    expect(result).toEqual({ ok: false, error: `json webhook ${origin}/…: timed out after 150 ms (gave up after 2 attempts)` });
    expect(received).toHaveLength(2);
    expect(elapsedMs).toBeGreaterThanOrEqual(300);
    expect(elapsedMs).toBeLessThan(3_000);
  });

  it("waits as long as Retry-After says before retrying a 429", async () => {
    handler = (res, n) => {
      if (n === 1) res.writeHead(429, { "retry-after": "1" }).end("rate_limited");
      else res.writeHead(200).end("ok");
    };
    const startedMs = Date.now();
    const result = await sender({ backoffMs: 10 }).send({ url: `${origin}${SECRET_PATH}`, format: "slack" }, {});
    const elapsedMs = Date.now() - startedMs;
    expect(result).toEqual({ ok: true, status: 200 });
    expect(received).toHaveLength(2);
    // 1 s from Retry-After, not the 10 ms backoff.
    expect(elapsedMs).toBeGreaterThanOrEqual(950);
    expect(logs[0]).toBe(`slack webhook ${origin}/…: HTTP 429 (rate_limited); retrying in 1000 ms (attempt 1 of 3)`);
  });

  it("retries a connection failure and reports it by origin", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const result = await sender({ retries: 1, backoffMs: 10 }).send({ url: `http://127.0.0.1:${port}${SECRET_PATH}`, format: "json" }, {});
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(new RegExp(`^json webhook http://127\\.0\\.0\\.1:${port}/…: network error: .*ECONNREFUSED.*\\(gave up after 2 attempts\\)$`));
    expect(logs.filter((l) => l.includes("retrying in 10 ms"))).toHaveLength(1);
  });

  it("scrubs the path from a response that echoes it back", async () => {
    handler = (res) => {
      // Express's default 404 page does exactly this.
      res.writeHead(404, { "content-type": "text/html" }).end(`<pre>Cannot POST ${SECRET_PATH}?x=1</pre>`);
    };
    const result = await sender().send({ url: `${origin}${SECRET_PATH}?x=1`, format: "json" }, {});
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(!result.ok && result.error).toContain("HTTP 404 (<pre>Cannot POST /…</pre>)");
    expect(logs).toHaveLength(1);
  });

  it("refuses a non-http(s) or unparseable URL without sending, and does not echo it", async () => {
    const fetchImpl = vi.fn<typeof fetch>();
    const s = sender({ fetchImpl });
    const ftp = await s.send({ url: `ftp://files.example.com${SECRET_PATH}`, format: "json" }, {});
    const junk = await s.send({ url: `hooks.slack.com${SECRET_PATH}`, format: "slack" }, {});
    expect(fetchImpl).not.toHaveBeenCalled();
    expect(ftp).toEqual({ ok: false, error: "json webhook ftp://files.example.com/…: only http(s) URLs are supported" });
    expect(junk).toEqual({ ok: false, error: "slack webhook an unparseable URL: not a valid URL" });
  });

  it("reports a body that cannot be serialised instead of throwing", async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const result = await sender().send({ url: `${origin}${SECRET_PATH}`, format: "json" }, cyclic);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain("cannot be serialised as JSON");
    expect(received).toHaveLength(0);
  });
});

describe("parseRetryAfterMs", () => {
  const NOW = Date.UTC(2026, 10, 26, 12);
  it.each([
    ["1", 1_000],
    ["0", 0],
    [" 7 ", 7_000],
    ["3600", 10_000],
    [new Date(NOW + 5_000).toUTCString(), 5_000],
    [new Date(NOW + 60_000).toUTCString(), 10_000],
    [new Date(NOW - 5_000).toUTCString(), 0],
    ["soon", null],
    ["-1", null],
    [null, null],
  ])("%j → %j", (header, ms) => {
    expect(parseRetryAfterMs(header, NOW)).toBe(ms);
  });
});
