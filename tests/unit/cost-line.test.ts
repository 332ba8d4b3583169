import { describe, expect, it } from "vitest";
import { HOURLY_SERVICE_USAGE_GROUPING, LAMBDA_RESOURCE_GROUPING, SERVICE_USAGE_GROUPING, tagGrouping } from "@/lib/domain/cost/cost-groupings";
import { costLineId, costLineIdPrefix, sameCostLine, toCostLine, type CostGroupInput, type CostLine } from "@/lib/domain/cost/cost-line";

const DAY_START = Date.parse("2026-11-26T00:00:00Z");
const period = { startMs: DAY_START, estimated: true };

/** A group as the wire has it, every metric present. */
function group(keys: string[], costUsd = "0.0000166667", quantity = "1", unit = "Lambda-GB-Second"): CostGroupInput {
  const usd = { amount: costUsd, unit: "USD" };
  return {
    keys,
    metrics: { UnblendedCost: usd, AmortizedCost: usd, NetUnblendedCost: usd, NetAmortizedCost: usd, UsageQuantity: { amount: quantity, unit } },
  };
}

function line(parsed: ReturnType<typeof toCostLine>): CostLine {
  if (parsed.kind !== "ok") throw new Error(parsed.reason);
  return parsed.line;
}

describe("toCostLine", () => {
  it("[SERVICE, USAGE_TYPE]: money in µUSD, usage and the Estimated flag kept", () => {
    expect(line(toCostLine(SERVICE_USAGE_GROUPING, period, group(["AWS Lambda", "Lambda-GB-Second"], "1.0000166667", "60000.5")))).toStrictEqual({
      groupingId: "service-usage",
      granularity: "DAILY",
      periodStartMs: DAY_START,
      estimated: true,
      service: "AWS Lambda",
      usageType: "Lambda-GB-Second",
      unblendedCostMicroUsd: 1_000_017,
      amortizedCostMicroUsd: 1_000_017,
      netUnblendedCostMicroUsd: 1_000_017,
      netAmortizedCostMicroUsd: 1_000_017,
      usageQuantity: 60000.5,
      usageUnit: "Lambda-GB-Second",
    });
  });

  it("[SERVICE, TAG:team]: the tag value without `team$`; untagged usage is the empty value", () => {
    const tagged = line(toCostLine(tagGrouping("team"), period, group(["AWS Lambda", "team$commerce"])));
    expect(tagged).toMatchObject({ service: "AWS Lambda", tagKey: "team", tagValue: "commerce" });
    const untagged = line(toCostLine(tagGrouping("team"), period, group(["AWS Lambda", "team$"])));
    expect(untagged).toMatchObject({ tagKey: "team", tagValue: "" });
    // A value may itself contain `$`: only the prefix is the key.
    expect(line(toCostLine(tagGrouping("team"), period, group(["X", "team$a$b"]))).tagValue).toBe("a$b");
  });

  it("[RESOURCE_ID, USAGE_TYPE]: the function ARN", () => {
    const arn = "arn:aws:lambda:us-east-1:123456789012:function:orders-api";
    expect(line(toCostLine(LAMBDA_RESOURCE_GROUPING, period, group([arn, "Request"])))).toMatchObject({ resourceId: arn, usageType: "Request" });
  });

  it.each([
    { name: "one key for two GroupBy", input: group(["AWS Lambda"]), reason: /expected 2 group keys, got 1/ },
    { name: "tag key of another tag", input: group(["AWS Lambda", "env$prod"]), reason: /does not start with "team\$"/, grouping: tagGrouping("team") },
    { name: "missing metric", input: { keys: ["a", "b"], metrics: { UnblendedCost: { amount: "1", unit: "USD" } } }, reason: /AmortizedCost is missing/ },
    {
      name: "cost not in USD",
      input: { ...group(["a", "b"]), metrics: { ...group(["a", "b"]).metrics, NetUnblendedCost: { amount: "1", unit: "EUR" } } },
      reason: /NetUnblendedCost is in EUR/,
    },
    { name: "cost not a decimal", input: group(["a", "b"], "1,5"), reason: /UnblendedCost: "1,5" is not a decimal/ },
    { name: "quantity not a number", input: group(["a", "b"], "1", "lots"), reason: /UsageQuantity "lots"/ },
    { name: "empty quantity", input: group(["a", "b"], "1", ""), reason: /UsageQuantity ""/ },
    { name: "absurdly long key", input: group(["a".repeat(401), "b"]), reason: /longer than 400/ },
    { name: "key beyond DynamoDB's 1024-byte sort key", input: group(["é".repeat(300), "ü".repeat(300)]), reason: /would be 1226 bytes \(at most 1024\)/ },
  ])("invalid: $name", ({ input, reason, grouping }) => {
    const parsed = toCostLine(grouping ?? SERVICE_USAGE_GROUPING, period, input);
    expect(parsed.kind).toBe("invalid");
    if (parsed.kind === "invalid") expect(parsed.reason).toMatch(reason);
  });
});

