import { describe, expect, it } from "vitest";
import { PERCENT_SUM_TOLERANCE } from "@/lib/domain/cost/apportion";
import {
  DEFAULT_COST_POOLS,
  DEFAULT_COST_SETTINGS,
  SHARED_SERVICES,
  formatSettingsPath,
  parseCostSettings,
  poolsFor,
} from "@/lib/domain/cost/cost-settings";
import type { CostBudget, CostPool } from "@/lib/domain/cost/cost-types";
import { USAGE_KINDS } from "@/infra/local/sim/cost/usage-types";

const pool = (overrides: Partial<CostPool> = {}): CostPool => ({
  name: "shared-platform",
  services: ["Amazon API Gateway"],
  tagKey: "team",
  rule: { method: "proportional", basis: "cost" },
  ...overrides,
});
const budget = (overrides: Partial<CostBudget> = {}): CostBudget => ({
  groupBy: "tag:team",
  bucket: "value:payments",
  monthlyMicroUsd: 500_000_000,
  alertAtRatios: [0.8, 1],
  ...overrides,
});
const settings = (overrides: Record<string, unknown> = {}) => ({ pools: [pool()], budgets: [budget()], applyFreeTier: false, ...overrides });

/** The paths of the errors parseCostSettings reports (and the parse must fail). */
function errorPaths(input: unknown): string[] {
  const result = parseCostSettings(input);
  if (result.kind === "ok") throw new Error(`expected invalid settings, got ok: ${JSON.stringify(result.settings)}`);
  for (const e of result.errors) expect(e.message.length).toBeGreaterThan(0);
  return result.errors.map((e) => e.path);
}

describe("defaults", () => {
  it("the shared services are the simulator's SERVICE names of API Gateway, DynamoDB, EventBridge, SQS, SNS, CloudWatch and X-Ray", () => {
    const simServices = new Set(Object.values(USAGE_KINDS).map((k) => k.service));
    for (const service of SHARED_SERVICES) expect(simServices.has(service)).toBe(true);
    expect([...simServices].filter((s) => !SHARED_SERVICES.includes(s))).toEqual(["AWS Lambda"]);
  });

  it("one pool over the shared services, for every tag key, proportional to tagged cost", () => {
    expect(DEFAULT_COST_POOLS).toEqual([{ name: "shared-services", services: [...SHARED_SERVICES], tagKey: "*", rule: { method: "proportional", basis: "cost" } }]);
    expect(DEFAULT_COST_SETTINGS).toEqual({ pools: DEFAULT_COST_POOLS, budgets: [], applyFreeTier: false });
  });

  it("the defaults parse, unchanged", () => {
    expect(parseCostSettings(DEFAULT_COST_SETTINGS)).toEqual({ kind: "ok", settings: DEFAULT_COST_SETTINGS });
  });

  it("a full valid configuration parses (all three rules, budgets on tag, service, unallocated and idle)", () => {
    const input = {
      pools: [
        pool({ name: "apis", services: ["Amazon API Gateway"], tagKey: "team", rule: { method: "fixed", percentages: { payments: 60, commerce: 40 } } }),
        pool({ name: "messaging", services: ["Amazon Simple Queue Service", "Amazon Simple Notification Service"], tagKey: "team", rule: { method: "even" } }),
        pool({ name: "apis-by-env", services: ["Amazon API Gateway"], tagKey: "env", rule: { method: "proportional", basis: "requests" } }),
        pool({ name: "tables", services: ["Amazon DynamoDB"], tagKey: "*", rule: { method: "proportional", basis: "gb-seconds" } }),
      ],
      budgets: [
        budget(),
        budget({ groupBy: "service", bucket: "value:AWS Lambda" }),
        budget({ bucket: "unallocated", alertAtRatios: [1] }),
        budget({ groupBy: "tag:cost-center", bucket: "idle", alertAtRatios: [0.5, 0.9, 1, 1.2, 5] }),
      ],
      applyFreeTier: true,
    };
    expect(parseCostSettings(input)).toEqual({ kind: "ok", settings: input });
  });

  it("alert ratios come back ascending and each once", () => {
    const result = parseCostSettings(settings({ budgets: [budget({ alertAtRatios: [1, 0.8, 0.8] })] }));
    expect(result.kind === "ok" && result.settings.budgets[0]!.alertAtRatios).toEqual([0.8, 1]);
  });

  it("fixed percentages may miss 100 by float noise (within 1e-9)", () => {
    expect(parseCostSettings(settings({ pools: [pool({ rule: { method: "fixed", percentages: { a: 33.3, b: 33.3, c: 33.4 } } })] })).kind).toBe("ok");
    expect(parseCostSettings(settings({ pools: [pool({ rule: { method: "fixed", percentages: { a: 50, b: 50 + PERCENT_SUM_TOLERANCE * 10 } } })] })).kind).toBe("invalid");
  });
});

