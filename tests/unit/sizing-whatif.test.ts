import { describe, expect, it } from "vitest";
import { HOUR_MS, MINUTE_MS } from "@/lib/domain/shared/time";
import { UserFacingError } from "@/lib/domain/shared/user-facing-error";
import { DEFAULT_SIZING_SETTINGS, type PcPlan, type WhatIfInput } from "@/lib/domain/sizing/tuning-types";
import { formatPcPlan, parsePcSchedule, replayWhatIf } from "@/lib/domain/sizing/whatif-replay";
import { LOOKBACK_START_MS, aDurationModel, diurnalHours, pcHoursFor, reportStatsFor } from "@/tests/builders/concurrency-sizing";
import { aFunction } from "@/tests/builders/function-config";

/** orders-api with 4 PC on live, spilling at the evening peak, over 3 days of hours. */
function ordersWhatIf(candidate: WhatIfInput["candidate"]): WhatIfInput {
  const periods = diurnalHours({ days: 3, peakConcurrency: 9, troughConcurrency: 2, durationMs: 85 });
  const pc = pcHoursFor(periods, 4);
  return {
    fn: aFunction({
      functionName: "orders-api",
      architecture: "x86_64",
      memoryMb: 1024,
      aliases: [{ name: "live", functionVersion: "57" }],
      provisionedConcurrency: [{ qualifier: "live", requested: 4, allocated: 4, available: 4, status: "READY" }],
    }),
    model: aDurationModel({ memoryMb: 1024, meanDurationMs: 85, cpuShare: 0.3 }),
    window: { fromMs: LOOKBACK_START_MS, toMs: LOOKBACK_START_MS + 72 * HOUR_MS },
    periods,
    periodMs: HOUR_MS,
    pc: [{ qualifier: "live", periods: pc }],
    reportStats: reportStatsFor(periods, { functionName: "orders-api", memorySizeMb: 1024, coldStartsAt: (h) => Math.round(0.01 * (pc.find((p) => p.startMs === h.startMs)?.spilloverInvocations ?? 0)) }),
    slos: [
      { sloId: "orders-availability", name: "Orders availability", kind: "availability", objective: 0.999, thresholdMs: null },
      { sloId: "orders-latency", name: "Orders under 300 ms", kind: "latency", objective: 0.99, thresholdMs: 300 },
    ],
    candidate,
    settings: DEFAULT_SIZING_SETTINGS,
  };
}

/** notifications-worker: 128 MB, all-CPU, reserved 60, throttled at the evening peak. */
function workerWhatIf(candidate: WhatIfInput["candidate"]): WhatIfInput {
  const periods = diurnalHours({ days: 2, peakConcurrency: 60, troughConcurrency: 10, durationMs: 400, throttlesAt: (_, c) => (c >= 60 ? 5_000 : 0) });
  return {
    fn: aFunction({ functionName: "notifications-worker", architecture: "arm64", memoryMb: 128, reservedConcurrency: 60 }),
    model: { ...aDurationModel({ memoryMb: 128, meanDurationMs: 400, cpuShare: 1 }), architecture: "arm64" },
    window: { fromMs: LOOKBACK_START_MS, toMs: LOOKBACK_START_MS + 48 * HOUR_MS },
    periods,
    periodMs: HOUR_MS,
    pc: [],
    reportStats: reportStatsFor(periods, { functionName: "notifications-worker", memorySizeMb: 128, coldStartsAt: (h) => Math.round(h.invocations * 0.001) }),
    slos: [{ sloId: "notify-availability", name: "Notifications delivered", kind: "availability", objective: 0.999, thresholdMs: null }],
    candidate,
    settings: DEFAULT_SIZING_SETTINGS,
  };
}

