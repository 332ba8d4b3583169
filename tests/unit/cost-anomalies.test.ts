import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CostLedger, lineCostUsd } from "@/infra/local/sim/cost/cost-ledger";
import { loadScenario } from "@/infra/local/sim/load-scenario";
import { createSimModel } from "@/infra/local/sim/model/minute-stats";
import { DEFAULT_ANOMALY_THRESHOLDS, detectAnomalies, seasonalBaseline } from "@/lib/domain/cost/cost-anomalies";
import type { CauseCandidate, DailySeries } from "@/lib/domain/cost/cost-types";

const DAY = 86_400_000;
/** Thursday 2026-11-12: 15 days to Thursday 2026-11-26, like the ecommerce scenario's history. */
const START = Date.UTC(2026, 10, 12);
const USD = 1_000_000;

function weekday(dayMs: number): number {
  return new Date(dayMs).getUTCDay();
}

/** Weekdays $10, weekends 20 % lower, Fridays +5 % (a flash sale), small wobble. */
function normalDay(dayMs: number, i: number): number {
  const base = weekday(dayMs) === 0 || weekday(dayMs) === 6 ? 8 * USD : 10 * USD;
  return Math.round(base * (weekday(dayMs) === 5 ? 1.05 : 1) * (1 + 0.01 * Math.sin(i * 1.7)));
}

function series(values: (dayMs: number, i: number) => number | null, days = 15, id = "value:catalog"): DailySeries {
  return { id, days: Array.from({ length: days }, (_, i) => ({ dayMs: START + i * DAY, value: values(START + i * DAY, i) })) };
}

const COST = { metric: "cost" as const, flagFromMs: 0, minAbsoluteDelta: DEFAULT_ANOMALY_THRESHOLDS.minAbsoluteDeltaMicroUsd };

describe("seasonalBaseline", () => {
  it("is the median of the days before when history is under a week (no weekday factor)", () => {
    const s = series((d, i) => [10, 12, 11, 30, 9][i] ?? null);
    const b = seasonalBaseline(s, START + 5 * DAY)!;
    expect(b.baseline).toBe(11);
    expect(b.historyDays).toBe(5);
    expect(seasonalBaseline(s, START)).toBeNull();
  });

  it("applies the day-of-week factor once a week of history exists: weekends 20 % lower", () => {
    const s = series((d) => (weekday(d) === 0 || weekday(d) === 6 ? 8 : 10), 14);
    const saturday = START + 16 * DAY; // 2026-11-28
    expect(weekday(saturday)).toBe(6);
    expect(seasonalBaseline(s, saturday)!.baseline).toBeCloseTo(8, 12);
    expect(seasonalBaseline(s, START + 18 * DAY)!.baseline).toBeCloseTo(10, 12);
    expect(seasonalBaseline(s, saturday)!.residualScale).toBe(0);
  });

  it("reads only days before the day", () => {
    const s = series((d, i) => (i >= 10 ? 1000 : 10));
    expect(seasonalBaseline(s, START + 10 * DAY)!.baseline).toBe(10);
  });
});

