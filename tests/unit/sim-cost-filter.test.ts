import { describe, expect, it } from "vitest";
import { CostExplorerError } from "@/infra/local/sim/cost/cost-errors";
import { matchesFilter, toFilterExpression, type FilterSubject, type WireExpression } from "@/infra/local/sim/cost/cost-filter";
import { CostLedger, type LineIdentity } from "@/infra/local/sim/cost/cost-ledger";
import { groupKey } from "@/infra/local/sim/cost/cost-query";
import type { DimensionKey } from "@/infra/local/sim/cost/dimensions";
import { createSimModel } from "@/infra/local/sim/model/minute-stats";
import { ScenarioSchema } from "@/infra/local/sim/scenario-schema";

/** Filter expressions are validated like Cost Explorer's and evaluated per billing line; group keys read like AWS's. */
const allowAll = { allowResourceId: true };

function validationMessage(wire: WireExpression, options = allowAll): string {
  try {
    toFilterExpression(wire, options);
  } catch (error) {
    if (error instanceof CostExplorerError && error.type === "ValidationException") return error.message;
    throw error;
  }
  throw new Error("expected a ValidationException");
}

/** A billing line as a filter sees it. */
function subject(dimensions: Partial<Record<DimensionKey, string>>, tags: Record<string, string> | undefined): FilterSubject {
  return { dimension: (key) => dimensions[key] ?? "", tag: (key) => tags?.[key] };
}

const lambdaInCommerce = subject({ SERVICE: "AWS Lambda", USAGE_TYPE: "Request-ARM", REGION: "us-east-1" }, { team: "commerce", env: "prod" });
const dynamoUntagged = subject({ SERVICE: "Amazon DynamoDB", USAGE_TYPE: "ReadRequestUnits", REGION: "us-east-1" }, undefined);
const matches = (wire: WireExpression, line: FilterSubject) => matchesFilter(toFilterExpression(wire, allowAll), line);

describe("validation like Cost Explorer", () => {
  it("exactly one root operator per expression", () => {
    const message = "Expression has zero or more than one roots. Only one root operator is allowed for each expression: And, Or, Not, Dimensions, Tags, CostCategories";
    expect(validationMessage({ Dimensions: { Key: "SERVICE", Values: ["AWS Lambda"] }, Tags: { Key: "team", Values: ["x"] } })).toBe(message);
    expect(validationMessage({})).toBe(message);
    // Also nested.
    expect(validationMessage({ Not: { And: [{ Tags: { Key: "a", Values: ["b"] } }, {}] } })).toBe(message);
  });

  it("And / Or need at least 2 operands", () => {
    expect(validationMessage({ And: [{ Dimensions: { Key: "SERVICE", Values: ["AWS Lambda"] } }] })).toBe("And expression must have at least 2 operands");
    expect(validationMessage({ Or: [] })).toBe("Or expression must have at least 2 operands");
  });

  it("Dimensions accept EQUALS and CASE_SENSITIVE only; Tags also ABSENT", () => {
    expect(validationMessage({ Dimensions: { Key: "USAGE_TYPE", Values: ["Req"], MatchOptions: ["STARTS_WITH"] } })).toContain("STARTS_WITH is not supported for Dimensions");
    expect(validationMessage({ Dimensions: { Key: "SERVICE", Values: ["AWS Lambda"], MatchOptions: ["ABSENT"] } })).toContain("ABSENT is not supported for Dimensions");
    expect(validationMessage({ Tags: { Key: "team", Values: ["a"], MatchOptions: ["CONTAINS"] } })).toContain("CONTAINS is not supported for Tags");
    expect(() => toFilterExpression({ Tags: { Key: "team", MatchOptions: ["ABSENT"] } }, allowAll)).not.toThrow();
  });

  it("unknown dimensions, missing values and keys are rejected", () => {
    expect(validationMessage({ Dimensions: { Key: "COLOUR", Values: ["red"] } })).toContain("Dimension COLOUR is not allowed");
    expect(validationMessage({ Dimensions: { Key: "SERVICE", Values: [] } })).toContain("must not be empty");
    expect(validationMessage({ Tags: { Values: ["x"] } })).toBe("Tags must have a Key.");
    expect(validationMessage({ Tags: { Key: "team" } })).toContain("must not be empty unless MatchOptions is ABSENT");
  });

  it("RESOURCE_ID only where resource-level data is served", () => {
    const byArn: WireExpression = { Dimensions: { Key: "RESOURCE_ID", Values: ["arn:aws:lambda:us-east-1:1:function:f"] } };
    expect(validationMessage(byArn, { allowResourceId: false })).toContain("only available in GetCostAndUsageWithResources");
    expect(() => toFilterExpression(byArn, { allowResourceId: true })).not.toThrow();
  });
});

