import { describe, expect, it } from "vitest";
import { describeCostReaders, describeNoCostAccess } from "@/app/(console)/costs/cost-access";
import { IDLE_COLOR, UNALLOCATED_COLOR } from "@/app/(console)/costs/cost-colors";
import { buildTrendData, MAX_VALUE_SERIES } from "@/app/(console)/costs/cost-trend-data";
import { describeBudgetStatus } from "@/app/(console)/costs/cost-words";
import { parseBucketId, type BucketSummary, type CostAnomaly } from "@/lib/domain/cost/cost-types";

const DAY_MS = 86_400_000;
const D0 = Date.UTC(2026, 10, 1);

function aBucket(id: string, byDay: number[]): BucketSummary {
  const bucket = parseBucketId(id)!;
  const total = byDay.reduce((a, b) => a + b, 0);
  return {
    id,
    bucket,
    label: bucket.kind === "value" ? bucket.value : bucket.kind === "idle" ? "Idle provisioned concurrency" : "Unallocated",
    totalMicroUsd: total,
    shareRatio: 0,
    byDay,
    byService: [],
    forecast: null,
    budget: null,
    anomalyCount: 0,
  };
}

function anAnomaly(seriesId: string, dayMs: number, overrides: Partial<CostAnomaly> = {}): CostAnomaly {
  return { seriesId, metric: "cost", dayMs, direction: "up", actual: 0, baseline: 0, delta: 0, ratio: null, score: 5, likelyCause: null, ...overrides };
}

const days = [
  { dayMs: D0, estimated: false, billMicroUsd: 0 },
  { dayMs: D0 + DAY_MS, estimated: false, billMicroUsd: 0 },
  { dayMs: D0 + 2 * DAY_MS, estimated: true, billMicroUsd: 0 },
];

describe("buildTrendData", () => {
  it("stacks values largest first, then unallocated, then idle, each in its own colour", () => {
    const buckets = [aBucket("value:payments", [5, 5, 5]), aBucket("idle", [2, 2, 2]), aBucket("unallocated", [3, 3, 3]), aBucket("value:search", [1, 1, 1])];
    const trend = buildTrendData({ days, buckets, anomalies: [] });
    expect(trend.series.map((s) => s.id)).toEqual(["value:payments", "value:search", "unallocated", "idle"]);
    expect(trend.series.find((s) => s.id === "unallocated")!.color).toBe(UNALLOCATED_COLOR);
    expect(trend.series.find((s) => s.id === "idle")!.color).toBe(IDLE_COLOR);
    expect(new Set(trend.series.map((s) => s.color)).size).toBe(4);
  });

  it("leaves out empty buckets and gathers values beyond the limit into Other, keeping every µUSD", () => {
    const values = Array.from({ length: MAX_VALUE_SERIES + 3 }, (_, i) => aBucket(`value:v${i}`, [100 - i, 1, 0]));
    const buckets = [...values, aBucket("unallocated", [0, 0, 0]), aBucket("idle", [0, 0, 0])];
    const trend = buildTrendData({ days, buckets, anomalies: [] });
    expect(trend.series).toHaveLength(MAX_VALUE_SERIES + 1);
    expect(trend.series.at(-1)).toMatchObject({ id: "other", label: "Other (3)", bucketIds: ["value:v8", "value:v9", "value:v10"] });
    const first = trend.days[0]!;
    const drawn = Object.values(first.microUsdBySeries).reduce((a, b) => a + b, 0);
    expect(drawn).toBe(values.reduce((sum, b) => sum + b.byDay[0]!, 0));
    expect(first.microUsdBySeries[trend.series.at(-1)!.key]).toBe(92 + 91 + 90);
  });

  it("marks estimated days on their tick", () => {
    const trend = buildTrendData({ days, buckets: [aBucket("value:a", [1, 1, 1])], anomalies: [] });
    expect(trend.days.map((d) => d.tick)).toEqual(["11-01", "11-02", "11-03*"]);
    expect(trend.days.map((d) => d.day)).toEqual(["2026-11-01", "2026-11-02", "2026-11-03"]);
  });

  it("places a cost anomaly at the top of its bucket's segment and skips unit-cost anomalies", () => {
    const buckets = [aBucket("value:payments", [5, 50, 5]), aBucket("unallocated", [3, 3, 3]), aBucket("idle", [2, 2, 2])];
    const anomalies = [anAnomaly("unallocated", D0 + DAY_MS), anAnomaly("function:checkout", D0, { metric: "unit-cost" })];
    const trend = buildTrendData({ days, buckets, anomalies });
    expect(trend.marks).toHaveLength(1);
    expect(trend.marks[0]).toMatchObject({ seriesId: "unallocated", day: "2026-11-02", dayTick: "11-02", stackTopMicroUsd: 53, direction: "up" });
    expect(trend.marks[0]!.label).toBe("Unallocated unusually high on 2026-11-02");
  });
});

describe("cost words", () => {
  it("names the roles that may read costs from the role table", () => {
    expect(describeCostReaders()).toBe("finance or admin");
    expect(describeNoCostAccess("viewer")).toBe("Your role (viewer) cannot see costs: finance or admin can");
  });

  it.each([
    [{ actualRatio: 1.12, forecastRatio: 1.5, actualCrossed: 1, forecastCrossed: 1 }, "over", "Over budget: 112% spent"],
    [{ actualRatio: 0.85, forecastRatio: 1.3, actualCrossed: 0.8, forecastCrossed: 1 }, "warning", "Spent past 80% of the budget"],
    [{ actualRatio: 0.4, forecastRatio: 1.1, actualCrossed: null, forecastCrossed: 1 }, "over", "Forecast to reach 110% by month end"],
    [{ actualRatio: 0.4, forecastRatio: 0.85, actualCrossed: null, forecastCrossed: 0.8 }, "warning", "Forecast to reach 85% by month end"],
    [{ actualRatio: 0.2, forecastRatio: 0.5, actualCrossed: null, forecastCrossed: null }, "ok", "On track"],
  ])("budget status %#", (status, tone, text) => {
    expect(describeBudgetStatus(status)).toEqual({ tone, text });
  });
});
