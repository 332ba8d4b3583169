import { beforeEach, describe, expect, it, vi } from "vitest";
import { ForbiddenError } from "@/app/_server/http-errors";
import { CorruptCostSettingsError, CostSettingsVersionConflictError, type StoredCostSettings } from "@/lib/adapters/dynamodb/cost-settings-repository";
import { roleCan, type Permission, type Role } from "@/lib/domain/access/roles";
import { DEFAULT_COST_SETTINGS } from "@/lib/domain/cost/cost-settings";
import type { CostExportRow, CostSettings } from "@/lib/domain/cost/cost-types";
import { usdAmountToMicroUsd } from "@/lib/domain/cost/micro-usd";
import type { CostViewDeps, CostViewParams } from "@/lib/queries/cost-view";

// The composition root, authorisation and the cost query are replaced, so each route's own
// handling (roles, parameters, bodies, headers, typed errors) runs without a table.
let role: Role = "finance";
let stored: StoredCostSettings = { settings: DEFAULT_COST_SETTINGS, version: 0, updatedBy: null, updatedAtMs: null };
let corrupt = false;
const puts: CostSettings[] = [];
const costSettings = {
  async get() {
    return stored.settings;
  },
  async getStored() {
    if (corrupt) throw new CorruptCostSettingsError([{ path: "budgets[0].bucket", message: "must be a bucket id" }]);
    return stored;
  },
  async putStored(settings: CostSettings, meta: { updatedBy: string; atMs: number }, expectedVersion?: number) {
    if (expectedVersion !== undefined && expectedVersion !== stored.version) throw new CostSettingsVersionConflictError(expectedVersion);
    puts.push(settings);
    stored = { settings, version: stored.version + 1, updatedBy: meta.updatedBy, updatedAtMs: meta.atMs };
    return stored;
  },
};
const config = { COST_ALLOCATION_TAG_KEYS: ["team", "env"], SIGHTLINE_ACCOUNT_ID: "123456789012" };
vi.mock("@/app/_server/deps", () => ({ getDeps: () => ({ config, costSettings, costLines: {}, functions: {}, series: {}, reportStats: {}, serviceGraph: {}, watermarks: {} }) }));
vi.mock("@/app/_server/api-auth", () => ({
  authorize: async (_request: Request, permission: Permission) => {
    if (!roleCan(role, permission)) throw new ForbiddenError(`role "${role}" lacks the permission "${permission}"`);
    return { subject: `${role}-user`, role, via: "session" };
  },
}));
let exportRows: CostExportRow[] = [];
const exportCalls: { deps: CostViewDeps; params: Omit<CostViewParams, "bucket"> }[] = [];
let viewResult: { kind: "ok"; view: Record<string, unknown> } | { kind: "no-data"; message: string } = { kind: "no-data", message: "no costs have been collected yet" };
const viewCalls: CostViewParams[] = [];
vi.mock("@/lib/queries/cost-view", () => ({
  getCostView: async (_deps: CostViewDeps, params: CostViewParams) => {
    viewCalls.push(params);
    return viewResult;
  },
  getCostExportRows: async (deps: CostViewDeps, params: Omit<CostViewParams, "bucket">) => {
    exportCalls.push({ deps, params });
    return exportRows;
  },
}));

const viewRoute = await import("@/app/api/v1/costs/route");
const exportRoute = await import("@/app/api/v1/costs/export/route");
const settingsRoute = await import("@/app/api/v1/costs/settings/route");

const BASE = "http://127.0.0.1:3000/api/v1/costs";

function aRow(overrides: Partial<CostExportRow> = {}): CostExportRow {
  return {
    dayMs: Date.UTC(2026, 10, 2),
    estimated: false,
    groupBy: "tag:team",
    bucket: { kind: "value", value: "payments" },
    service: "AWS Lambda",
    source: "tagged",
    billedMicroUsd: 1_500_000,
    effectiveMicroUsd: 1_400_000,
    tags: { team: "payments" },
    accountId: "123456789012",
    ...overrides,
  };
}

beforeEach(() => {
  role = "finance";
  stored = { settings: DEFAULT_COST_SETTINGS, version: 0, updatedBy: null, updatedAtMs: null };
  corrupt = false;
  puts.length = 0;
  exportRows = [];
  exportCalls.length = 0;
  viewCalls.length = 0;
  viewResult = { kind: "no-data", message: "no costs have been collected yet" };
});

