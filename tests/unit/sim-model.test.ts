import { describe, expect, it } from "vitest";
import { loadScenario } from "@/infra/local/sim/load-scenario";
import { eventWindows } from "@/infra/local/sim/model/events";
import { medianDurationMs, revisionAt } from "@/infra/local/sim/model/fleet";
import { MinuteSeriesCache, concurrencyLimit, createSimModel, expectedRatePerSecond, type MinuteSeries } from "@/infra/local/sim/model/minute-stats";
import { MINUTES_PER_DAY, MINUTES_PER_WEEK, toEpochMinute } from "@/infra/local/sim/model/time";
import { trafficShapeFactor } from "@/infra/local/sim/model/traffic-shape";
import type { Scenario } from "@/infra/local/sim/scenario-schema";

/** The pure traffic model: deterministic, internally consistent, shaped like the scenario says. */
const scenario = loadScenario("ecommerce");
const minuteAt = (iso: string) => toEpochMinute(Date.parse(iso));
const WEDNESDAY = minuteAt("2026-11-25T00:00:00Z");
const FRIDAY = minuteAt("2026-11-20T00:00:00Z");
/**
 * History is counted back from the anchor day: fixed, so the tests do not depend on today. This
 * one puts notifications-worker's memory cut (3 days before, 09:00) before FRIDAY's flash sale.
 */
const ANCHOR_DAY = Math.floor(Date.UTC(2026, 10, 23) / 86_400_000);
const modelFor = (s: Scenario, seed: number) => createSimModel(s, { seed, anchorDay: ANCHOR_DAY });

function seriesFor(s: Scenario, seed: number, name: string, fromMinute: number, length: number): MinuteSeries {
  const series = new MinuteSeriesCache(modelFor(s, seed), fromMinute, length).series(name);
  if (series === undefined) throw new Error(`no series for ${name}`);
  return series;
}

const sum = (values: Float64Array) => values.reduce((a, b) => a + b, 0);

describe("determinism", () => {
  it("the same seed gives the same numbers, minute for minute", () => {
    for (const fn of ["orders-api", "notifications-worker", "legacy-report-generator"]) {
      const a = seriesFor(scenario, 42, fn, WEDNESDAY, MINUTES_PER_DAY);
      const b = seriesFor(scenario, 42, fn, WEDNESDAY, MINUTES_PER_DAY);
      expect(Array.from(b.invocations)).toEqual(Array.from(a.invocations));
      expect(Array.from(b.errors)).toEqual(Array.from(a.errors));
      expect(Array.from(b.durationMaxMs)).toEqual(Array.from(a.durationMaxMs));
    }
  });

  it("a different seed gives different numbers around the same means", () => {
    const a = seriesFor(scenario, 42, "orders-api", WEDNESDAY, MINUTES_PER_DAY);
    const b = seriesFor(scenario, 43, "orders-api", WEDNESDAY, MINUTES_PER_DAY);
    const differing = a.invocations.filter((v, i) => v !== b.invocations[i]).length;
    expect(differing).toBeGreaterThan(MINUTES_PER_DAY * 0.9);
    expect(Math.abs(sum(a.invocations) / sum(b.invocations) - 1)).toBeLessThan(0.01);
  });

  it("a minute's numbers do not depend on the range it is computed in", () => {
    const wholeDay = seriesFor(scenario, 1, "order-saga-confirm-order", WEDNESDAY, MINUTES_PER_DAY);
    const oneHour = seriesFor(scenario, 1, "order-saga-confirm-order", WEDNESDAY + 600, 60);
    expect(Array.from(oneHour.invocations)).toEqual(Array.from(wholeDay.invocations.slice(600, 660)));
  });

  it("a function's numbers do not depend on where it sits in the scenario file", () => {
    const reordered: Scenario = { ...scenario, functions: [...scenario.functions].reverse() };
    const a = seriesFor(scenario, 5, "inventory-api", WEDNESDAY, 120);
    const b = seriesFor(reordered, 5, "inventory-api", WEDNESDAY, 120);
    expect(Array.from(b.invocations)).toEqual(Array.from(a.invocations));
  });
});

