import { describe, expect, it } from "vitest";
import { aggregateReportLines, type LoggedReportLine } from "@/lib/domain/cold-start/aggregate-report-lines";
import { detectBilledDurationContents, estimateInitCost, initBillingRuleFor, INIT_BILLING_START_MS } from "@/lib/domain/cold-start/init-billing";
import type { ReportStats } from "@/lib/domain/cold-start/report-stats";
import { parseReportLine } from "@/lib/domain/logs/report-line";
import { aFunction } from "@/tests/builders/function-config";

/** Recorded REPORT lines (the same as in cold-start-report-line.test.ts; see the sources there). */
const RECORDED = {
  /** FACTS §3: Billed Duration 129 = ⌈128.83⌉, without the 166.62 ms INIT. */
  textCold:
    "REPORT RequestId: 3f1c2a7e-9b7d-4e0a-8f3e-1d2c3b4a5e6f\tDuration: 128.83 ms\tBilled Duration: 129 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB\tInit Duration: 166.62 ms\t",
  jsonCold:
    '{"time":"2022-10-21T14:05:05.766Z","type":"platform.report","record":{"requestId":"459921b5-681c-4a96-beb0-81e0aa586026","metrics":{"durationMs":2599.4,"billedDurationMs":2600,"memorySizeMB":128,"maxMemoryUsedMB":94,"initDurationMs":549.04},"status":"success"}}',
  /** Billed Duration 2521 = ⌈2338.66 + 182⌉. */
  textSnapStart:
    "REPORT RequestId: 8c360c87-d4b7-4423-b5f3-af02be3c1763\tDuration: 2338.66 ms\tBilled Duration: 2521 ms\tMemory Size: 3009 MB\tMax Memory Used: 173 MB\tRestore Duration: 398.97 ms\tBilled Restore Duration: 182 ms\t",
  /** Billed Duration 201 = ⌈147.156 + 53⌉. */
  jsonSnapStart:
    '{"time":"2024-02-09T08:42:44.080Z","type":"platform.report","record":{"requestId":"d661f7cf-9208-46b9-85b0-213b04a91065","status":"success","metrics":{"durationMs": 147.156,"billedDurationMs": 201, "memorySizeMB": 512,"maxMemoryUsedMB": 91,"restoreDurationMs": 500.795,"billedRestoreDurationMs": 53 }}}',
} as const;

const REF = { accountId: "123456789012", region: "us-east-1", functionName: "fn" };
const DAY = 86_400_000;
/** FACTS §2, us-east-1 on-demand duration, first tier (USD per GB-s). */
const X86_USD_PER_GB_S = 0.0000166667;
const ARM_USD_PER_GB_S = 0.0000133334;

function statsOf(texts: readonly string[], startMs: number, version = "1"): ReportStats[] {
  const lines: LoggedReportLine[] = texts.map((text, i) => {
    const result = parseReportLine(text);
    if (result.kind !== "report") throw new Error(result.reason);
    return { timestampMs: startMs + i * 1000, version, line: result.line };
  });
  return aggregateReportLines(REF, lines);
}

/** n lines of one hour: `cold` of them with `initMs` of INIT, Billed Duration with or without it. */
function hourOfLines(options: { n: number; cold: number; durationMs: number; initMs: number; memoryMb: number; billedHoldsInit: boolean }): string[] {
  return Array.from({ length: options.n }, (_, i) => {
    const cold = i < options.cold;
    const billed = Math.ceil(options.durationMs + (cold && options.billedHoldsInit ? options.initMs : 0));
    const init = cold ? `Init Duration: ${options.initMs.toFixed(2)} ms\t` : "";
    return `REPORT RequestId: 7d4c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a0${i % 10}\tDuration: ${options.durationMs.toFixed(2)} ms\tBilled Duration: ${billed} ms\tMemory Size: ${options.memoryMb} MB\tMax Memory Used: 90 MB\t${init}`;
  });
}

const AFTER = Date.UTC(2026, 10, 26, 10);
const BEFORE = Date.UTC(2024, 4, 20, 16);

