import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ForbiddenError } from "@/app/_server/http-errors";
import { roleCan, type Permission, type Role } from "@/lib/domain/access/roles";
import { aFunction } from "@/tests/builders/function-config";
import { aSloStatus } from "@/tests/builders/slo";
import { InMemorySloStore } from "@/tests/fakes/in-memory-slo-store";
import { InMemoryFunctionStore, InMemorySeriesStore } from "@/tests/fakes/in-memory-stores";

// The composition root and authorisation are replaced, so each route's own handling (bodies,
// content types, typed store errors, roles) runs without a server or a table.
const slos = new InMemorySloStore();
const functions = new InMemoryFunctionStore();
let role: Role = "sre";
vi.mock("@/app/_server/deps", () => ({
  getDeps: () => ({
    slos,
    functions,
    series: new InMemorySeriesStore(),
    serviceGraph: { readSnapshots: async () => [], readServiceGraph: async () => ({ nodes: [] }) },
    reportStats: { readStats: async () => [] },
    settings: { getOwnAccountId: async () => "123456789012" },
    config: { AWS_REGION: "us-east-1" },
  }),
}));
vi.mock("@/app/_server/api-auth", () => ({
  authorize: async (_request: Request, permission: Permission) => {
    if (!roleCan(role, permission)) throw new ForbiddenError(`role "${role}" lacks the permission "${permission}"`);
    return { subject: "sam", role, via: "session" };
  },
}));

const list = await import("@/app/api/v1/slos/route");
const one = await import("@/app/api/v1/slos/[id]/route");

const URL_BASE = "http://127.0.0.1:3000/api/v1/slos";
const spec = {
  id: "payments-availability",
  name: "Payments API availability",
  service: "payments",
  accountId: "123456789012",
  region: "us-east-1",
  target: { kind: "function", functionName: "payments-api" },
  indicator: { kind: "availability", source: "cloudwatch" },
  objective: 0.999,
  window: { kind: "rolling", days: 30 },
};
const postJson = (body: unknown) => list.POST(new Request(URL_BASE, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }));
const postYaml = (yaml: string) => list.POST(new Request(URL_BASE, { method: "POST", headers: { "content-type": "application/yaml" }, body: yaml }));
const put = (id: string, body: unknown) => one.PUT(new Request(`${URL_BASE}/${id}`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }));

beforeEach(async () => {
  role = "sre";
  for (const map of [slos.definitions, slos.statuses, slos.alerts, slos.ledgerDays, slos.ledgerStates]) map.clear();
  functions.items.clear();
  await functions.putFunctions([aFunction({ functionName: "payments-api", tags: { service: "payments" } })]);
});

describe("POST /api/v1/slos", () => {
  it("creates an SLO from JSON (201), recording who and with version 1", async () => {
    const response = await postJson(spec);
    expect(response.status).toBe(201);
    expect((await response.json()).slo).toMatchObject({ id: "payments-availability", version: 1, updatedBy: "sam", alerting: { enabled: true, minEvents: 100 } });
    expect(slos.definitions.has("payments-availability")).toBe(true);
  });

  it("rejects an invalid SLO with every field path at fault, writing nothing", async () => {
    const response = await postJson({ ...spec, objective: 99.9, window: { kind: "rolling", days: 14 } });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe("bad-request");
    expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["objective", "window.days"]);
    expect(body.error.message).toMatch(/^(objective|window\.days): .* \(and 1 more\)$/);
    expect(slos.definitions.size).toBe(0);
  });

  it("answers 409 when the id is taken", async () => {
    await postJson(spec);
    const response = await postJson({ ...spec, name: "another" });
    expect(response.status).toBe(409);
    expect((await response.json()).error.message).toMatch(/already exists; change it with PUT \/api\/v1\/slos\/payments-availability/);
    expect(slos.definitions.get("payments-availability")!.name).toBe("Payments API availability");
  });

  it("imports OpenSLO YAML: the scenario's default SLOs are created, a second import changes nothing", async () => {
    const yaml = readFileSync("infra/local/sim/scenarios/ecommerce.slos.yaml", "utf8");
    const first = await (await postYaml(yaml)).json();
    expect(first.created).toHaveLength(8);
    const second = await (await postYaml(yaml)).json();
    expect(second).toEqual({ created: [], updated: [], unchanged: first.created });
  });

  it("rejects a bad YAML document with its document number and field path, importing none of the file", async () => {
    const yaml = readFileSync("infra/local/sim/scenarios/ecommerce.slos.yaml", "utf8").replace("target: 0.95", "target: 1.5");
    const response = await postYaml(yaml);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors).toEqual([expect.objectContaining({ document: 8, path: "spec.objectives[0].target" })]);
    expect(body.error.message).toMatch(/^document 8: spec\.objectives\[0\]\.target: /);
    expect(slos.definitions.size).toBe(0);
  });

  it("answers 415 for a body that is neither JSON nor YAML, and 400 for broken JSON", async () => {
    const text = await list.POST(new Request(URL_BASE, { method: "POST", headers: { "content-type": "text/plain" }, body: "hi" }));
    expect(text.status).toBe(415);
    const broken = await list.POST(new Request(URL_BASE, { method: "POST", headers: { "content-type": "application/json" }, body: "{" }));
    expect(broken.status).toBe(400);
    expect((await broken.json()).error.message).toMatch(/^body: not valid JSON/);
  });

  it("refuses a viewer (403) and writes nothing", async () => {
    role = "viewer";
    const response = await postJson(spec);
    expect(response.status).toBe(403);
    expect(slos.definitions.size).toBe(0);
  });
});

