import { describe, expect, it } from "vitest";
import { planTraceWindows } from "@/lib/domain/service-map/trace-windows";

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (day: number, hour: number, minute = 0, second = 0) => Date.UTC(2026, 10, day, hour, minute, second);
const hours = (from: number, to: number) => Array.from({ length: (to - from) / HOUR }, (_, i) => ({ fromMs: from + i * HOUR, toMs: from + (i + 1) * HOUR }));

describe("planTraceWindows", () => {
  it("first run: complete hours from the backfill start (floored) to the last settled hour, then the unsettled one as partial", () => {
    const nowMs = at(26, 12, 0, 30);
    const plan = planTraceWindows({ watermarkMs: null, nowMs, backfillFromMs: nowMs - 14 * DAY, settleMinutes: 5 });
    expect(plan.complete.map((c) => c.window)).toEqual(hours(at(12, 12), at(26, 11)));
    expect(plan.partial).toEqual([{ fromMs: at(26, 11), toMs: at(26, 12) }]);
    // Exemplars for the last day only: the hours from 12:00 yesterday.
    expect(plan.complete.filter((c) => c.exemplars).map((c) => c.window.fromMs)).toEqual(hours(at(25, 12), at(26, 11)).map((w) => w.fromMs));
  });

  it.each([
    ["an hour settles: it is collected complete, the new hour is partial", at(26, 11), at(26, 12, 7, 10), [[at(26, 11), at(26, 12)]], [[at(26, 12), at(26, 12, 7)]]],
    ["within the settle minutes: the elapsed hour and the new one are both partial", at(26, 11), at(26, 12, 3, 59), [], [[at(26, 11), at(26, 12)], [at(26, 12), at(26, 12, 3)]]],
    ["exactly at the settle time the hour is complete", at(26, 11), at(26, 12, 5), [[at(26, 11), at(26, 12)]], [[at(26, 12), at(26, 12, 5)]]],
    ["nothing new: the current hour has no complete minute yet", at(26, 12), at(26, 12, 0, 30), [], []],
    ["a collector down for three hours catches up", at(26, 8), at(26, 11, 30), [[at(26, 8), at(26, 9)], [at(26, 9), at(26, 10)], [at(26, 10), at(26, 11)]], [[at(26, 11), at(26, 11, 30)]]],
  ])("%s", (_label, watermarkMs, nowMs, complete, partial) => {
    const plan = planTraceWindows({ watermarkMs, nowMs, backfillFromMs: nowMs - 14 * DAY, settleMinutes: 5 });
    expect(plan.complete.map((c) => [c.window.fromMs, c.window.toMs])).toEqual(complete);
    expect(plan.complete.every((c) => c.exemplars)).toBe(true);
    expect(plan.partial.map((w) => [w.fromMs, w.toMs])).toEqual(partial);
  });

  it("a watermark older than the backfill horizon resumes at the horizon", () => {
    const nowMs = at(26, 12, 30);
    const plan = planTraceWindows({ watermarkMs: at(1, 0), nowMs, backfillFromMs: nowMs - 2 * DAY, settleMinutes: 5 });
    expect(plan.complete[0]!.window.fromMs).toBe(at(24, 12));
  });

  it("never asks for more than X-Ray's 30 days of traces", () => {
    const nowMs = at(26, 12, 30);
    const plan = planTraceWindows({ watermarkMs: null, nowMs, backfillFromMs: nowMs - 60 * DAY, settleMinutes: 5 });
    expect(plan.complete[0]!.window.fromMs).toBe(at(26, 13) - 30 * DAY);
  });

  it("the exemplar horizon is a setting", () => {
    const nowMs = at(26, 12, 30);
    const plan = planTraceWindows({ watermarkMs: null, nowMs, backfillFromMs: nowMs - DAY, settleMinutes: 5, exemplarLookbackHours: 2 });
    expect(plan.complete.filter((c) => c.exemplars).map((c) => c.window.fromMs)).toEqual([at(26, 10), at(26, 11)]);
    expect(plan.partial).toEqual([{ fromMs: at(26, 12), toMs: at(26, 12, 30) }]);
    expect(at(26, 12, 30) - plan.partial[0]!.fromMs).toBe(30 * MIN);
  });
});
