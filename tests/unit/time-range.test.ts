import { describe, expect, it } from "vitest";
import { resolveTimeRange } from "@/lib/queries/time-range";

const NOW = Date.UTC(2026, 10, 26, 12, 30, 42);
const MINUTE_FLOOR = Date.UTC(2026, 10, 26, 12, 30);

describe("resolveTimeRange", () => {
  it("defaults to the last 24 h ending at the last whole minute", () => {
    expect(resolveTimeRange({}, NOW)).toEqual({
      ok: true,
      value: { label: "24h", window: { fromMs: MINUTE_FLOOR - 86_400_000, toMs: MINUTE_FLOOR } },
    });
  });

  it.each([
    ["1h", 3_600_000],
    ["7d", 7 * 86_400_000],
    ["14d", 14 * 86_400_000],
  ])("resolves preset %s", (range, spanMs) => {
    const result = resolveTimeRange({ range }, NOW);
    expect(result.ok && result.value.window.toMs - result.value.window.fromMs).toBe(spanMs);
  });

  it("accepts an explicit ISO from/to", () => {
    const result = resolveTimeRange({ from: "2026-11-20T00:00:00Z", to: "2026-11-21T00:00:00Z" }, NOW);
    expect(result).toEqual({ ok: true, value: { label: "custom", window: { fromMs: Date.UTC(2026, 10, 20), toMs: Date.UTC(2026, 10, 21) } } });
  });

  it.each([
    [{ range: "3w" }, /^range:/],
    [{ from: "yesterday", to: "2026-11-21T00:00:00Z" }, /^from:/],
    [{ from: "2026-11-20T00:00:00Z" }, /^from: from and to must be given together/],
    [{ from: "2026-11-21T00:00:00Z", to: "2026-11-20T00:00:00Z" }, /^from: must be before to/],
    [{ from: "2026-10-01T00:00:00Z", to: "2026-11-20T00:00:00Z" }, /15 days/],
    [{ range: "24h", from: "2026-11-20T00:00:00Z", to: "2026-11-21T00:00:00Z" }, /either range or from\/to/],
  ])("rejects %j naming the parameter", (params, message) => {
    const result = resolveTimeRange(params as Record<string, string>, NOW);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(message);
  });
});
