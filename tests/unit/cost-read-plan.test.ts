import { describe, expect, it } from "vitest";
import {
  HOURLY_SERVICE_USAGE_GROUPING,
  LAMBDA_RESOURCE_GROUPING,
  SERVICE_USAGE_GROUPING,
  costGroupings,
  tagGrouping,
} from "@/lib/domain/cost/cost-groupings";
import { buildCostRequest, earliestReadableDayMs, planCostReads } from "@/lib/domain/cost/cost-read-plan";

const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);
const METRICS = ["UnblendedCost", "AmortizedCost", "NetUnblendedCost", "NetAmortizedCost", "UsageQuantity"];
const NOW = at("2026-11-26T12:00:30Z");
const TODAY = at("2026-11-26T00:00:00Z");

describe("cost groupings", () => {
  it("reads service/usage type, one [SERVICE, TAG] per allocation key, Lambda per function, hourly only when enabled", () => {
    expect(costGroupings({ allocationTagKeys: ["team", "service", "env"], hourly: false }).map((g) => g.id)).toEqual([
      "service-usage",
      "tag:team",
      "tag:service",
      "tag:env",
      "lambda-resource",
    ]);
    expect(costGroupings({ allocationTagKeys: ["team", "team"], hourly: true }).map((g) => g.id)).toEqual([
      "service-usage",
      "tag:team",
      "lambda-resource",
      "hourly:service-usage",
    ]);
  });

  it("never asks more than two GroupBy keys (FACTS.md §6)", () => {
    for (const grouping of costGroupings({ allocationTagKeys: ["team", "cost-center"], hourly: true })) {
      expect(grouping.groupBy.length).toBeLessThanOrEqual(2);
    }
  });
});

describe("buildCostRequest: the exact request bodies", () => {
  const window = { fromMs: at("2026-11-12T00:00:00Z"), toMs: at("2026-11-27T00:00:00Z") };

  it("DAILY by [SERVICE, USAGE_TYPE]", () => {
    expect(buildCostRequest(SERVICE_USAGE_GROUPING, window)).toStrictEqual({
      TimePeriod: { Start: "2026-11-12", End: "2026-11-27" },
      Granularity: "DAILY",
      Metrics: METRICS,
      GroupBy: [
        { Type: "DIMENSION", Key: "SERVICE" },
        { Type: "DIMENSION", Key: "USAGE_TYPE" },
      ],
    });
  });

  it("DAILY by [SERVICE, TAG:team]", () => {
    expect(buildCostRequest(tagGrouping("team"), window)).toStrictEqual({
      TimePeriod: { Start: "2026-11-12", End: "2026-11-27" },
      Granularity: "DAILY",
      Metrics: METRICS,
      GroupBy: [
        { Type: "DIMENSION", Key: "SERVICE" },
        { Type: "TAG", Key: "team" },
      ],
    });
  });

  it("DAILY Lambda by [RESOURCE_ID, USAGE_TYPE], filtered to SERVICE = AWS Lambda", () => {
    expect(buildCostRequest(LAMBDA_RESOURCE_GROUPING, { fromMs: at("2026-11-13T00:00:00Z"), toMs: window.toMs })).toStrictEqual({
      TimePeriod: { Start: "2026-11-13", End: "2026-11-27" },
      Granularity: "DAILY",
      Metrics: METRICS,
      GroupBy: [
        { Type: "DIMENSION", Key: "RESOURCE_ID" },
        { Type: "DIMENSION", Key: "USAGE_TYPE" },
      ],
      Filter: { Dimensions: { Key: "SERVICE", Values: ["AWS Lambda"] } },
    });
  });

  it("HOURLY bounds carry the time", () => {
    expect(buildCostRequest(HOURLY_SERVICE_USAGE_GROUPING, { fromMs: TODAY, toMs: TODAY + DAY }).TimePeriod).toStrictEqual({
      Start: "2026-11-26T00:00:00Z",
      End: "2026-11-27T00:00:00Z",
    });
  });

  it("does not share arrays with the grouping (a caller may not mutate the definitions)", () => {
    const request = buildCostRequest(LAMBDA_RESOURCE_GROUPING, window);
    request.GroupBy.push({ Type: "TAG", Key: "x" });
    request.Filter?.Dimensions.Values.push("x");
    expect(LAMBDA_RESOURCE_GROUPING.groupBy).toHaveLength(2);
    expect(LAMBDA_RESOURCE_GROUPING.filter?.Dimensions.Values).toEqual(["AWS Lambda"]);
  });
});

