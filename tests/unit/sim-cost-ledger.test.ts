import { describe, expect, it } from "vitest";
import { CostLedger, lineCostUsd, lineQuantity, type DayLedger } from "@/infra/local/sim/cost/cost-ledger";
import { evaluateCostQuery } from "@/infra/local/sim/cost/cost-query";
import { finalThroughMs, splitPeriods } from "@/infra/local/sim/cost/time-period";
import { createSimModel } from "@/infra/local/sim/model/minute-stats";
import { MINUTES_PER_DAY } from "@/infra/local/sim/model/time";
import { ScenarioSchema } from "@/infra/local/sim/scenario-schema";

/** The day ledger: tiers by month-to-date usage, caching, history and publication cutoff, query periods. */
const epochDay = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / 86_400_000;
const dayMs = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d);

/** Published FACTS.md §2 x86_64 duration prices. */
const TIER_1 = 0.0000166667;
const TIER_2 = 0.000015;
const TIER_3 = 0.0000133334;

function onDemandGbSeconds(day: DayLedger): number {
  return day.lines.filter((line) => line.identity.kind === "lambda-duration").reduce((sum, line) => sum + lineQuantity(line, 0, 24), 0);
}

function onDemandCostUsd(day: DayLedger): number {
  return day.lines.filter((line) => line.identity.kind === "lambda-duration").reduce((sum, line) => sum + lineCostUsd(day, line, 0, 24), 0);
}

describe("duration tiers accumulate month to date", () => {
  // One huge function: ~400 req/s × ~12.7 s mean at 10 GB ≈ 4.4 B GB-s a day, so November
  // crosses 6 B GB-s on its 2nd day and 15 B on its 4th. History starts in October.
  const scenario = ScenarioSchema.parse({
    version: 1,
    name: "tiers",
    historyDays: 10,
    account: { id: "111122223333", region: "us-east-1", concurrentExecutionsLimit: 1_000_000 },
    functions: [
      {
        name: "render",
        runtime: "nodejs20.x",
        memoryMb: 10_240,
        timeoutSeconds: 900,
        traffic: { meanRatePerSecond: 400, shape: { peakToTroughRatio: 1, weekendFactor: 1 } },
        duration: { cpuMs: 0, ioMs: 10_000 },
      },
    ],
  });
  const anchorDay = epochDay(2026, 11, 6);
  const cutoff = anchorDay * MINUTES_PER_DAY;

  it("the 1st of the month starts again at the first tier, whatever October ran", () => {
    const ledger = new CostLedger(createSimModel(scenario, { anchorDay }));
    const october31 = ledger.day(epochDay(2026, 10, 31), cutoff);
    expect(onDemandGbSeconds(october31)).toBeGreaterThan(4e9);
    const first = ledger.day(epochDay(2026, 11, 1), cutoff);
    expect(onDemandGbSeconds(first)).toBeGreaterThan(4e9);
    expect(onDemandGbSeconds(first)).toBeLessThan(6e9);
    expect(onDemandCostUsd(first)).toBeCloseTo(onDemandGbSeconds(first) * TIER_1, 4);
  });

  it("the day that crosses 6 B GB-s is charged at each tier for its share", () => {
    const ledger = new CostLedger(createSimModel(scenario, { anchorDay }));
    const before = onDemandGbSeconds(ledger.day(epochDay(2026, 11, 1), cutoff));
    const second = ledger.day(epochDay(2026, 11, 2), cutoff);
    const after = before + onDemandGbSeconds(second);
    expect(before).toBeLessThan(6e9);
    expect(after).toBeGreaterThan(6e9);
    expect(onDemandCostUsd(second)).toBeCloseTo((6e9 - before) * TIER_1 + (after - 6e9) * TIER_2, 3);
  });

  it("the day that crosses 15 B GB-s moves into the third tier; asking for it alone computes the days before it", () => {
    const ledger = new CostLedger(createSimModel(scenario, { anchorDay }));
    const fourth = ledger.day(epochDay(2026, 11, 4), cutoff);
    expect(ledger.stats.daysComputed).toBe(4);
    let before = 0;
    for (let d = 1; d <= 3; d++) before += onDemandGbSeconds(ledger.day(epochDay(2026, 11, d), cutoff));
    const after = before + onDemandGbSeconds(fourth);
    expect(before).toBeLessThan(15e9);
    expect(after).toBeGreaterThan(15e9);
    expect(onDemandCostUsd(fourth)).toBeCloseTo((15e9 - before) * TIER_2 + (after - 15e9) * TIER_3, 3);
    expect(ledger.stats.daysComputed).toBe(4);
  });
});

