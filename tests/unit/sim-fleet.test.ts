import { describe, expect, it } from "vitest";
import { ScenarioError, listScenarioNames, loadScenario } from "@/infra/local/sim/load-scenario";
import { MinuteSeriesCache, createSimModel } from "@/infra/local/sim/model/minute-stats";
import { generateFleetScenario } from "@/infra/local/sim/scenarios/fleet";

/** The generated `fleet` scenario used for scale tests and benchmarks. */
describe("the fleet scenario", () => {
  it("has exactly the number of functions asked for, spread over teams and services", () => {
    for (const n of [1, 37, 1000]) {
      const scenario = loadScenario(`fleet:${n}`);
      expect(scenario.functions).toHaveLength(n);
      expect(new Set(scenario.functions.map((f) => f.name)).size).toBe(n);
    }
    const big = loadScenario("fleet:1000");
    expect(new Set(big.functions.map((f) => f.team).filter(Boolean)).size).toBeGreaterThanOrEqual(10);
    expect(big.services.length).toBeGreaterThan(50);
    // A realistic mix: several runtimes, both architectures, some untagged leftovers, some provisioned concurrency.
    expect(new Set(big.functions.map((f) => f.runtime)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(big.functions.map((f) => f.architecture))).toEqual(new Set(["x86_64", "arm64"]));
    expect(big.functions.filter((f) => f.tags === undefined).length).toBeGreaterThan(0);
    expect(big.functions.filter((f) => f.provisionedConcurrency.length > 0).length).toBeGreaterThan(0);
  });

  it("is the same account every time, and `fleet` alone means 1,000 functions", () => {
    expect(generateFleetScenario(120)).toEqual(generateFleetScenario(120));
    expect(loadScenario("fleet").functions).toHaveLength(1000);
    expect(listScenarioNames()).toContain("fleet");
  });

  it("refuses more than 5,000 functions with a message saying the range", () => {
    expect(() => loadScenario("fleet:5001")).toThrow(ScenarioError);
    expect(() => loadScenario("fleet:5001")).toThrow("the fleet scenario takes 1 to 5000 functions, not 5001");
    expect(() => loadScenario("fleet:0")).toThrow("not 0");
  });

  it("has traffic: every function runs on its own or behind another", () => {
    const scenario = loadScenario("fleet:200");
    const anchorDay = Math.floor(Date.UTC(2026, 10, 27) / 86_400_000);
    const model = createSimModel(scenario, { anchorDay });
    const cache = new MinuteSeriesCache(model, (anchorDay - 1) * 1440, 1440);
    let active = 0;
    for (const fn of scenario.functions) {
      const total = cache.series(fn.name)!.invocations.reduce((a, b) => a + b, 0);
      if (total > 0) active++;
    }
    expect(active).toBeGreaterThan(190);
  });
});
