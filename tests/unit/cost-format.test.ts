import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatCostDay,
  formatCostWindow,
  formatGroupByLabel,
  formatMicroUsd,
  formatMicroUsdCell,
  formatMicroUsdExact,
  formatPerMillionUsd,
  formatSignedMicroUsd,
  formatUnitCostUsd,
  formatUsdTick,
} from "@/app/(console)/costs/cost-format";
import { usdAmountToMicroUsd } from "@/lib/domain/cost/micro-usd";

describe("formatMicroUsd (dollars and cents, exact)", () => {
  it.each([
    [1_234_567_890, "$1,234.57"],
    [0, "$0.00"],
    [1, "$0.00"],
    [4_999, "$0.00"],
    // Ties go away from zero, as Intl.NumberFormat rounds the console's other dollar amounts.
    [5_000, "$0.01"],
    [15_000, "$0.02"],
    [994_999, "$0.99"],
    [995_000, "$1.00"],
    [1_000_000, "$1.00"],
    [999_995_000, "$1,000.00"],
    [-2_500_000, "-$2.50"],
    [-5_000, "-$0.01"],
    // Rounds to zero cents: no sign.
    [-4_000, "$0.00"],
    // The largest exact amount: 2^53 − 1 µUSD.
    [Number.MAX_SAFE_INTEGER, "$9,007,199,254.74"],
  ])("%d µUSD → %s", (microUsd, text) => {
    expect(formatMicroUsd(microUsd)).toBe(text);
  });

  it("shows what is not a number as missing, never NaN", () => {
    expect(formatMicroUsd(Number.NaN)).toBe("—");
    expect(formatMicroUsd(Number.POSITIVE_INFINITY)).toBe("—");
  });

  it("agrees with big-integer rounding (half away from zero) for every safe amount", () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (microUsd) => {
        const magnitude = BigInt(Math.abs(microUsd));
        const cents = magnitude / 10_000n + (magnitude % 10_000n >= 5_000n ? 1n : 0n);
        const dollars = (cents / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
        const expected = `${microUsd < 0 && cents > 0n ? "-" : ""}$${dollars}.${(cents % 100n).toString().padStart(2, "0")}`;
        expect(formatMicroUsd(microUsd)).toBe(expected);
      }),
    );
  });
});

describe("formatMicroUsdExact", () => {
  it.each([
    [1_234_567_890, "$1,234.567890"],
    [0, "$0.000000"],
    // Lambda's x86 price per GB-s (FACTS §2: $0.0000166667) is 17 µUSD once read exactly.
    [17, "$0.000017"],
    [-5, "-$0.000005"],
    [Number.MAX_SAFE_INTEGER, "$9,007,199,254.740991"],
  ])("%d µUSD → %s", (microUsd, text) => {
    expect(formatMicroUsdExact(microUsd)).toBe(text);
  });

  it("reads back to the same µUSD through the domain's decimal parser", () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (microUsd) => {
        const text = formatMicroUsdExact(microUsd).replace("$", "").replaceAll(",", "");
        expect(usdAmountToMicroUsd(text)).toEqual({ kind: "ok", microUsd });
      }),
    );
  });
});

describe("formatMicroUsdCell and formatSignedMicroUsd", () => {
  it("never shows a non-zero amount as $0.00", () => {
    expect(formatMicroUsdCell(1)).toBe("<$0.01");
    expect(formatMicroUsdCell(4_999)).toBe("<$0.01");
    expect(formatMicroUsdCell(-20)).toBe("-<$0.01");
    expect(formatMicroUsdCell(0)).toBe("$0.00");
    expect(formatMicroUsdCell(5_000)).toBe("$0.01");
  });

  it("signs a difference", () => {
    expect(formatSignedMicroUsd(1_230_000)).toBe("+$1.23");
    expect(formatSignedMicroUsd(-1_230_000)).toBe("-$1.23");
    expect(formatSignedMicroUsd(0)).toBe("$0.00");
  });
});

describe("unit costs (float USD ratios)", () => {
  it("formats a Lambda request's list price ($0.20 per million, FACTS §2) without exponent notation", () => {
    expect(formatUnitCostUsd(0.2 / 1_000_000)).toBe("$0.000000200");
    expect(formatPerMillionUsd(0.2 / 1_000_000)).toBe("$0.20");
  });

  it.each([
    [0.0000523, "$0.0000523"],
    [0.012345, "$0.0123"],
    [1.5, "$1.50"],
    [1234.5, "$1,234.50"],
    [0, "$0"],
    [null, "—"],
  ])("%s → %s", (usd, text) => {
    expect(formatUnitCostUsd(usd)).toBe(text);
  });

  it("never uses exponent notation", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 1e6, noNaN: true }), (usd) => {
        expect(formatUnitCostUsd(usd)).toMatch(/^\$[\d,]+(\.\d+)?$/);
      }),
    );
  });
});

describe("days, windows, groupings, ticks", () => {
  const DAY_MS = 86_400_000;
  const nov1 = Date.UTC(2026, 10, 1);

  it("names a whole-day window with its last day inclusive", () => {
    expect(formatCostWindow({ fromMs: nov1, toMs: nov1 + 14 * DAY_MS })).toBe("2026-11-01 – 2026-11-14 (14 days)");
    expect(formatCostWindow({ fromMs: nov1, toMs: nov1 + DAY_MS })).toBe("2026-11-01 (1 day)");
    expect(formatCostDay(nov1)).toBe("2026-11-01");
  });

  it("names groupings", () => {
    expect(formatGroupByLabel("tag:team")).toBe("team (tag)");
    expect(formatGroupByLabel("service")).toBe("AWS service");
  });

  it("keeps axis ticks short", () => {
    expect(formatUsdTick(0)).toBe("$0");
    expect(formatUsdTick(1234)).toBe("$1.23k");
    expect(formatUsdTick(12)).toBe("$12");
  });
});
