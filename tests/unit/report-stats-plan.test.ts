import { describe, expect, it } from "vitest";
import {
  describeReportQuery,
  expectedRows,
  MAX_LOG_GROUPS_PER_QUERY,
  planReportQueries,
  planReportWindow,
  splitReportQuery,
  TARGET_ROWS_PER_QUERY,
} from "@/lib/domain/logs/report-query-plan";

const HOUR = 3_600_000;
const T = Date.UTC(2026, 10, 27, 12); // 12:00 UTC
const groups = (n: number) => Array.from({ length: n }, (_, i) => `/aws/lambda/fn-${String(i).padStart(4, "0")}`);

describe("planReportWindow", () => {
  it.each([
    // [case, watermark, now, expected window (hours relative to T) or null]
    ["first run: from the backfill start floored to its hour", null, T + 30_000, [-24, -1]],
    ["an hour is due once it ended and settled (exactly at H + 1 h + settle)", T - HOUR, T + 5 * 60_000, [-1, 0]],
    ["not before", T - HOUR, T + 5 * 60_000 - 1, null],
    ["nothing new since the watermark", T, T + 30 * 60_000, null],
    ["a watermark older than the backfill start moves up to it", T - 100 * HOUR, T + 10 * 60_000, [-24, 0]],
  ] as const)("%s", (_case, watermarkMs, nowMs, expected) => {
    const window = planReportWindow({ watermarkMs, nowMs, backfillFromMs: T - 24 * HOUR + 17 * 60_000, settleMinutes: 5 });
    expect(window).toEqual(expected === null ? null : { fromMs: T + expected[0] * HOUR, toMs: T + expected[1] * HOUR });
  });
});

describe("planReportQueries", () => {
  const fourteenDays = { fromMs: T - 335 * HOUR, toMs: T };

  it("covers a 14-day backfill of 15 log groups in day-long queries, oldest first", () => {
    const specs = planReportQueries(fourteenDays, groups(15), 2);
    expect(specs).toHaveLength(14);
    expect(specs.every((s) => s.logGroupNames.length === 15)).toBe(true);
    expect(specs[0]!.window).toEqual({ fromMs: fourteenDays.fromMs, toMs: fourteenDays.fromMs + 24 * HOUR });
    expect(specs.at(-1)!.window).toEqual({ fromMs: fourteenDays.fromMs + 13 * 24 * HOUR, toMs: T });
    // Consecutive, no gap, no overlap.
    specs.slice(1).forEach((s, i) => expect(s.window.fromMs).toBe(specs[i]!.window.toMs));
  });

  it("batches ≤ 50 log groups per query, evenly, every group exactly once per window", () => {
    const specs = planReportQueries({ fromMs: T - 3 * HOUR, toMs: T }, groups(120), 2);
    expect(specs.map((s) => s.logGroupNames.length)).toEqual([40, 40, 40]);
    expect(specs.flatMap((s) => s.logGroupNames).sort()).toEqual(groups(120));
    expect(Math.max(...specs.map((s) => s.logGroupNames.length))).toBeLessThanOrEqual(MAX_LOG_GROUPS_PER_QUERY);
  });

  it("keeps expected rows under half the 10,000-row limit, shortening windows when combinations are many", () => {
    for (const combos of [2, 4, 40]) {
      const specs = planReportQueries(fourteenDays, groups(50), combos);
      for (const spec of specs) expect(expectedRows(spec, combos)).toBeLessThanOrEqual(TARGET_ROWS_PER_QUERY);
    }
    // 50 groups × 40 combinations: only one hour per query fits.
    expect(planReportQueries(fourteenDays, groups(50), 40)[0]!.window.toMs - fourteenDays.fromMs).toBe(HOUR);
  });

  it("plans nothing without log groups or hours", () => {
    expect(planReportQueries(fourteenDays, [], 2)).toEqual([]);
    expect(planReportQueries({ fromMs: T, toMs: T }, groups(3), 2)).toEqual([]);
  });
});

describe("splitReportQuery", () => {
  it("halves the window at an hour boundary first", () => {
    const spec = { logGroupNames: groups(4), window: { fromMs: T, toMs: T + 5 * HOUR } };
    expect(splitReportQuery(spec)).toEqual([
      { logGroupNames: groups(4), window: { fromMs: T, toMs: T + 2 * HOUR } },
      { logGroupNames: groups(4), window: { fromMs: T + 2 * HOUR, toMs: T + 5 * HOUR } },
    ]);
  });

  it("then the log groups, and gives up on one group over one hour", () => {
    const hour = { fromMs: T, toMs: T + HOUR };
    expect(splitReportQuery({ logGroupNames: groups(3), window: hour })).toEqual([
      { logGroupNames: groups(3).slice(0, 2), window: hour },
      { logGroupNames: groups(3).slice(2), window: hour },
    ]);
    expect(splitReportQuery({ logGroupNames: groups(1), window: hour })).toBeNull();
  });
});

describe("describeReportQuery", () => {
  it("names a few groups and the window", () => {
    expect(describeReportQuery({ logGroupNames: groups(5), window: { fromMs: T, toMs: T + 24 * HOUR } })).toBe(
      "/aws/lambda/fn-0000, /aws/lambda/fn-0001, /aws/lambda/fn-0002 and 2 more, 2026-11-27T12:00Z–2026-11-28T12:00Z",
    );
    expect(describeReportQuery({ logGroupNames: ["/aws/lambda/a"], window: { fromMs: T, toMs: T + HOUR } })).toBe(
      "/aws/lambda/a, 2026-11-27T12:00Z–2026-11-27T13:00Z",
    );
  });
});
