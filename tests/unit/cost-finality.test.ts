import { describe, expect, it } from "vitest";
import { nextCostWatermark, settleCostAnswer, type CostSettlement } from "@/lib/domain/cost/cost-finality";
import { SERVICE_USAGE_GROUPING } from "@/lib/domain/cost/cost-groupings";
import { planCostReads } from "@/lib/domain/cost/cost-read-plan";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const D0 = Date.parse("2026-11-20T00:00:00Z");
const day = (n: number) => D0 + n * DAY;

/** A DAILY answer written as a string: one char per day from D0: F final, E estimated, - missing. */
function dailyAnswer(pattern: string) {
  return [...pattern].flatMap((c, i) => (c === "-" ? [] : [{ startMs: day(i), estimated: c === "E" }]));
}

describe("settleCostAnswer: the estimated → final rule", () => {
  it.each([
    { answer: "FFFFFFE", firstOpen: 6, finalDays: 6, openDays: 1, why: "only today estimated (the simulator, most days on AWS)" },
    { answer: "FFFFFFF", firstOpen: 7, finalDays: 7, openDays: 0, why: "all final: the day after the last one returned" },
    { answer: "EEEEEEE", firstOpen: 0, finalDays: 0, openDays: 7, why: "a whole open billing month" },
    { answer: "FFFEEEE", firstOpen: 3, finalDays: 3, openDays: 4, why: "estimated days at the end" },
    { answer: "FFEFFFE", firstOpen: 2, finalDays: 5, openDays: 2, why: "an estimated day in between holds the watermark there" },
    { answer: "FFF-FFE", firstOpen: 3, finalDays: 5, openDays: 2, why: "a day missing from the answer is not final" },
    { answer: "FFFFF", firstOpen: 5, finalDays: 5, openDays: 2, why: "an answer cut short: the first day not returned" },
    { answer: "", firstOpen: 0, finalDays: 0, openDays: 7, why: "an empty answer settles nothing" },
  ])("$answer → first open day $firstOpen ($why)", ({ answer, firstOpen, finalDays, openDays }) => {
    const settlement = settleCostAnswer({ window: { fromMs: day(0), toMs: day(7) }, granularity: "DAILY" }, dailyAnswer(answer));
    expect(settlement).toEqual({ firstOpenDayMs: day(firstOpen), finalDays, openDays });
  });

  it("a period split across pages is estimated when any part says so", () => {
    const periods = [
      { startMs: day(0), estimated: false },
      { startMs: day(0), estimated: true },
    ];
    expect(settleCostAnswer({ window: { fromMs: day(0), toMs: day(1) }, granularity: "DAILY" }, periods).firstOpenDayMs).toBe(day(0));
  });

  it("ignores periods outside the window", () => {
    const periods = [...dailyAnswer("FF"), { startMs: day(-1), estimated: true }, { startMs: day(5), estimated: true }];
    expect(settleCostAnswer({ window: { fromMs: day(0), toMs: day(2) }, granularity: "DAILY" }, periods)).toEqual({ firstOpenDayMs: day(2), finalDays: 2, openDays: 0 });
  });

  describe("HOURLY: a day is final when all 24 hours are there and final", () => {
    const hours = (dayIndex: number, estimated: (h: number) => boolean, count = 24) =>
      Array.from({ length: count }, (_, h) => ({ startMs: day(dayIndex) + h * HOUR, estimated: estimated(h) }));
    const window = { fromMs: day(0), toMs: day(2) };

    it.each([
      { name: "both days final", periods: [...hours(0, () => false), ...hours(1, () => false)], firstOpen: 2 },
      { name: "today's hours estimated", periods: [...hours(0, () => false), ...hours(1, () => true)], firstOpen: 1 },
      { name: "one estimated hour keeps the day open", periods: [...hours(0, (h) => h === 23), ...hours(1, () => false)], firstOpen: 0 },
      { name: "a missing hour keeps the day open", periods: [...hours(0, () => false, 23), ...hours(1, () => false)], firstOpen: 0 },
    ])("$name", ({ periods, firstOpen }) => {
      expect(settleCostAnswer({ window, granularity: "HOURLY" }, periods).firstOpenDayMs).toBe(day(firstOpen));
    });
  });
});

describe("nextCostWatermark", () => {
  const plan = planCostReads({ watermarkMs: day(0), backfillFromMs: 0, nowMs: day(6) + 12 * HOUR, groupings: [SERVICE_USAGE_GROUPING] });
  const settled = (firstOpen: number): CostSettlement => ({ firstOpenDayMs: day(firstOpen), finalDays: 0, openDays: 0 });

  it.each([
    { firstOpenDays: [6], expected: 6, why: "one grouping" },
    { firstOpenDays: [6, 4, 6], expected: 4, why: "the earliest open day over every grouping" },
    { firstOpenDays: [7, 7], expected: 7, why: "all final: tomorrow" },
  ])("$firstOpenDays → day $expected ($why)", ({ firstOpenDays, expected }) => {
    expect(nextCostWatermark(plan, firstOpenDays.map(settled))).toBe(day(expected));
  });

  it("without any query the watermark stays where the plan starts", () => {
    expect(nextCostWatermark(plan, [])).toBe(day(0));
  });
});
