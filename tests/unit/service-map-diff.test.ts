import { describe, expect, it } from "vitest";
import { alignById, baselineWindowOf, compareTraffic, type WindowTraffic } from "@/lib/domain/service-map/graph-diff";
import { traffic } from "@/tests/builders/service-graph";

const HOUR = 3_600_000;
/** One hour of traffic: requestsPerMinute = total / 60. */
const hour = (counts: Parameters<typeof traffic>[0]): WindowTraffic => ({ stats: traffic(counts), coveredMs: HOUR });

describe("compareTraffic: one node or edge in two windows", () => {
  it("measures rate, ratio and p99 changes between windows of different length", () => {
    // Baseline: 2 h at 60/min with 0.1 % faults; current: 1 h at 90/min with 8 % faults, slower.
    const baseline: WindowTraffic = { stats: traffic({ ok: 7188, fault: 12, latencyMs: 100 }), coveredMs: 2 * HOUR };
    const current: WindowTraffic = { stats: traffic({ ok: 4968, fault: 432, latencyMs: 400 }), coveredMs: HOUR };
    const change = compareTraffic(current, baseline);
    expect(change.presence).toBe("both");
    expect(change.requestsPerMinuteDelta).toBeCloseTo(90 - 60, 9);
    expect(change.requestsPerMinuteChangeRatio).toBeCloseTo(0.5, 9);
    expect(change.faultRatioDelta).toBeCloseTo(0.08 - 12 / 7200, 9);
    expect(change.errorRatioDelta).toBe(0);
    // Each p99 lies in its window's only bin (ten bins per decade): 400 ms vs 100 ms.
    expect(change.p99ResponseTimeMsDelta).toBeGreaterThan(250);
    expect(change.verdict).toBe("worse");
    expect(change.reasons).toEqual(["faults", "latency"]);
  });

  it.each<[string, WindowTraffic, WindowTraffic, "worse" | "better" | "unchanged", string[]]>([
    ["the same traffic", hour({ ok: 1000, fault: 1 }), hour({ ok: 1000, fault: 1 }), "unchanged", []],
    ["faults up 0.4 pp: within noise of the warning step", hour({ ok: 995, fault: 5 }), hour({ ok: 999, fault: 1 }), "unchanged", []],
    ["faults up 0.5 pp", hour({ ok: 994, fault: 6 }), hour({ ok: 999, fault: 1 }), "worse", ["faults"]],
    ["faults down 2 pp", hour({ ok: 1000 }), hour({ ok: 980, fault: 20 }), "better", ["faults"]],
    ["4xx up 3 pp: callers vary that much", hour({ ok: 960, error: 40 }), hour({ ok: 990, error: 10 }), "unchanged", []],
    ["4xx up 6 pp", hour({ ok: 930, error: 70 }), hour({ ok: 990, error: 10 }), "worse", ["errors"]],
    ["throttles appear", hour({ ok: 990, throttle: 10 }), hour({ ok: 1000 }), "worse", ["throttles"]],
    ["a big ratio on 2 failures is noise", hour({ ok: 2, fault: 2 }), hour({ ok: 4 }), "unchanged", []],
    ["p99 1.3×: inside the histogram's accuracy", hour({ ok: 100, latencyMs: 130 }), hour({ ok: 100, latencyMs: 100 }), "unchanged", []],
    ["p99 2×", hour({ ok: 100, latencyMs: 200 }), hour({ ok: 100, latencyMs: 100 }), "worse", ["latency"]],
    ["p99 halved", hour({ ok: 100, latencyMs: 100 }), hour({ ok: 100, latencyMs: 200 }), "better", ["latency"]],
    ["p99 2× but under 5 ms", hour({ ok: 100, latencyMs: 2 }), hour({ ok: 100, latencyMs: 1 }), "unchanged", []],
    ["worse wins over better", hour({ ok: 980, fault: 20, latencyMs: 50 }), hour({ ok: 1000, latencyMs: 200 }), "worse", ["faults"]],
  ])("%s → %s", (_name, current, baseline, verdict, reasons) => {
    const change = compareTraffic(current, baseline);
    expect(change.verdict).toBe(verdict);
    expect(change.reasons).toEqual(reasons);
  });

  it("a node only in the current window is new: its whole rate is the delta, no ratio changes", () => {
    expect(compareTraffic(hour({ ok: 120 }), null)).toEqual({
      presence: "new",
      requestsPerMinuteDelta: 2,
      requestsPerMinuteChangeRatio: null,
      errorRatioDelta: null,
      throttleRatioDelta: null,
      faultRatioDelta: null,
      p99ResponseTimeMsDelta: null,
      verdict: "unchanged",
      reasons: [],
    });
  });

  it("a node only in the baseline is gone: its rate fell by all of it", () => {
    const change = compareTraffic(null, hour({ ok: 60, fault: 60 }));
    expect(change.presence).toBe("gone");
    expect(change.requestsPerMinuteDelta).toBe(-2);
    expect(change.requestsPerMinuteChangeRatio).toBe(-1);
    expect(change.faultRatioDelta).toBeNull();
  });

  it("no requests on one side leaves ratio and p99 changes unknown, not zero", () => {
    const change = compareTraffic(hour({ ok: 100, fault: 10 }), hour({}));
    expect(change.presence).toBe("both");
    expect(change.faultRatioDelta).toBeNull();
    expect(change.p99ResponseTimeMsDelta).toBeNull();
    expect(change.requestsPerMinuteChangeRatio).toBeNull();
  });

  it("refuses to compare nothing with nothing", () => {
    expect(() => compareTraffic(null, null)).toThrow(/current and baseline/);
  });
});

describe("alignById", () => {
  it("pairs items of both windows by id and keeps those of one window with null on the other side", () => {
    const aligned = alignById([{ id: "b", v: 1 }, { id: "a", v: 2 }], [{ id: "c", v: 3 }, { id: "b", v: 4 }]);
    expect(aligned).toEqual([
      { id: "a", current: { id: "a", v: 2 }, baseline: null },
      { id: "b", current: { id: "b", v: 1 }, baseline: { id: "b", v: 4 } },
      { id: "c", current: null, baseline: { id: "c", v: 3 } },
    ]);
  });
});

describe("baselineWindowOf", () => {
  const window = { fromMs: Date.UTC(2026, 10, 25, 12), toMs: Date.UTC(2026, 10, 25, 18) };
  it.each([
    ["previous", { fromMs: Date.UTC(2026, 10, 25, 6), toMs: Date.UTC(2026, 10, 25, 12) }],
    ["1d", { fromMs: Date.UTC(2026, 10, 24, 12), toMs: Date.UTC(2026, 10, 24, 18) }],
    ["7d", { fromMs: Date.UTC(2026, 10, 18, 12), toMs: Date.UTC(2026, 10, 18, 18) }],
  ] as const)("%s", (preset, expected) => {
    expect(baselineWindowOf(window, preset)).toEqual(expected);
  });
});
