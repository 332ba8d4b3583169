import { describe, expect, it } from "vitest";
import type { ReportStats } from "@/lib/domain/cold-start/report-stats";
import { summarizeMemoryUsage } from "@/lib/domain/logs/memory-usage";
import { selectReportHours } from "@/lib/domain/logs/report-hours";
import { aReportStats } from "@/tests/builders/report-stats";

const H0 = Date.UTC(2026, 10, 24, 0);
const HOUR = 3_600_000;

/** One function-hour of REPORT stats; override what the test is about. */
function anHour(hour: number, overrides: Partial<ReportStats> = {}): ReportStats {
  return aReportStats({
    functionName: "legacy-report-generator",
    hourStartMs: H0 + hour * HOUR,
    memorySizeMb: 3008,
    coldStarts: 1,
    billedDurationMsSum: 10_000,
    durationMsSum: 9_990,
    maxMemoryUsedMb: { p50: 180, p90: 200, p99: 240, max: 260 },
    ...overrides,
  });
}

describe("summarizeMemoryUsage", () => {
  it("weights hourly percentiles by invocations and keeps the exact maximum", () => {
    const usage = summarizeMemoryUsage(
      [
        anHour(0, { memorySizeMb: 1024, invocations: 30, maxMemoryUsedMb: { p50: 100, p90: 120, p99: 150, max: 170 } }),
        anHour(1, { memorySizeMb: 1024, invocations: 10, maxMemoryUsedMb: { p50: 140, p90: 160, p99: 190, max: 207 } }),
      ],
      1024,
    );
    expect(usage.kind).toBe("assessed");
    if (usage.kind !== "assessed") return;
    // (30 × 100 + 10 × 140) / 40 = 110; (30 × 150 + 10 × 190) / 40 = 160.
    expect(usage.maxMemoryUsedMb).toEqual({ p50: 110, p90: 130, p99: 160, max: 207 });
    expect(usage.worstHourP99Mb).toBe(190);
    expect(usage.invocations).toBe(40);
    expect(usage.hoursWithInvocations).toBe(2);
    expect(usage.headroomRatio).toBeCloseTo(1 - 207 / 1024, 12);
    expect(usage.p99HeadroomRatio).toBeCloseTo(1 - 160 / 1024, 12);
    expect(usage.hourly.map((h) => h.hourStartMs)).toEqual([H0, H0 + HOUR]);
  });

  it.each([
    // The ecommerce scenario's findings (scenarios/ecommerce.yaml):
    { name: "notifications-worker: 128 MB, the odd out-of-memory kill", size: 128, memory: { p50: 110, p90: 118, p99: 126, max: 128 }, oom: 3, status: "out-of-memory" },
    { name: "legacy-report-generator: 3008 MB, uses ~180 MB", size: 3008, memory: { p50: 180, p90: 200, p99: 260, max: 260 }, oom: 0, status: "mostly-unused" },
    { name: "a maximum at 90 % of the size is tight", size: 256, memory: { p50: 150, p90: 200, p99: 220, max: 231 }, oom: 0, status: "tight" },
    { name: "half used is comfortable", size: 512, memory: { p50: 200, p90: 230, p99: 250, max: 256 }, oom: 0, status: "comfortable" },
  ])("$name → $status", ({ size, memory, oom, status }) => {
    const usage = summarizeMemoryUsage([anHour(0, { memorySizeMb: size, maxMemoryUsedMb: memory, outOfMemory: oom, invocations: 1000 })], size);
    expect(usage).toMatchObject({ kind: "assessed", status, outOfMemory: oom, outOfMemoryRatio: oom / 1000 });
  });

  it("counts out-of-memory kills and timeouts across hours, as ratios of invocations", () => {
    const usage = summarizeMemoryUsage(
      [anHour(0, { invocations: 400, outOfMemory: 2, timeouts: 1 }), anHour(1, { invocations: 600, outOfMemory: 3, timeouts: 0 })],
      3008,
    );
    expect(usage).toMatchObject({ kind: "assessed", outOfMemory: 5, outOfMemoryRatio: 0.005, timeouts: 1, timeoutRatio: 0.001 });
  });

  it("assesses only the configured size and lists invocations at other sizes apart", () => {
    const usage = summarizeMemoryUsage([anHour(0, { memorySizeMb: 1024, invocations: 7 }), anHour(1, { memorySizeMb: 3008, invocations: 5 })], 3008);
    expect(usage).toMatchObject({ kind: "assessed", memorySizeMb: 3008, invocations: 5, otherSizes: [{ memorySizeMb: 1024, invocations: 7 }] });
  });

  it("merges two versions of one hour into one hourly point", () => {
    const usage = summarizeMemoryUsage(
      [
        anHour(0, { version: "56", invocations: 10, maxMemoryUsedMb: { p50: 100, p90: 100, p99: 100, max: 100 } }),
        anHour(0, { version: "57", invocations: 30, maxMemoryUsedMb: { p50: 200, p90: 200, p99: 200, max: 220 } }),
      ],
      3008,
    );
    expect(usage.kind === "assessed" && usage.hourly).toEqual([{ hourStartMs: H0, invocations: 40, p50Mb: 175, p99Mb: 175, maxMb: 220 }]);
  });

  it("cannot say without REPORT lines at the configured size, and says where they ran", () => {
    expect(summarizeMemoryUsage([], 512)).toMatchObject({ kind: "insufficient-data", reason: "no REPORT lines collected in this range" });
    const moved = summarizeMemoryUsage([anHour(0, { memorySizeMb: 1024 })], 512);
    expect(moved.kind).toBe("insufficient-data");
    if (moved.kind === "insufficient-data") expect(moved.reason).toContain("1024 MB");
  });
});