describe("every invalid field is named by its path", () => {
  it.each<[string, unknown, string]>([
    // the whole
    ["not an object", "pools", "settings"],
    ["an unknown top-level key", { ...settings(), currency: "EUR" }, "settings"],
    ["pools missing", { budgets: [], applyFreeTier: false }, "pools"],
    ["applyFreeTier not a boolean", settings({ applyFreeTier: "yes" }), "applyFreeTier"],
    ["51 pools", settings({ pools: Array.from({ length: 51 }, (_, i) => pool({ name: `p${i}`, services: [`S${i}`] })) }), "pools"],
    ["201 budgets", settings({ budgets: Array.from({ length: 201 }, (_, i) => budget({ bucket: `value:v${i}` })) }), "budgets"],
    // pools
    ["an unknown key in a pool", settings({ pools: [{ ...pool(), owner: "finops" }] }), "pools[0]"],
    ["an empty pool name", settings({ pools: [pool({ name: "" })] }), "pools[0].name"],
    ["a pool name of 65 characters", settings({ pools: [pool({ name: "p".repeat(65) })] }), "pools[0].name"],
    ["a duplicate pool name", settings({ pools: [pool({ tagKey: "team" }), pool({ tagKey: "env" })] }), "pools[1].name"],
    ["a pool with no services", settings({ pools: [pool({ services: [] })] }), "pools[0].services"],
    ["an empty service name", settings({ pools: [pool({ services: ["Amazon DynamoDB", ""] })] }), "pools[0].services[1]"],
    ["a service name of 129 characters", settings({ pools: [pool({ services: ["s".repeat(129)] })] }), "pools[0].services[0]"],
    ["AWS Lambda in a pool", settings({ pools: [pool({ services: ["Amazon DynamoDB", "AWS Lambda"] })] }), "pools[0].services[1]"],
    ["a service twice in one pool", settings({ pools: [pool({ services: ["Amazon DynamoDB", "Amazon DynamoDB"] })] }), "pools[0].services[1]"],
    [
      "a service in two pools of one tag key",
      settings({ pools: [pool({ name: "a", services: ["Amazon DynamoDB"] }), pool({ name: "b", services: ["AWS X-Ray", "Amazon DynamoDB"] })] }),
      "pools[1].services[1]",
    ],
    [
      "a service in a \"*\" pool and a pool of a key",
      settings({ pools: [pool({ name: "all", tagKey: "*", services: ["Amazon DynamoDB"] }), pool({ name: "team", tagKey: "team", services: ["Amazon DynamoDB"] })] }),
      "pools[1].services[0]",
    ],
    ["an empty tag key", settings({ pools: [pool({ tagKey: "" })] }), "pools[0].tagKey"],
    ["a tag key with a character AWS refuses", settings({ pools: [pool({ tagKey: "team!" })] }), "pools[0].tagKey"],
    ["a tag key of 129 characters", settings({ pools: [pool({ tagKey: "k".repeat(129) })] }), "pools[0].tagKey"],
    ["a fixed split on \"*\"", settings({ pools: [pool({ tagKey: "*", rule: { method: "fixed", percentages: { a: 100 } } })] }), "pools[0].tagKey"],
    ["an unknown method", settings({ pools: [pool({ rule: { method: "weighted" } as never })] }), "pools[0].rule.method"],
    ["an unknown basis", settings({ pools: [pool({ rule: { method: "proportional", basis: "invocations" } as never })] }), "pools[0].rule.basis"],
    ["a basis on an even rule", settings({ pools: [pool({ rule: { method: "even", basis: "cost" } as never })] }), "pools[0].rule"],
    ["fixed without entries", settings({ pools: [pool({ rule: { method: "fixed", percentages: {} } })] }), "pools[0].rule.percentages"],
    ["fixed summing to 90", settings({ pools: [pool({ rule: { method: "fixed", percentages: { a: 50, b: 40 } } })] }), "pools[0].rule.percentages"],
    ["fixed summing to 110", settings({ pools: [pool({ rule: { method: "fixed", percentages: { a: 60, b: 50 } } })] }), "pools[0].rule.percentages"],
    ["a 0 % entry", settings({ pools: [pool({ rule: { method: "fixed", percentages: { payments: 100, commerce: 0 } } })] }), "pools[0].rule.percentages.commerce"],
    ["a 150 % entry", settings({ pools: [pool({ rule: { method: "fixed", percentages: { payments: 150, commerce: -50 } } })] }), "pools[0].rule.percentages.payments"],
    ["an infinite entry", settings({ pools: [pool({ rule: { method: "fixed", percentages: { payments: Number.POSITIVE_INFINITY } } })] }), "pools[0].rule.percentages.payments"],
    ["a percentage that is not a number", settings({ pools: [pool({ rule: { method: "fixed", percentages: { payments: "100" } } as never })] }), "pools[0].rule.percentages.payments"],
    ["an empty value name", settings({ pools: [pool({ rule: { method: "fixed", percentages: { "": 100 } } })] }), 'pools[0].rule.percentages[""]'],
    // budgets
    ["an unknown key in a budget", settings({ budgets: [{ ...budget(), owner: "x" }] }), "budgets[0]"],
    ["groupBy neither service nor tag:<key>", settings({ budgets: [budget({ groupBy: "team" })] }), "budgets[0].groupBy"],
    ["groupBy tag: without a key", settings({ budgets: [budget({ groupBy: "tag:" })] }), "budgets[0].groupBy"],
    ["a bucket that is no bucket id", settings({ budgets: [budget({ bucket: "payments" })] }), "budgets[0].bucket"],
    ["value: without a value", settings({ budgets: [budget({ bucket: "value:" })] }), "budgets[0].bucket"],
    ["a zero limit", settings({ budgets: [budget({ monthlyMicroUsd: 0 })] }), "budgets[0].monthlyMicroUsd"],
    ["a fractional limit", settings({ budgets: [budget({ monthlyMicroUsd: 1.5 })] }), "budgets[0].monthlyMicroUsd"],
    ["a limit beyond 2^53 − 1", settings({ budgets: [budget({ monthlyMicroUsd: 2 ** 53 })] }), "budgets[0].monthlyMicroUsd"],
    ["no alert ratio", settings({ budgets: [budget({ alertAtRatios: [] })] }), "budgets[0].alertAtRatios"],
    ["six alert ratios", settings({ budgets: [budget({ alertAtRatios: [0.5, 0.6, 0.7, 0.8, 0.9, 1] })] }), "budgets[0].alertAtRatios"],
    ["an alert ratio of 0", settings({ budgets: [budget({ alertAtRatios: [0, 1] })] }), "budgets[0].alertAtRatios[0]"],
    ["an alert ratio above 5", settings({ budgets: [budget({ alertAtRatios: [1, 5.5] })] }), "budgets[0].alertAtRatios[1]"],
    ["two budgets for one grouping and bucket", settings({ budgets: [budget(), budget({ monthlyMicroUsd: 1 })] }), "budgets[1].bucket"],
  ])("%s → %s", (_, input, path) => {
    expect(errorPaths(input)).toContain(path);
  });

  it("messages say what is wrong in words, also for a record key", () => {
    const result = parseCostSettings(settings({ pools: [pool({ rule: { method: "fixed", percentages: { "": 100 } } })] }));
    expect(result).toEqual({ kind: "invalid", errors: [{ path: 'pools[0].rule.percentages[""]', message: "a percentage must name a tag value" }] });
    const fixedOnStar = parseCostSettings(settings({ pools: [pool({ tagKey: "*", rule: { method: "fixed", percentages: { a: 100 } } })] }));
    expect(fixedOnStar.kind === "invalid" && fixedOnStar.errors[0]!.message).toMatch(/set tagKey to that key/);
  });

  it("the same bucket under two groupings is two budgets, not a duplicate", () => {
    expect(parseCostSettings(settings({ budgets: [budget(), budget({ groupBy: "tag:cost-center" })] })).kind).toBe("ok");
  });

  it("a service may be in one pool per tag key", () => {
    const pools = [pool({ name: "by-team", tagKey: "team" }), pool({ name: "by-env", tagKey: "env" })];
    expect(parseCostSettings(settings({ pools })).kind).toBe("ok");
  });

  it("reports every problem at once, not only the first", () => {
    expect(errorPaths(settings({ pools: [pool({ name: "" }), pool({ name: "b", tagKey: "bad!" })], applyFreeTier: 1 }))).toEqual(
      expect.arrayContaining(["pools[0].name", "pools[1].tagKey", "applyFreeTier"]),
    );
  });
});

