import { describe, expect, it } from "vitest";
import type { FunctionDayModelCost } from "@/lib/domain/cost/cost-types";
import { reconcileLambda } from "@/lib/domain/cost/reconciliation";

const D1 = Date.UTC(2026, 10, 20);
const D2 = Date.UTC(2026, 10, 21);
const D3 = Date.UTC(2026, 10, 22);

function modelCost(functionName: string, dayMs: number, microUsd: number): FunctionDayModelCost {
  return { functionName, dayMs, microUsd, components: [{ component: "duration", microUsd }] };
}

describe("reconcileLambda", () => {
  it("shows model, bill and the gap per covered day, and no model for a day REPORT lines do not cover", () => {
    const r = reconcileLambda({
      billedByDay: new Map([[D1, 10_000_000], [D2, 12_000_000], [D3, 11_000_000]]),
      billedByFunctionDay: null,
      model: [modelCost("a", D1, 6_000_000), modelCost("b", D1, 3_500_000), modelCost("a", D2, 12_600_000), modelCost("a", D3, 1_000_000)],
      coveredDays: new Set([D1, D2]),
    });
    expect(r.days.map((d) => d.dayMs)).toEqual([D1, D2, D3]);
    expect(r.days[0]).toMatchObject({ billedMicroUsd: 10_000_000, modelMicroUsd: 9_500_000, gapMicroUsd: -500_000, gapRatio: -0.05 });
    expect(r.days[1]).toMatchObject({ modelMicroUsd: 12_600_000, gapMicroUsd: 600_000, gapRatio: 0.05 });
    expect(r.days[2]).toMatchObject({ billedMicroUsd: 11_000_000, modelMicroUsd: null, gapMicroUsd: null, gapRatio: null });
    // Totals over D1 and D2 only: the partial day would only show missing hours.
    expect(r).toMatchObject({ billedMicroUsd: 22_000_000, modelMicroUsd: 22_100_000, gapMicroUsd: 100_000 });
    expect(r.gapRatio).toBeCloseTo(100_000 / 22_000_000, 12);
    expect(r.notes.some((n) => n.includes("2026-11-22"))).toBe(true);
    expect(r.notes.some((n) => n.includes("per-function"))).toBe(true);
  });

  it("names the five functions with the largest |gap|, counting billed functions the model lacks", () => {
    const billed = new Map<string, Map<number, number>>([
      ["a", new Map([[D1, 1_000]])],
      ["b", new Map([[D1, 5_000]])],
      ["c", new Map([[D1, 100]])],
      ["d", new Map([[D1, 2_000]])],
      ["e", new Map([[D1, 700]])],
      ["f", new Map([[D1, 300]])],
      ["ghost", new Map([[D1, 9_000]])],
    ]);
    const r = reconcileLambda({
      billedByDay: new Map([[D1, 18_100]]),
      billedByFunctionDay: billed,
      model: [modelCost("a", D1, 1_000), modelCost("b", D1, 1_000), modelCost("c", D1, 150), modelCost("d", D1, 2_500), modelCost("e", D1, 800), modelCost("f", D1, 400), modelCost("new", D1, 3_000)],
      coveredDays: new Set([D1]),
    });
    expect(r.days[0]!.largestGaps).toEqual([
      { functionName: "ghost", billedMicroUsd: 9_000, modelMicroUsd: 0 },
      { functionName: "b", billedMicroUsd: 5_000, modelMicroUsd: 1_000 },
      { functionName: "new", billedMicroUsd: 0, modelMicroUsd: 3_000 },
      { functionName: "d", billedMicroUsd: 2_000, modelMicroUsd: 2_500 },
      { functionName: "e", billedMicroUsd: 700, modelMicroUsd: 800 },
    ]);
  });

  it("names no function on a day without per-function lines (older than resource-level data), and keeps the caller's notes", () => {
    const r = reconcileLambda({
      billedByDay: new Map([[D1, 1_000]]),
      billedByFunctionDay: new Map([["a", new Map([[D2, 1_000]])]]),
      model: [modelCost("a", D1, 900)],
      coveredDays: new Set([D1]),
      notes: ["free tier not deducted"],
    });
    expect(r.days[0]!.largestGaps).toEqual([]);
    expect(r.notes[0]).toBe("free tier not deducted");
  });

  it("has no ratio without a bill, and zero totals without any covered day", () => {
    const r = reconcileLambda({ billedByDay: new Map(), billedByFunctionDay: null, model: [modelCost("a", D1, 900)], coveredDays: new Set([D1]) });
    expect(r.days[0]).toMatchObject({ billedMicroUsd: 0, modelMicroUsd: 900, gapMicroUsd: 900, gapRatio: null });
    const none = reconcileLambda({ billedByDay: new Map([[D1, 5]]), billedByFunctionDay: null, model: [], coveredDays: new Set() });
    expect(none).toMatchObject({ billedMicroUsd: 0, modelMicroUsd: 0, gapMicroUsd: 0, gapRatio: null });
  });
});