describe("initBillingRuleFor (FACTS §2)", () => {
  it.each([
    [{ packageType: "Zip" as const, runtime: "nodejs22.x" }, AFTER, "managed-runtime-billed"],
    [{ packageType: "Zip" as const, runtime: "java17" }, BEFORE, "managed-runtime-unbilled"],
    [{ packageType: "Zip" as const, runtime: "python3.12" }, INIT_BILLING_START_MS, "managed-runtime-billed"],
    [{ packageType: "Zip" as const, runtime: "provided.al2023" }, BEFORE, "custom-runtime"],
    [{ packageType: "Image" as const, runtime: null }, BEFORE, "container-image"],
  ])("%o at %i → %s", (config, hourStartMs, rule) => {
    expect(initBillingRuleFor(config, hourStartMs)).toBe(rule);
  });
});

describe("detectBilledDurationContents", () => {
  it("finds INIT outside Billed Duration in recorded pre-2025 lines (text and JSON)", () => {
    const found = detectBilledDurationContents([...statsOf([RECORDED.textCold], BEFORE), ...statsOf([RECORDED.jsonCold], BEFORE + 3_600_000)]);
    expect(found.init).toEqual({ kind: "not-included", evidence: { included: 0, notIncluded: 2, ambiguous: 0, unexplained: 0 } });
    expect(found.restore.kind).toBe("undetermined");
  });

  it("finds Billed Restore Duration inside Billed Duration in recorded SnapStart lines", () => {
    const found = detectBilledDurationContents([...statsOf([RECORDED.textSnapStart], BEFORE), ...statsOf([RECORDED.jsonSnapStart], BEFORE + 3_600_000)]);
    expect(found.restore).toEqual({ kind: "included", evidence: { included: 2, notIncluded: 0, ambiguous: 0, unexplained: 0 } });
  });

  it("finds INIT inside Billed Duration when each line bills ⌈Duration + Init⌉ (AWS since 2025-08-01)", () => {
    const stats = statsOf(hourOfLines({ n: 50, cold: 3, durationMs: 412.37, initMs: 1873.52, memoryMb: 1024, billedHoldsInit: true }), AFTER);
    expect(detectBilledDurationContents(stats).init.kind).toBe("included");
  });

  it("cannot tell when INIT is shorter than the rounding of all invocations (≤ 1 ms each)", () => {
    // 2 × 40 ms of INIT among 500 invocations: 80 ms hides in up to 500 ms of rounding.
    const stats = statsOf(hourOfLines({ n: 500, cold: 2, durationMs: 20.4, initMs: 40, memoryMb: 128, billedHoldsInit: true }), AFTER);
    expect(detectBilledDurationContents(stats).init).toEqual({ kind: "undetermined", evidence: { included: 0, notIncluded: 0, ambiguous: 1, unexplained: 0 } });
  });

  it("calls hours that disagree mixed", () => {
    const stats = [
      ...statsOf(hourOfLines({ n: 10, cold: 2, durationMs: 100, initMs: 900, memoryMb: 512, billedHoldsInit: false }), AFTER),
      ...statsOf(hourOfLines({ n: 10, cold: 2, durationMs: 100, initMs: 900, memoryMb: 512, billedHoldsInit: true }), AFTER + 3_600_000),
    ];
    expect(detectBilledDurationContents(stats).init.kind).toBe("mixed");
  });
});

