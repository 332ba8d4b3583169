import { describe, expect, it } from "vitest";
import { assessHealth, classifyHealth, worstHealth, type HealthClass } from "@/lib/domain/service-map/node-health";
import { traffic } from "@/tests/builders/service-graph";

describe("health classes of map nodes and edges", () => {
  it.each<[string, Parameters<typeof traffic>[0], HealthClass]>([
    ["no requests", {}, "idle"],
    ["clean traffic", { ok: 1000 }, "ok"],
    ["0.1 % faults: the budget of a 99.9 % target", { ok: 999, fault: 1 }, "ok"],
    ["0.4 % faults", { ok: 996, fault: 4 }, "ok"],
    ["0.5 % faults", { ok: 995, fault: 5 }, "warning"],
    ["1.9 % faults", { ok: 981, fault: 19 }, "warning"],
    ["2 % faults", { ok: 980, fault: 20 }, "critical"],
    ["8 % faults (the payment provider's burst)", { ok: 920, fault: 80 }, "critical"],
    ["4 % 4xx errors: callers' mistakes", { ok: 960, error: 40 }, "ok"],
    ["5 % 4xx errors", { ok: 950, error: 50 }, "warning"],
    ["20 % 4xx errors", { ok: 800, error: 200 }, "critical"],
    ["0.5 % throttles", { ok: 995, throttle: 5 }, "warning"],
    ["5 % throttles", { ok: 950, throttle: 50 }, "critical"],
    ["2 faults of 3 sampled requests: too few to judge", { ok: 1, fault: 2 }, "ok"],
    ["3 faults of 3 sampled requests", { fault: 3 }, "critical"],
  ])("%s → %s", (_name, counts, expected) => {
    expect(classifyHealth(traffic(counts))).toBe(expected);
  });

  it("names the kinds of failure at the assessed level, faults first", () => {
    expect(assessHealth(traffic({ ok: 900, fault: 30, throttle: 70 }))).toEqual({ health: "critical", causes: ["faults", "throttles"] });
    // Errors at warning do not join causes when faults are critical.
    expect(assessHealth(traffic({ ok: 910, fault: 30, error: 60 }))).toEqual({ health: "critical", causes: ["faults"] });
    expect(assessHealth(traffic({ ok: 1000 }))).toEqual({ health: "ok", causes: [] });
    expect(assessHealth(traffic())).toEqual({ health: "idle", causes: [] });
  });

  it("worstHealth orders critical > warning > ok > idle", () => {
    expect(worstHealth(["ok", "critical", "warning"])).toBe("critical");
    expect(worstHealth(["idle", "ok"])).toBe("ok");
    expect(worstHealth(["idle"])).toBe("idle");
    expect(worstHealth([])).toBe("idle");
  });
});
