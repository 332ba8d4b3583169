import { beforeEach, describe, expect, it, vi } from "vitest";
import { ForbiddenError } from "@/app/_server/http-errors";
import { roleCan, ROLES, type Permission, type Role } from "@/lib/domain/access/roles";
import type { Recommendation, TuningChange } from "@/lib/domain/sizing/tuning-types";
import { InMemoryLambdaTuner, InMemoryTuningAuditStore } from "@/tests/fakes/in-memory-tuning";

// The composition root, authorisation and the recommendation lookup are replaced, so each
// route's own handling (roles, bodies, content types, typed errors) runs without AWS or a table.
const lambdaTuner = new InMemoryLambdaTuner();
const tuningAudit = new InMemoryTuningAuditStore();
const recommendations = new Map<string, Recommendation>();
let role: Role = "engineer";
vi.mock("@/app/_server/deps", () => ({ getDeps: () => ({ lambdaTuner, tuningAudit }) }));
vi.mock("@/app/_server/api-auth", () => ({
  authorize: async (_request: Request, permission: Permission) => {
    if (!roleCan(role, permission)) throw new ForbiddenError(`role "${role}" lacks the permission "${permission}"`);
    return { subject: `${role}-user`, role, via: "session" };
  },
}));
vi.mock("@/lib/queries/tuning-view", () => ({ findRecommendation: async (_deps: unknown, id: string) => recommendations.get(id) ?? null }));

const apply = await import("@/app/api/v1/tuning/apply/route");
const rollback = await import("@/app/api/v1/tuning/rollback/route");
const audit = await import("@/app/api/v1/tuning/audit/route");

const BASE = "http://127.0.0.1:3000/api/v1/tuning";
const REF = { accountId: "123456789012", region: "us-east-1", functionName: "inventory-api" };
const MEMORY_REC = `${REF.accountId}/${REF.region}/${REF.functionName}/memory`;
const ARCH_REC = `${REF.accountId}/${REF.region}/${REF.functionName}/architecture`;

function aRecommendation(id: string, change: TuningChange | null, notAppliableReason: string | null = null): Recommendation {
  return {
    id,
    ...REF,
    kind: change?.kind ?? "architecture",
    finding: change ? "over-provisioned-memory" : "arm64-candidate",
    summary: "",
    current: "",
    proposed: "",
    change,
    notAppliableReason,
    revert: change ? { kind: "memory", memoryMb: 1024 } : null,
    monthlyCost: { currentUsd: 1, projectedUsd: { lower: 1, expected: 1, upper: 1 }, deltaUsd: { lower: 0, expected: 0, upper: 0 } },
    effects: {},
    confidence: "high",
    evidence: [],
    assumptions: [],
    riskUnits: 1,
  };
}

const post = (route: { POST: (r: Request) => Promise<Response> }, path: string, body: unknown, contentType = "application/json") =>
  route.POST(new Request(`${BASE}/${path}`, { method: "POST", headers: { "content-type": contentType }, body: typeof body === "string" ? body : JSON.stringify(body) }));
const postApply = (body: unknown, contentType?: string) => post(apply, "apply", body, contentType);
const postRollback = (body: unknown) => post(rollback, "rollback", body);
const getAudit = (query = "") => audit.GET(new Request(`${BASE}/audit${query}`));
const validApply = { recommendationId: MEMORY_REC, expectedBefore: { kind: "memory", memoryMb: 1024 } };

beforeEach(() => {
  role = "engineer";
  lambdaTuner.settings.clear();
  lambdaTuner.writes.length = 0;
  lambdaTuner.refuseNext = null;
  tuningAudit.entries.length = 0;
  recommendations.clear();
  recommendations.set(MEMORY_REC, aRecommendation(MEMORY_REC, { kind: "memory", memoryMb: 512 }));
  recommendations.set(ARCH_REC, aRecommendation(ARCH_REC, null, "moving to arm64 needs a new build of the code"));
});

describe("who may apply and roll back", () => {
  const refused = ROLES.filter((r) => !roleCan(r, "tuning:apply"));
  const allowed = ROLES.filter((r) => roleCan(r, "tuning:apply"));

  it("only engineers and admins hold tuning:apply", () => {
    expect(refused).toEqual(["viewer", "sre", "finance"]);
    expect(allowed).toEqual(["engineer", "admin"]);
  });

  it.each(refused)("refuses %s on apply (403) and changes nothing", async (r) => {
    role = r;
    const response = await postApply(validApply);
    expect(response.status).toBe(403);
    expect((await response.json()).error).toEqual({ code: "forbidden", message: `role "${r}" lacks the permission "tuning:apply"` });
    expect(lambdaTuner.writes).toEqual([]);
    expect(tuningAudit.entries).toEqual([]);
  });

  it.each(refused)("refuses %s on rollback (403) and changes nothing", async (r) => {
    role = "engineer";
    const { entry } = await (await postApply(validApply)).json();
    role = r;
    const response = await postRollback({ auditId: entry.id });
    expect(response.status).toBe(403);
    expect(lambdaTuner.writes).toHaveLength(1);
    expect(tuningAudit.entries).toHaveLength(1);
  });

  it.each(allowed)("lets %s apply and roll back, recording them as the actor", async (r) => {
    role = r;
    const applied = await postApply(validApply);
    expect(applied.status).toBe(200);
    const { entry } = await applied.json();
    expect(entry).toMatchObject({ actor: `${r}-user`, role: r, action: "apply", recommendationId: MEMORY_REC, result: "succeeded", after: { memoryMb: 512 } });
    const rolledBack = await postRollback({ auditId: entry.id });
    expect(rolledBack.status).toBe(200);
    expect((await rolledBack.json()).entry).toMatchObject({ actor: `${r}-user`, action: "rollback", rollbackOf: entry.id, after: { memoryMb: 1024 } });
    expect(lambdaTuner.writes.map((w) => w.change)).toEqual([{ kind: "memory", memoryMb: 512 }, { kind: "memory", memoryMb: 1024 }]);
  });

  it.each(ROLES)("lets %s read the audit log (fleet:read)", async (r) => {
    role = r;
    expect((await getAudit()).status).toBe(200);
  });
});