describe("GET /api/v1/costs", () => {
  const get = (query: string) => viewRoute.GET(new Request(`${BASE}${query}`));

  it("hands the parsed grouping, whole-day window, bucket and account to the view and answers it as JSON", async () => {
    viewResult = { kind: "ok", view: { totals: { billMicroUsd: 42 } } };
    const response = await get("?groupBy=tag:env&from=2026-11-01&to=2026-11-08&bucket=unallocated&account=210987654321");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ totals: { billMicroUsd: 42 }, range: "custom" });
    expect(viewCalls).toEqual([
      { groupBy: { kind: "tag", key: "env" }, window: { fromMs: Date.UTC(2026, 10, 1), toMs: Date.UTC(2026, 10, 8) }, bucket: "unallocated", range: "custom", accountId: "210987654321" },
    ]);
  });

  it.each(["viewer", "sre", "engineer"] as const)("refuses %s (costs:read is finance and admin)", async (r) => {
    role = r;
    const response = await get("?groupBy=tag:team");
    expect(response.status).toBe(403);
    expect(viewCalls).toEqual([]);
  });

  it.each([
    ["?groupBy=tag:cost-center", "groupBy"],
    ["?from=2026-11-01", "to"],
    ["?from=2026-11-31&to=2026-12-02", "from"],
    ["?range=1y", "range"],
    ["?bucket=team:payments", "bucket"],
    ["?account=12345", "account"],
  ])("%s is a 400 naming %s, and the view is not read", async (query, field) => {
    const response = await get(query);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("bad-request");
    expect(body.error.message.startsWith(field)).toBe(true);
    expect(viewCalls).toEqual([]);
  });

  it("is a 422 no-data with the view's own message before any cost is collected", async () => {
    const response = await get("");
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: { code: "no-data", message: "no costs have been collected yet" } });
  });
});

describe("GET /api/v1/costs/export", () => {
  it("answers the CSV as an attachment named after grouping and days, money summing to the rows exactly", async () => {
    exportRows = [aRow(), aRow({ bucket: { kind: "unallocated" }, source: "untagged", tags: {}, billedMicroUsd: -1, effectiveMicroUsd: 0 }), aRow({ bucket: { kind: "idle" }, source: "idle", tags: {}, billedMicroUsd: 333_333 })];
    const response = await exportRoute.GET(new Request(`${BASE}/export?groupBy=tag:team&from=2026-11-01&to=2026-11-15`));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="sightline-costs-tag-team-2026-11-01-2026-11-15.csv"');
    expect(response.headers.get("cache-control")).toBe("no-store");
    const text = await response.text();
    const [header, ...lines] = text.trimEnd().split("\r\n");
    expect(header).toBe("date,account_id,group_by,allocation,bucket_kind,service,source,pool,cost_usd,effective_cost_usd,estimated");
    const sum = lines.map((l) => l.split(",")[8]!).reduce((s, cell) => s + (usdAmountToMicroUsd(cell) as { microUsd: number }).microUsd, 0);
    expect(sum).toBe(1_500_000 - 1 + 333_333);
    expect(exportCalls[0]!.params).toEqual({ groupBy: { kind: "tag", key: "team" }, window: { fromMs: Date.UTC(2026, 10, 1), toMs: Date.UTC(2026, 10, 15) } });
    expect(exportCalls[0]!.deps.tagKeys).toEqual(["team", "env"]);
    expect(exportCalls[0]!.deps.homeAccountId).toBe("123456789012");
  });

  it("answers FOCUS with its own file name", async () => {
    exportRows = [aRow()];
    const response = await exportRoute.GET(new Request(`${BASE}/export?format=focus&groupBy=service&from=2026-11-01&to=2026-11-02`));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="sightline-costs-focus-service-2026-11-01-2026-11-02.csv"');
    expect((await response.text()).startsWith("BilledCost,EffectiveCost,ListCost,ContractedCost,BillingCurrency,")).toBe(true);
  });

  it("keeps only the named bucket with ?bucket=", async () => {
    exportRows = [aRow(), aRow({ bucket: { kind: "idle" }, source: "idle", tags: {} })];
    const text = await (await exportRoute.GET(new Request(`${BASE}/export?range=7d&bucket=idle`))).text();
    expect(text.trimEnd().split("\r\n")).toHaveLength(2);
    expect(text).toContain(",idle,idle,AWS Lambda,idle,");
  });

  it("answers the header only for a window without rows", async () => {
    const response = await exportRoute.GET(new Request(`${BASE}/export?range=7d`));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("date,account_id,group_by,allocation,bucket_kind,service,source,pool,cost_usd,effective_cost_usd,estimated\r\n");
  });

  it.each([
    ["format=xlsx", "format", 'format: must be csv or focus, got "xlsx"'],
    ["groupBy=tag:teem", "groupBy", 'groupBy must be one of tag:team, tag:env, service, got "tag:teem"'],
    ["range=2w", "range", "range must be one of 7d, 14d, 30d, mtd"],
    ["from=2026-11-01", "to", "to: from and to must be given together"],
    ["from=2026-11-05&to=2026-11-01", "to", "to must be after from"],
    ["bucket=payments", "bucket", "bucket must be value:<name>, unallocated or idle"],
  ])("?%s is a 400 naming %s", async (query, field, message) => {
    const response = await exportRoute.GET(new Request(`${BASE}/export?${query}`));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string }; errors: { path: string }[] };
    expect(body.error.code).toBe("bad-request");
    expect(body.error.message.startsWith(message)).toBe(true);
    expect(body.errors[0]!.path).toBe(field);
    expect(exportCalls).toHaveLength(0);
  });

  it.each(["viewer", "sre", "engineer"] as const)("refuses the %s role (costs:read)", async (r) => {
    role = r;
    expect((await exportRoute.GET(new Request(`${BASE}/export`))).status).toBe(403);
  });
});