describe("detectAnomalies", () => {
  it("flags the 30× re-index day, and nothing of the normal weeks (weekends, Friday sales)", () => {
    const spike = 10; // Sunday 2026-11-22, five days before the anchor day 2026-11-27
    const s = series((d, i) => (i === spike ? 30 * 0.8 * USD : normalDay(d, i) / 10));
    const anomalies = detectAnomalies(s, {
      ...COST,
      causes: (dayMs) => (dayMs === START + spike * DAY
        ? [
            { kind: "function", name: "search-indexer", actualMicroUsd: 23.5 * USD, baselineMicroUsd: 0.75 * USD },
            { kind: "function", name: "catalog-api", actualMicroUsd: 0.05 * USD, baselineMicroUsd: 0.05 * USD },
          ]
        : []),
    });
    expect(anomalies).toHaveLength(1);
    const a = anomalies[0]!;
    expect(new Date(a.dayMs).toISOString().slice(0, 10)).toBe("2026-11-22");
    expect(a).toMatchObject({ seriesId: "value:catalog", metric: "cost", direction: "up" });
    expect(a.ratio!).toBeGreaterThan(25);
    expect(a.score).toBeGreaterThanOrEqual(3);
    expect(a.delta).toBeCloseTo(a.actual - a.baseline, 6);
    expect(a.likelyCause).toMatchObject({ kind: "function", name: "search-indexer" });
    expect(a.likelyCause!.deltaShare).toBeGreaterThan(0.9);
    expect(a.likelyCause!.deltaShare).toBeLessThanOrEqual(1);
  });

  it("does not let an anomaly poison the same weekday a week later", () => {
    // Spike on Monday 11-16 (4 days of history); Monday 11-23 is normal and must stay quiet.
    const s = series((d, i) => (i === 4 ? 300 * USD : normalDay(d, i)));
    const anomalies = detectAnomalies(s, COST);
    expect(anomalies.map((a) => new Date(a.dayMs).toISOString().slice(0, 10))).toEqual(["2026-11-16"]);
  });

  it("needs 3 earlier days of history, reports only from flagFromMs, and keeps under the absolute floor quiet", () => {
    // Day 3 of data: not reported, yet kept out of the next Saturday's weekday factor.
    const early = series((d, i) => (i === 2 ? 300 * USD : 10 * USD));
    expect(detectAnomalies(early, COST)).toEqual([]);
    const late = series((d, i) => (i === 12 ? 300 * USD : i === 6 ? 200 * USD : 10 * USD));
    expect(detectAnomalies(late, { ...COST, flagFromMs: START + 10 * DAY }).map((a) => (a.dayMs - START) / DAY)).toEqual([12]);
    // A bucket of $0.50 a day doubling: +$0.50 is under the $1 floor.
    const small = series((d, i) => (i === 10 ? 1 * USD : 0.5 * USD));
    expect(detectAnomalies(small, COST)).toEqual([]);
    expect(detectAnomalies(small, { ...COST, minAbsoluteDelta: 100_000 })).toHaveLength(1);
  });

  it("flags a drop, with a cause moving down", () => {
    const s = series((d, i) => (i === 11 ? 2 * USD : 10 * USD));
    const [a] = detectAnomalies(s, {
      ...COST,
      causes: () => [
        { kind: "usage-type", name: "Request", actualMicroUsd: 5 * USD, baselineMicroUsd: 4 * USD },
        { kind: "usage-type", name: "Lambda-GB-Second", actualMicroUsd: 1 * USD, baselineMicroUsd: 6 * USD },
      ],
    });
    expect(a).toMatchObject({ direction: "down", actual: 2 * USD, baseline: 10 * USD, delta: -8 * USD, ratio: 0.2 });
    expect(a!.likelyCause).toMatchObject({ name: "Lambda-GB-Second", deltaShare: 5 / 8 });
  });

  it("names no cause when none explains 20 % of the delta", () => {
    const s = series((d, i) => (i === 11 ? 30 * USD : 10 * USD));
    const [a] = detectAnomalies(s, { ...COST, causes: () => [{ kind: "service", name: "AWS Lambda", actualMicroUsd: 3 * USD, baselineMicroUsd: 0 }] });
    expect(a!.likelyCause).toBeNull();
  });

  it("works on unit cost (USD per invocation) with its own floor", () => {
    const s = series((d, i) => (i >= 13 ? 0.0000035 : 0.0000015), 15, "function:inventory-queue-worker");
    const anomalies = detectAnomalies(s, { metric: "unit-cost", flagFromMs: 0, minAbsoluteDelta: DEFAULT_ANOMALY_THRESHOLDS.minAbsoluteDeltaUsdPerInvocation });
    expect(anomalies.map((a) => (a.dayMs - START) / DAY)).toEqual([13, 14]);
    expect(anomalies[0]!.metric).toBe("unit-cost");
    expect(anomalies[0]!.delta).toBeCloseTo(0.000002, 15);
  });

  it("states its thresholds", () => {
    expect(DEFAULT_ANOMALY_THRESHOLDS).toMatchObject({ minHistoryDays: 3, minRelativeDelta: 0.5, minScore: 3, minAbsoluteDeltaMicroUsd: 1_000_000, trailingDays: 14 });
  });

  it("never flags a normal history: weekly shape and up to ±15 % daily noise", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.15, max: 0.15, noNaN: true }), { minLength: 15, maxLength: 15 }),
        fc.double({ min: 1, max: 1000, noNaN: true }),
        (noise, levelUsd) => {
          const s = series((d, i) => Math.round((weekday(d) === 0 || weekday(d) === 6 ? 0.8 : 1) * levelUsd * USD * (1 + noise[i]!)));
          expect(detectAnomalies(s, COST)).toEqual([]);
        },
      ),
    );
  });
});

describe("the ecommerce scenario's designed-in cost jump", () => {
  it("is flagged on its day (catalog, search-indexer re-index 5 days before the anchor), and no other team-day is", () => {
    const anchorDay = Date.UTC(2026, 10, 27) / DAY;
    const model = createSimModel(loadScenario("ecommerce"), { anchorDay });
    const ledger = new CostLedger(model);
    const byTeam = new Map<string, Map<number, number>>();
    const byFunction = new Map<string, Map<number, number>>();
    const add = (map: Map<string, Map<number, number>>, key: string, dayMs: number, usd: number) => {
      const days = map.get(key) ?? new Map<number, number>();
      days.set(dayMs, (days.get(dayMs) ?? 0) + usd);
      map.set(key, days);
    };
    for (let day = anchorDay - 15; day < anchorDay; day++) {
      const ledgerDay = ledger.day(day, anchorDay * 1440);
      for (const line of ledgerDay.lines) {
        const usd = lineCostUsd(ledgerDay, line, 0, 24);
        add(byTeam, line.identity.fn.team ?? "(untagged)", day * DAY, usd);
        add(byFunction, line.identity.fn.name, day * DAY, usd);
      }
    }
    const toSeries = (id: string, days: Map<number, number>): DailySeries => ({
      id,
      days: [...days.entries()].sort((a, b) => a[0] - b[0]).map(([dayMs, usd]) => ({ dayMs, value: Math.round(usd * USD) })),
    });
    const causes = (dayMs: number): CauseCandidate[] =>
      [...byFunction.entries()].flatMap(([name, days]) => {
        const baseline = seasonalBaseline(toSeries(name, days), dayMs);
        const actual = days.get(dayMs);
        return baseline === null || actual === undefined
          ? []
          : [{ kind: "function" as const, name, actualMicroUsd: Math.round(actual * USD), baselineMicroUsd: Math.round(baseline.baseline) }];
      });
    const anomalies = [...byTeam.entries()].flatMap(([team, days]) => detectAnomalies(toSeries(`value:${team}`, days), { ...COST, causes }));
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0]).toMatchObject({ seriesId: "value:catalog", dayMs: (anchorDay - 5) * DAY, direction: "up" });
    expect(anomalies[0]!.likelyCause).toMatchObject({ name: "search-indexer" });
    expect(anomalies[0]!.likelyCause!.deltaShare).toBeGreaterThan(0.95);
  });
});
