import { describe, expect, it } from "vitest";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "@/lib/domain/shared/time";
import { burnRateRulesFor, SRE_WORKBOOK_RULES } from "@/lib/domain/slo/alert-windows";
import { evaluateBurnRates } from "@/lib/domain/slo/evaluate-burn-rates";
import { type SliBucket } from "@/lib/domain/slo/sli-bucket";
import { DEFAULT_MIN_EVENTS } from "@/lib/domain/slo/slo-definition";

const THROUGH_MS = Date.UTC(2026, 2, 12, 12);
const SLO_999 = 0.999;
const THREE_DAYS_MIN = (3 * DAY_MS) / MINUTE_MS;

/** Minute buckets from `fromMinAgo` up to (not including) `toMinAgo` minutes before THROUGH_MS. */
function minutes(fromMinAgo: number, toMinAgo: number, perMinute: { total: number; bad: number }): SliBucket[] {
  const buckets: SliBucket[] = [];
  for (let ago = fromMinAgo; ago > toMinAgo; ago--) {
    buckets.push({ startMs: THROUGH_MS - ago * MINUTE_MS, durationMs: MINUTE_MS, good: perMinute.total - perMinute.bad, total: perMinute.total });
  }
  return buckets;
}

function evaluate(buckets: readonly SliBucket[], overrides: { minEvents?: number; throughMs?: number } = {}) {
  return evaluateBurnRates({
    buckets,
    throughMs: overrides.throughMs ?? THROUGH_MS,
    objective: SLO_999,
    rules: SRE_WORKBOOK_RULES,
    minEvents: overrides.minEvents ?? DEFAULT_MIN_EVENTS,
  });
}

describe("evaluateBurnRates, steady burns against the Workbook's 30-day rules", () => {
  // 10,000 requests a minute for 3 days; bad per minute = 10 × burn rate at 99.9 %.
  it.each([
    { burnRate: 0.5, firing: [false, false, false, false], level: "ok" },
    { burnRate: 2, firing: [false, false, false, true], level: "ticket" },
    { burnRate: 4, firing: [false, false, true, true], level: "ticket" },
    { burnRate: 7, firing: [false, true, true, true], level: "page" },
    { burnRate: 15, firing: [true, true, true, true], level: "page" },
  ])("burn $burnRate → $level", ({ burnRate, firing, level }) => {
    const result = evaluate(minutes(THREE_DAYS_MIN, 0, { total: 10_000, bad: 10 * burnRate }));
    expect(result.rules.map((r) => r.firing)).toEqual(firing);
    expect(result.level).toBe(level);
    expect(result.firing).toEqual({ page: firing[0]! || firing[1]!, ticket: firing[2]! || firing[3]! });
    for (const rule of result.rules) {
      expect(rule.long.burnRate).toBeCloseTo(burnRate, 6);
      expect(rule.short.burnRate).toBeCloseTo(burnRate, 6);
      expect(rule.lowTraffic).toBe(false);
    }
  });

  it("reports each window's sums, length and ratio, rules in the order given", () => {
    const result = evaluate(minutes(THREE_DAYS_MIN, 0, { total: 10_000, bad: 20 }));
    expect(result.rules.map((r) => r.rule)).toEqual(SRE_WORKBOOK_RULES);
    const first = result.rules[0]!;
    expect(first.long).toMatchObject({ windowMs: HOUR_MS, good: 60 * 9_980, total: 600_000 });
    expect(first.long.errorRatio).toBeCloseTo(0.002, 12);
    expect(first.short).toMatchObject({ windowMs: 5 * MINUTE_MS, good: 5 * 9_980, total: 50_000 });
  });

  it("pages on a full outage in the last 10 minutes", () => {
    const result = evaluate([...minutes(THREE_DAYS_MIN, 10, { total: 10_000, bad: 5 }), ...minutes(10, 0, { total: 10_000, bad: 10_000 })]);
    expect(result.level).toBe("page");
    expect(result.firing).toEqual({ page: true, ticket: true });
    const fast = result.rules[0]!;
    expect(fast.short.errorRatio).toBe(1);
    expect(fast.short.burnRate).toBeCloseTo(1000, 6);
    // 1 h: 10 minutes all bad + 50 minutes at 5 bad of 10,000.
    expect(fast.long.errorRatio).toBeCloseTo((100_000 + 250) / 600_000, 12);
  });

  it("fires at a burn exactly at the threshold despite float noise, and not just below it", () => {
    // Only the last hour has traffic: 1.44 % errors is burn 14.4 at 99.9 %.
    expect(evaluate(minutes(60, 0, { total: 10_000, bad: 144 })).rules[0]!.firing).toBe(true);
    expect(evaluate(minutes(60, 0, { total: 10_000, bad: 143 })).rules[0]!.firing).toBe(false);
  });
});

