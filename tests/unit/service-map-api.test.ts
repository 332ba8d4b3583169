import { beforeEach, describe, expect, it, vi } from "vitest";
import { mergeSnapshots } from "@/lib/domain/service-map/merge-snapshots";
import type { ServiceGraphSnapshot } from "@/lib/domain/service-map/service-graph-snapshot";
import type { Principal } from "@/lib/use-cases/authenticate";
import { aFunction } from "@/tests/builders/function-config";
import { aNode, traffic } from "@/tests/builders/service-graph";

// The composition root and the session are replaced, so the routes run without a server or a table.
const HOUR = 3_600_000;
const snapshots: ServiceGraphSnapshot[] = [];
let session: Principal | null = null;
vi.mock("@/app/_server/deps", () => ({
  getDeps: () => ({
    functions: { listFunctions: async () => [aFunction({ functionName: "payments-api", tags: { service: "payments" } })] },
    serviceGraph: {
      readServiceGraph: async (scope: { accountId: string; region: string }, window: { fromMs: number; toMs: number }) => mergeSnapshots(scope, window, snapshots),
      readExemplars: async () => [],
    },
    reportStats: { readStats: async () => [] },
    watermarks: { list: async () => [] },
    slos: { list: async () => [], listStatuses: async () => [] },
  }),
}));
vi.mock("@/app/_server/session", () => ({ getSessionPrincipal: async () => session }));

const mapRoute = await import("@/app/api/v1/service-map/route");
const nodesRoute = await import("@/app/api/v1/service-map/nodes/route");

const FN_ID = "AWS::Lambda::Function|payments-api|123456789012";

beforeEach(() => {
  session = { subject: "alice", role: "viewer", via: "session" };
  snapshots.length = 0;
  const hour = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
  const fn = aNode("AWS::Lambda::Function", "payments-api", traffic({ ok: 570, fault: 30 }));
  const lambda = aNode("AWS::Lambda", "payments-api", traffic({ ok: 570, fault: 30 }), [{ to: fn, stats: traffic({ ok: 570, fault: 30 }) }], true);
  snapshots.push({ accountId: "123456789012", region: "us-east-1", window: { fromMs: hour, toMs: hour + HOUR }, complete: true, nodes: [lambda, fn] });
});

const get = (route: { GET: (r: Request) => Promise<Response> }, query: string) => route.GET(new Request(`http://127.0.0.1:3000/api/v1/service-map${query}`));

describe("GET /api/v1/service-map", () => {
  it("answers the map the page renders", async () => {
    const response = await get(mapRoute, "?range=6h&group=none");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as { range: { label: string }; scope: unknown; nodes: { id: string; health: string; traffic: { requestsPerMinute: number } }[] };
    expect(body.range.label).toBe("6h");
    expect(body.scope).toEqual({ accountId: "123456789012", region: "us-east-1" });
    // 600 requests in the one collected hour; 30 faults = 5 %.
    expect(body.nodes.find((n) => n.id === FN_ID)).toMatchObject({ health: "critical", traffic: { requestsPerMinute: 10 } });
  });

  it("answers 400 naming the bad parameter", async () => {
    const response = await get(mapRoute, "?compare=lastweek");
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("bad-request");
    expect(body.error.message).toMatch(/^compare: /);
  });

  it("answers 401 without a session or token", async () => {
    session = null;
    expect((await get(mapRoute, "")).status).toBe(401);
    expect((await get(nodesRoute, `/nodes?node=x&account=123456789012&region=us-east-1`)).status).toBe(401);
  });
});

describe("GET /api/v1/service-map/nodes", () => {
  it("answers one node's detail", async () => {
    const response = await get(nodesRoute, `/nodes?range=6h&group=none&account=123456789012&region=us-east-1&node=${encodeURIComponent(FN_ID)}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { node: { id: string; totalCount: number }; histogram: { count: number }[]; hasExemplarSource: boolean };
    expect(body.node).toMatchObject({ id: FN_ID, totalCount: 600 });
    expect(body.histogram.reduce((s, b) => s + b.count, 0)).toBe(600);
    expect(body.hasExemplarSource).toBe(true);
  });

  it.each([
    ["?node=x", /^account: required/],
    ["?account=123456789012&region=us-east-1", /^node: required/],
  ])("answers 400 for %s", async (query, message) => {
    const response = await get(nodesRoute, `/nodes${query}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(message);
  });

  it("answers 404 for a node that is not on the map", async () => {
    const response = await get(nodesRoute, "/nodes?account=123456789012&region=us-east-1&node=nope");
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: "not-found", message: expect.stringMatching(/^no node "nope"/) });
  });
});
