import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { defaultSloScope, exportSlos, importSlos, parseSloSpec } from "@/lib/use-cases/manage-slos";
import { SloNotFoundError } from "@/lib/domain/slo/slo-errors";
import { InMemorySloStore } from "@/tests/fakes/in-memory-slo-store";

const SCENARIO_SLOS = readFileSync("infra/local/sim/scenarios/ecommerce.slos.yaml", "utf8");
const SCOPE = { accountId: "123456789012", region: "us-east-1" };

describe("importSlos", () => {
  it("creates what is new, replaces what changed (a new version) and leaves the rest alone", async () => {
    const store = new InMemorySloStore();
    expect(await importSlos(store, { yaml: SCENARIO_SLOS, defaults: SCOPE, by: "cli", nowMs: 1 })).toMatchObject({ ok: true, outcome: { updated: [], unchanged: [] } });
    const edited = SCENARIO_SLOS.replace("target: 0.95", "target: 0.9");
    const result = await importSlos(store, { yaml: edited, defaults: SCOPE, by: "cli", nowMs: 2 });
    expect(result).toEqual({ ok: true, outcome: { created: [], updated: ["shipping-latency"], unchanged: expect.arrayContaining(["payments-availability"]) } });
    expect(store.definitions.get("shipping-latency")).toMatchObject({ objective: 0.9, version: 2, updatedAtMs: 2 });
    expect(store.definitions.get("payments-availability")!.version).toBe(1);
  });

  it("exports what it imported: export → import is unchanged", async () => {
    const store = new InMemorySloStore();
    await importSlos(store, { yaml: SCENARIO_SLOS, defaults: SCOPE, by: "cli", nowMs: 1 });
    const again = await importSlos(store, { yaml: await exportSlos(store), defaults: SCOPE, by: "cli", nowMs: 2 });
    expect(again.ok && again.outcome.unchanged).toHaveLength(8);
  });

  it("without a default scope, a document that names no account is refused with the annotation to add", async () => {
    const store = new InMemorySloStore();
    const bare = SCENARIO_SLOS.split("\n---\n")[1]!.replace(/^ {4}sightline\.dev\/account-id: .*\n/m, "");
    const result = await importSlos(store, { yaml: bare, defaults: null, by: "cli", nowMs: 1 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[0]!.message).toMatch(/sightline\.dev\/account-id/);
    expect(store.definitions.size).toBe(0);
  });

  it("exports only the ids asked for, and names an unknown one", async () => {
    const store = new InMemorySloStore();
    await importSlos(store, { yaml: SCENARIO_SLOS, defaults: SCOPE, by: "cli", nowMs: 1 });
    const yaml = await exportSlos(store, ["users-latency"]);
    expect(yaml.match(/kind: SLO/g)).toHaveLength(1);
    await expect(exportSlos(store, ["nope"])).rejects.toBeInstanceOf(SloNotFoundError);
  });
});

describe("parseSloSpec", () => {
  it("names nested fields with dots and list positions", () => {
    const result = parseSloSpec({ id: "x", name: "X", service: "s", accountId: "1", region: "us-east-1", target: { kind: "function", functionName: "f" }, indicator: { kind: "latency", method: "period", percentile: "p95", thresholdMs: -1 }, objective: 0.99, window: { kind: "calendar", unit: "week" } });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((e) => e.path).sort()).toEqual(["accountId", "indicator.percentile", "indicator.thresholdMs", "window.unit"]);
  });
});

describe("defaultSloScope", () => {
  it.each([
    ["the collectors' own account, in the console's region", "111111111111", [], { accountId: "111111111111", region: "eu-west-1" }],
    ["else the only account/region collected", null, [SCOPE, SCOPE], SCOPE],
    ["else nothing: several are collected", null, [SCOPE, { accountId: "210987654321", region: "us-east-1" }], null],
    ["else nothing: none is collected", null, [], null],
  ])("is %s", (_, ownAccountId, scopes, expected) => {
    expect(defaultSloScope({ ownAccountId, region: "eu-west-1", scopes })).toEqual(expected);
  });
});
