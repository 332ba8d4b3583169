import { describe, expect, it } from "vitest";
import { matchesSearch, searchTermsOf, type SearchableNode } from "@/lib/domain/service-map/map-search";

const payments: SearchableNode = { name: "payments-api", kind: "lambda-function", type: "AWS::Lambda::Function", service: "payments", functionNames: ["payments-api"] };
const table: SearchableNode = { name: "orders-table", kind: "dynamodb-table", type: "AWS::DynamoDB::Table", service: null, functionNames: [] };
const saga: SearchableNode = {
  name: "order-saga",
  kind: "service",
  type: "service",
  service: "order-saga",
  functionNames: ["order-saga-confirm-order", "order-saga-process-payment"],
};

describe("map search", () => {
  it("splits a query into lower-case words and ignores blanks", () => {
    expect(searchTermsOf("  Payments   API ")).toEqual(["payments", "api"]);
    expect(searchTermsOf("   ")).toEqual([]);
  });

  it.each<[string, SearchableNode, boolean]>([
    ["", table, true], // a blank query matches every node
    ["PAY", payments, true], // case does not matter
    ["pay", table, false],
    ["dynamodb", table, true], // by kind
    ["DynamoDB::Table", table, true], // by X-Ray type
    ["lambda", table, false],
    ["payments function", payments, true], // every word must match, each anywhere
    ["payments table", payments, false],
    ["process-payment", saga, true], // a collapsed service matches by the functions it holds
    ["order-saga", saga, true],
  ])("%j on %s → %s", (query, node, expected) => {
    expect(matchesSearch(node, searchTermsOf(query))).toBe(expected);
  });
});