describe("estimateInitCost", () => {
  const oneDay = (fromMs: number) => ({ fromMs, toMs: fromMs + DAY });

  it("prices billed INIT at the first-tier duration price and reports it as a share of the duration bill, not an addition", () => {
    // 10 cold starts × 1000 ms INIT at 1024 MB in one day: 10 GB-s of INIT.
    // Each of the 100 lines bills ⌈100 + INIT⌉: 90 × 100 ms + 10 × 1100 ms = 20,000 ms = 20 GB-s.
    const stats = statsOf(hourOfLines({ n: 100, cold: 10, durationMs: 100, initMs: 1000, memoryMb: 1024, billedHoldsInit: true }), AFTER);
    const x86 = estimateInitCost({ config: aFunction({ architecture: "x86_64", runtime: "nodejs20.x" }), stats, coverage: oneDay(AFTER) });
    expect(x86.initAccounting).toBe("within-billed-duration");
    expect(x86.initGbSecondsPerDay).toBeCloseTo(10, 9);
    expect(x86.initCostUsdPerDay).toBeCloseTo(10 * X86_USD_PER_GB_S, 12);
    // Counted once: the duration bill is Billed Duration alone (it already holds the INIT).
    expect(x86.durationCostUsdPerDay).toBeCloseTo(20 * X86_USD_PER_GB_S, 12);
    expect(x86.initShareOfDurationCostRatio).toBeCloseTo(0.5, 9);
    expect(x86.price).toEqual({ pricedRegion: "us-east-1", assumed: false, architecture: "x86_64", usdPerGbSecond: X86_USD_PER_GB_S });

    const arm = estimateInitCost({ config: aFunction({ architecture: "arm64" }), stats, coverage: oneDay(AFTER) });
    expect(arm.initCostUsdPerDay).toBeCloseTo(10 * ARM_USD_PER_GB_S, 12);
  });

  it("adds INIT to the duration bill only where Billed Duration does not hold it and the rule bills it", () => {
    // A custom runtime whose lines bill Duration alone: INIT is billed on top.
    const stats = statsOf(hourOfLines({ n: 100, cold: 10, durationMs: 100, initMs: 1000, memoryMb: 1024, billedHoldsInit: false }), BEFORE);
    const cost = estimateInitCost({ config: aFunction({ architecture: "x86_64", runtime: "provided.al2023" }), stats, coverage: oneDay(BEFORE) });
    expect(cost).toMatchObject({ initAccounting: "in-addition", rule: "custom-runtime" });
    expect(cost.initGbSecondsPerDay).toBeCloseTo(10, 9);
    // 100 × 100 ms billed + 10 × 1000 ms INIT = 20 GB-s.
    expect(cost.durationCostUsdPerDay).toBeCloseTo(20 * X86_USD_PER_GB_S, 12);
  });

  it("bills nothing for a managed-runtime ZIP function before 2025-08-01 (recorded line)", () => {
    const cost = estimateInitCost({ config: aFunction({ runtime: "nodejs20.x", memoryMb: 128 }), stats: statsOf([RECORDED.textCold], BEFORE), coverage: oneDay(BEFORE) });
    expect(cost).toMatchObject({ initAccounting: "not-billed", initGbSecondsPerDay: 0, initCostUsdPerDay: 0 });
  });

  it("prices SnapStart's Billed Restore Duration, inside Billed Duration as the recorded lines show", () => {
    const stats = statsOf([RECORDED.textSnapStart], BEFORE);
    const cost = estimateInitCost({ config: aFunction({ architecture: "x86_64", runtime: "java17", snapStart: "PublishedVersions" }), stats, coverage: oneDay(BEFORE) });
    expect(cost.restoreAccounting).toBe("within-billed-duration");
    expect(cost.initAccounting).toBe("none");
    // 182 ms at 3009 MB.
    expect(cost.initGbSecondsPerDay).toBeCloseTo(0.182 * (3009 / 1024), 9);
    expect(cost.durationCostUsdPerDay).toBeCloseTo(2.521 * (3009 / 1024) * X86_USD_PER_GB_S, 12);
  });

  it("takes undetermined INIT as inside Billed Duration, so it is never counted twice", () => {
    const stats = statsOf(hourOfLines({ n: 500, cold: 2, durationMs: 20.4, initMs: 40, memoryMb: 128, billedHoldsInit: true }), AFTER);
    const cost = estimateInitCost({ config: aFunction({ runtime: "nodejs22.x", architecture: "x86_64" }), stats, coverage: oneDay(AFTER) });
    expect(cost.initFinding.kind).toBe("undetermined");
    expect(cost.initAccounting).toBe("within-billed-duration");
    // 498 × ⌈20.4⌉ + 2 × ⌈60.4⌉ = 10,580 ms billed at 128 MB, and nothing added for the INIT.
    expect(cost.durationCostUsdPerDay).toBeCloseTo(10.58 * (128 / 1024) * X86_USD_PER_GB_S, 12);
  });

  it("scales to a day from the covered hours and says when the region's prices are assumed", () => {
    const stats = statsOf(hourOfLines({ n: 10, cold: 1, durationMs: 100, initMs: 3600, memoryMb: 1024, billedHoldsInit: true }), AFTER);
    const cost = estimateInitCost({ config: aFunction({ region: "eu-west-1", architecture: "x86_64" }), stats: stats.map((s) => ({ ...s, region: "eu-west-1" })), coverage: { fromMs: AFTER, toMs: AFTER + 6 * 3_600_000 } });
    // 3.6 GB-s in 6 hours → 14.4 GB-s a day.
    expect(cost.initGbSecondsPerDay).toBeCloseTo(14.4, 9);
    expect(cost.price).toMatchObject({ pricedRegion: "us-east-1", assumed: true });
  });
});
