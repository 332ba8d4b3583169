import { describe, expect, it } from "vitest";
import { loadScenario } from "@/infra/local/sim/load-scenario";
import { binomialFromUniform, normalCdf, normalInverseCdf, poissonFromUniform, stochasticRound } from "@/infra/local/sim/model/distributions";
import { evaluateMetricQueries, type MetricQuerySpec } from "@/infra/local/sim/model/metric-query";
import { CountAccumulator, DurationAccumulator, parseStatistic, type Statistic } from "@/infra/local/sim/model/metric-stats";
import { createSimModel, orderStatisticQuantiles } from "@/infra/local/sim/model/minute-stats";
import { hashString, uniformAt } from "@/infra/local/sim/model/random";

/** Statistics, distributions and CloudWatch-style bucketing of the simulator's model. */
const scenario = loadScenario("ecommerce");
const NOW_FOR_ANCHOR = Date.UTC(2026, 10, 25, 22, 0, 30);
const model = createSimModel(scenario, { seed: 1, anchorDay: Math.floor(NOW_FOR_ANCHOR / 86_400_000) });
const NOW = Date.UTC(2026, 10, 25, 22, 0, 30);
const nowSec = Math.floor(NOW / 1000);

/** `functionName: null` asks for the account-wide series (no dimensions). */
function spec(metricName: string, stat: string, periodSeconds = 60, functionName: string | null = "orders-api"): MetricQuerySpec {
  const statistic = parseStatistic(stat);
  if (typeof statistic === "string") throw new Error(`bad stat ${stat}`);
  return {
    namespace: "AWS/Lambda",
    metricName,
    dimensions: functionName === null ? [] : [{ name: "FunctionName", value: functionName }],
    periodSeconds,
    statistic,
  };
}

