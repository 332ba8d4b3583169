import { describe, expect, it } from "vitest";
import { rankRecommendations } from "@/lib/domain/sizing/rank";
import type { Recommendation } from "@/lib/domain/sizing/tuning-types";

function aRecommendation(fields: { functionName: string; deltaUsd: number; riskUnits: number; effects?: Recommendation["effects"] }): Recommendation {
  const r = (v: number) => ({ lower: v, expected: v, upper: v });
  return {
    id: `123456789012/us-east-1/${fields.functionName}/memory`,
    accountId: "123456789012",
    region: "us-east-1",
    functionName: fields.functionName,
    kind: "memory",
    finding: "over-provisioned-memory",
    summary: "",
    current: "",
    proposed: "",
    change: null,
    notAppliableReason: null,
    revert: null,
    monthlyCost: { currentUsd: 100, projectedUsd: r(100 + fields.deltaUsd), deltaUsd: r(fields.deltaUsd) },
    effects: fields.effects ?? {},
    confidence: "high",
    evidence: [],
    assumptions: [],
    riskUnits: fields.riskUnits,
  };
}

const effect = (current: number, projected: number) => ({ current, projected: { lower: projected, expected: projected, upper: projected } });

describe("rankRecommendations", () => {
  it("puts savings first by saving per risk unit, then fixes by bad events removed per risk unit", () => {
    const ranked = rankRecommendations([
      aRecommendation({ functionName: "fix-small", deltaUsd: 5, riskUnits: 1, effects: { coldStartsPerDay: effect(10, 0) } }),
      aRecommendation({ functionName: "shaky-150", deltaUsd: -150, riskUnits: 3 }),
      aRecommendation({ functionName: "sure-100", deltaUsd: -100, riskUnits: 1 }),
      aRecommendation({ functionName: "fix-big", deltaUsd: 40, riskUnits: 2, effects: { throttlesPerDay: effect(1000, 0) } }),
    ]);
    expect(ranked.map((r) => r.functionName)).toEqual(["sure-100", "shaky-150", "fix-big", "fix-small"]);
    expect(ranked[0]!.savingPerRisk).toBe(100);
    expect(ranked[1]!.savingPerRisk).toBe(50);
    expect(ranked[2]!.savingPerRisk).toBe(-20);
  });

  it("counts spillover only where no cold-start effect already counts it", () => {
    const ranked = rankRecommendations([
      aRecommendation({ functionName: "a-cold", deltaUsd: 10, riskUnits: 1, effects: { coldStartsPerDay: effect(50, 0), spilloverPerDay: effect(5000, 0) } }),
      aRecommendation({ functionName: "b-spill", deltaUsd: 10, riskUnits: 1, effects: { spilloverPerDay: effect(100, 0) } }),
    ]);
    expect(ranked.map((r) => r.functionName)).toEqual(["b-spill", "a-cold"]);
  });

  it("breaks ties by function name, and treats risk below 1 as 1", () => {
    const ranked = rankRecommendations([
      aRecommendation({ functionName: "b", deltaUsd: -10, riskUnits: 1 }),
      aRecommendation({ functionName: "a", deltaUsd: -10, riskUnits: 0.5 }),
      aRecommendation({ functionName: "d", deltaUsd: 0, riskUnits: 1 }),
      aRecommendation({ functionName: "c", deltaUsd: 0, riskUnits: 1 }),
    ]);
    expect(ranked.map((r) => r.functionName)).toEqual(["a", "b", "c", "d"]);
    expect(ranked[0]!.savingPerRisk).toBe(10);
  });
});
