import { describe, expect, it } from "vitest";
import { parseMapNodeParams, parseMapParams } from "@/app/_server/map-params";

const NOW = Date.UTC(2026, 10, 26, 12, 30, 40);
const NOW_MINUTE = Date.UTC(2026, 10, 26, 12, 30);
const HOUR = 3_600_000;

describe("parseMapParams", () => {
  it("defaults to the last 24 hours, the busiest scope, no baseline, auto grouping", () => {
    const parsed = parseMapParams({}, NOW);
    expect(parsed).toEqual({
      ok: true,
      value: {
        range: { label: "24h", window: { fromMs: NOW_MINUTE - 24 * HOUR, toMs: NOW_MINUTE } },
        scope: null,
        compare: null,
        grouping: "auto",
        node: null,
        search: "",
      },
    });
  });

  it("reads scope, preset baseline, grouping, open node and search", () => {
    const parsed = parseMapParams({ range: "6h", account: "210987654321", region: "eu-west-1", compare: "1d", group: "service", node: "AWS::Lambda|x|1", q: "pay" }, NOW);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.value.scope).toEqual({ accountId: "210987654321", region: "eu-west-1" });
    expect(parsed.value.compare).toEqual({ label: "1d", window: { fromMs: NOW_MINUTE - 30 * HOUR, toMs: NOW_MINUTE - 24 * HOUR } });
    expect(parsed.value).toMatchObject({ grouping: "service", node: "AWS::Lambda|x|1", search: "pay" });
  });

  it("reads a custom window and a custom baseline (before/after a deploy)", () => {
    const parsed = parseMapParams(
      { from: "2026-11-24T14:20:00Z", to: "2026-11-24T18:20:00Z", baseFrom: "2026-11-24T10:20:00Z", baseTo: "2026-11-24T14:20:00Z" },
      NOW,
    );
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.value.range.window).toEqual({ fromMs: Date.UTC(2026, 10, 24, 14, 20), toMs: Date.UTC(2026, 10, 24, 18, 20) });
    expect(parsed.value.compare).toEqual({ label: "custom", window: { fromMs: Date.UTC(2026, 10, 24, 10, 20), toMs: Date.UTC(2026, 10, 24, 14, 20) } });
  });

  it.each([
    [{ range: "2h" }, /^range: /],
    [{ account: "12345" , region: "us-east-1" }, /^account: must be 12 digits/],
    [{ account: "123456789012" }, /^region: required with account/],
    [{ region: "us-east-1" }, /^account: required with region/],
    [{ account: "123456789012", region: "mars" }, /^region: /],
    [{ compare: "yesterday" }, /^compare: /],
    [{ compare: "1d", baseFrom: "2026-11-24T10:00:00Z", baseTo: "2026-11-24T11:00:00Z" }, /^compare: give either/],
    [{ baseFrom: "2026-11-24T10:00:00Z" }, /^baseTo: required with baseFrom/],
    [{ baseTo: "2026-11-24T10:00:00Z" }, /^baseFrom: required with baseTo/],
    [{ baseFrom: "last tuesday", baseTo: "2026-11-24T10:00:00Z" }, /^baseFrom: /],
    [{ baseFrom: "2026-11-24T10:00:00Z", baseTo: "2026-11-24T09:00:00Z" }, /^baseFrom: must be before baseTo/],
    [{ baseFrom: "2026-10-01T00:00:00Z", baseTo: "2026-11-24T09:00:00Z" }, /^baseTo: baseline must be at most 15 days/],
    [{ group: "team" }, /^group: /],
    [{ group: ["service", "none"] }, /^group: given more than once/],
    [{ q: "x".repeat(201) }, /^q: must be at most 200 characters/],
  ])("rejects %j, naming the parameter", (params, error) => {
    const parsed = parseMapParams(params, NOW);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(error);
  });
});

describe("parseMapNodeParams", () => {
  it("needs the scope and the node the panel asks about", () => {
    expect(parseMapNodeParams({ node: "n" }, NOW)).toEqual({ ok: false, error: "account: required (with region)" });
    expect(parseMapNodeParams({ account: "123456789012", region: "us-east-1" }, NOW)).toEqual({ ok: false, error: "node: required" });
    const parsed = parseMapNodeParams({ account: "123456789012", region: "us-east-1", node: "n", from: "2026-11-25T00:00:00Z", to: "2026-11-26T00:00:00Z", group: "none" }, NOW);
    expect(parsed).toEqual({
      ok: true,
      value: { scope: { accountId: "123456789012", region: "us-east-1" }, window: { fromMs: Date.UTC(2026, 10, 25), toMs: Date.UTC(2026, 10, 26) }, grouping: "none", nodeId: "n" },
    });
  });
});