describe("consistency of every minute", () => {
  const model = modelFor(scenario, 1);
  const cache = new MinuteSeriesCache(model, FRIDAY, 2 * MINUTES_PER_DAY);

  it.each(scenario.functions.map((f) => f.name))("%s: counts add up, errors ≤ invocations, min ≤ mean ≤ max", (name) => {
    const s = cache.series(name)!;
    const limit = concurrencyLimit(model, s.fn);
    // Collected, then asserted once: a per-minute expect() would dominate the run time.
    const violations: string[] = [];
    const check = (ok: boolean, what: string, i: number) => {
      if (!ok) violations.push(`minute ${i}: ${what}`);
    };
    let active = 0;
    for (let i = 0; i < s.length; i++) {
      const invocations = s.invocations[i]!;
      check(Number.isInteger(invocations) && Number.isInteger(s.errors[i]!) && Number.isInteger(s.throttles[i]!), "integer counts", i);
      check(invocations + s.throttles[i]! === s.demand[i], "invocations + throttles = demand", i);
      check(s.errors[i]! >= 0 && s.errors[i]! <= invocations, "0 ≤ errors ≤ invocations", i);
      check(s.concurrencyMaximum[i]! <= limit, "peak concurrency ≤ limit", i);
      check(s.concurrencyMaximum[i]! >= s.concurrencyAverage[i]!, "peak ≥ mean concurrency", i);
      if (invocations > 0) {
        active++;
        check(s.durationMinMs[i]! <= s.durationAverageMs[i]!, "min ≤ mean duration", i);
        check(s.durationAverageMs[i]! <= s.durationMaxMs[i]!, "mean ≤ max duration", i);
        check(s.durationMaxMs[i]! <= s.timeoutMs[i]!, "max ≤ timeout", i);
        check(s.coldStarts[i]! <= s.invocations[i]! - s.provisionedInvocations[i]!, "cold starts only on on-demand invocations", i);
        check(s.oomErrors[i]! + s.timeouts[i]! <= s.errors[i]!, "OOM kills and timeouts are errors", i);
      }
    }
    expect(violations).toEqual([]);
    expect(active).toBeGreaterThan(0);
  });

  it("followers run once per successful upstream invocation (times their ratio)", () => {
    const orders = cache.series("orders-api")!;
    const validate = cache.series("order-saga-validate-inventory")!;
    const reserve = cache.series("order-saga-reserve-inventory")!;
    for (let i = 0; i < orders.length; i++) {
      expect(Math.abs(validate.demand[i]! - (orders.invocations[i]! - orders.errors[i]!))).toBeLessThan(1);
      expect(Math.abs(reserve.demand[i]! - 0.985 * (validate.invocations[i]! - validate.errors[i]!))).toBeLessThan(1);
    }
  });

  it("concurrency follows rate × mean duration (Little's law)", () => {
    const s = cache.series("payments-api")!;
    for (const i of [0, 600, 1140, 2000]) {
      const expected = (s.invocations[i]! / 60) * (s.durationAverageMs[i]! / 1000);
      expect(s.concurrencyAverage[i]).toBeGreaterThan(expected * 0.8);
      expect(s.concurrencyAverage[i]).toBeLessThan(expected * 1.25);
    }
  });
});

describe("traffic shape", () => {
  const model = modelFor(scenario, 1);

  it("peaks around 19:00 UTC at 4–6× the 04:00 trough", () => {
    const trough = expectedRatePerSecond(model, "orders-api", WEDNESDAY + 4 * 60);
    const peak = expectedRatePerSecond(model, "orders-api", WEDNESDAY + 19 * 60);
    expect(peak).toBeGreaterThan(trough);
    expect(peak / trough).toBeGreaterThanOrEqual(4);
    expect(peak / trough).toBeLessThanOrEqual(6);
    for (let hour = 0; hour < 24; hour++) {
      const rate = expectedRatePerSecond(model, "orders-api", WEDNESDAY + hour * 60);
      expect(rate).toBeGreaterThanOrEqual(trough);
      expect(rate).toBeLessThanOrEqual(peak);
    }
  });

  it("is about 20 % lower on weekends", () => {
    const saturday = minuteAt("2026-11-28T19:00:00Z");
    const ratio = expectedRatePerSecond(model, "users-api", saturday) / expectedRatePerSecond(model, "users-api", WEDNESDAY + 19 * 60);
    expect(ratio).toBeCloseTo(0.8, 2);
  });

  it("averages to 1 over a week, so meanRatePerSecond is the true mean", () => {
    const shape = scenario.defaults.trafficShape;
    let total = 0;
    for (let m = 0; m < MINUTES_PER_WEEK; m++) total += trafficShapeFactor(WEDNESDAY + m, shape);
    expect(total / MINUTES_PER_WEEK).toBeCloseTo(1, 2);
  });

  it("orders-api sees about 1 M invocations a day over a week (the case study's volume)", () => {
    const week = seriesFor(scenario, 1, "orders-api", WEDNESDAY, MINUTES_PER_WEEK);
    const perDay = sum(week.invocations) / 7;
    expect(perDay).toBeGreaterThan(970_000);
    expect(perDay).toBeLessThan(1_040_000);
  });

  it("the legacy function is sparse: most minutes have no invocation", () => {
    const day = seriesFor(scenario, 1, "legacy-report-generator", WEDNESDAY, MINUTES_PER_DAY);
    const idle = day.invocations.filter((v) => v === 0).length;
    expect(idle).toBeGreaterThan(MINUTES_PER_DAY * 0.8);
    expect(sum(day.invocations)).toBeGreaterThan(50);
  });
});