describe("evaluateBurnRates, the short window resets an alert once the burn stops", () => {
  const clean = (from: number, to: number) => minutes(from, to, { total: 1_000, bad: 0 });
  const outage = (from: number, to: number) => minutes(from, to, { total: 1_000, bad: 1_000 });

  it("a burst that ended 10 minutes ago keeps the 1 h window high but the 5 min window low", () => {
    const result = evaluate([...clean(THREE_DAYS_MIN, 40), ...outage(40, 10), ...clean(10, 0)]);
    const fast = result.rules[0]!;
    expect(fast.long.burnRate).toBeCloseTo(500, 6); // 30 of 60 minutes all bad
    expect(fast.short.burnRate).toBe(0);
    expect(fast.firing).toBe(false);
    expect(fast.lowTraffic).toBe(false);
    // The 6 h / 30 min rule still covers the burst in its short window (20 of 30 minutes).
    expect(result.rules[1]!.short.errorRatio).toBeCloseTo(20 / 30, 12);
    expect(result.rules[1]!.firing).toBe(true);
    expect(result.level).toBe("page");
  });

  it("a burst that ended 40 minutes ago leaves only the tickets, whose short windows still hold it", () => {
    const result = evaluate([...clean(THREE_DAYS_MIN, 70), ...outage(70, 40), ...clean(40, 0)]);
    expect(result.rules.map((r) => [r.long.burnRate! > r.rule.burnRateThreshold, r.firing])).toEqual([
      [true, false],
      [true, false],
      [true, true],
      [true, true],
    ]);
    expect(result.level).toBe("ticket");
    expect(result.firing).toEqual({ page: false, ticket: true });
  });
});

describe("evaluateBurnRates, the low-traffic guard", () => {
  // 10 requests in the last hour, one every 6 minutes; the last one (4 minutes ago) failed.
  const trickle: SliBucket[] = Array.from({ length: 10 }, (_, i) => {
    const ago = 58 - 6 * i;
    return { startMs: THROUGH_MS - ago * MINUTE_MS, durationMs: MINUTE_MS, good: ago === 4 ? 0 : 1, total: 1 };
  });

  it("does not fire on one failure of 10 requests with minEvents 100, but flags it", () => {
    const result = evaluate(trickle, { minEvents: 100 });
    const fast = result.rules[0]!;
    expect(fast.long.burnRate).toBeCloseTo(100, 6); // 1 of 10 at 99.9 %
    expect(fast.short.burnRate).toBeCloseTo(1000, 6); // 1 of 1
    expect(fast.firing).toBe(false);
    expect(fast.lowTraffic).toBe(true);
    expect(result.level).toBe("ok");
    expect(result.firing).toEqual({ page: false, ticket: false });
  });

  it("uses DEFAULT_MIN_EVENTS (100) the same way", () => {
    expect(evaluate(trickle).level).toBe("ok");
  });

  it("fires with minEvents 1", () => {
    const result = evaluate(trickle, { minEvents: 1 });
    expect(result.rules[0]!.firing).toBe(true);
    expect(result.rules[0]!.lowTraffic).toBe(false);
    expect(result.level).toBe("page");
  });

  it("fires once the long window holds exactly minEvents events", () => {
    expect(evaluate(trickle, { minEvents: 10 }).rules[0]!.firing).toBe(true);
    expect(evaluate(trickle, { minEvents: 11 }).rules[0]!.firing).toBe(false);
  });

  it("is not low traffic when the burn is under the threshold", () => {
    const healthy = trickle.map((b) => ({ ...b, good: 1 }));
    expect(evaluate(healthy).rules.every((r) => !r.lowTraffic && !r.firing)).toBe(true);
  });
});

