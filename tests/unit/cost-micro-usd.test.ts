import { describe, expect, it } from "vitest";
import { usdAmountToMicroUsd } from "@/lib/domain/cost/micro-usd";

const ok = (microUsd: number) => ({ kind: "ok", microUsd });

describe("usdAmountToMicroUsd: decimal USD → integer µUSD, nearest, ties to even", () => {
  it.each([
    // FACTS.md §2 prices as Cost Explorer would print them
    ["0.0000166667", 17], // x86 GB-s: 16.6667 µUSD
    ["0.0000133334", 13], // arm64 GB-s
    ["0.0000041667", 4], // PC allocated
    ["0.0000002", 0], // one request at $0.20/M is 0.2 µUSD
    ["0.2", 200_000],
    ["1", 1_000_000],
    ["12345.678901", 12_345_678_901],
    ["0", 0],
    ["0.0", 0],
    ["-0", 0],
    ["-0.0000004", 0],
    [".5", 500_000],
    ["5.", 5_000_000],
    ["+1.25", 1_250_000],
    ["007.000001", 7_000_001],
  ])("%s → %i", (amount, expected) => {
    expect(usdAmountToMicroUsd(amount)).toEqual(ok(expected));
  });

  it.each([
    ["0.0000005", 0], // tie → even 0
    ["0.0000015", 2], // tie → even 2
    ["0.0000025", 2], // tie → even 2
    ["0.0000035", 4],
    ["-0.0000015", -2], // symmetric
    ["-0.0000025", -2],
    ["0.00000050000000001", 1], // just above the tie
    ["0.00000049999999999", 0], // just below the tie
    ["2.0000005", 2_000_000],
    ["2.0000015", 2_000_002],
  ])("ties to even: %s → %i", (amount, expected) => {
    expect(usdAmountToMicroUsd(amount)).toEqual(ok(expected));
  });

  it("is exact where a float is not", () => {
    // As a double, 0.1234564999999999999999 * 1e6 is 123456.5 and would round up.
    expect(0.1234564999999999999999 * 1e6).toBe(123456.5);
    expect(usdAmountToMicroUsd("0.1234564999999999999999")).toEqual(ok(123456));
    // 0.1 + 0.2 in floats is 0.30000000000000004; in µUSD it is 100000 + 200000.
    const sum = [usdAmountToMicroUsd("0.1"), usdAmountToMicroUsd("0.2")].reduce((a, p) => a + (p.kind === "ok" ? p.microUsd : Number.NaN), 0);
    expect(sum).toBe(300_000);
    // Large amounts keep every micro-dollar: the float product loses the last one.
    expect(8999999999.999999 * 1e6).toBe(8_999_999_999_999_998);
    expect(usdAmountToMicroUsd("8999999999.999999")).toEqual(ok(8_999_999_999_999_999));
  });

  it.each([
    ["1.5E-6", 2],
    ["1.5e-6", 2],
    ["2.5E-6", 2],
    ["1E3", 1_000_000_000],
    ["1.23456789E2", 123_456_789],
    ["-6.6E-9", 0],
    ["0e9999", 0],
  ])("exponent notation: %s → %i", (amount, expected) => {
    expect(usdAmountToMicroUsd(amount)).toEqual(ok(expected));
  });

  it.each(["", " ", " 1", "1 ", "abc", "1,5", "1.2.3", "NaN", "Infinity", "-", ".", "e5", "1e", "0x10", "1_000", "9007199254.740992", "1e99999", "1E9999"])(
    "rejects %j",
    (amount) => {
      expect(usdAmountToMicroUsd(amount).kind).toBe("invalid");
    },
  );

  it("accepts the largest safe amount and rejects one micro-dollar more", () => {
    expect(usdAmountToMicroUsd("9007199254.740991")).toEqual(ok(Number.MAX_SAFE_INTEGER));
    expect(usdAmountToMicroUsd("-9007199254.740991")).toEqual(ok(-Number.MAX_SAFE_INTEGER));
    expect(usdAmountToMicroUsd("9007199254.740992").kind).toBe("invalid");
  });
});