const VALID: CostSettings = {
  pools: [{ name: "platform", services: ["Amazon API Gateway"], tagKey: "team", rule: { method: "even" } }],
  budgets: [{ groupBy: "tag:team", bucket: "value:payments", monthlyMicroUsd: 1_200_000_000, alertAtRatios: [1, 0.8] }],
  applyFreeTier: false,
};

function put(body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`${BASE}/settings`, { method: "PUT", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
}

describe("GET /api/v1/costs/settings", () => {
  it("answers the defaults at version 0 before anything is saved, with the version as ETag", async () => {
    const response = await settingsRoute.GET(new Request(`${BASE}/settings`));
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe('"0"');
    expect(await response.json()).toEqual({ settings: DEFAULT_COST_SETTINGS, version: 0, updatedBy: null, updatedAtMs: null });
  });

  it("answers a corrupt stored document as a 500 naming the item and the field", async () => {
    corrupt = true;
    const response = await settingsRoute.GET(new Request(`${BASE}/settings`));
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: { message: string }; errors: unknown[] };
    expect(body.error.message).toContain("item SETTINGS / cost-settings");
    expect(body.errors).toEqual([{ path: "budgets[0].bucket", message: "must be a bucket id" }]);
  });

  it("refuses the viewer role", async () => {
    role = "viewer";
    expect((await settingsRoute.GET(new Request(`${BASE}/settings`))).status).toBe(403);
  });
});

describe("PUT /api/v1/costs/settings", () => {
  it("stores valid settings (normalised) and answers what was stored", async () => {
    const response = await settingsRoute.PUT(put(VALID));
    expect(response.status).toBe(200);
    const body = (await response.json()) as StoredCostSettings;
    expect(body.settings.budgets[0]!.alertAtRatios).toEqual([0.8, 1]);
    expect(body.version).toBe(1);
    expect(body.updatedBy).toBe("finance-user");
    expect(response.headers.get("etag")).toBe('"1"');
    expect(puts).toHaveLength(1);
  });

  it("refuses invalid settings with every field at fault, storing nothing", async () => {
    const bad = { ...VALID, budgets: [{ ...VALID.budgets[0], monthlyMicroUsd: -1, bucket: "payments" }], extra: true };
    const response = await settingsRoute.PUT(put(bad));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string }; errors: { path: string; message: string }[] };
    expect(body.error.code).toBe("bad-request");
    expect(body.errors.map((e) => e.path).sort()).toEqual(["budgets[0].bucket", "budgets[0].monthlyMicroUsd", "settings"]);
    expect(body.error.message).toMatch(/\(and 2 more\)$/);
    expect(puts).toHaveLength(0);
  });

  it("refuses budgets and pools naming a tag key this installation does not group by", async () => {
    const response = await settingsRoute.PUT(put({ ...VALID, pools: [{ ...VALID.pools[0]!, tagKey: "cost-center" }], budgets: [{ ...VALID.budgets[0]!, groupBy: "tag:teem" }] }));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { path: string; message: string }[] };
    expect(body.errors.map((e) => e.path)).toEqual(["budgets[0].groupBy", "pools[0].tagKey"]);
    expect(body.errors[0]!.message).toContain("tag:team, tag:env, service");
    expect(puts).toHaveLength(0);
  });

  it("refuses a body that is not JSON, too large, or not sent as JSON", async () => {
    const notJson = await settingsRoute.PUT(put("{pools:"));
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { message: string } }).error.message).toMatch(/^body: not valid JSON/);
    const large = await settingsRoute.PUT(put({ ...VALID, padding: "x".repeat(70_000) }));
    expect(large.status).toBe(413);
    const yaml = await settingsRoute.PUT(new Request(`${BASE}/settings`, { method: "PUT", headers: { "content-type": "application/yaml" }, body: "pools: []" }));
    expect(yaml.status).toBe(415);
    expect(puts).toHaveLength(0);
  });

  it("with If-Match saves only over that version (409 otherwise)", async () => {
    expect((await settingsRoute.PUT(put(VALID, { "if-match": '"0"' }))).status).toBe(200);
    const stale = await settingsRoute.PUT(put(VALID, { "if-match": '"0"' }));
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { error: { code: string } }).error.code).toBe("conflict");
    expect((await settingsRoute.PUT(put(VALID, { "if-match": 'W/"1"' }))).status).toBe(200);
    expect((await settingsRoute.PUT(put(VALID, { "if-match": "1" }))).status).toBe(400);
    expect(puts).toHaveLength(2);
  });

  it.each(["viewer", "sre", "engineer"] as const)("refuses the %s role (costs:write)", async (r) => {
    role = r;
    expect((await settingsRoute.PUT(put(VALID))).status).toBe(403);
    expect(puts).toHaveLength(0);
  });
});