describe("the tier shortcut checks its own assumption", () => {
  // Four unreserved functions at ~70 concurrent executions each, 10 GB: together ~280, which the
  // 100-execution account limit should forbid but the model does not enforce across functions.
  // ~242 M GB-s a day crosses 6 B GB-s on the 25th.
  const render = (name: string) => ({
    name,
    runtime: "nodejs20.x",
    memoryMb: 10_240,
    timeoutSeconds: 900,
    traffic: { meanRatePerSecond: 5.5, shape: { peakToTroughRatio: 1, weekendFactor: 1 } },
    duration: { cpuMs: 0, ioMs: 10_000 },
  });
  const scenario = ScenarioSchema.parse({
    version: 1,
    name: "over-the-limit",
    historyDays: 30,
    account: { id: "111122223333", region: "us-east-1", concurrentExecutionsLimit: 100 },
    functions: [render("a"), render("b"), render("c"), render("d")],
  });
  const anchorDay = epochDay(2026, 12, 1);

  it("a day above the bound switches to exact tiers: the 25th is priced from the 24 days before it", () => {
    const ledger = new CostLedger(createSimModel(scenario, { anchorDay }));
    const day25 = ledger.day(epochDay(2026, 11, 25), anchorDay * MINUTES_PER_DAY);
    let before = 0;
    for (let d = 1; d <= 24; d++) before += onDemandGbSeconds(ledger.day(epochDay(2026, 11, d), anchorDay * MINUTES_PER_DAY));
    const after = before + onDemandGbSeconds(day25);
    expect(after).toBeGreaterThan(6e9);
    expect(before).toBeLessThan(6e9);
    expect(onDemandCostUsd(day25)).toBeCloseTo((6e9 - before) * TIER_1 + (after - 6e9) * TIER_2, 3);
  });
});

