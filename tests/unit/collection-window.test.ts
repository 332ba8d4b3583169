import { describe, expect, it } from "vitest";
import { planMetricsWindow } from "@/lib/domain/metrics/collection-window";

const NOW = Date.UTC(2026, 10, 26, 12, 30, 42); // 12:30:42 — the minute 12:30 is incomplete
const MIN = 60_000;
const H = 3_600_000;
const base = { nowMs: NOW, backfillHours: 24, settleMinutes: 5, sliceHours: 6 };

describe("planMetricsWindow", () => {
  it("backfills the horizon to the last complete minute on the first run, in slices", () => {
    const plan = planMetricsWindow({ ...base, watermarkMs: null });
    expect(plan.kind).toBe("backfill");
    expect(plan.window).toEqual({ fromMs: Date.UTC(2026, 10, 25, 12, 30), toMs: Date.UTC(2026, 10, 26, 12, 30) });
    expect(plan.slices).toHaveLength(4);
    expect(plan.slices[0]).toEqual({ fromMs: plan.window.fromMs, toMs: plan.window.fromMs + 6 * H });
    expect(plan.slices.at(-1)!.toMs).toBe(plan.window.toMs);
  });

  it("re-reads the settling window before the watermark on later runs", () => {
    const watermarkMs = Date.UTC(2026, 10, 26, 12, 29);
    const plan = planMetricsWindow({ ...base, watermarkMs });
    expect(plan.kind).toBe("incremental");
    expect(plan.window).toEqual({ fromMs: watermarkMs - 5 * MIN, toMs: Date.UTC(2026, 10, 26, 12, 30) });
    expect(plan.slices).toHaveLength(1);
  });

  it("resumes without a gap after downtime, but no further back than the horizon", () => {
    const shortOutage = planMetricsWindow({ ...base, watermarkMs: NOW - 3 * H });
    expect(shortOutage.window.fromMs).toBe(Math.floor((NOW - 3 * H) / MIN) * MIN - 5 * MIN);
    const longOutage = planMetricsWindow({ ...base, watermarkMs: NOW - 100 * H });
    expect(longOutage.window.fromMs).toBe(Date.UTC(2026, 10, 25, 12, 30));
  });

  it("is up to date when nothing new has completed", () => {
    const plan = planMetricsWindow({ ...base, settleMinutes: 0, watermarkMs: Date.UTC(2026, 10, 26, 12, 30) });
    expect(plan.kind).toBe("up-to-date");
    expect(plan.slices).toEqual([]);
  });
});
