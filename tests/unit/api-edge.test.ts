import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { StoredApiToken } from "@/lib/ports/stores";
import type { Principal } from "@/lib/use-cases/authenticate";

// The composition root and the next-auth session are the two things authorize() reads from
// outside; both are replaced so the edge logic runs without a server or a table.
const tokens = new Map<string, StoredApiToken>();
let session: Principal | null = null;
vi.mock("@/app/_server/deps", () => ({
  getDeps: () => ({
    tokens: { getByHash: async (hash: string) => tokens.get(hash) ?? null, put: async () => undefined },
    hashToken: (token: string) => `hash:${token}`,
  }),
}));
vi.mock("@/app/_server/session", () => ({ getSessionPrincipal: async () => session }));

const { authorize } = await import("@/app/_server/api-auth");
const { BadRequestError, ForbiddenError, UnauthenticatedError, handleApi, toErrorResponse } = await import("@/app/_server/http-errors");

function request(headers: Record<string, string> = {}): Request {
  return new Request("http://127.0.0.1:3000/api/v1/functions?range=24h", { headers });
}

beforeEach(() => {
  tokens.clear();
  tokens.set("hash:viewer-token", { tokenHash: "hash:viewer-token", name: "grafana", role: "viewer", createdAtMs: 0, createdBy: "admin" });
  session = null;
});

describe("authorize", () => {
  it("accepts a known bearer token with the permission", async () => {
    await expect(authorize(request({ Authorization: "Bearer viewer-token" }), "fleet:read")).resolves.toEqual({
      subject: "token:grafana",
      role: "viewer",
      via: "token",
    });
  });

  it("refuses a role that lacks the permission, naming it", async () => {
    const denied = authorize(request({ Authorization: "Bearer viewer-token" }), "users:manage");
    await expect(denied).rejects.toBeInstanceOf(ForbiddenError);
    await expect(denied).rejects.toThrow('role "viewer" lacks the permission "users:manage"');
  });

  it.each([
    ["an unknown token", { Authorization: "Bearer nope" }],
    ["another scheme", { Authorization: "Basic YWRtaW46eA==" }],
    ["an empty bearer", { Authorization: "Bearer " }],
    ["no credentials at all", {}],
  ])("answers 401 for %s", async (_, headers) => {
    await expect(authorize(request(headers), "fleet:read")).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it("does not fall back to the session when a bad token is sent", async () => {
    session = { subject: "admin", role: "admin", via: "session" };
    await expect(authorize(request({ Authorization: "Bearer nope" }), "fleet:read")).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it("uses the session when no Authorization header is sent", async () => {
    session = { subject: "alice", role: "finance", via: "session" };
    await expect(authorize(request(), "costs:read")).resolves.toEqual(session);
    await expect(authorize(request(), "tuning:apply")).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe("authorize: changes made with a session cookie (CSRF)", () => {
  const change = (headers: Record<string, string>) => new Request("http://127.0.0.1:3000/api/v1/slos", { method: "POST", headers: { host: "127.0.0.1:3000", ...headers } });

  beforeEach(() => {
    session = { subject: "sam", role: "sre", via: "session" };
  });

  it.each([
    ["the console's own Origin", { origin: "http://127.0.0.1:3000" }],
    ["Sec-Fetch-Site: same-origin", { "sec-fetch-site": "same-origin" }],
  ])("accepts %s", async (_, headers) => {
    await expect(authorize(change(headers), "slos:write")).resolves.toEqual(session);
  });

  it.each([
    ["another site's Origin", { origin: "https://evil.example" }],
    ["no Origin at all", {}],
    ["an unparseable Origin", { origin: "null" }],
  ])("refuses %s with 403, saying scripts use a token", async (_, headers) => {
    const denied = authorize(change(headers), "slos:write");
    await expect(denied).rejects.toBeInstanceOf(ForbiddenError);
    await expect(denied).rejects.toThrow(/Origin mismatch\); scripts use an API token/);
  });

  it("does not ask a bearer-token caller for an Origin (a browser never sends the token by itself)", async () => {
    tokens.set("hash:sre-token", { tokenHash: "hash:sre-token", name: "ci", role: "sre", createdAtMs: 0, createdBy: "admin" });
    await expect(authorize(change({ Authorization: "Bearer sre-token" }), "slos:write")).resolves.toMatchObject({ role: "sre", via: "token" });
  });

  it("lets reads through without an Origin", async () => {
    await expect(authorize(request(), "fleet:read")).resolves.toEqual(session);
  });
});

describe("the error edge", () => {
  let logged: string[];
  beforeEach(() => {
    logged = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void logged.push(args.join(" ")));
  });
  afterEach(() => vi.restoreAllMocks());

  it.each([
    [new UnauthenticatedError(), 401, "unauthenticated"],
    [new ForbiddenError('role "viewer" lacks the permission "users:manage"'), 403, "forbidden"],
    [new BadRequestError("range: invalid"), 400, "bad-request"],
  ])("answers %s with its status and code", async (error, status, code) => {
    const response = toErrorResponse(error, request());
    expect(response.status).toBe(status);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error).toEqual({ code, message: error.message });
    expect(logged).toEqual([]);
  });

  it("hides unexpected errors behind a generic 500 and logs one line", async () => {
    const handler = handleApi(async () => {
      throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:4567"), { code: "ECONNREFUSED" });
    });
    const response = await handler(request());
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: { code: "internal", message: "internal error; the server log has the details" } });
    expect(text).not.toContain("ECONNREFUSED");
    expect(text).not.toContain("at ");
    expect(logged).toEqual(["[sightline] GET /api/v1/functions failed: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:4567"]);
  });

  it("passes a handler's own response through", async () => {
    const response = await handleApi(async () => Response.json({ ok: true }))(request());
    expect(response.status).toBe(200);
  });
});