describe("a small fleet", () => {
  const scenario = ScenarioSchema.parse({
    version: 1,
    name: "small",
    historyDays: 20,
    account: { id: "111122223333", region: "us-east-1" },
    services: [
      {
        name: "api",
        team: "web",
        functions: [
          {
            name: "api",
            runtime: "nodejs20.x",
            memoryMb: 1024,
            timeoutSeconds: 10,
            aliases: [{ name: "live", functionVersion: 1 }],
            provisionedConcurrency: [{ qualifier: "live", requestedExecutions: 1 }],
            traffic: { meanRatePerSecond: 3 },
            duration: { cpuMs: 20, ioMs: 20 },
          },
        ],
      },
    ],
  });
  const anchorDay = epochDay(2026, 11, 27);
  const nowMinute = anchorDay * MINUTES_PER_DAY + 12 * 60; // today 12:00
  const model = createSimModel(scenario, { anchorDay });

  it("late in the month, only the asked day is computed: the fleet cannot reach the next tier", () => {
    const ledger = new CostLedger(model);
    const day = ledger.day(anchorDay - 1, nowMinute);
    expect(ledger.stats.daysComputed).toBe(1);
    expect(onDemandCostUsd(day)).toBeCloseTo(onDemandGbSeconds(day) * TIER_1, 9);
  });

  it("complete days are memoised; the open day follows the publication cutoff", () => {
    const ledger = new CostLedger(model);
    expect(ledger.day(anchorDay - 1, nowMinute)).toBe(ledger.day(anchorDay - 1, nowMinute + 5));
    const at12 = ledger.day(anchorDay, nowMinute);
    const at13 = ledger.day(anchorDay, nowMinute + 60);
    expect(ledger.day(anchorDay, nowMinute + 60)).toBe(at13);
    const requests = (day: DayLedger) => day.lines.filter((line) => line.identity.kind === "lambda-request").reduce((sum, line) => sum + lineQuantity(line, 0, 24), 0);
    expect(requests(at13)).toBeGreaterThan(requests(at12));
    // Nothing at or after the cutoff: hour 12 onwards is empty at 12:00.
    expect(at12.lines.every((line) => lineQuantity(line, 12, 24) === 0)).toBe(true);
    expect(ledger.day(anchorDay + 1, nowMinute).lines).toEqual([]);
  });

  it("the open day is extended from its last complete hour, with the same numbers as computing it afresh", () => {
    const snapshot = (day: DayLedger) =>
      new Map(day.lines.map((line) => [`${line.identity.kind}|${line.identity.architecture}|${line.identity.resourceId}`, Array.from(line.quantityByHour)]));
    const incremental = new CostLedger(model);
    incremental.day(anchorDay, nowMinute - 37);
    const extended = incremental.day(anchorDay, nowMinute + 95);
    expect(snapshot(extended)).toEqual(snapshot(new CostLedger(model).day(anchorDay, nowMinute + 95)));
    // And when the day completes.
    const completed = incremental.day(anchorDay, (anchorDay + 1) * MINUTES_PER_DAY + 10);
    expect(snapshot(completed)).toEqual(snapshot(new CostLedger(model).day(anchorDay, (anchorDay + 1) * MINUTES_PER_DAY + 10)));
  });

  it("nothing before the history start (the functions did not exist)", () => {
    const ledger = new CostLedger(model);
    expect(ledger.day(anchorDay - 21, nowMinute).lines).toEqual([]);
    expect(ledger.day(anchorDay - 20, nowMinute).lines.length).toBeGreaterThan(0);
  });

  it("DAILY equals the sum of HOURLY, and MONTHLY periods are clipped calendar months", () => {
    const ledger = new CostLedger(model);
    const query = (granularity: "DAILY" | "HOURLY") =>
      evaluateCostQuery(ledger, "111122223333", {
        periods: splitPeriods(dayMs(2026, 11, 25), dayMs(2026, 11, 26), granularity),
        filter: undefined,
        groupBy: [{ type: "DIMENSION", key: "USAGE_TYPE" }],
        cutoffMinute: nowMinute,
      });
    const daily = query("DAILY");
    const hourly = query("HOURLY");
    expect(hourly).toHaveLength(24);
    const dailyGroups = new Map(daily[0]!.groups.map((group) => [group.keys[0], group.aggregate]));
    expect([...dailyGroups.keys()].sort()).toEqual(["Lambda-GB-Second", "Lambda-Provisioned-Concurrency", "Lambda-Provisioned-GB-Second", "Request", "USE1-DataProcessing-Bytes"]);
    for (const [key, aggregate] of dailyGroups) {
      const hourlyCost = hourly.reduce((sum, result) => sum + (result.groups.find((group) => group.keys[0] === key)?.aggregate.costUsd ?? 0), 0);
      expect(hourlyCost).toBeCloseTo(aggregate.costUsd, 9);
    }
    // 1 provisioned execution × 1 GB × 86,400 s a day.
    expect(dailyGroups.get("Lambda-Provisioned-Concurrency")?.quantity).toBeCloseTo(86_400, 6);

    expect(splitPeriods(dayMs(2026, 10, 15), dayMs(2026, 12, 10), "MONTHLY").map((p) => [p.start, p.end])).toEqual([
      ["2026-10-15", "2026-11-01"],
      ["2026-11-01", "2026-12-01"],
      ["2026-12-01", "2026-12-10"],
    ]);
  });

  it("the total of a query is the sum of its groups; mixed units read N/A", () => {
    const ledger = new CostLedger(model);
    const [result] = evaluateCostQuery(ledger, "111122223333", {
      periods: splitPeriods(dayMs(2026, 11, 20), dayMs(2026, 11, 21), "DAILY"),
      filter: undefined,
      groupBy: [{ type: "TAG", key: "team" }],
      cutoffMinute: nowMinute,
    });
    expect(result!.groups.map((group) => group.keys)).toEqual([["team$web"]]);
    expect(result!.groups[0]!.aggregate.costUsd).toBeCloseTo(result!.total.costUsd, 12);
    expect(result!.total.unit).toBe("N/A");
  });
});

