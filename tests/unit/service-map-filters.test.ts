import { describe, expect, it } from "vitest";
import { parseFilterExpression } from "@/infra/local/sim/xray/filter-expression";
import {
  exemplarFilters,
  faultedTracesFilter,
  formatFilterSeconds,
  MAX_FILTER_EXPRESSION_LENGTH,
  quoteFilterString,
  slowFunctionClause,
} from "@/lib/domain/service-map/trace-filters";

describe("X-Ray filter expressions (exact strings)", () => {
  it("faulted traces through a Lambda function", () => {
    expect(faultedTracesFilter()).toBe('fault = true AND service(id(type: "AWS::Lambda::Function"))');
  });

  it("one function's slow tail", () => {
    expect(slowFunctionClause("orders-api", 2511.886)).toBe('service(id(name: "orders-api", type: "AWS::Lambda::Function")) { responsetime >= 2.511 }');
  });

  it.each([
    [2511.886, "2.511"],
    [1000, "1"],
    [0.5, "0"],
    [12.5, "0.012"],
    [-3, "0"],
  ])("%f ms is written as %s s (rounded down to the millisecond)", (ms, text) => {
    expect(formatFilterSeconds(ms)).toBe(text);
  });

  it("quotes string literals", () => {
    expect(quoteFilterString('a"b\\c')).toBe('"a\\"b\\\\c"');
  });

  it("ORs the fault clause and every function's tail into one expression", () => {
    expect(exemplarFilters([{ functionName: "users-api", minResponseTimeMs: 2511.886 }, { functionName: "orders-api", minResponseTimeMs: 630.957 }], true)).toEqual([
      '(fault = true AND service(id(type: "AWS::Lambda::Function"))) OR ' +
        'service(id(name: "users-api", type: "AWS::Lambda::Function")) { responsetime >= 2.511 } OR ' +
        'service(id(name: "orders-api", type: "AWS::Lambda::Function")) { responsetime >= 0.63 }',
    ]);
  });

  it("leaves the fault clause out when asked", () => {
    expect(exemplarFilters([{ functionName: "users-api", minResponseTimeMs: 100 }], false)).toEqual([
      'service(id(name: "users-api", type: "AWS::Lambda::Function")) { responsetime >= 0.1 }',
    ]);
    expect(exemplarFilters([], false)).toEqual([]);
  });

  it("splits at X-Ray's 2,000-character limit, keeping the order", () => {
    const functions = Array.from({ length: 40 }, (_, i) => ({ functionName: `fleet-function-with-a-long-name-${String(i).padStart(3, "0")}`, minResponseTimeMs: 250 }));
    const filters = exemplarFilters(functions, true);
    expect(filters.length).toBeGreaterThan(1);
    for (const filter of filters) expect(filter.length).toBeLessThanOrEqual(MAX_FILTER_EXPRESSION_LENGTH);
    expect(filters[0]!.startsWith("(fault = true")).toBe(true);
    const named = filters.join(" OR ").match(/fleet-function-with-a-long-name-\d{3}/g);
    expect(named).toEqual(functions.map((f) => f.functionName));
  });

  it("every expression is accepted by the simulator's X-Ray filter parser", () => {
    const functions = Array.from({ length: 30 }, (_, i) => ({ functionName: `fn-${i}`, minResponseTimeMs: 10 * i + 0.4 }));
    for (const filter of [faultedTracesFilter(), ...exemplarFilters(functions, true)]) expect(() => parseFilterExpression(filter)).not.toThrow();
  });
});