describe("GET /api/v1/slos", () => {
  it("lists the SLOs with their latest evaluation, paging first", async () => {
    await postJson(spec);
    await postJson({ ...spec, id: "users-availability", name: "Users", target: { kind: "function", functionName: "users-api" } });
    await slos.putStatus(aSloStatus({ sloId: "users-availability", level: "page" }));
    await slos.putStatus(aSloStatus());
    role = "viewer";
    const body = await (await list.GET(new Request(URL_BASE))).json();
    expect(body.rows.map((r: { id: string; level: string }) => [r.id, r.level])).toEqual([
      ["users-availability", "page"],
      ["payments-availability", "ok"],
    ]);
    expect(body.counts).toEqual({ page: 1, ticket: 0, ok: 1, unevaluated: 0 });
  });

  it("exports OpenSLO YAML with format=openslo, and names a bad format", async () => {
    await postJson(spec);
    const response = await list.GET(new Request(`${URL_BASE}?format=openslo`));
    expect(response.headers.get("content-type")).toMatch(/^application\/yaml/);
    const yaml = await response.text();
    expect(yaml).toContain("kind: SLO");
    expect(yaml).toContain("name: payments-availability");
    const bad = await list.GET(new Request(`${URL_BASE}?format=csv`));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toBe('format: must be json or openslo, got "csv"');
  });
});

describe("/api/v1/slos/<id>", () => {
  it("GET answers the detail view, 404 for an unknown id and 400 for a malformed one", async () => {
    await postJson(spec);
    const found = await one.GET(new Request(`${URL_BASE}/payments-availability?range=6h`));
    expect(found.status).toBe(200);
    expect((await found.json()).row).toMatchObject({ id: "payments-availability", level: "unevaluated" });
    expect((await one.GET(new Request(`${URL_BASE}/nope`))).status).toBe(404);
    const malformed = await one.GET(new Request(`${URL_BASE}/Not_An_Id`));
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.message).toMatch(/^id: must be 1-63 lower-case letters/);
  });

  it("PUT replaces the SLO at the version it was read, and answers 409 for a stale version", async () => {
    await postJson(spec);
    const ok = await put("payments-availability", { ...spec, objective: 0.995, version: 1 });
    expect(ok.status).toBe(200);
    expect((await ok.json()).slo).toMatchObject({ objective: 0.995, version: 2 });
    const stale = await put("payments-availability", { ...spec, objective: 0.99, version: 1 });
    expect(stale.status).toBe(409);
    expect((await stale.json()).error.message).toMatch(/changed by someone else since version 1/);
    expect(slos.definitions.get("payments-availability")!.objective).toBe(0.995);
  });

  it("PUT refuses a rename and a missing version", async () => {
    await postJson(spec);
    const renamed = await put("payments-availability", { ...spec, id: "other", version: 1 });
    expect(renamed.status).toBe(400);
    expect((await renamed.json()).error.message).toMatch(/^id: the body's id "other" differs/);
    const versionless = await put("payments-availability", spec);
    expect(versionless.status).toBe(400);
    expect((await versionless.json()).error.message).toMatch(/^version: /);
  });

  it("DELETE removes the SLO with its history (204), then 404; a viewer may not", async () => {
    await postJson(spec);
    await slos.putStatus(aSloStatus());
    role = "viewer";
    expect((await one.DELETE(new Request(`${URL_BASE}/payments-availability`, { method: "DELETE" }))).status).toBe(403);
    role = "admin";
    expect((await one.DELETE(new Request(`${URL_BASE}/payments-availability`, { method: "DELETE" }))).status).toBe(204);
    expect(slos.statuses.size).toBe(0);
    expect((await one.DELETE(new Request(`${URL_BASE}/payments-availability`, { method: "DELETE" }))).status).toBe(404);
  });
});