describe("which days are final (Cost Explorer's Estimated is false before finalThroughMs)", () => {
  const DAY = 86_400_000;
  const NOV_27 = dayMs(2026, 11, 27);

  it("by default a day settles for 24 h after it ends", () => {
    const scenario = ScenarioSchema.parse({
      version: 1,
      name: "settle",
      account: { id: "111122223333", region: "us-east-1" },
      functions: [{ name: "f", runtime: "nodejs20.x", memoryMb: 128, timeoutSeconds: 3, traffic: { meanRatePerSecond: 1 }, duration: { cpuMs: 1, ioMs: 1 } }],
    });
    expect(scenario.costExplorer.settleHours).toBe(24);
    const settle = createSimModel(scenario, { anchorDay: epochDay(2026, 11, 27) }).fleet.costSettleMinutes;
    expect(settle).toBe(1440);
    // At noon on the 27th the 26th closed 12 h ago: the 25th is the last final day.
    expect(finalThroughMs(NOV_27 + 12 * 3_600_000, settle)).toBe(NOV_27 - DAY);
    // The 26th becomes final at the 28th's midnight, not a millisecond before.
    expect(finalThroughMs(NOV_27 + DAY - 1, settle)).toBe(NOV_27 - DAY);
    expect(finalThroughMs(NOV_27 + DAY, settle)).toBe(NOV_27);
  });

  it("never before the day's last minute is published, even without a settle time", () => {
    // 00:00:30 and 00:00:59.999: CloudWatch has published up to 23:58 (23:59 is withheld).
    expect(finalThroughMs(NOV_27 + 30_000, 0)).toBe(NOV_27 - DAY);
    expect(finalThroughMs(NOV_27 + 59_999, 0)).toBe(NOV_27 - DAY);
    // From 00:01 the 26th is complete.
    expect(finalThroughMs(NOV_27 + 60_000, 0)).toBe(NOV_27);
    // A settle time shorter than the publication delay changes nothing.
    expect(finalThroughMs(NOV_27 + 30_000, 0.5)).toBe(NOV_27 - DAY);
  });

  it("a final day's lines are the same at any later cutoff", () => {
    const scenario = ScenarioSchema.parse({
      version: 1,
      name: "settle",
      historyDays: 3,
      account: { id: "111122223333", region: "us-east-1" },
      functions: [{ name: "f", runtime: "nodejs20.x", memoryMb: 512, timeoutSeconds: 3, traffic: { meanRatePerSecond: 5 }, duration: { cpuMs: 20, ioMs: 30 } }],
    });
    const model = createSimModel(scenario, { anchorDay: epochDay(2026, 11, 27) });
    const day = epochDay(2026, 11, 26);
    const query = (cutoffMinute: number) =>
      JSON.stringify(evaluateCostQuery(new CostLedger(model), "111122223333", { periods: splitPeriods(NOV_27 - DAY, NOV_27, "HOURLY"), filter: undefined, groupBy: [], cutoffMinute }));
    // The first cutoff at which the 26th is final with settleHours 0 (00:01:00 on the 27th), then later ones.
    const finalCutoff = (day + 1) * MINUTES_PER_DAY;
    const final = query(finalCutoff);
    for (const cutoff of [finalCutoff + 1, finalCutoff + 600, finalCutoff + 3 * MINUTES_PER_DAY]) expect(query(cutoff)).toBe(final);
    // One minute earlier the day still lacked 23:59.
    expect(query(finalCutoff - 1)).not.toBe(final);
  });
});
