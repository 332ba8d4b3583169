import { describe, expect, it } from "vitest";
import { parseAlertAt, parseMonthlyUsd, withBudget, withoutBudget } from "@/lib/domain/cost/budget-input";
import { DEFAULT_COST_SETTINGS, parseCostSettings } from "@/lib/domain/cost/cost-settings";
import type { CostBudget } from "@/lib/domain/cost/cost-types";

const budget = (bucket: string, monthlyMicroUsd = 1_000_000_000): CostBudget => ({ groupBy: "tag:team", bucket, monthlyMicroUsd, alertAtRatios: [0.8, 1] });

describe("budget input as a person types it", () => {
  it.each([
    ["1200", 1_200_000_000],
    ["1,200.50", 1_200_500_000],
    ["$1,234,567.000001", 1_234_567_000_001],
    [" 0.3 ", 300_000],
  ])("monthly %j is %i µUSD, read exactly", (text, microUsd) => {
    expect(parseMonthlyUsd(text)).toEqual({ kind: "ok", value: microUsd });
  });

  it.each(["", "0", "-5", "1.2.3", "12e3", "1,20", "twelve"])("monthly %j is refused with a reason", (text) => {
    const parsed = parseMonthlyUsd(text);
    expect(parsed.kind).toBe("invalid");
    expect(parsed.kind === "invalid" && parsed.reason.length).toBeGreaterThan(10);
  });

  it("alert shares accept ratios and percentages, sorted and once each", () => {
    expect(parseAlertAt("100%, 0.5, 80%, 1")).toEqual({ kind: "ok", value: [0.5, 0.8, 1] });
    expect(parseAlertAt("0").kind).toBe("invalid");
    expect(parseAlertAt("600%").kind).toBe("invalid");
    expect(parseAlertAt("0.1,0.2,0.3,0.4,0.5,0.6").kind).toBe("invalid");
    expect(parseAlertAt("80%,,100%").kind).toBe("invalid");
  });

  it("setting a budget replaces the one of the same grouping and bucket; removing takes only it", () => {
    const one = withBudget(DEFAULT_COST_SETTINGS, budget("value:payments")).settings;
    const two = withBudget(one, budget("unallocated")).settings;
    const replaced = withBudget(two, budget("value:payments", 5_000_000));
    expect(replaced.index).toBe(0);
    expect(replaced.settings.budgets.map((b) => [b.bucket, b.monthlyMicroUsd])).toEqual([
      ["value:payments", 5_000_000],
      ["unallocated", 1_000_000_000],
    ]);
    expect(parseCostSettings(replaced.settings).kind).toBe("ok");
    expect(withoutBudget(replaced.settings, "tag:team", "unallocated")!.budgets.map((b) => b.bucket)).toEqual(["value:payments"]);
    expect(withoutBudget(replaced.settings, "tag:env", "unallocated")).toBeNull();
    // The defaults are left untouched.
    expect(DEFAULT_COST_SETTINGS.budgets).toEqual([]);
  });
});
