import { describe, expect, it } from "vitest";
import { coldStartBadgeOf, sumColdStartCounts } from "@/lib/domain/service-map/node-badges";
import { xrayTraceConsoleUrl } from "@/lib/domain/service-map/xray-console-url";

describe("the cold-start-heavy badge", () => {
  it("sums hours (versions, memory sizes) per function before judging", () => {
    const rows = [
      { functionName: "shipping-rates-api", invocations: 10, coldStarts: 3 },
      { functionName: "orders-api", invocations: 5000, coldStarts: 20 },
      { functionName: "shipping-rates-api", invocations: 12, coldStarts: 4 },
    ];
    expect(sumColdStartCounts(rows)).toEqual([
      { functionName: "orders-api", invocations: 5000, coldStarts: 20 },
      { functionName: "shipping-rates-api", invocations: 22, coldStarts: 7 },
    ]);
    // Neither hour alone has the 5 cold starts a pattern needs; together they do (7 of 22 = 32 %).
    expect(coldStartBadgeOf(rows)).toEqual({ kind: "cold-start-heavy", functionNames: ["shipping-rates-api"], invocations: 22, coldStarts: 7, coldStartRatio: 7 / 22 });
  });

  it.each([
    ["too few cold starts to call a pattern", [{ functionName: "f", invocations: 10, coldStarts: 4 }], null],
    ["a small share of a busy function", [{ functionName: "f", invocations: 10_000, coldStarts: 400 }], null],
    ["5 % with enough cold starts", [{ functionName: "f", invocations: 200, coldStarts: 10 }], ["f"]],
    ["no invocations", [{ functionName: "f", invocations: 0, coldStarts: 0 }], null],
    ["nothing known", [], null],
  ])("%s", (_name, rows, heavy) => {
    expect(coldStartBadgeOf(rows)?.functionNames ?? null).toEqual(heavy);
  });

  it("judges each function of a service on its own, so a sparse heavy one is not hidden by a busy one", () => {
    const badge = coldStartBadgeOf([
      { functionName: "busy", invocations: 1_000_000, coldStarts: 100 },
      { functionName: "sparse", invocations: 30, coldStarts: 10 },
    ]);
    expect(badge).toMatchObject({ functionNames: ["sparse"], invocations: 30, coldStarts: 10 });
  });
});

describe("xrayTraceConsoleUrl", () => {
  it("links the trace in the CloudWatch console of its region", () => {
    expect(xrayTraceConsoleUrl("eu-west-1", "1-6745f2a0-0123456789abcdef01234567")).toBe(
      "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#xray:traces/1-6745f2a0-0123456789abcdef01234567",
    );
  });

  it("names the parameter that is malformed", () => {
    expect(() => xrayTraceConsoleUrl("Europe", "1-6745f2a0-0123456789abcdef01234567")).toThrow(/^region: /);
    expect(() => xrayTraceConsoleUrl("us-east-1", "1-6745f2a0/../x#y")).toThrow(/^traceId: /);
  });
});