describe("events", () => {
  const model = modelFor(scenario, 1);

  it("the Friday flash sale pushes notifications-worker into throttling at its reserved concurrency", () => {
    const sale = new MinuteSeriesCache(model, FRIDAY + 18 * 60, 45).series("notifications-worker")!;
    const thursday = new MinuteSeriesCache(model, FRIDAY - MINUTES_PER_DAY + 18 * 60, 45).series("notifications-worker")!;
    expect(sum(sale.throttles)).toBeGreaterThan(1000);
    expect(sum(sale.throttles)).toBeGreaterThan(10 * sum(thursday.throttles));
    expect(Math.max(...sale.concurrencyMaximum)).toBe(60);
    expect(expectedRatePerSecond(model, "orders-api", FRIDAY + 18 * 60 + 10) / expectedRatePerSecond(model, "orders-api", FRIDAY + 17 * 60 + 50)).toBeGreaterThan(2);
  });

  it("a payment-provider degradation raises the payments error ratio far above baseline", () => {
    const degradation = model.fleet.events.find((e) => e.name === "payment-provider-degradation")!;
    const windows = eventWindows([degradation], WEDNESDAY, WEDNESDAY + 4 * MINUTES_PER_WEEK, model.seed);
    expect(windows.length).toBeGreaterThan(0);
    const window = windows[0]!;
    const during = new MinuteSeriesCache(model, window.startMinute, 20).series("payments-api")!;
    const before = new MinuteSeriesCache(model, window.startMinute - 120, 100).series("payments-api")!;
    const ratio = (s: MinuteSeries) => sum(s.errors) / sum(s.invocations);
    expect(ratio(during)).toBeGreaterThan(0.02);
    expect(ratio(before)).toBeLessThan(0.005);
  });

  it("random events are placed by the seed", () => {
    const degradation = modelFor(scenario, 1).fleet.events.find((e) => e.name === "payment-provider-degradation")!;
    const starts = (seed: number) => eventWindows([degradation], WEDNESDAY, WEDNESDAY + 8 * MINUTES_PER_WEEK, seed).map((w) => w.startMinute);
    expect(starts(1)).toEqual(starts(1));
    expect(starts(2)).not.toEqual(starts(1));
    // About 2 per week over 8 weeks.
    expect(starts(1).length).toBeGreaterThan(6);
    expect(starts(1).length).toBeLessThan(30);
  });
});

