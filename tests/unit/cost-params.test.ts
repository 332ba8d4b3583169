import { describe, expect, it } from "vitest";
import { costPresetWindow, parseCostParams, parseGroupBy } from "@/lib/queries/cost-params";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 27, 8, 15); // Friday 27 Nov 2026, 08:15 UTC
const TODAY = Date.UTC(2026, 10, 27);
const KEYS = ["team", "service", "env"];

describe("cost view parameters", () => {
  it("defaults to the first tag key and the last 14 days including today, as whole UTC days", () => {
    const parsed = parseCostParams({}, NOW, KEYS);
    expect(parsed).toEqual({ ok: true, value: { groupBy: { kind: "tag", key: "team" }, window: { fromMs: TODAY - 13 * DAY, toMs: TODAY + DAY }, bucket: null, range: "14d" } });
  });

  it("month to date starts on the 1st; 7d and 30d end tomorrow at midnight", () => {
    expect(costPresetWindow("mtd", NOW)).toEqual({ fromMs: Date.UTC(2026, 10, 1), toMs: Date.UTC(2026, 10, 28) });
    expect(costPresetWindow("7d", NOW)).toEqual({ fromMs: Date.UTC(2026, 10, 21), toMs: Date.UTC(2026, 10, 28) });
    expect(costPresetWindow("30d", NOW)).toEqual({ fromMs: Date.UTC(2026, 9, 29), toMs: Date.UTC(2026, 10, 28) });
    // On the 1st, month to date is that one day.
    expect(costPresetWindow("mtd", Date.UTC(2026, 11, 1, 0, 5))).toEqual({ fromMs: Date.UTC(2026, 11, 1), toMs: Date.UTC(2026, 11, 2) });
  });

  it("from/to are dates, to exclusive as in Cost Explorer", () => {
    const parsed = parseCostParams({ groupBy: "service", from: "2026-11-01", to: "2026-11-02", bucket: "value:AWS Lambda" }, NOW, KEYS);
    expect(parsed).toEqual({ ok: true, value: { groupBy: { kind: "service" }, window: { fromMs: Date.UTC(2026, 10, 1), toMs: Date.UTC(2026, 10, 2) }, bucket: "value:AWS Lambda", range: "custom" } });
  });

  it("groupBy accepts only the configured tag keys and service", () => {
    expect(parseGroupBy("tag:env", KEYS)).toEqual({ kind: "tag", key: "env" });
    expect(parseGroupBy("tag:owner", KEYS)).toBeNull();
    expect(parseGroupBy("team", KEYS)).toBeNull();
    const parsed = parseCostParams({ groupBy: "tag:owner" }, NOW, KEYS);
    expect(parsed).toMatchObject({ ok: false, field: "groupBy" });
    expect(!parsed.ok && parsed.error).toContain("tag:team, tag:service, tag:env, service");
  });

  it.each([
    [{ from: "2026-11-01" }, "to"],
    [{ to: "2026-11-01" }, "from"],
    [{ from: "2026-02-30", to: "2026-03-02" }, "from"],
    [{ from: "2026-11-01", to: "11/02/2026" }, "to"],
    [{ from: "2026-11-02", to: "2026-11-02" }, "to"],
    [{ from: "2025-01-01", to: "2026-11-02" }, "from"],
    [{ from: "2026-11-01", to: "2026-11-02", range: "7d" }, "range"],
    [{ range: "1y" }, "range"],
    [{ bucket: "payments" }, "bucket"],
    [{ bucket: "value:" }, "bucket"],
  ])("%o is refused naming %s", (params, field) => {
    const parsed = parseCostParams(params, NOW, KEYS);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.field).toBe(field);
  });

  it("with no tag key configured the default grouping is by service", () => {
    expect(parseCostParams({}, NOW, [])).toMatchObject({ ok: true, value: { groupBy: { kind: "service" } } });
  });
});
