import { describe, expect, it } from "vitest";
import {
  evaluateFilter,
  evaluateFilterOnGroup,
  type TraceGroupView,
  type TraceView,
} from "@/infra/local/sim/xray/filter-evaluate";
import { FilterExpressionError, parseFilterExpression } from "@/infra/local/sim/xray/filter-expression";

/** The X-Ray filter-expression subset of the simulator: parsing, errors with positions, evaluation. */

describe("parseFilterExpression", () => {
  it.each([
    ["fault", { kind: "flag", flag: "fault", expected: true }],
    ["fault = false", { kind: "flag", flag: "fault", expected: false }],
    ["throttle != true", { kind: "flag", flag: "throttle", expected: false }],
    ["responsetime > 5", { kind: "number", field: "responsetime", operator: ">", value: 5 }],
    ["duration <= 0.25", { kind: "number", field: "duration", operator: "<=", value: 0.25 }],
    ["http.status = 500", { kind: "number", field: "http.status", operator: "=", value: 500 }],
    ['http.url CONTAINS "orders"', { kind: "string", field: "http.url", operator: "CONTAINS", value: "orders" }],
    ['http.method = "POST"', { kind: "string", field: "http.method", operator: "=", value: "POST" }],
    ['service("orders-api")', { kind: "service", service: { name: "orders-api", type: undefined }, where: undefined }],
  ])("%s", (text, ast) => {
    expect(parseFilterExpression(text)).toEqual(ast);
  });

  it("reads service ids, braces, precedence (NOT > AND > OR) and parentheses", () => {
    expect(parseFilterExpression('service(id(name: "orders-table", type: "AWS::DynamoDB::Table")) { fault }')).toEqual({
      kind: "service",
      service: { name: "orders-table", type: "AWS::DynamoDB::Table" },
      where: { kind: "flag", flag: "fault", expected: true },
    });
    expect(parseFilterExpression('edge("shop-api/prod", "orders-api") { responsetime > 1 }')).toEqual({
      kind: "edge",
      from: { name: "shop-api/prod", type: undefined },
      to: { name: "orders-api", type: undefined },
      where: { kind: "number", field: "responsetime", operator: ">", value: 1 },
    });
    expect(parseFilterExpression("ok OR NOT fault AND error")).toEqual({
      kind: "or",
      left: { kind: "flag", flag: "ok", expected: true },
      right: {
        kind: "and",
        left: { kind: "not", operand: { kind: "flag", flag: "fault", expected: true } },
        right: { kind: "flag", flag: "error", expected: true },
      },
    });
    expect(parseFilterExpression("(ok || error) && !throttle")).toEqual({
      kind: "and",
      left: { kind: "or", left: { kind: "flag", flag: "ok", expected: true }, right: { kind: "flag", flag: "error", expected: true } },
      right: { kind: "not", operand: { kind: "flag", flag: "throttle", expected: true } },
    });
  });

  it.each([
    ['annotation.account = "12345"', 0, 'unsupported keyword "annotation.account"'],
    ["fault AND user = \"x\"", 10, 'unsupported keyword "user"'],
    ["responsetime > fast", 15, "expected a number"],
    ['service("a"', 11, 'expected ")"'],
    ["fault ok", 6, "expected AND, OR or the end of the expression"],
    ['http.url CONTAINS "open', 18, "unterminated string"],
    ["fault # x", 6, 'unexpected character "#"'],
    ["", 0, "the expression is empty"],
  ])("rejects %j at position %i", (text, position, reason) => {
    let caught: unknown;
    try {
      parseFilterExpression(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FilterExpressionError);
    expect((caught as FilterExpressionError).position).toBe(position);
    expect((caught as FilterExpressionError).message).toContain(reason);
    expect((caught as FilterExpressionError).message).toContain(`position ${position}`);
  });
});

/** An API trace whose DynamoDB call failed while the function still answered 200. */
const apiTrace: TraceView = {
  status: "ok",
  responseTimeSec: 0.12,
  durationSec: 0.12,
  http: { method: "POST", url: "https://abc.execute-api.us-east-1.amazonaws.com/prod/orders", status: 200, userAgent: "ua", clientIp: "198.51.100.1" },
  nodes: [
    { name: "shop-api/prod", type: "AWS::ApiGateway::Stage", status: "ok", responseTimeSec: 0.12 },
    { name: "orders-api", type: "AWS::Lambda", status: "ok", responseTimeSec: 0.11 },
    { name: "orders-api", type: "AWS::Lambda::Function", status: "ok", responseTimeSec: 0.105 },
    { name: "orders-table", type: "AWS::DynamoDB::Table", status: "fault", responseTimeSec: 0.02 },
  ],
  edges: [
    { from: { name: "shop-api/prod", type: "client" }, to: { name: "shop-api/prod", type: "AWS::ApiGateway::Stage" }, status: "ok", responseTimeSec: 0.12 },
    { from: { name: "shop-api/prod", type: "AWS::ApiGateway::Stage" }, to: { name: "orders-api", type: "AWS::Lambda" }, status: "ok", responseTimeSec: 0.11 },
    { from: { name: "orders-api", type: "AWS::Lambda" }, to: { name: "orders-api", type: "AWS::Lambda::Function" }, status: "ok", responseTimeSec: 0.105 },
    { from: { name: "orders-api", type: "AWS::Lambda::Function" }, to: { name: "orders-table", type: "AWS::DynamoDB::Table" }, status: "fault", responseTimeSec: 0.02 },
  ],
};
const throttledTrace: TraceView = { ...apiTrace, status: "throttle", http: { ...apiTrace.http!, status: 429 }, nodes: apiTrace.nodes.slice(0, 2), edges: apiTrace.edges.slice(0, 2) };

describe("evaluateFilter", () => {
  it.each([
    ["ok", true, false],
    ["fault", false, false],
    ["error", false, true],
    ["throttle", false, true],
    ['service("orders-table") { fault }', true, false],
    ['service(id(name: "orders-api", type: "AWS::Lambda::Function"))', true, false],
    ['service("orders-api") { fault }', false, false],
    ['edge("orders-api", "orders-table") { fault AND responsetime < 0.05 }', true, false],
    ['edge("shop-api/prod", "orders-api")', true, true],
    ["responsetime > 0.1 AND duration < 0.2", true, true],
    ["http.status = 429", false, true],
    ['http.url CONTAINS "/orders" AND http.method = "POST"', true, true],
    ['http.url ENDSWITH "/users"', false, false],
    ["NOT ok AND NOT fault", false, true],
  ])("%s → %s on the API trace, %s on the throttled one", (text, onApi, onThrottled) => {
    const filter = parseFilterExpression(text);
    expect(evaluateFilter(filter, apiTrace)).toBe(onApi);
    expect(evaluateFilter(filter, throttledTrace)).toBe(onThrottled);
  });
});

describe("evaluateFilterOnGroup", () => {
  const group: TraceGroupView = {
    statuses: { ok: 58, error: 0, throttle: 0, fault: 2 },
    httpMethod: "POST",
    nodes: [
      { name: "orders-api", type: "AWS::Lambda::Function", inEveryTrace: true, statuses: { ok: 58, error: 0, throttle: 0, fault: 2 } },
      { name: "orders-table", type: "AWS::DynamoDB::Table", inEveryTrace: true, statuses: { ok: 180, error: 0, throttle: 0, fault: 0 } },
      { name: "orders-queue", type: "AWS::SQS::Queue", inEveryTrace: false, statuses: { ok: 30, error: 0, throttle: 0, fault: 0 } },
    ],
    edges: [],
  };
  it.each([
    ["throttle", "false"],
    ["fault", "unknown"],
    ["NOT throttle", "true"],
    ['service("orders-table")', "true"],
    ['service("orders-queue")', "unknown"],
    ['service("payments-api")', "false"],
    ['service("orders-table") { fault }', "false"],
    ['service("orders-api") { fault }', "unknown"],
    ['http.method = "GET"', "false"],
    ['http.method = "POST" AND responsetime > 3', "unknown"],
    ['throttle OR service("orders-table") { fault }', "false"],
  ])("%s is %s for the group", (text, truth) => {
    expect(evaluateFilterOnGroup(parseFilterExpression(text), group)).toBe(truth);
  });
});
