import { beforeEach, describe, expect, it, vi } from "vitest";
import { ForbiddenError } from "@/app/_server/http-errors";
import { aFunction } from "@/tests/builders/function-config";
import { InMemoryFunctionStore, InMemorySeriesStore, InMemoryWatermarkStore } from "@/tests/fakes/in-memory-stores";

// The composition root and authorisation are replaced, so the route's own mapping of the
// view's answers (found, ambiguous, not found, bad parameters) runs without a server or table.
const functions = new InMemoryFunctionStore();
let allowed = true;
vi.mock("@/app/_server/deps", () => ({
  getDeps: () => ({
    functions,
    series: new InMemorySeriesStore(),
    watermarks: new InMemoryWatermarkStore(),
    reportStats: { readStats: async () => [], writeHours: async () => 0 },
    analysis: { list: async () => [] },
  }),
}));
vi.mock("@/app/_server/api-auth", () => ({
  authorize: async () => {
    if (!allowed) throw new ForbiddenError('role "nobody" lacks the permission "fleet:read"');
    return { subject: "alice", role: "viewer", via: "session" };
  },
}));

const { GET } = await import("@/app/api/v1/functions/[name]/route");

const get = (path: string) => GET(new Request(`http://127.0.0.1:3000/api/v1/functions/${path}`));

beforeEach(async () => {
  allowed = true;
  functions.items.clear();
  await functions.putFunctions([
    aFunction({ functionName: "orders-api", accountId: "123456789012", region: "us-east-1", memoryMb: 1024 }),
    aFunction({ functionName: "users-api", accountId: "123456789012", region: "us-east-1" }),
    aFunction({ functionName: "users-api", accountId: "123456789012", region: "eu-west-1" }),
  ]);
});

describe("GET /api/v1/functions/<name>", () => {
  it("answers the view of a function whose name is unique", async () => {
    const response = await get("orders-api?range=1h");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.json();
    expect(body.window.range).toBe("1h");
    expect(body.function.ref).toEqual({ accountId: "123456789012", region: "us-east-1", functionName: "orders-api" });
    expect(body.function.configuration.rows.find((r: { field: string }) => r.field === "memory").value).toEqual({ kind: "megabytes", memoryMb: 1024 });
  });

  it("answers 409 with the choices when the name exists in two regions", async () => {
    const response = await get("users-api");
    expect(response.status).toBe(409);
    const body = await response.json();
    expect(body.error.code).toBe("ambiguous");
    expect(body.choices.map((c: { region: string }) => c.region)).toEqual(["eu-west-1", "us-east-1"]);
  });

  it("resolves the ambiguity with region=", async () => {
    const response = await get("users-api?region=eu-west-1");
    expect(response.status).toBe(200);
    expect((await response.json()).function.ref.region).toBe("eu-west-1");
  });

  it("answers 404 for an unknown name", async () => {
    const response = await get("no-such-function");
    expect(response.status).toBe(404);
    const body = await response.json();
    expect(body.error).toMatchObject({ code: "not-found" });
    expect(body.elsewhere).toEqual([]);
  });

  it("answers 404 for a known name in another account, saying where it does exist", async () => {
    const response = await get("orders-api?account=210987654321");
    expect(response.status).toBe(404);
    const body = await response.json();
    expect(body.error.message).toContain("account 210987654321");
    expect(body.elsewhere).toEqual([{ accountId: "123456789012", region: "us-east-1", functionName: "orders-api", runtime: "nodejs20.x", memoryMb: 1024 }]);
  });

  it.each([
    ["a bad account", "orders-api?account=42", "account: must be 12 digits"],
    ["a bad range", "orders-api?range=1y", "range:"],
    ["a name Lambda would refuse", "orders.api", "name:"],
    ["a malformed percent-encoding", "orders%E0%A4%A", "name:"],
  ])("answers 400 for %s, naming the parameter", async (_, path, message) => {
    const response = await get(path);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe("bad-request");
    expect(body.error.message).toContain(message);
  });

  it("answers 403 without fleet:read", async () => {
    allowed = false;
    expect((await get("orders-api")).status).toBe(403);
  });
});
