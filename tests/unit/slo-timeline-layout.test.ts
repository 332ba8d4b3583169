import { describe, expect, it } from "vitest";
import { MIN_BAR_WIDTH_PERCENT, alertTimelineWindow, episodeDurationMs, layoutAlertTimeline, type TimelineEpisode } from "@/app/(console)/slos/[id]/timeline-layout";

const HOUR_MS = 3_600_000;
// A 100-hour window: one hour is 1 % of the band.
const window = { fromMs: 1_000 * HOUR_MS, toMs: 1_100 * HOUR_MS };
const at = (hour: number) => window.fromMs + hour * HOUR_MS;

function episode(severity: TimelineEpisode["severity"], fromHour: number, toHour: number | null): TimelineEpisode {
  return { severity, startedAtMs: at(fromHour), endedAtMs: toHour === null ? null : at(toHour) };
}

describe("layoutAlertTimeline", () => {
  it("always has a page band above a ticket band, even without episodes", () => {
    expect(layoutAlertTimeline(window, [])).toEqual([
      { severity: "page", bars: [] },
      { severity: "ticket", bars: [] },
    ]);
  });

  it.each([
    { name: "inside the window", e: episode("page", 10, 30), left: 10, width: 20, clippedStart: false, ongoing: false },
    { name: "started before the window: cut at the left edge", e: episode("page", -5, 4), left: 0, width: 4, clippedStart: true, ongoing: false },
    { name: "still firing: runs to the window end", e: episode("page", 90, null), left: 90, width: 10, clippedStart: false, ongoing: true },
    { name: "ended after the window end: cut at the right edge", e: episode("page", 95, 120), left: 95, width: 5, clippedStart: false, ongoing: false },
    { name: "shorter than the minimum: widened", e: episode("page", 50, 50.1), left: 50, width: MIN_BAR_WIDTH_PERCENT, clippedStart: false, ongoing: false },
    { name: "minimum width at the very end: kept inside the band", e: episode("page", 100, 100), left: 100 - MIN_BAR_WIDTH_PERCENT, width: MIN_BAR_WIDTH_PERCENT, clippedStart: false, ongoing: false },
    { name: "the whole window", e: episode("page", -10, null), left: 0, width: 100, clippedStart: true, ongoing: true },
  ])("places an episode $name", ({ e, left, width, clippedStart, ongoing }) => {
    const [page] = layoutAlertTimeline(window, [e]);
    expect(page!.bars).toHaveLength(1);
    const bar = page!.bars[0]!;
    expect(bar.leftPercent).toBeCloseTo(left, 3);
    expect(bar.widthPercent).toBeCloseTo(width, 3);
    expect(bar.leftPercent + bar.widthPercent).toBeLessThanOrEqual(100);
    expect({ clippedStart: bar.clippedStart, ongoing: bar.ongoing }).toEqual({ clippedStart, ongoing });
    expect(bar.episode).toBe(e);
  });

  it("leaves out episodes entirely outside the window", () => {
    const lanes = layoutAlertTimeline(window, [episode("page", -20, -10), episode("ticket", 101, 102), episode("ticket", 101, null)]);
    expect(lanes.flatMap((l) => l.bars)).toEqual([]);
  });

  it("puts each episode in its severity's band, keeping their order", () => {
    const episodes = [episode("ticket", 1, 2), episode("page", 3, 4), episode("ticket", 5, 6)];
    const [page, ticket] = layoutAlertTimeline(window, episodes);
    expect(page!.bars.map((b) => b.episode)).toEqual([episodes[1]]);
    expect(ticket!.bars.map((b) => b.episode)).toEqual([episodes[0], episodes[2]]);
  });

  it("rounds positions to a thousandth of a percent", () => {
    const [page] = layoutAlertTimeline({ fromMs: 0, toMs: 3 }, [{ severity: "page", startedAtMs: 1, endedAtMs: 2 }]);
    expect(page!.bars[0]).toMatchObject({ leftPercent: 33.333, widthPercent: 33.333 });
  });

  it("draws nothing on an empty window", () => {
    const lanes = layoutAlertTimeline({ fromMs: at(5), toMs: at(5) }, [episode("page", 5, null)]);
    expect(lanes.flatMap((l) => l.bars)).toEqual([]);
  });
});

describe("episodeDurationMs", () => {
  it.each([
    { name: "an ended episode: end − start", e: episode("page", 1, 3), nowMs: at(50), expected: 2 * HOUR_MS },
    { name: "a firing one: so far", e: episode("ticket", 1, null), nowMs: at(4), expected: 3 * HOUR_MS },
    { name: "never negative (clock skew)", e: episode("ticket", 10, null), nowMs: at(9), expected: 0 },
  ])("$name", ({ e, nowMs, expected }) => {
    expect(episodeDurationMs(e, nowMs)).toBe(expected);
  });
});

describe("alertTimelineWindow", () => {
  it("runs from the period start to now", () => {
    expect(alertTimelineWindow({ fromMs: at(0) }, at(90), at(100))).toEqual({ fromMs: at(0), toMs: at(100) });
  });
  it("never ends before the data does (a clock behind the evaluator)", () => {
    expect(alertTimelineWindow({ fromMs: at(0) }, at(100), at(99))).toEqual({ fromMs: at(0), toMs: at(100) });
  });
});