describe("planCostReads: which days a run asks for", () => {
  const groupings = costGroupings({ allocationTagKeys: ["team"], hourly: true });
  const windows = (plan: ReturnType<typeof planCostReads>) =>
    Object.fromEntries(plan.queries.map((q) => [q.grouping.id, `${q.request.TimePeriod.Start}..${q.request.TimePeriod.End}`]));

  it.each([
    {
      name: "first run: from the UTC day of backfillFromMs to tomorrow; 14-day data from today − 13",
      watermarkMs: null,
      backfillFromMs: NOW - 14 * DAY,
      expected: {
        "service-usage": "2026-11-12..2026-11-27",
        "tag:team": "2026-11-12..2026-11-27",
        "lambda-resource": "2026-11-13..2026-11-27",
        "hourly:service-usage": "2026-11-13T00:00:00Z..2026-11-27T00:00:00Z",
      },
    },
    {
      name: "watermark today: only today",
      watermarkMs: TODAY,
      backfillFromMs: NOW - 14 * DAY,
      expected: {
        "service-usage": "2026-11-26..2026-11-27",
        "tag:team": "2026-11-26..2026-11-27",
        "lambda-resource": "2026-11-26..2026-11-27",
        "hourly:service-usage": "2026-11-26T00:00:00Z..2026-11-27T00:00:00Z",
      },
    },
    {
      name: "a watermark ignores backfillFromMs, even when older (open days must still be finalised)",
      watermarkMs: TODAY - 20 * DAY,
      backfillFromMs: NOW - 1 * DAY,
      expected: {
        "service-usage": "2026-11-06..2026-11-27",
        "tag:team": "2026-11-06..2026-11-27",
        "lambda-resource": "2026-11-13..2026-11-27",
        "hourly:service-usage": "2026-11-13T00:00:00Z..2026-11-27T00:00:00Z",
      },
    },
    {
      name: "beyond Cost Explorer's 13 months: from the first day of the month 12 months back",
      watermarkMs: null,
      backfillFromMs: at("2024-01-01T00:00:00Z"),
      expected: {
        "service-usage": "2025-11-01..2026-11-27",
        "tag:team": "2025-11-01..2026-11-27",
        "lambda-resource": "2026-11-13..2026-11-27",
        "hourly:service-usage": "2026-11-13T00:00:00Z..2026-11-27T00:00:00Z",
      },
    },
    {
      name: "watermark tomorrow (today already final): nothing to ask",
      watermarkMs: TODAY + DAY,
      backfillFromMs: NOW - 14 * DAY,
      expected: {},
    },
  ])("$name", ({ watermarkMs, backfillFromMs, expected }) => {
    const plan = planCostReads({ watermarkMs, backfillFromMs, nowMs: NOW, groupings });
    expect(windows(plan)).toEqual(expected);
    expect(plan.window.toMs).toBe(TODAY + DAY);
    for (const query of plan.queries) {
      expect(query.operation).toBe(query.grouping.withResources ? "GetCostAndUsageWithResources" : "GetCostAndUsage");
      expect(query.request).toStrictEqual(buildCostRequest(query.grouping, query.window));
    }
  });

  it("the day boundary is UTC: one minute before midnight is still the same day", () => {
    const plan = planCostReads({ watermarkMs: TODAY, backfillFromMs: 0, nowMs: TODAY + DAY - 60_000, groupings: [SERVICE_USAGE_GROUPING] });
    expect(plan.queries[0]?.request.TimePeriod).toEqual({ Start: "2026-11-26", End: "2026-11-27" });
    const next = planCostReads({ watermarkMs: TODAY, backfillFromMs: 0, nowMs: TODAY + DAY, groupings: [SERVICE_USAGE_GROUPING] });
    expect(next.queries[0]?.request.TimePeriod).toEqual({ Start: "2026-11-26", End: "2026-11-28" });
  });

  it("earliest readable day: 12 months back for DAILY, 14 days including today for fine-grained data", () => {
    expect(new Date(earliestReadableDayMs(SERVICE_USAGE_GROUPING, at("2026-01-15T00:00:00Z"))).toISOString()).toBe("2025-01-01T00:00:00.000Z");
    expect(new Date(earliestReadableDayMs(LAMBDA_RESOURCE_GROUPING, TODAY)).toISOString()).toBe("2026-11-13T00:00:00.000Z");
  });
});