describe("line identity (the sort key)", () => {
  it.each([
    [SERVICE_USAGE_GROUPING, ["AWS Lambda", "Request"], "service-usage#2026-11-26#AWS Lambda#Request"],
    [tagGrouping("team"), ["AWS Lambda", "team$commerce"], "tag:team#2026-11-26#AWS Lambda#commerce"],
    [tagGrouping("team"), ["AWS Lambda", "team$"], "tag:team#2026-11-26#AWS Lambda#"],
    [
      LAMBDA_RESOURCE_GROUPING,
      ["arn:aws:lambda:us-east-1:123456789012:function:orders-api", "Request"],
      "lambda-resource#2026-11-26#arn:aws:lambda:us-east-1:123456789012:function:orders-api#Request",
    ],
    [tagGrouping("team"), ["A#B", "team$50%#x"], "tag:team#2026-11-26#A%23B#50%25%23x"],
  ] as const)("%s %j → %s", (grouping, keys, id) => {
    expect(costLineId(line(toCostLine(grouping, period, group([...keys]))))).toBe(id);
  });

  it("hourly periods carry the hour; ids sort in time order within a grouping", () => {
    const at13 = line(toCostLine(HOURLY_SERVICE_USAGE_GROUPING, { startMs: DAY_START + 13 * 3_600_000, estimated: true }, group(["AWS Lambda", "Request"])));
    expect(costLineId(at13)).toBe("hourly:service-usage#2026-11-26T13#AWS Lambda#Request");
    const from = costLineIdPrefix("hourly:service-usage", "HOURLY", DAY_START);
    const to = costLineIdPrefix("hourly:service-usage", "HOURLY", DAY_START + 86_400_000);
    expect([from, to]).toEqual(["hourly:service-usage#2026-11-26T00", "hourly:service-usage#2026-11-27T00"]);
    expect(costLineId(at13) > from && costLineId(at13) < to).toBe(true);
    // The upper bound excludes lines of the next day's first period (BETWEEN is inclusive).
    const nextDay = line(toCostLine(HOURLY_SERVICE_USAGE_GROUPING, { startMs: DAY_START + 86_400_000, estimated: true }, group(["A", "B"])));
    expect(costLineId(nextDay) > to).toBe(true);
  });

  it("distinct groups never share an id, escaping included", () => {
    const ids = [["a#b", "c"], ["a", "b#c"], ["a%23b", "c"]].map((keys) => costLineId(line(toCostLine(SERVICE_USAGE_GROUPING, period, group(keys)))));
    expect(new Set(ids).size).toBe(3);
  });

  it("sameCostLine compares data, not object identity", () => {
    const a = line(toCostLine(SERVICE_USAGE_GROUPING, period, group(["A", "B"])));
    expect(sameCostLine(a, { ...a })).toBe(true);
    expect(sameCostLine(a, { ...a, estimated: false })).toBe(false);
    expect(sameCostLine(a, { ...a, unblendedCostMicroUsd: a.unblendedCostMicroUsd + 1 })).toBe(false);
  });
});
