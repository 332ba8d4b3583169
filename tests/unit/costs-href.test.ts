import { describe, expect, it } from "vitest";
import { parseCostViewMode } from "@/app/(console)/costs/cost-view-param";
import { applyCostsChange, costExportHref, costsHref, costsStateFromParams, type CostsUrlState } from "@/app/(console)/costs/costs-href";
import { parseCostParams } from "@/lib/queries/cost-params";

const TAG_KEYS = ["team", "env"] as const;
const NOW_MS = Date.UTC(2026, 10, 20, 15, 30);

const preset: CostsUrlState = { groupBy: "tag:team", range: "14d", from: null, to: null, view: "bars", bucket: null };
const custom: CostsUrlState = { groupBy: "service", range: null, from: "2026-11-01", to: "2026-11-08", view: "treemap", bucket: "value:AWS Lambda" };

/** The query of an href as a plain record, as a page would receive it. */
function queryOf(href: string): Record<string, string> {
  return Object.fromEntries(new URL(href, "http://x").searchParams);
}

describe("costsHref", () => {
  it("writes groupBy and range, leaving out the default view and an absent bucket", () => {
    expect(costsHref(preset)).toBe("/costs?groupBy=tag%3Ateam&range=14d");
  });

  it("keeps every other parameter when drilling into a bucket", () => {
    expect(queryOf(costsHref({ ...preset, view: "table" }, { bucket: "unallocated" }))).toEqual({ groupBy: "tag:team", range: "14d", view: "table", bucket: "unallocated" });
  });

  it("closes the drill-down with a null bucket and keeps the rest", () => {
    expect(queryOf(costsHref(custom, { bucket: null }))).toEqual({ groupBy: "service", from: "2026-11-01", to: "2026-11-08", view: "treemap" });
  });

  it("replaces a custom window with a preset, keeping grouping, drawing and bucket", () => {
    expect(queryOf(costsHref(custom, { range: "7d" }))).toEqual({ groupBy: "service", range: "7d", view: "treemap", bucket: "value:AWS Lambda" });
  });

  it("replaces a preset with a custom window", () => {
    expect(queryOf(costsHref(preset, { from: "2026-10-01", to: "2026-11-01" }))).toEqual({ groupBy: "tag:team", from: "2026-10-01", to: "2026-11-01" });
  });

  it("closes the drill-down when the grouping changes (bucket ids belong to a grouping)", () => {
    const drilled = { ...preset, bucket: "value:payments" };
    expect(queryOf(costsHref(drilled, { groupBy: "tag:env" }))).toEqual({ groupBy: "tag:env", range: "14d" });
    // The same grouping keeps it; a change that names a bucket sets it.
    expect(applyCostsChange(drilled, { groupBy: "tag:team" }).bucket).toBe("value:payments");
    expect(applyCostsChange(drilled, { groupBy: "tag:env", bucket: "idle" }).bucket).toBe("idle");
  });

  it("switches the drawing and back to the default", () => {
    expect(queryOf(costsHref(preset, { view: "treemap" })).view).toBe("treemap");
    expect(queryOf(costsHref({ ...preset, view: "table" }, { view: "bars" })).view).toBeUndefined();
  });

  it("encodes bucket values with any character", () => {
    const href = costsHref(preset, { bucket: "value:R&D / 50%" });
    expect(queryOf(href).bucket).toBe("value:R&D / 50%");
  });
});

describe("costExportHref", () => {
  it("carries the page's grouping and range, not the drawing or the drilled bucket", () => {
    expect(costExportHref("csv", { ...preset, view: "table", bucket: "idle" })).toBe("/api/v1/costs/export?format=csv&groupBy=tag%3Ateam&range=14d");
    expect(queryOf(costExportHref("focus", custom))).toEqual({ format: "focus", groupBy: "service", from: "2026-11-01", to: "2026-11-08" });
  });
});

describe("costsStateFromParams ↔ parseCostParams", () => {
  it.each([
    ["a preset", { groupBy: "tag:env", range: "mtd" }],
    ["a custom window and a bucket", { groupBy: "service", from: "2026-11-01", to: "2026-11-08", bucket: "value:Amazon DynamoDB" }],
    ["the defaults", {}],
  ])("round-trips %s through the URL", (_name, record: Record<string, string>) => {
    const parsed = parseCostParams(record, NOW_MS, TAG_KEYS);
    if (!parsed.ok) throw new Error(parsed.error);
    const state = costsStateFromParams(parsed.value, "table");
    const query = queryOf(costsHref(state));
    const again = parseCostParams(query, NOW_MS, TAG_KEYS);
    expect(again).toEqual(parsed);
    expect(parseCostViewMode(query.view)).toEqual({ ok: true, value: "table" });
  });

  it("makes the default explicit: the first tag key and 14 days", () => {
    const parsed = parseCostParams({}, NOW_MS, TAG_KEYS);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(costsStateFromParams(parsed.value, "bars")).toEqual({ groupBy: "tag:team", range: "14d", from: null, to: null, view: "bars", bucket: null });
  });
});

describe("parseCostViewMode", () => {
  it("defaults to bars and names the parameter on a bad value", () => {
    expect(parseCostViewMode(undefined)).toEqual({ ok: true, value: "bars" });
    expect(parseCostViewMode("treemap")).toEqual({ ok: true, value: "treemap" });
    expect(parseCostViewMode("pie")).toEqual({ ok: false, field: "view", error: 'view must be one of bars, treemap, table, got "pie"' });
  });
});