describe("formatSettingsPath", () => {
  it.each<[PropertyKey[], string]>([
    [[], "settings"],
    [["pools", 1, "rule", "percentages"], "pools[1].rule.percentages"],
    [["pools", 0, "rule", "percentages", "data platform"], 'pools[0].rule.percentages["data platform"]'],
    [["budgets", 3, "alertAtRatios", 0], "budgets[3].alertAtRatios[0]"],
  ])("%j → %s", (path, text) => {
    expect(formatSettingsPath(path)).toBe(text);
  });
});

describe("poolsFor", () => {
  const all = pool({ name: "all", tagKey: "*" });
  const team = pool({ name: "team", tagKey: "team", services: ["Amazon DynamoDB"] });
  const env = pool({ name: "env", tagKey: "env", services: ["Amazon DynamoDB"] });

  it("a tag grouping gets the pools of its key and the \"*\" pools, in order", () => {
    expect(poolsFor([all, team, env], "team")).toEqual([all, team]);
    expect(poolsFor([all, team, env], "env")).toEqual([all, env]);
    expect(poolsFor([all, team, env], "cost-center")).toEqual([all]);
  });

  it("groupBy service (null) gets none: untagged cost is simply its service's", () => {
    expect(poolsFor([all, team, env], null)).toEqual([]);
  });
});
