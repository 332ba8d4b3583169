import { describe, expect, it } from "vitest";
import { formatChangeRatio, formatHourRanges, formatMsDelta, formatRatePerMinute, formatRatioDelta } from "@/app/(console)/map/map-format";
import { functionDetailHref } from "@/app/(console)/_format/links";
import { mapHref, nodeDetailUrl } from "@/app/(console)/map/map-href";

const H = (day: number, hour: number) => Date.UTC(2026, 10, day, hour);

describe("service map formatting", () => {
  it.each([
    [0, "0/min"],
    [0.04, "<0.1/min"],
    [12.34, "12.3/min"],
    [4567, "4.57k/min"],
  ])("rate %f → %s", (rate, text) => {
    expect(formatRatePerMinute(rate)).toBe(text);
  });

  it.each([
    [0.0123, "+1.2 pp"],
    [-0.004, "−0.4 pp"],
    [0.00001, "+<0.01 pp"],
    [0, "0 pp"],
    [null, "—"],
  ])("ratio delta %s → %s", (delta, text) => {
    expect(formatRatioDelta(delta)).toBe(text);
  });

  it.each([
    [0.25, "+25%"],
    [-0.5, "−50%"],
    [0.034, "+3.4%"],
    [null, "—"],
  ])("change ratio %s → %s", (ratio, text) => {
    expect(formatChangeRatio(ratio)).toBe(text);
  });

  it("signs duration changes", () => {
    expect(formatMsDelta(40)).toBe("+40 ms");
    expect(formatMsDelta(-1234)).toBe("−1.23 s");
    expect(formatMsDelta(null)).toBe("—");
    expect(formatMsDelta(-0.000676)).toBe("0 ms");
  });

  it("joins consecutive missing hours into ranges", () => {
    expect(formatHourRanges([H(25, 11), H(25, 10), H(25, 14)])).toBe("2026-11-25 10:00–12:00 UTC, 2026-11-25 14:00–15:00 UTC");
    expect(formatHourRanges([H(25, 23), H(26, 0)])).toBe("2026-11-25 23:00 – 2026-11-26 01:00 UTC");
    expect(formatHourRanges([H(25, 1), H(25, 3), H(25, 5), H(25, 7)], 2)).toBe("2026-11-25 01:00–02:00 UTC, 2026-11-25 03:00–04:00 UTC and 2 more");
  });
});

describe("service map links", () => {
  const state = {
    range: { label: "24h" as const, window: { fromMs: H(25, 12), toMs: H(26, 12) } },
    scope: { accountId: "123456789012", region: "us-east-1" },
    compare: null,
    grouping: "auto" as const,
  };

  it("keeps the scope, and writes only what differs from the defaults", () => {
    expect(mapHref(state)).toBe("/map?range=24h&account=123456789012&region=us-east-1");
    expect(mapHref(state, { grouping: "service", compare: { label: "7d", window: { fromMs: 0, toMs: 1 } } })).toBe(
      "/map?range=24h&account=123456789012&region=us-east-1&compare=7d&group=service",
    );
    expect(mapHref({ ...state, range: { label: "custom", window: { fromMs: H(25, 12), toMs: H(25, 18) } }, compare: { label: "custom", window: { fromMs: H(25, 6), toMs: H(25, 12) } } })).toBe(
      "/map?from=2026-11-25T12%3A00%3A00.000Z&to=2026-11-25T18%3A00%3A00.000Z&account=123456789012&region=us-east-1&baseFrom=2026-11-25T06%3A00%3A00.000Z&baseTo=2026-11-25T12%3A00%3A00.000Z",
    );
  });

  it("links a function's page and asks the node API for the map's exact window and grouping", () => {
    expect(functionDetailHref({ accountId: "123456789012", region: "us-east-1", functionName: "payments-api" })).toBe("/functions/payments-api?account=123456789012&region=us-east-1");
    const url = new URL(nodeDetailUrl({ nodeId: "AWS::Lambda|payments-api|123456789012", scope: state.scope, window: state.range.window, collapsed: true }), "http://x");
    expect(url.pathname).toBe("/api/v1/service-map/nodes");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      node: "AWS::Lambda|payments-api|123456789012",
      account: "123456789012",
      region: "us-east-1",
      from: "2026-11-25T12:00:00.000Z",
      to: "2026-11-26T12:00:00.000Z",
      group: "service",
    });
  });
});