describe("POST /api/v1/tuning/apply", () => {
  it("answers 415 for a body that is not JSON", async () => {
    const response = await postApply("recommendationId=x", "application/x-www-form-urlencoded");
    expect(response.status).toBe(415);
    expect((await response.json()).error.code).toBe("unsupported-media-type");
  });

  it.each([
    [{ expectedBefore: { kind: "memory", memoryMb: 1024 } }, /^recommendationId: /],
    [{ recommendationId: MEMORY_REC, expectedBefore: { kind: "memory", memoryMb: 10.5 } }, /^expectedBefore\.memoryMb: must be a whole number of MB/],
    [{ recommendationId: MEMORY_REC, expectedBefore: { kind: "cpu" } }, /^expectedBefore\.kind: /],
    [{ recommendationId: MEMORY_REC }, /^expectedBefore: /],
    [[1, 2], /^body: /],
  ])("answers 400 naming the field at fault (%j)", async (body, message) => {
    const response = await postApply(body);
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(message);
    expect(tuningAudit.entries).toEqual([]);
  });

  it("answers 400 for malformed JSON", async () => {
    const response = await postApply("{");
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(/^body: not valid JSON/);
  });

  it("answers 400 when expectedBefore is about another setting than the change", async () => {
    const response = await postApply({ recommendationId: MEMORY_REC, expectedBefore: { kind: "reserved-concurrency", executions: null } });
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(/^expectedBefore: must describe the same setting as the change \(memory size\)/);
  });

  it("answers 404 for an unknown recommendation", async () => {
    const response = await postApply({ ...validApply, recommendationId: "123456789012/us-east-1/nope/memory" });
    expect(response.status).toBe(404);
    expect((await response.json()).error.message).toBe('no recommendation with id "123456789012/us-east-1/nope/memory"');
  });

  it("answers 409 with the reason when the recommendation has no applicable change", async () => {
    const response = await postApply({ recommendationId: ARCH_REC, expectedBefore: { kind: "memory", memoryMb: 1024 } });
    expect(response.status).toBe(409);
    expect((await response.json()).error.message).toMatch(/cannot be applied from the console: moving to arm64 needs a new build/);
    expect(lambdaTuner.writes).toEqual([]);
  });

  it("answers 409 with the current value when the setting moved since the diff, writing nothing", async () => {
    lambdaTuner.set(REF, { kind: "memory", memoryMb: 2048 });
    const response = await postApply(validApply);
    expect(response.status).toBe(409);
    const body = await response.json();
    expect(body.error).toEqual({ code: "conflict", message: "inventory-api changed since you looked: now 2,048 MB, you saw 1,024 MB; review the change again" });
    expect(body.current).toEqual({ kind: "memory", memoryMb: 2048 });
    expect(lambdaTuner.writes).toEqual([]);
    expect(tuningAudit.entries).toEqual([]);
  });

  it("answers 502 with the recorded failed entry when Lambda refuses", async () => {
    lambdaTuner.refuseNext = "InvalidParameterValueException: something Lambda did not like";
    const response = await postApply(validApply);
    expect(response.status).toBe(502);
    const body = await response.json();
    expect(body.error.code).toBe("aws-error");
    expect(body.error.message).toMatch(/: InvalidParameterValueException: something Lambda did not like$/);
    expect(body.entry).toMatchObject({ result: "failed", error: "InvalidParameterValueException: something Lambda did not like", operation: "UpdateFunctionConfiguration" });
    expect(tuningAudit.entries).toEqual([body.entry]);
  });
});

describe("POST /api/v1/tuning/rollback and GET /api/v1/tuning/audit", () => {
  it("answers 400 for a malformed audit id and 404 for an unknown one", async () => {
    const bad = await postRollback({ auditId: "../x" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/^auditId: must be a tuning audit entry id/);
    const unknown = await postRollback({ auditId: "1795000000000-0123456789abcdef" });
    expect(unknown.status).toBe(404);
  });

  it("lists entries newest first, filtered by function, and names a bad limit", async () => {
    await postApply(validApply);
    const response = await getAudit("?functionName=inventory-api&limit=5");
    expect(response.status).toBe(200);
    const { entries } = await response.json();
    expect(entries).toHaveLength(1);
    expect((await (await getAudit("?functionName=orders-api")).json()).entries).toEqual([]);
    const bad = await getAudit("?limit=0");
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/^limit: must be 1-500/);
    const twice = await getAudit("?limit=1&limit=2");
    expect((await twice.json()).error.message).toBe("limit: given more than once");
  });
});