describe("distributions", () => {
  it("normalInverseCdf matches published z-scores and inverts normalCdf", () => {
    expect(normalInverseCdf(0.5)).toBeCloseTo(0, 9);
    expect(normalInverseCdf(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalInverseCdf(0.99)).toBeCloseTo(2.326348, 5);
    expect(normalInverseCdf(0.001)).toBeCloseTo(-3.090232, 5);
    for (const p of [0.001, 0.1, 0.5, 0.9, 0.999]) expect(normalCdf(normalInverseCdf(p))).toBeCloseTo(p, 6);
  });

  it("Poisson samples over an even grid of uniforms average to the mean, small and large", () => {
    for (const mean of [0.3, 4, 700]) {
      const n = 4000;
      let total = 0;
      for (let i = 0; i < n; i++) total += poissonFromUniform(mean, (i + 0.5) / n);
      expect(total / n).toBeCloseTo(mean, mean < 1 ? 2 : 0);
    }
    expect(poissonFromUniform(0, 0.99)).toBe(0);
  });

  it("binomial samples stay within [0, trials]", () => {
    for (const u of [0.0001, 0.5, 0.9999]) {
      for (const [trials, p] of [[3, 0.9], [1000, 0.001], [1000, 0.5], [10, 1]] as const) {
        const k = binomialFromUniform(trials, p, u);
        expect(k).toBeGreaterThanOrEqual(0);
        expect(k).toBeLessThanOrEqual(trials);
      }
    }
  });

  it("stochastic rounding rounds to a neighbour and keeps the mean", () => {
    let total = 0;
    for (let i = 0; i < 1000; i++) {
      const r = stochasticRound(2.3, (i + 0.5) / 1000);
      expect([2, 3]).toContain(r);
      total += r;
    }
    expect(total / 1000).toBeCloseTo(2.3, 2);
  });

  it("hash-derived uniforms are in (0, 1), stable and sensitive to every key", () => {
    const u = uniformAt(1, hashString("orders-api"), 29_000_000, 1);
    expect(u).toBeGreaterThan(0);
    expect(u).toBeLessThan(1);
    expect(uniformAt(1, hashString("orders-api"), 29_000_000, 1)).toBe(u);
    expect(uniformAt(2, hashString("orders-api"), 29_000_000, 1)).not.toBe(u);
    expect(uniformAt(1, hashString("users-api"), 29_000_000, 1)).not.toBe(u);
    expect(uniformAt(1, hashString("orders-api"), 29_000_001, 1)).not.toBe(u);
  });

  it("the fastest and slowest of n invocations are ordered and one invocation is both", () => {
    expect(orderStatisticQuantiles(1, 0.2, 0.7)).toEqual({ min: 0.7, max: 0.7 });
    const many = orderStatisticQuantiles(1000, 0.5, 0.5);
    expect(many.min).toBeLessThan(0.01);
    expect(many.max).toBeGreaterThan(0.99);
  });
});

describe("statistics", () => {
  it("parses CloudWatch statistic names", () => {
    expect(parseStatistic("Sum")).toEqual({ kind: "Sum" });
    expect(parseStatistic("p99")).toEqual({ kind: "percentile", percentile: 99 });
    expect(parseStatistic("p99.9")).toEqual({ kind: "percentile", percentile: 99.9 });
    expect(parseStatistic("tm99")).toBe("unsupported");
    expect(parseStatistic("p101")).toBe("invalid");
    expect(parseStatistic("Median")).toBe("invalid");
  });

  it("0/1 counts: Sum, SampleCount, Average as a ratio, Maximum/Minimum as flags", () => {
    const errors = new CountAccumulator();
    errors.add(3, 1000);
    errors.add(0, 500);
    const value = (kind: Statistic["kind"]) => errors.value({ kind } as Statistic);
    expect(value("Sum")).toBe(3);
    expect(value("SampleCount")).toBe(1500);
    expect(value("Average")).toBeCloseTo(0.002, 9);
    expect(value("Maximum")).toBe(1);
    expect(value("Minimum")).toBe(0);
    expect(new CountAccumulator().value({ kind: "Sum" })).toBeUndefined();
  });

  it("a duration percentile over identical minutes equals the one-minute percentile", () => {
    const minute = { count: 600, logMedian: Math.log(100), sigma: 0.8, timeoutMs: 30_000, minMs: 10, maxMs: 2000, averageMs: 130 };
    const one = new DurationAccumulator();
    one.add(minute, true);
    const sixty = new DurationAccumulator();
    for (let i = 0; i < 60; i++) sixty.add(minute, true);
    for (const percentile of [50, 90, 99]) {
      expect(sixty.value({ kind: "percentile", percentile })).toBeCloseTo(one.value({ kind: "percentile", percentile })!, 1);
    }
    expect(one.value({ kind: "percentile", percentile: 50 })).toBe(100);
    expect(sixty.value({ kind: "SampleCount" })).toBe(36_000);
    expect(sixty.value({ kind: "Average" })).toBe(130);
  });

  it("a duration percentile over a slow and a fast minute is invocation-weighted", () => {
    const base = { sigma: 0.5, timeoutMs: 30_000, minMs: 1, maxMs: 10_000, averageMs: 100 };
    const mixed = new DurationAccumulator();
    mixed.add({ ...base, count: 900, logMedian: Math.log(100) }, true);
    mixed.add({ ...base, count: 100, logMedian: Math.log(1000) }, true);
    const median = mixed.value({ kind: "percentile", percentile: 50 })!;
    // 90 % of invocations come from the fast minute: the median sits just above its median.
    expect(median).toBeGreaterThan(100);
    expect(median).toBeLessThan(150);
    expect(mixed.value({ kind: "percentile", percentile: 99 })!).toBeGreaterThan(1000);
  });
});

describe("metric queries over the model", () => {
  const window = { startSec: nowSec - 6 * 3600 - 30, endSec: nowSec };

  it("hourly sums, maxima and sample counts aggregate the minutes they cover", () => {
    const [minuteInv, hourInv, minuteMax, hourMax, hourCount] = evaluateMetricQueries(
      model,
      [spec("Invocations", "Sum"), spec("Invocations", "Sum", 3600), spec("Duration", "Maximum"), spec("Duration", "Maximum", 3600), spec("Duration", "SampleCount", 3600)],
      window,
      NOW,
    );
    expect(hourInv!.values.length).toBeGreaterThanOrEqual(6);
    hourInv!.timestampsSec.forEach((hourStart, h) => {
      const inHour = (t: number) => t >= hourStart && t < hourStart + 3600;
      const minuteSum = minuteInv!.values.filter((_, i) => inHour(minuteInv!.timestampsSec[i]!)).reduce((a, b) => a + b, 0);
      expect(hourInv!.values[h]).toBe(minuteSum);
      expect(hourCount!.values[h]).toBe(minuteSum);
      const minuteMaxima = minuteMax!.values.filter((_, i) => inHour(minuteMax!.timestampsSec[i]!));
      expect(hourMax!.values[h]).toBe(Math.max(...minuteMaxima));
    });
  });

  it("buckets start at StartTime rounded down to the minute and step by Period", () => {
    const [hourly] = evaluateMetricQueries(model, [spec("Invocations", "Sum", 3600)], window, NOW);
    const firstMinuteSec = Math.floor(window.startSec / 60) * 60;
    expect(hourly!.timestampsSec[0]).toBe(firstMinuteSec);
    hourly!.timestampsSec.forEach((t, i) => expect(t).toBe(firstMinuteSec + i * 3600));
  });

  it("hourly percentiles stay ordered and lie within the range of the minute percentiles", () => {
    const [p50, p90, p99, minuteP99] = evaluateMetricQueries(
      model,
      [spec("Duration", "p50", 3600), spec("Duration", "p90", 3600), spec("Duration", "p99", 3600), spec("Duration", "p99")],
      window,
      NOW,
    );
    p99!.values.forEach((v, h) => {
      expect(p50!.values[h]!).toBeLessThanOrEqual(p90!.values[h]!);
      expect(p90!.values[h]!).toBeLessThanOrEqual(v);
      const hourStart = p99!.timestampsSec[h]!;
      const minutes = minuteP99!.values.filter((_, i) => minuteP99!.timestampsSec[i]! >= hourStart && minuteP99!.timestampsSec[i]! < hourStart + 3600);
      expect(v).toBeGreaterThanOrEqual(Math.min(...minutes) - 0.01);
      expect(v).toBeLessThanOrEqual(Math.max(...minutes) + 0.01);
    });
  });

  it("publishes nothing for the minute in progress or the one just completed", () => {
    const [minutes] = evaluateMetricQueries(model, [spec("Invocations", "Sum")], { startSec: nowSec - 600, endSec: nowSec + 600 }, NOW);
    const lastPublished = (Math.floor(NOW / 60_000) - 2) * 60;
    expect(Math.max(...minutes!.timestampsSec)).toBe(lastPublished);
  });

  it("returns nothing for unknown functions, metrics, namespaces or dimension sets", () => {
    const results = evaluateMetricQueries(
      model,
      [
        spec("Invocations", "Sum", 60, "ghost"),
        spec("Bananas", "Sum"),
        { ...spec("Invocations", "Sum"), namespace: "AWS/DynamoDB" },
        { ...spec("Invocations", "Sum"), dimensions: [{ name: "FunctionName", value: "orders-api" }, { name: "ExecutedVersion", value: "57" }] },
      ],
      window,
      NOW,
    );
    for (const result of results) expect(result.values).toEqual([]);
  });

  it("the alias Resource dimension carries the function's traffic; others have none", () => {
    const byFunction = spec("Invocations", "Sum", 3600);
    const [plain, viaAlias, viaOther] = evaluateMetricQueries(
      model,
      [
        byFunction,
        { ...byFunction, dimensions: [...byFunction.dimensions, { name: "Resource", value: "orders-api:live" }] },
        { ...byFunction, dimensions: [...byFunction.dimensions, { name: "Resource", value: "orders-api:canary" }] },
      ],
      window,
      NOW,
    );
    expect(plain!.values.length).toBeGreaterThan(0);
    expect(viaAlias!.values).toEqual(plain!.values);
    expect(viaOther!.values).toEqual([]);
  });

  it("keeps 1-minute data for 15 days only, while hourly data reaches further back", () => {
    const hourSec = Math.floor(nowSec / 3600) * 3600;
    const old = { startSec: hourSec - 20 * 86_400, endSec: hourSec - 19 * 86_400 };
    // An account with 30 days of history, so there is traffic 20 days ago.
    const longer = createSimModel({ ...scenario, historyDays: 30 }, { seed: 1, anchorDay: model.fleet.anchorDay });
    const [minutes, hours] = evaluateMetricQueries(longer, [spec("Invocations", "Sum"), spec("Invocations", "Sum", 3600)], old, NOW);
    expect(minutes!.values).toEqual([]);
    expect(hours!.values).toHaveLength(24);
    // With the default 15 days there was no traffic yet: the functions did not exist.
    const [shortHistory] = evaluateMetricQueries(model, [spec("Invocations", "Sum", 3600)], old, NOW);
    expect(shortHistory!.values).toEqual([]);
  });

  it("account-wide concurrency never exceeds the regional limit and is at least the busiest function's", () => {
    const [account, payments] = evaluateMetricQueries(
      model,
      [spec("ConcurrentExecutions", "Maximum", 60, null), spec("ConcurrentExecutions", "Maximum", 60, "order-saga-process-payment")],
      window,
      NOW,
    );
    const byTime = new Map(payments!.timestampsSec.map((t, i) => [t, payments!.values[i]!]));
    account!.values.forEach((v, i) => {
      expect(v).toBeLessThanOrEqual(scenario.account.concurrentExecutionsLimit);
      expect(v).toBeGreaterThanOrEqual(byTime.get(account!.timestampsSec[i]!) ?? 0);
    });
  });
});
