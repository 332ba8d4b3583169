import { describe, expect, it } from "vitest";
import { functionDetailHref } from "@/app/(console)/_format/links";
import { parseFunctionDetailParams } from "@/app/_server/function-detail-params";
import { searchParamsToRecord } from "@/app/_server/search-params";

const NOW = Date.UTC(2026, 10, 24, 12, 20, 30);
const HOUR = 3_600_000;

describe("parseFunctionDetailParams", () => {
  it("reads the name, account, region and range", () => {
    const parsed = parseFunctionDetailParams("orders-api", { account: "123456789012", region: "us-east-1", range: "7d" }, NOW);
    expect(parsed).toEqual({
      ok: true,
      value: {
        name: "orders-api",
        accountId: "123456789012",
        regionId: "us-east-1",
        range: { label: "7d", window: { fromMs: Date.UTC(2026, 10, 24, 12, 20) - 7 * 24 * HOUR, toMs: Date.UTC(2026, 10, 24, 12, 20) } },
      },
    });
  });

  it("leaves account and region out when not given, and defaults to 24 h", () => {
    const parsed = parseFunctionDetailParams("payments-api", {}, NOW);
    expect(parsed.ok && parsed.value).toEqual({ name: "payments-api", range: { label: "24h", window: { fromMs: Date.UTC(2026, 10, 23, 12, 20), toMs: Date.UTC(2026, 10, 24, 12, 20) } } });
  });

  it.each([
    ["a name with a slash", "orders/api", {}, /^name: /],
    ["a name longer than 64 characters", "f".repeat(65), {}, /^name: /],
    ["an account that is not 12 digits", "orders-api", { account: "12345" }, /^account: must be 12 digits/],
    ["a region that is not a region code", "orders-api", { region: "useast1" }, /^region: /],
    ["a repeated account", "orders-api", { account: ["123456789012", "210987654321"] }, /^account: given more than once/],
    ["an unknown range", "orders-api", { range: "2y" }, /^range: /],
  ])("refuses %s, naming the parameter", (_, name, params, message) => {
    const parsed = parseFunctionDetailParams(name, params, NOW);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });
});

describe("functionDetailHref", () => {
  it("points at the function's page with its scope and range, and parses back to the same", () => {
    const href = functionDetailHref({ functionName: "orders-api", accountId: "123456789012", region: "us-east-1" }, "14d");
    expect(href).toBe("/functions/orders-api?account=123456789012&region=us-east-1&range=14d");
    const url = new URL(href, "http://localhost");
    const parsed = parseFunctionDetailParams(decodeURIComponent(url.pathname.split("/").at(-1)!), searchParamsToRecord(url.searchParams), NOW);
    expect(parsed.ok && [parsed.value.name, parsed.value.accountId, parsed.value.regionId, parsed.value.range.label]).toEqual(["orders-api", "123456789012", "us-east-1", "14d"]);
  });

  it("keeps a custom window as from/to", () => {
    const window = { fromMs: Date.UTC(2026, 10, 20), toMs: Date.UTC(2026, 10, 21) };
    expect(functionDetailHref({ functionName: "users-api" }, { label: "custom", window })).toBe(
      "/functions/users-api?from=2026-11-20T00%3A00%3A00.000Z&to=2026-11-21T00%3A00%3A00.000Z",
    );
  });
});
