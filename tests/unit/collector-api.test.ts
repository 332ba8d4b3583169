import { beforeEach, describe, expect, it, vi } from "vitest";
import type { CollectorRun } from "@/lib/domain/collection/collector-run";
import type { Principal } from "@/lib/use-cases/authenticate";
import { InMemoryRunLedgerStore, InMemoryTokenStore, InMemoryWatermarkStore } from "@/tests/fakes/in-memory-stores";

// The composition root and the next-auth session are replaced, as in api-edge.test.ts, so the
// routes run end to end over in-memory stores.
const deps = {
  tokens: new InMemoryTokenStore(),
  hashToken: (token: string) => `hash:${token}`,
  watermarks: new InMemoryWatermarkStore(),
  ledger: new InMemoryRunLedgerStore(),
  config: { METRICS_CADENCE_MINUTES: 5 as const },
};
let session: Principal | null = null;
vi.mock("@/app/_server/deps", () => ({ getDeps: () => deps }));
vi.mock("@/app/_server/session", () => ({ getSessionPrincipal: async () => session }));

const runsRoute = await import("@/app/api/v1/collectors/runs/route");
const healthRoute = await import("@/app/api/v1/collectors/route");

const ACCOUNT = "123456789012";

function aRun(overrides: Partial<CollectorRun> = {}): CollectorRun {
  const startedAtMs = overrides.startedAtMs ?? Date.now() - 60_000;
  return {
    collector: "metrics",
    accountId: ACCOUNT,
    region: "us-east-1",
    nowMs: startedAtMs,
    window: null,
    startedAtMs,
    endedAtMs: startedAtMs + 1_000,
    apiUsage: { "CloudWatch.GetMetricData": { requests: 1, units: 40 } },
    estimatedCostUsd: 0.0004,
    itemsWritten: 3,
    warnings: [],
    error: null,
    outcome: "collected",
    note: null,
    ...overrides,
  };
}

function get(path: string, headers: Record<string, string> = {}): Request {
  return new Request(`http://127.0.0.1:3000${path}`, { headers });
}

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

beforeEach(async () => {
  session = null;
  deps.tokens.tokens.clear();
  await deps.tokens.put({ tokenHash: "hash:viewer-token", name: "grafana", role: "viewer", createdAtMs: 0, createdBy: "admin" });
  deps.watermarks.items.clear();
  deps.ledger.runs.length = 0;
  const nowMs = Date.now();
  await deps.ledger.record(aRun({ startedAtMs: nowMs - 2 * 60_000 }));
  await deps.ledger.record(aRun({ startedAtMs: nowMs - 60_000, outcome: "failed", error: "ThrottlingException: Rate exceeded" }));
  await deps.ledger.record(aRun({ collector: "costs", region: "global", startedAtMs: nowMs - 30 * 60_000, outcome: "up-to-date" }));
  await deps.watermarks.recordOutcome("metrics", ACCOUNT, "us-east-1", { nowMs: nowMs - 60_000, error: "ThrottlingException: Rate exceeded" });
});

describe("GET /api/v1/collectors/runs", () => {
  it("answers 401 without credentials", async () => {
    const response = await runsRoute.GET(get("/api/v1/collectors/runs"));
    expect(response.status).toBe(401);
    expect((await errorOf(response)).code).toBe("unauthenticated");
  });

  it.each([
    ["collector=cron", /^collector: /],
    ["limit=501", /^limit: must be a whole number from 1 to 500$/],
    ["since=last-week", /^since: /],
    ["account=42", /^account: /],
    ["outcome=collected&outcome=failed", /^outcome: given more than once$/],
  ])("answers 400 for %s, naming the parameter", async (query, message) => {
    const response = await runsRoute.GET(get(`/api/v1/collectors/runs?${query}`, { Authorization: "Bearer viewer-token" }));
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe("bad-request");
    expect(error.message).toMatch(message);
  });

  it("lists the runs newest first to a viewer token", async () => {
    const response = await runsRoute.GET(get("/api/v1/collectors/runs?since=1h", { Authorization: "Bearer viewer-token" }));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as { since: string; limit: number; filter: object; truncated: boolean; runs: (CollectorRun & { durationMs: number; requests: number })[] };
    expect(body.limit).toBe(100);
    expect(body.filter).toEqual({});
    expect(body.truncated).toBe(false);
    expect(Date.now() - Date.parse(body.since)).toBeGreaterThanOrEqual(3_600_000);
    expect(body.runs.map((r) => [r.collector, r.outcome])).toEqual([
      ["metrics", "failed"],
      ["metrics", "collected"],
      ["costs", "up-to-date"],
    ]);
    expect(body.runs[0]).toMatchObject({ error: "ThrottlingException: Rate exceeded", durationMs: 1_000, requests: 1, apiUsage: { "CloudWatch.GetMetricData": { requests: 1, units: 40 } } });
  });

  it("filters by the URL's parameters", async () => {
    session = { subject: "alice", role: "finance", via: "session" };
    const response = await runsRoute.GET(get(`/api/v1/collectors/runs?collector=metrics&account=${ACCOUNT}&region=us-east-1&outcome=collected&limit=5`));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { filter: object; runs: CollectorRun[] };
    expect(body.filter).toEqual({ collector: "metrics", accountId: ACCOUNT, region: "us-east-1", outcome: "collected" });
    expect(body.runs.map((r) => r.outcome)).toEqual(["collected"]);
  });
});

describe("GET /api/v1/collectors", () => {
  it("answers 401 with an unknown token", async () => {
    const response = await healthRoute.GET(get("/api/v1/collectors", { Authorization: "Bearer nope" }));
    expect(response.status).toBe(401);
  });

  it("answers the health of every collector with the fleet summary", async () => {
    session = { subject: "viewer", role: "viewer", via: "session" };
    const response = await healthRoute.GET(get("/api/v1/collectors"));
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      generatedAt: string;
      metricsCadenceMinutes: number;
      window: { from: string; to: string };
      summary: { failing: { collector: string }[]; recent: { runs: number; estimatedCostUsd: number } };
      collectors: { collector: string; region: string | null; status: string; consecutiveFailures: number; expectedEveryMinutes: number }[];
    };
    expect(Date.parse(body.window.to) - Date.parse(body.window.from)).toBe(86_400_000);
    expect(body.collectors.map((c) => [c.collector, c.region, c.status])).toEqual([
      ["inventory", null, "never-run"],
      ["metrics", "us-east-1", "failing"],
      ["logs-insights", null, "never-run"],
      ["traces", null, "never-run"],
      ["costs", "global", "healthy"],
      ["analyze", null, "never-run"],
      ["slos", null, "never-run"],
    ]);
    // METRICS_CADENCE_MINUTES=5: the metrics collector is expected every 5 minutes, and the API says so.
    expect(body.metricsCadenceMinutes).toBe(5);
    expect(body.collectors[1]).toMatchObject({ consecutiveFailures: 1, expectedEveryMinutes: 5 });
    expect(body.summary.failing.map((f) => f.collector)).toEqual(["metrics"]);
    expect(body.summary.recent.runs).toBe(3);
    expect(body.summary.recent.estimatedCostUsd).toBeCloseTo(0.0012, 10);
  });
});