describe("evaluateBurnRates, missing data and the end of the data", () => {
  it("gives null ratios, not NaN, and ok for an empty series", () => {
    const result = evaluate([]);
    expect(result.level).toBe("ok");
    for (const rule of result.rules) {
      for (const w of [rule.long, rule.short]) {
        expect(w).toEqual({ windowMs: w.windowMs, good: 0, total: 0, errorRatio: null, burnRate: null });
      }
      expect(rule.firing).toBe(false);
      expect(rule.lowTraffic).toBe(false);
    }
  });

  it("does not fire when the short window has no events, however high the long one", () => {
    // A burning hour whose last 5 minutes have not arrived (or had no traffic).
    const result = evaluate(minutes(60, 5, { total: 1_000, bad: 1_000 }));
    expect(result.rules[0]!.long.burnRate).toBeCloseTo(1000, 6);
    expect(result.rules[0]!.short.burnRate).toBeNull();
    expect(result.rules[0]!.firing).toBe(false);
  });

  it("ends every window at throughMs: later buckets do not count", () => {
    const buckets = [...minutes(120, 60, { total: 1_000, bad: 0 }), ...minutes(60, 0, { total: 1_000, bad: 1_000 })];
    const anHourEarlier = evaluate(buckets, { throughMs: THROUGH_MS - HOUR_MS });
    expect(anHourEarlier.rules[0]!.long).toMatchObject({ good: 60_000, total: 60_000, errorRatio: 0 });
    expect(anHourEarlier.level).toBe("ok");
    expect(evaluate(buckets).level).toBe("page");
  });

  it("reads a data end evaluated at a later wall clock as an empty short window (why throughMs is the data end)", () => {
    const buckets = minutes(60, 0, { total: 1_000, bad: 1_000 });
    const tenMinutesLate = evaluate(buckets, { throughMs: THROUGH_MS + 10 * MINUTE_MS });
    // The 1 h page, firing at the data end, goes quiet at "now" though nothing changed.
    expect(evaluate(buckets).rules[0]!.firing).toBe(true);
    expect(tenMinutesLate.rules[0]!.short.total).toBe(0);
    expect(tenMinutesLate.rules[0]!.firing).toBe(false);
  });

  it("takes straddling hourly buckets pro rata", () => {
    // An X-Ray hour [−60, 0) min with 600 of 1,200 bad, then a growing 30-minute bucket, all good.
    const hourly: SliBucket[] = [
      { startMs: THROUGH_MS - HOUR_MS, durationMs: HOUR_MS, good: 600, total: 1_200 },
      { startMs: THROUGH_MS, durationMs: 30 * MINUTE_MS, good: 600, total: 600 },
    ];
    const result = evaluate(hourly, { throughMs: THROUGH_MS + 30 * MINUTE_MS });
    const fast = result.rules[0]!;
    // 1 h window: half the hour (300 of 600 bad) + the whole partial bucket.
    expect(fast.long.good).toBeCloseTo(900, 9);
    expect(fast.long.total).toBeCloseTo(1_200, 9);
    expect(fast.long.burnRate).toBeCloseTo(250, 6);
    // 5 min window: the last sixth of the 30-minute bucket.
    expect(fast.short.total).toBeCloseTo(100, 9);
    expect(fast.short.burnRate).toBe(0);
    expect(fast.firing).toBe(false);
  });
});

describe("evaluateBurnRates, rules for another period", () => {
  it("pages at burn 2 on a 7-day period, where the 6 h rule's threshold is 1.4", () => {
    const result = evaluateBurnRates({
      buckets: minutes(THREE_DAYS_MIN, 0, { total: 10_000, bad: 20 }),
      throughMs: THROUGH_MS,
      objective: SLO_999,
      rules: burnRateRulesFor(7 * DAY_MS),
      minEvents: DEFAULT_MIN_EVENTS,
    });
    expect(result.rules.map((r) => r.firing)).toEqual([false, true, true, true]);
    expect(result.level).toBe("page");
  });

  it("evaluates only the rules given", () => {
    const ticketsOnly = SRE_WORKBOOK_RULES.filter((r) => r.severity === "ticket");
    const result = evaluateBurnRates({
      buckets: minutes(THREE_DAYS_MIN, 0, { total: 10_000, bad: 200 }),
      throughMs: THROUGH_MS,
      objective: SLO_999,
      rules: ticketsOnly,
      minEvents: 1,
    });
    expect(result.rules).toHaveLength(2);
    expect(result.level).toBe("ticket");
    expect(evaluateBurnRates({ buckets: [], throughMs: THROUGH_MS, objective: SLO_999, rules: [], minEvents: 1 })).toEqual({
      level: "ok",
      rules: [],
      firing: { page: false, ticket: false },
    });
  });
});
