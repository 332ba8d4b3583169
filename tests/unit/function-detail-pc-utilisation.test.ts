import { describe, expect, it } from "vitest";
import { lambdaPricesFor } from "@/lib/domain/cost/lambda-price-book";
import { assessPcUtilisation, computePcBreakEvenUtilisationRatio, type PcSeries } from "@/lib/domain/metrics/pc-utilisation";

const T0 = Date.UTC(2026, 10, 24, 0, 0);
const MIN = 60_000;
const window = { fromMs: T0, toMs: T0 + 60 * MIN };
const series = (...values: number[]) => values.map((value, i) => ({ timestampMs: T0 + i * MIN, value }));
const BREAK_EVEN = 0.6;

function pc(overrides: Partial<PcSeries>): PcSeries {
  return { utilisation: [], provisionedExecutions: [], provisionedInvocations: [], spilloverInvocations: [], ...overrides };
}

describe("computePcBreakEvenUtilisationRatio", () => {
  // FACTS §4: PC price / (on-demand duration price − PC duration price) ≈ 0.60 on both architectures.
  it.each(["x86_64", "arm64"] as const)("is about 0.60 at us-east-1 first-tier prices on %s", (architecture) => {
    expect(computePcBreakEvenUtilisationRatio(lambdaPricesFor("us-east-1", architecture).prices)).toBeCloseTo(0.6, 3);
  });

  it("works from the published x86 figures: 0.0000041667 / (0.0000166667 − 0.0000097222)", () => {
    expect(computePcBreakEvenUtilisationRatio(lambdaPricesFor("us-east-1", "x86_64").prices)).toBeCloseTo(0.0000041667 / (0.0000166667 - 0.0000097222), 12);
  });
});

describe("assessPcUtilisation", () => {
  it.each([
    {
      // payments-api in the ecommerce scenario: 50 on `live`, its peak need under 20.
      name: "low use and no spillover is idle",
      given: pc({ utilisation: series(0.1, 0.38, 0.2, 0.24), provisionedInvocations: series(500, 900, 700, 800), spilloverInvocations: series(0, 0, 0, 0) }),
      verdict: "idle",
      meanUtilisation: 0.23,
      spilloverRatio: 0,
    },
    {
      // orders-api: 4 on `live`, busy all day, spills over at the evening peak.
      name: "busy with spillover is spilling",
      given: pc({ utilisation: series(0.9, 1, 1, 1), provisionedInvocations: series(800, 900, 900, 900), spilloverInvocations: series(0, 50, 40, 10) }),
      verdict: "spilling",
      meanUtilisation: 0.975,
      spilloverRatio: 100 / 3600,
    },
    {
      name: "a spike over a mostly unused pool is idle and spilling",
      given: pc({ utilisation: series(0.05, 1, 0.05, 0.1), provisionedInvocations: series(10, 900, 10, 20), spilloverInvocations: series(0, 60, 0, 0) }),
      verdict: "idle-and-spilling",
      meanUtilisation: 0.3,
      spilloverRatio: 60 / 1000,
    },
    {
      name: "above the break-even without spillover is well used",
      given: pc({ utilisation: series(0.7, 0.9, 0.8), provisionedInvocations: series(700, 900, 800), spilloverInvocations: [] }),
      verdict: "well-used",
      meanUtilisation: 0.8,
      spilloverRatio: 0,
    },
  ])("$name", ({ given, verdict, meanUtilisation, spilloverRatio }) => {
    const result = assessPcUtilisation(given, window, BREAK_EVEN);
    expect(result.kind).toBe("assessed");
    if (result.kind !== "assessed") return;
    expect(result.verdict).toBe(verdict);
    expect(result.meanUtilisationRatio).toBeCloseTo(meanUtilisation, 12);
    expect(result.spilloverRatio).toBeCloseTo(spilloverRatio, 12);
  });

  it("reports the peak, the invocations through PC and the spillover inside the window only", () => {
    const outside = { timestampMs: T0 - MIN, value: 1000 };
    const result = assessPcUtilisation(
      pc({
        utilisation: [{ timestampMs: T0 - MIN, value: 1 }, ...series(0.2, 0.5)],
        provisionedExecutions: series(10, 25),
        provisionedInvocations: [outside, ...series(100, 200)],
        spilloverInvocations: [outside, ...series(0, 0)],
      }),
      window,
      BREAK_EVEN,
    );
    expect(result).toMatchObject({
      kind: "assessed",
      peakUtilisation: { value: 0.5, atMs: T0 + MIN },
      peakProvisionedExecutions: 25,
      provisionedInvocations: 300,
      spilloverInvocations: 0,
      breakEvenUtilisationRatio: BREAK_EVEN,
    });
  });

  it("cannot say without a utilisation datapoint, but still counts invocations", () => {
    const result = assessPcUtilisation(pc({ provisionedInvocations: series(5), spilloverInvocations: series(2) }), window, BREAK_EVEN);
    expect(result).toMatchObject({ kind: "insufficient-data", provisionedInvocations: 5, spilloverInvocations: 2 });
  });

  it("has no spillover ratio when nothing went through the alias", () => {
    const result = assessPcUtilisation(pc({ utilisation: series(0, 0) }), window, BREAK_EVEN);
    expect(result).toMatchObject({ kind: "assessed", verdict: "idle", spilloverRatio: null });
  });
});
