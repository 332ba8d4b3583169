import { describe, expect, it } from "vitest";
import {
  detectColdStartStorm,
  detectConcurrencyNearLimit,
  detectErrorSpike,
  detectSteadyFailure,
  detectThrottling,
  rankSignals,
  type MinuteCounts,
  type Signal,
} from "@/lib/domain/health/now-signals";

const subject = { accountId: "123456789012", region: "us-east-1", functionName: "payments-api" };
const T0 = Date.UTC(2026, 10, 24, 10, 0);

/** 15 minutes of `invocations` each, with `errors[i]` / `throttles[i]` in minute i. */
function minutes(invocations: number, errors: number[] = [], throttles: number[] = []): MinuteCounts[] {
  return Array.from({ length: 15 }, (_, i) => ({ minuteStartMs: T0 + i * 60_000, invocations, errors: errors[i] ?? 0, throttles: throttles[i] ?? 0 }));
}

describe("detectErrorSpike", () => {
  it.each([
    // [per-minute invocations, errors per minute, baseline ratio, expected severity or null, why]
    [400, 32, 0.001, "critical", "8 % errors (the payment provider's degradation) against 0.1 % is an outage"],
    [400, 8, 0.001, "warning", "2 % errors is a spike over 0.1 % but below 5 %"],
    [400, 2, 0.001, null, "0.5 % stays under the 1 % floor"],
    [400, 8, 0.005, null, "2 % is under 5 × a 0.5 % baseline"],
    [10, 1, 0, "critical", "10 % with 15 errors over 150 calls"],
  ] as const)("%i calls/min with %i errors/min over a %d baseline → %s (%s)", (calls, errorsPerMinute, baselineRatio, expected, _why) => {
    const recent = minutes(calls, Array(15).fill(errorsPerMinute));
    const baseline = { invocations: 1_000_000, errors: 1_000_000 * baselineRatio, throttles: 0 };
    const signal = detectErrorSpike(subject, recent, baseline);
    expect(signal?.severity ?? null).toBe(expected);
    if (signal) expect(signal.measured.errorRatio).toBeCloseTo(errorsPerMinute / calls, 10);
  });

  it("needs at least 10 errors, whatever the ratio: 3 failures of 6 calls are not an alarm", () => {
    const recent = minutes(0);
    recent[14] = { ...recent[14]!, invocations: 6, errors: 3 };
    expect(detectErrorSpike(subject, recent, { invocations: 100, errors: 0, throttles: 0 })).toBeNull();
  });

  it("says since when: the first minute whose own ratio crossed the threshold", () => {
    const errors = [0, 0, 0, 0, 0, 0, 40, 40, 40, 40, 40, 40, 40, 40, 40];
    const signal = detectErrorSpike(subject, minutes(500, errors), { invocations: 1e6, errors: 1e3, throttles: 0 });
    expect(signal?.sinceMs).toBe(T0 + 6 * 60_000);
  });
});

describe("detectSteadyFailure", () => {
  it("reports a function failing as badly as the day before, which no spike rule sees", () => {
    const recent = minutes(100, Array(15).fill(29));
    const baseline = { invocations: 100_000, errors: 29_000, throttles: 0 };
    expect(detectErrorSpike(subject, recent, baseline)).toBeNull();
    expect(detectSteadyFailure(subject, recent, baseline)).toMatchObject({ kind: "steady-failure", severity: "warning", measured: { errors: 435, baselineErrorRatio: 0.29 } });
  });

  it("stays quiet under 5 %, and under 10 errors", () => {
    expect(detectSteadyFailure(subject, minutes(100, Array(15).fill(4)), { invocations: 1, errors: 0, throttles: 0 })).toBeNull();
    const few = minutes(0);
    few[0] = { ...few[0]!, invocations: 20, errors: 9 };
    expect(detectSteadyFailure(subject, few, { invocations: 1, errors: 0, throttles: 0 })).toBeNull();
  });
});

describe("detectThrottling", () => {
  it("counts throttles against all requests, since throttled requests are not invocations", () => {
    // 99 invocations + 1 throttle a minute: exactly 1 % of requests, 15 throttles in all.
    const signal = detectThrottling(subject, minutes(99, [], Array(15).fill(1)));
    expect(signal).toMatchObject({ kind: "throttling", severity: "warning", measured: { throttles: 15, requests: 1500 } });
    expect(signal?.measured.throttleRatio).toBeCloseTo(0.01, 12);
  });

  it.each([
    [90, 10, "critical"],
    [995, 5, null],
    [0, 0, null],
  ])("%i invocations and %i throttles a minute → %s", (calls, throttles, expected) => {
    expect(detectThrottling(subject, minutes(calls, [], Array(15).fill(throttles)))?.severity ?? null).toBe(expected);
  });
});

describe("detectConcurrencyNearLimit", () => {
  it.each([
    [48, 60, "warning"],
    [57, 60, "critical"],
    [47, 60, null],
    [900, null, null],
    [null, 60, null],
    [4, 5, null],
    [5, 5, "critical"],
  ] as const)("peak %s of limit %s → %s", (peak, limit, expected) => {
    expect(detectConcurrencyNearLimit(subject, peak, limit)?.severity ?? null).toBe(expected);
  });

  it("labels the account pool apart from a function's reserved concurrency", () => {
    const account = { ...subject, functionName: null };
    expect(detectConcurrencyNearLimit(account, 850, 1000, "account-concurrency-near-limit")).toMatchObject({
      kind: "account-concurrency-near-limit",
      measured: { peakConcurrency: 850, limit: 1000, utilisationRatio: 0.85 },
    });
  });
});

describe("detectColdStartStorm", () => {
  const hour = { hourStartMs: T0, invocations: 1000, coldStarts: 90 };
  it("fires at 3 × the day's hourly mean when the hour is cold-start heavy", () => {
    expect(detectColdStartStorm(subject, hour, 30)).toMatchObject({ kind: "cold-start-storm", sinceMs: T0, measured: { coldStarts: 90, coldStartRatio: 0.09 } });
    expect(detectColdStartStorm(subject, hour, 31)).toBeNull();
  });

  it("leaves a function that is always cold to the cold-starts page, and ignores a handful of cold starts", () => {
    expect(detectColdStartStorm(subject, { hourStartMs: T0, invocations: 9, coldStarts: 3 }, 3)).toBeNull();
    expect(detectColdStartStorm(subject, { hourStartMs: T0, invocations: 40, coldStarts: 4 }, 0)).toBeNull();
    expect(detectColdStartStorm(subject, { hourStartMs: T0, invocations: 10_000, coldStarts: 90 }, 0)).toBeNull();
  });
});

describe("rankSignals", () => {
  it("puts critical before warning, then errors before throttles before capacity before cold starts", () => {
    const s = (kind: Signal["kind"], severity: Signal["severity"], functionName: string): Signal => ({
      kind,
      severity,
      subject: { ...subject, functionName },
      measured: {},
      sinceMs: null,
    });
    const ranked = rankSignals([
      s("cold-start-storm", "warning", "a"),
      s("throttling", "critical", "b"),
      s("error-spike", "warning", "c"),
      s("error-spike", "critical", "d"),
      s("concurrency-near-limit", "warning", "e"),
      s("steady-failure", "warning", "f"),
    ]);
    expect(ranked.map((x) => x.subject.functionName)).toEqual(["d", "b", "c", "f", "e", "a"]);
  });
});