describe("replayWhatIf", () => {
  it("replaying the current configuration reproduces the recorded side", () => {
    const input = ordersWhatIf({});
    const result = replayWhatIf(input);
    expect(result.candidate).toEqual(result.current);
    expect(result.current.pc).toEqual({ kind: "fixed", executions: 4 });
    expect(result.projected.costUsd).toBeCloseTo(result.actual.costUsd, 9);
    expect(result.projected.spillover).toBeCloseTo(result.actual.spillover, 6);
    expect(result.actual.spillover).toBe(input.pc[0]!.periods.reduce((sum, p) => sum + p.spilloverInvocations, 0));
    expect(result.projected.coldStarts).toBeCloseTo(result.actual.coldStarts, 6);
    expect(result.actual.coldStarts).toBe(input.reportStats.reduce((sum, s) => sum + s.coldStarts, 0));
    expect(result.actual.invocations).toBe(input.periods.reduce((sum, p) => sum + p.invocations, 0));
    expect(result.projected.costUsdRange).toEqual({ lower: result.projected.costUsd, expected: result.projected.costUsd, upper: result.projected.costUsd });
    expect(result.hours).toHaveLength(72);
  });

  it("prices the recorded side from the published prices: requests + PC allocated + PC duration + on-demand", () => {
    const input = ordersWhatIf({});
    const result = replayWhatIf(input);
    let expected = 0;
    input.periods.forEach((p, i) => {
      const spill = input.pc[0]!.periods[i]!.spilloverInvocations;
      const seconds = (p.durationAvgMs ?? 0) / 1000;
      expected += p.invocations * 0.2e-6 + 4 * 3600 * 0.0000041667 + (p.invocations - spill) * seconds * 0.0000097222 + spill * seconds * 0.0000166667;
    });
    expect(result.actual.costUsd).toBeCloseTo(expected, 6);
  });

  it("reproduces recorded throttles under an unchanged reserved cap", () => {
    const input = workerWhatIf({});
    const result = replayWhatIf(input);
    const recorded = input.periods.reduce((sum, p) => sum + p.throttles, 0);
    expect(recorded).toBeGreaterThan(0);
    expect(result.actual.throttles).toBe(recorded);
    expect(result.projected.throttles).toBeCloseTo(recorded, 6);
    expect(result.projected.sloBurn[0]!.burnRate).toBeCloseTo(result.actual.sloBurn[0]!.burnRate!, 9);
  });

  it("raising PC to cover the peak removes the spillover and its cold starts", () => {
    const result = replayWhatIf(ordersWhatIf({ pc: { kind: "fixed", executions: 13 } }));
    expect(result.actual.spillover).toBeGreaterThan(0);
    expect(result.projected.spillover).toBe(0);
    expect(result.projected.coldStarts).toBe(0);
    expect(result.hours.every((h) => h.provisioned === 13)).toBe(true);
    expect(result.projected.costUsd).toBeGreaterThan(result.actual.costUsd);
  });

  it("a schedule provisions by minute of the UTC day", () => {
    const result = replayWhatIf(ordersWhatIf({ pc: parsePcSchedule("base=4,12:00-24:00=13") }));
    expect(result.hours.find((h) => new Date(h.startMs).getUTCHours() === 19)!.provisioned).toBe(13);
    expect(result.hours.find((h) => new Date(h.startMs).getUTCHours() === 7)!.provisioned).toBe(4);
  });

  it("target tracking follows demand at its target", () => {
    const result = replayWhatIf(ordersWhatIf({ pc: { kind: "target-tracking", targetUtilisation: 0.7, min: 1, max: 20 } }));
    expect(result.projected.spillover).toBe(0);
    expect(result.assumptions.join(" ")).toMatch(/3 minutes late/);
    expect(result.confidence).not.toBe("high");
  });

  it("doubling memory of an all-CPU function halves its duration and its concurrency", () => {
    const result = replayWhatIf(workerWhatIf({ memoryMb: 256, reservedConcurrency: null }));
    const actual = result.hours[19]!;
    expect(result.projected.p50Ms! / result.actual.p50Ms!).toBeCloseTo(0.5, 2);
    // The unthrottled demand halves: the peak no longer hits the cap, and no throttles remain.
    expect(result.projected.throttles).toBe(0);
    expect(actual.actualConcurrencyMax).toBe(60);
    expect(actual.projectedConcurrencyMax).toBeLessThan(60);
    const quiet = result.hours[7]!;
    expect(quiet.projectedConcurrencyMax).toBeCloseTo(quiet.actualConcurrencyMax / 2, 6);
    // Same GB-s: half the time at twice the memory.
    expect(result.projected.costUsd).toBeGreaterThan(result.actual.costUsd);
  });

  it("lowering the reserved cap throttles the demand above it and burns the availability SLO", () => {
    const result = replayWhatIf(workerWhatIf({ reservedConcurrency: 30 }));
    expect(result.projected.throttles).toBeGreaterThan(result.actual.throttles);
    expect(result.projected.sloBurn[0]!.burnRate!).toBeGreaterThan(result.actual.sloBurn[0]!.burnRate!);
  });

  it("a latency SLO burns less once cold starts are gone", () => {
    const result = replayWhatIf(ordersWhatIf({ pc: { kind: "fixed", executions: 13 } }));
    const latency = (t: typeof result.actual) => t.sloBurn.find((s) => s.sloId === "orders-latency")!.burnRate!;
    expect(latency(result.projected)).toBeLessThan(latency(result.actual));
    expect(result.actual.p99Ms).not.toBeNull();
  });

  it("replays minute periods with target tracking lagging ~3 minutes behind a step", () => {
    const base = ordersWhatIf({ pc: { kind: "target-tracking", targetUtilisation: 0.7, min: 1, max: 50 } });
    const periods = Array.from({ length: 60 }, (_, i) => ({
      startMs: LOOKBACK_START_MS + i * MINUTE_MS,
      invocations: i < 30 ? 100 : 1000,
      errors: 0,
      throttles: 0,
      durationAvgMs: 85,
      durationP50Ms: 70,
      durationP99Ms: 250,
      concurrencyMax: i < 30 ? 2 : 20,
    }));
    const result = replayWhatIf({ ...base, periods, periodMs: MINUTE_MS, pc: [], window: { fromMs: LOOKBACK_START_MS, toMs: LOOKBACK_START_MS + HOUR_MS } });
    // Three minutes at the old level (3) with demand 20: 1000 × 17/20 spill each.
    expect(result.projected.spillover).toBeCloseTo(3 * 1000 * (17 / 20), 6);
  });
});