describe("evaluation", () => {
  it("Dimensions: the line's value is one of Values (case-sensitive)", () => {
    expect(matches({ Dimensions: { Key: "SERVICE", Values: ["Amazon S3", "AWS Lambda"] } }, lambdaInCommerce)).toBe(true);
    expect(matches({ Dimensions: { Key: "SERVICE", Values: ["aws lambda"] } }, lambdaInCommerce)).toBe(false);
    expect(matches({ Dimensions: { Key: "USAGE_TYPE", Values: ["Request"] } }, lambdaInCommerce)).toBe(false);
  });

  it("Tags: EQUALS on the value; an untagged line has the value \"\"; ABSENT selects untagged lines", () => {
    expect(matches({ Tags: { Key: "team", Values: ["commerce"] } }, lambdaInCommerce)).toBe(true);
    expect(matches({ Tags: { Key: "team", Values: ["commerce"] } }, dynamoUntagged)).toBe(false);
    expect(matches({ Tags: { Key: "team", Values: [""] } }, dynamoUntagged)).toBe(true);
    expect(matches({ Tags: { Key: "team", MatchOptions: ["ABSENT"] } }, dynamoUntagged)).toBe(true);
    expect(matches({ Tags: { Key: "team", MatchOptions: ["ABSENT"] } }, lambdaInCommerce)).toBe(false);
  });

  it("And, Or, Not compose", () => {
    const lambdaNotCommerce: WireExpression = {
      And: [{ Dimensions: { Key: "SERVICE", Values: ["AWS Lambda"] } }, { Not: { Tags: { Key: "team", Values: ["commerce"] } } }],
    };
    expect(matches(lambdaNotCommerce, lambdaInCommerce)).toBe(false);
    const eitherService: WireExpression = {
      Or: [{ Dimensions: { Key: "SERVICE", Values: ["Amazon DynamoDB"] } }, { Tags: { Key: "env", Values: ["prod"] } }],
    };
    expect(matches(eitherService, lambdaInCommerce)).toBe(true);
    expect(matches(eitherService, dynamoUntagged)).toBe(true);
    expect(matches({ Not: eitherService }, dynamoUntagged)).toBe(false);
  });

  it("no cost categories are defined: every line is uncategorised", () => {
    expect(matches({ CostCategories: { Key: "product", Values: [""] } }, lambdaInCommerce)).toBe(true);
    expect(matches({ CostCategories: { Key: "product", Values: ["shop"] } }, lambdaInCommerce)).toBe(false);
  });
});

describe("group keys of real billing lines", () => {
  const scenario = ScenarioSchema.parse({
    version: 1,
    name: "keys",
    historyDays: 2,
    account: { id: "444455556666", region: "us-east-1", otherRegions: ["eu-west-1"] },
    services: [
      {
        name: "orders",
        team: "commerce",
        functions: [
          { name: "orders-api", runtime: "nodejs20.x", architecture: "arm64", memoryMb: 512, timeoutSeconds: 10, traffic: { meanRatePerSecond: 2 }, duration: { cpuMs: 10, ioMs: 20 } },
        ],
      },
    ],
    functions: [
      { name: "legacy", region: "eu-west-1", runtime: "python3.12", memoryMb: 256, timeoutSeconds: 60, traffic: { meanRatePerSecond: 1 }, duration: { cpuMs: 10, ioMs: 10 } },
    ],
  });
  const anchorDay = Math.floor(Date.UTC(2026, 10, 20) / 86_400_000);
  const model = createSimModel(scenario, { anchorDay });
  const lines = new CostLedger(model).day(anchorDay - 1, anchorDay * 1440).lines.map((line) => line.identity);
  const requestLine = (name: string): LineIdentity => lines.find((line) => line.fn.name === name && line.kind === "lambda-request")!;

  it("TAG keys are key$value, and key$ for an untagged function", () => {
    expect(groupKey({ type: "TAG", key: "team" }, requestLine("orders-api"), "444455556666")).toBe("team$commerce");
    expect(groupKey({ type: "TAG", key: "service" }, requestLine("orders-api"), "444455556666")).toBe("service$orders");
    expect(groupKey({ type: "TAG", key: "team" }, requestLine("legacy"), "444455556666")).toBe("team$");
    expect(groupKey({ type: "COST_CATEGORY", key: "product" }, requestLine("legacy"), "444455556666")).toBe("product$");
  });

  it("DIMENSION keys: service, region-prefixed usage type, region, account, record type", () => {
    const legacy = requestLine("legacy");
    const key = (dimension: DimensionKey, line: LineIdentity) => groupKey({ type: "DIMENSION", key: dimension }, line, "444455556666");
    expect(key("SERVICE", legacy)).toBe("AWS Lambda");
    expect(key("USAGE_TYPE", legacy)).toBe("EU-Request");
    expect(key("USAGE_TYPE", requestLine("orders-api"))).toBe("Request-ARM");
    expect(key("REGION", legacy)).toBe("eu-west-1");
    expect(key("LINKED_ACCOUNT", legacy)).toBe("444455556666");
    expect(key("RECORD_TYPE", legacy)).toBe("Usage");
    expect(key("OPERATION", legacy)).toBe("Invoke");
    expect(key("RESOURCE_ID", legacy)).toBe("arn:aws:lambda:eu-west-1:444455556666:function:legacy");
  });
});
