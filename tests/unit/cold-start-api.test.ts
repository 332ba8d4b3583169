import { beforeEach, describe, expect, it, vi } from "vitest";
import { parseColdStartsParams } from "@/app/_server/cold-starts-params";
import type { ReportStats } from "@/lib/domain/cold-start/report-stats";
import type { FunctionRef } from "@/lib/domain/shared/ids";
import type { TimeWindow } from "@/lib/domain/shared/time";
import type { ReportStatsStore } from "@/lib/ports/report-stats";
import type { Principal } from "@/lib/use-cases/authenticate";
import { aFunction } from "@/tests/builders/function-config";
import { InMemoryFunctionStore, InMemorySeriesStore, InMemoryWatermarkStore } from "@/tests/fakes/in-memory-stores";
import { aReportStats } from "@/tests/builders/report-stats";

const NOW = Date.UTC(2026, 10, 26, 12, 0, 30);
const HOUR = 3_600_000;

describe("parseColdStartsParams", () => {
  it("reads the range alone as the fleet, a function with its account and region as one function", () => {
    const fleet = parseColdStartsParams({ range: "7d" }, NOW);
    expect(fleet).toMatchObject({ ok: true, value: { target: null, range: { label: "7d" } } });
    const one = parseColdStartsParams({ function: "shipping-rates-api", account: "123456789012", region: "us-east-1" }, NOW);
    expect(one).toMatchObject({ ok: true, value: { target: { functionName: "shipping-rates-api", accountId: "123456789012", region: "us-east-1" }, range: { label: "24h" } } });
  });

  it.each([
    [{ range: "2w" }, /^range: /],
    [{ account: "123456789012" }, /^account: only together with function$/],
    [{ function: "a b" }, /^function: must be a Lambda function name/],
    [{ function: "orders-api", account: "12" }, /^account: must be 12 digits$/],
    [{ function: "orders-api", region: "virginia" }, /^region: must be a region code/],
    [{ function: ["a", "b"] }, /^function: given more than once$/],
  ])("rejects %o naming the parameter", (params, error) => {
    const result = parseColdStartsParams(params, NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(error);
  });
});

class InMemoryReportStatsStore implements ReportStatsStore {
  stats: ReportStats[] = [];
  async writeHours(stats: readonly ReportStats[]) {
    this.stats.push(...stats);
    return stats.length;
  }
  async readStats(ref: FunctionRef, window: TimeWindow) {
    return this.stats.filter((s) => s.functionName === ref.functionName && s.accountId === ref.accountId && s.region === ref.region && s.hourStartMs + HOUR > window.fromMs && s.hourStartMs < window.toMs);
  }
}

const functions = new InMemoryFunctionStore();
const reportStats = new InMemoryReportStatsStore();
const watermarks = new InMemoryWatermarkStore();
let session: Principal | null = { subject: "alice", role: "viewer", via: "session" };
vi.mock("@/app/_server/deps", () => ({
  getDeps: () => ({ functions, series: new InMemorySeriesStore(), reportStats, watermarks }),
}));
vi.mock("@/app/_server/session", () => ({ getSessionPrincipal: async () => session }));
const { GET } = await import("@/app/api/v1/cold-starts/route");

function hourStats(functionName: string, hourStartMs: number, invocations: number, coldStarts: number, accountId = "123456789012"): ReportStats {
  return aReportStats({
    accountId,
    functionName,
    hourStartMs,
    invocations,
    coldStarts,
    initDurationMs: coldStarts > 0 ? { p50: 4000, p90: 4000, p99: 4000, max: 4000 } : null,
    initDurationMsSum: 4000 * coldStarts,
    billedDurationMsSum: 300 * invocations + 4000 * coldStarts,
    durationMsSum: 299.5 * invocations,
    maxMemoryUsedMb: { p50: 180, p90: 190, p99: 200, max: 200 },
  });
}

async function get(query: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await GET(new Request(`http://127.0.0.1:3000/api/v1/cold-starts?${query}`));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
  session = { subject: "alice", role: "viewer", via: "session" };
  functions.items.clear();
  reportStats.stats = [];
  watermarks.items.clear();
  await functions.putFunctions([
    aFunction({ functionName: "shipping-rates-api", runtime: "java17", architecture: "x86_64" }),
    aFunction({ functionName: "users-api" }),
    aFunction({ functionName: "twin", accountId: "123456789012" }),
    aFunction({ functionName: "twin", accountId: "210987654321" }),
  ]);
  const lastHour = Date.UTC(2026, 10, 26, 11);
  await reportStats.writeHours([hourStats("shipping-rates-api", lastHour - HOUR, 9, 3), hourStats("shipping-rates-api", lastHour, 10, 4), hourStats("users-api", lastHour, 5000, 2)]);
  await watermarks.advance("logs-insights", "123456789012", "us-east-1", lastHour + HOUR);
});

describe("GET /api/v1/cold-starts", () => {
  it("answers the fleet ranking, heavy first", async () => {
    const { status, body } = await get("range=24h");
    expect(status).toBe(200);
    const rows = body.rows as { functionName: string; coldStarts: number; heavy: boolean; rank: number }[];
    expect(rows[0]).toMatchObject({ functionName: "shipping-rates-api", coldStarts: 7, heavy: true, rank: 1 });
    expect(rows.map((r) => r.functionName)).toContain("users-api");
    expect(body.window).toMatchObject({ range: "24h", to: "2026-11-26T12:00:00.000Z" });
  });

  it("answers one function in depth", async () => {
    const { status, body } = await get("function=shipping-rates-api&range=24h");
    expect(status).toBe(200);
    expect(body).toMatchObject({ function: { functionName: "shipping-rates-api", runtime: "java17" }, summary: { invocations: 19, coldStarts: 7 } });
    expect(body.initCost).toMatchObject({ initAccounting: "within-billed-duration", price: { usdPerGbSecond: 0.0000166667 } });
    expect(body.p99Impact).toMatchObject({ kind: "insufficient-data" });
  });

  it.each([
    ["range=1y", /^range: /],
    ["region=us-east-1", /^region: only together with function$/],
  ])("answers 400 naming the parameter for %s", async (query, message) => {
    const { status, body } = await get(query);
    expect(status).toBe(400);
    expect((body.error as { code: string; message: string }).code).toBe("bad-request");
    expect((body.error as { message: string }).message).toMatch(message);
  });

  it("answers 409 with the choices for a name collected in two accounts", async () => {
    const { status, body } = await get("function=twin");
    expect(status).toBe(409);
    expect(body.error).toMatchObject({
      code: "ambiguous",
      message: expect.stringMatching(/^function: "twin" exists in 2 places \(123456789012\/us-east-1, 210987654321\/us-east-1\); add account and region$/),
    });
    expect((body.choices as { accountId: string }[]).map((c) => c.accountId)).toEqual(["123456789012", "210987654321"]);
  });

  it("answers 404 with a clear message for a function not in inventory", async () => {
    const { status, body } = await get("function=no-such-function");
    expect(status).toBe(404);
    expect(body.error).toEqual({ code: "not-found", message: 'function "no-such-function" is not in the collected inventory' });
  });

  it("answers 401 without a session or token", async () => {
    session = null;
    expect((await get("range=24h")).status).toBe(401);
  });
});
