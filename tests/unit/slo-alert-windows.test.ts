import { describe, expect, it } from "vitest";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "@/lib/domain/shared/time";
import { burnRateRulesFor, SRE_WORKBOOK_RULES } from "@/lib/domain/slo/alert-windows";
import { budgetConsumedAtFiring } from "@/lib/domain/slo/burn-rate";

// Reference: Google SRE Workbook, ch. 5 "Alerting on SLOs", the recommended multiwindow,
// multi-burn-rate table for a 30-day SLO (FACTS.md §1).
describe("SRE_WORKBOOK_RULES", () => {
  it("is the Workbook's 30-day table", () => {
    expect(SRE_WORKBOOK_RULES).toEqual([
      { severity: "page", longWindowMs: HOUR_MS, shortWindowMs: 5 * MINUTE_MS, burnRateThreshold: 14.4, budgetShare: 0.02 },
      { severity: "page", longWindowMs: 6 * HOUR_MS, shortWindowMs: 30 * MINUTE_MS, burnRateThreshold: 6, budgetShare: 0.05 },
      { severity: "ticket", longWindowMs: DAY_MS, shortWindowMs: 2 * HOUR_MS, burnRateThreshold: 3, budgetShare: 0.1 },
      { severity: "ticket", longWindowMs: 3 * DAY_MS, shortWindowMs: 6 * HOUR_MS, burnRateThreshold: 1, budgetShare: 0.1 },
    ]);
  });

  it("spends the published budget share by the time each rule fires", () => {
    const spent = SRE_WORKBOOK_RULES.map((r) => budgetConsumedAtFiring(r.burnRateThreshold, r.longWindowMs, 30 * DAY_MS));
    expect(spent[0]).toBeCloseTo(0.02, 12);
    expect(spent[1]).toBeCloseTo(0.05, 12);
    expect(spent[2]).toBeCloseTo(0.1, 12);
    expect(spent[3]).toBeCloseTo(0.1, 12);
  });

  it("cannot be changed by a caller", () => {
    expect(Object.isFrozen(SRE_WORKBOOK_RULES)).toBe(true);
    expect(Object.isFrozen(SRE_WORKBOOK_RULES[0])).toBe(true);
  });
});

describe("burnRateRulesFor", () => {
  it("gives exactly 14.4 / 6 / 3 / 1 for 30 days", () => {
    expect(burnRateRulesFor(30 * DAY_MS).map((r) => r.burnRateThreshold)).toEqual([14.4, 6, 3, 1]);
  });

  // threshold = budget share × period hours / long-window hours.
  it.each([
    { label: "rolling 28 days", days: 28, thresholds: [13.44, 5.6, 2.8, 0.1 * (672 / 72)] },
    { label: "rolling 7 days", days: 7, thresholds: [3.36, 1.4, 0.7, 0.1 * (168 / 72)] },
    { label: "a 31-day month", days: 31, thresholds: [14.88, 6.2, 3.1, 0.1 * (744 / 72)] },
    { label: "a 29-day February", days: 29, thresholds: [13.92, 5.8, 2.9, 0.1 * (696 / 72)] },
    { label: "a 92-day quarter", days: 92, thresholds: [44.16, 18.4, 9.2, 0.1 * (2208 / 72)] },
    { label: "a 90-day quarter", days: 90, thresholds: [43.2, 18, 9, 3] },
  ])("derives the thresholds for $label", ({ days, thresholds }) => {
    const rules = burnRateRulesFor(days * DAY_MS);
    expect(rules).toHaveLength(4);
    rules.forEach((rule, i) => expect(rule.burnRateThreshold).toBeCloseTo(thresholds[i]!, 12));
  });

  it("writes 0.9333… and 0.2333… for the 3-day rule on 28 and 7 days", () => {
    expect(burnRateRulesFor(28 * DAY_MS)[3]!.burnRateThreshold).toBeCloseTo(0.933333, 6);
    expect(burnRateRulesFor(7 * DAY_MS)[3]!.burnRateThreshold).toBeCloseTo(0.233333, 6);
  });

  it("keeps thresholds below 1 as derived instead of clamping them", () => {
    const sevenDay = burnRateRulesFor(7 * DAY_MS);
    expect(sevenDay[2]!.burnRateThreshold).toBeLessThan(1);
    expect(sevenDay[3]!.burnRateThreshold).toBeLessThan(1);
  });

  it.each([7, 28, 29, 30, 31, 90, 92])("fires every rule at its budget share on a %i-day period", (days) => {
    for (const rule of burnRateRulesFor(days * DAY_MS)) {
      expect(budgetConsumedAtFiring(rule.burnRateThreshold, rule.longWindowMs, days * DAY_MS)).toBeCloseTo(rule.budgetShare, 12);
    }
  });

  it("keeps the Workbook's windows and severities whatever the period", () => {
    const rules = burnRateRulesFor(7 * DAY_MS);
    expect(rules.map((r) => [r.severity, r.longWindowMs, r.shortWindowMs, r.budgetShare])).toEqual([
      ["page", HOUR_MS, 5 * MINUTE_MS, 0.02],
      ["page", 6 * HOUR_MS, 30 * MINUTE_MS, 0.05],
      ["ticket", DAY_MS, 2 * HOUR_MS, 0.1],
      ["ticket", 3 * DAY_MS, 6 * HOUR_MS, 0.1],
    ]);
  });

  it("returns fresh rules each call", () => {
    const a = burnRateRulesFor(30 * DAY_MS);
    a[0]!.burnRateThreshold = 99;
    expect(burnRateRulesFor(30 * DAY_MS)[0]!.burnRateThreshold).toBe(14.4);
    expect(SRE_WORKBOOK_RULES[0]!.burnRateThreshold).toBe(14.4);
  });

  it.each([0, -DAY_MS, Number.NaN])("refuses a period of %s ms", (periodMs) => {
    expect(() => burnRateRulesFor(periodMs)).toThrow(RangeError);
  });
});