describe("cold starts, memory and configuration", () => {
  const model = modelFor(scenario, 1);
  const day = new MinuteSeriesCache(model, WEDNESDAY, MINUTES_PER_DAY);
  const coldRatio = (s: MinuteSeries) => sum(s.coldStarts) / sum(s.invocations);

  it("the sparse java API starts cold far more often than the busy node APIs", () => {
    const shipping = day.series("shipping-rates-api")!;
    const users = day.series("users-api")!;
    expect(coldRatio(shipping)).toBeGreaterThan(0.2);
    expect(coldRatio(users)).toBeLessThan(0.001);
    // Java's init is seconds long (FACTS §3 gives ~170 ms for a small node function).
    const initMs = Math.exp(shipping.initLogMedian[600]!);
    expect(initMs).toBeGreaterThan(2000);
    expect(Math.exp(users.initLogMedian[600]!)).toBeLessThan(500);
  });

  it("cold starts follow traffic: the day's ramp-up creates more environments than the quiet night", () => {
    for (const name of ["users-api", "inventory-api", "order-events-fanout"]) {
      const s = day.series(name)!;
      const window = (fromHour: number, hours: number) => sum(s.coldStarts.subarray(fromHour * 60, (fromHour + hours) * 60));
      // 08:00–14:00 ramps up towards the 19:00 peak; 00:00–06:00 is the trough.
      expect(window(8, 6)).toBeGreaterThan(window(0, 6));
    }
  });

  it("provisioned concurrency that covers the peak leaves no cold starts", () => {
    const payments = day.series("payments-api")!;
    expect(sum(payments.invocations)).toBeGreaterThan(500_000);
    expect(sum(payments.coldStarts)).toBe(0);
    expect(sum(payments.spilloverInvocations)).toBe(0);
  });

  it("the CPU-bound part of a duration scales with the CPU share memory buys, the I/O part does not", () => {
    const notifications = model.fleet.byName.get("notifications-worker")!;
    const at128 = medianDurationMs(notifications, 128, "arm64");
    const at1024 = medianDurationMs(notifications, 1024, "arm64");
    // 1,769 MB is one vCPU: the CPU part at 128 MB takes 1769/128 = 13.8× its one-vCPU time.
    expect(at128 - notifications.ioMs).toBeCloseTo((notifications.cpuMs * notifications.arm64CpuFactor * 1769) / 128, 6);
    expect(at128 / at1024).toBeGreaterThan(4);
    // Single-threaded code gains nothing beyond one vCPU.
    const indexer = model.fleet.byName.get("search-indexer")!;
    expect(medianDurationMs(indexer, 4096, "x86_64")).toBeCloseTo(medianDurationMs(indexer, 1769, "x86_64"), 6);
    // An I/O-bound worker barely notices its memory.
    const worker = model.fleet.byName.get("inventory-queue-worker")!;
    expect(medianDurationMs(worker, 256, "x86_64") / medianDurationMs(worker, 1024, "x86_64")).toBeLessThan(1.4);
  });

  it("the memory-starved worker is killed for memory now and then; roomy functions never are", () => {
    expect(sum(day.series("notifications-worker")!.oomErrors)).toBeGreaterThan(100);
    expect(sum(day.series("inventory-queue-worker")!.oomErrors)).toBe(0);
  });

  it("the users-api deploy regresses p99 far more than the median, from its minute on", () => {
    const deployMinute = (ANCHOR_DAY - 2) * MINUTES_PER_DAY + 14 * 60 + 20;
    const around = new MinuteSeriesCache(model, deployMinute - 60, 120).series("users-api")!;
    const p99 = (i: number) => Math.exp(around.durationLogMedian[i]! + 2.326 * around.durationSigma[i]!);
    const median = (i: number) => Math.exp(around.durationLogMedian[i]!);
    expect(around.durationSigma[59]).toBeLessThan(around.durationSigma[60]!);
    expect(p99(90) / p99(30)).toBeGreaterThan(2.5);
    expect(median(90) / median(30)).toBeLessThan(1.3);
    expect(revisionAt(model.fleet.byName.get("users-api")!, deployMinute).cause).toBe("deploy users-api-release-2026-11");
  });

  it("catalog's re-index day multiplies search-indexer's volume", () => {
    const reindexDay = ANCHOR_DAY - 5;
    const during = new MinuteSeriesCache(model, reindexDay * MINUTES_PER_DAY, MINUTES_PER_DAY).series("search-indexer")!;
    const dayBefore = new MinuteSeriesCache(model, (reindexDay - 1) * MINUTES_PER_DAY, MINUTES_PER_DAY).series("search-indexer")!;
    expect(sum(during.invocations) / sum(dayBefore.invocations)).toBeGreaterThan(20);
  });

  it("before the history start the functions did not exist", () => {
    const start = model.fleet.historyStartMinute;
    expect(start).toBe((ANCHOR_DAY - scenario.historyDays) * MINUTES_PER_DAY);
    const before = new MinuteSeriesCache(model, start - 60, 60).series("users-api")!;
    const after = new MinuteSeriesCache(model, start, 60).series("users-api")!;
    expect(sum(before.demand)).toBe(0);
    expect(sum(after.invocations)).toBeGreaterThan(0);
  });
});

describe("timeouts", () => {
  it("a function whose durations reach its timeout times out, and those invocations are the minute's maximum", () => {
    // legacy-report-generator runs ~40 s at the median; give it a 60 s timeout.
    const tight: Scenario = {
      ...scenario,
      functions: scenario.functions.map((fn) => (fn.name === "legacy-report-generator" ? { ...fn, timeoutSeconds: 60 } : fn)),
    };
    const s = new MinuteSeriesCache(modelFor(tight, 1), WEDNESDAY, MINUTES_PER_DAY).series("legacy-report-generator")!;
    let minutesWithTimeouts = 0;
    for (let i = 0; i < s.length; i++) {
      if (s.timeouts[i]! === 0) continue;
      minutesWithTimeouts++;
      expect(s.durationMaxMs[i]).toBe(60_000);
      expect(s.errors[i]).toBeGreaterThanOrEqual(s.timeouts[i]!);
    }
    expect(minutesWithTimeouts).toBeGreaterThan(10);
  });
});