describe("parsePcSchedule / formatPcPlan", () => {
  it.each<[string, PcPlan]>([
    ["none", { kind: "none" }],
    ["0", { kind: "none" }],
    ["20", { kind: "fixed", executions: 20 }],
    ["09:00-18:00=20", { kind: "schedule", baseline: 0, steps: [{ fromMinute: 540, toMinute: 1080, executions: 20 }] }],
    [
      " base=2 , 18:00-22:00=30, 09:00-18:00=20",
      {
        kind: "schedule",
        baseline: 2,
        steps: [
          { fromMinute: 540, toMinute: 1080, executions: 20 },
          { fromMinute: 1080, toMinute: 1320, executions: 30 },
        ],
      },
    ],
    [
      "3,22:00-02:00=5",
      {
        kind: "schedule",
        baseline: 3,
        steps: [
          { fromMinute: 0, toMinute: 120, executions: 5 },
          { fromMinute: 1320, toMinute: 1440, executions: 5 },
        ],
      },
    ],
    ["target=0.7,min=1,max=20", { kind: "target-tracking", targetUtilisation: 0.7, min: 1, max: 20 }],
  ])("%s", (text, plan) => {
    expect(parsePcSchedule(text)).toEqual(plan);
    expect(parsePcSchedule(formatPcPlan(plan))).toEqual(plan);
  });

  it("formats in the CLI format", () => {
    expect(formatPcPlan({ kind: "schedule", baseline: 0, steps: [{ fromMinute: 540, toMinute: 1080, executions: 20 }] })).toBe("09:00-18:00=20");
    expect(formatPcPlan(parsePcSchedule("base=3,22:00-02:00=5"))).toBe("base=3,22:00-02:00=5");
    expect(formatPcPlan(parsePcSchedule("12:00-24:00=13"))).toBe("12:00-24:00=13");
  });

  it.each([
    ["", /Empty/],
    ["09:00-18:00", /"09:00-18:00": expected HH:MM-HH:MM=N/],
    ["09:00-18:00=x", /"09:00-18:00=x"/],
    ["25:00-26:00=1", /"25:00-26:00=1": 25:00 is not a time of day/],
    ["09:00-09:00=1", /starts and ends at the same time/],
    ["09:00-12:00=1,11:00-13:00=2", /Steps overlap: 09:00-12:00 and 11:00-13:00/],
    ["base=2,base=3", /"base=3": base is given twice/],
    ["09:00-12:00=1,,", /empty part/],
    ["target=1.5,max=3", /utilisation target/],
    ["target=0.7,min=5,max=3", /below min=5/],
  ])("rejects %j", (text, message) => {
    expect(() => parsePcSchedule(text)).toThrow(UserFacingError);
    expect(() => parsePcSchedule(text)).toThrow(message);
  });
});