describe("selectReportHours", () => {
  const stats = [0, 1, 2, 3, 4].map((h) => anHour(h));

  it("keeps the whole hours that overlap the range and that the logs collector has finished", () => {
    // Range 00:20–04:20, collected through 03:00: hours 00, 01 and 02.
    const selected = selectReportHours(stats, { fromMs: H0 + HOUR / 3, toMs: H0 + 4 * HOUR + HOUR / 3 }, { sinceMs: null, throughMs: H0 + 3 * HOUR });
    expect(selected.stats.map((s) => s.hourStartMs)).toEqual([H0, H0 + HOUR, H0 + 2 * HOUR]);
    expect(selected.covered).toEqual({ fromMs: H0, toMs: H0 + 3 * HOUR });
    expect(selected.hourCount).toBe(3);
  });

  it("stops at the range's end when collection is ahead of it", () => {
    const selected = selectReportHours(stats, { fromMs: H0, toMs: H0 + 2 * HOUR }, { sinceMs: null, throughMs: H0 + 10 * HOUR });
    expect(selected.covered).toEqual({ fromMs: H0, toMs: H0 + 2 * HOUR });
    expect(selected.stats).toHaveLength(2);
  });

  it("starts where collection starts when the range reaches further back, so per-day figures are not diluted", () => {
    // A 24-hour range over a stack that backfilled from 01:30: hours 01 through 03 are covered.
    const selected = selectReportHours(stats, { fromMs: H0 - 20 * HOUR, toMs: H0 + 4 * HOUR }, { sinceMs: H0 + 1.5 * HOUR, throughMs: H0 + 4 * HOUR });
    expect(selected.covered).toEqual({ fromMs: H0 + HOUR, toMs: H0 + 4 * HOUR });
    expect(selected.hourCount).toBe(3);
    expect(selected.stats.map((s) => s.hourStartMs)).toEqual([H0 + HOUR, H0 + 2 * HOUR, H0 + 3 * HOUR]);
  });

  it("has nothing to offer before the first collection, or when no finished hour overlaps", () => {
    expect(selectReportHours(stats, { fromMs: H0, toMs: H0 + HOUR }, { sinceMs: null, throughMs: null })).toEqual({ stats: [], covered: null, hourCount: 0 });
    expect(selectReportHours(stats, { fromMs: H0 + 3 * HOUR, toMs: H0 + 4 * HOUR }, { sinceMs: null, throughMs: H0 + 3 * HOUR })).toEqual({ stats: [], covered: null, hourCount: 0 });
  });
});
