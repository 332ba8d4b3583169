/**
 * Money is exact (DESIGN.md §4.7): amounts are integer micro-USD (1 USD = 1,000,000 µUSD),
 * never floats. Cost Explorer sends decimal strings ("0.0000166667"); they are converted
 * with integer arithmetic only, so no binary rounding ever touches a digit.
 */

/** Integer micro-USD. */
export type MicroUsd = number;

export const MICRO_USD_PER_USD = 1_000_000;

/** The result of reading one decimal USD amount. */
export type MicroUsdParse = { kind: "ok"; microUsd: MicroUsd } | { kind: "invalid"; reason: string };

/** A plain decimal, optionally with an exponent ("12.5", "-0.0000001", ".5", "1.5E-7"). */
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;
const MICRO_DIGITS = 6;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * THE rounding rule for money read from AWS: a decimal USD string becomes integer micro-USD,
 * rounded to the nearest micro-dollar, ties to even (banker's rounding).
 *
 * - Exact: the digits are read as a big integer and divided by a power of ten; no float is
 *   involved, so "0.1234564999999999999999" stays below the tie and becomes 123456.
 * - Nearest: "0.0000166667" (16.6667 µUSD, Lambda's x86 GB-s price) → 17; "0.0000133334" → 13.
 * - Ties to even: "0.0000005" → 0, "0.0000015" → 2, "0.0000025" → 2. Cost Explorer sends at
 *   most ~10 fractional digits, so a tie needs digits 7.. to be exactly "5" — rare — and
 *   to-even keeps the sum of many rounded lines unbiased where half-up would drift upwards.
 * - Symmetric for credits and refunds: "-0.0000015" → -2; "-0.0000004" → 0 (never -0).
 * - Invalid (`kind: "invalid"`): anything that is not a finite decimal ("", "NaN", "1,5",
 *   " 1", "1e99999"), or a result beyond ±2^53 µUSD (±9 billion USD).
 *
 * Each line is rounded once; sums of lines are sums of integers, so a total is exact over
 * what was stored and differs from Cost Explorer's own total by at most 0.5 µUSD per line.
 */
export function usdAmountToMicroUsd(amount: string): MicroUsdParse {
  const match = DECIMAL.exec(amount);
  if (match === null) return { kind: "invalid", reason: `"${amount}" is not a decimal number` };
  const [, sign = "", whole = "", fraction = "", exponentText] = match;
  if (whole === "" && fraction === "") return { kind: "invalid", reason: `"${amount}" has no digits` };
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  const digits = BigInt(`${whole}${fraction}` || "0");
  // value = digits × 10^(exponent − fraction.length) USD = digits × 10^shift µUSD
  const shift = exponent - fraction.length + MICRO_DIGITS;
  let magnitude: bigint;
  if (shift >= 0) {
    if (digits !== 0n && shift > 20) return { kind: "invalid", reason: `"${amount}" is too large` };
    magnitude = digits * 10n ** BigInt(shift);
  } else {
    magnitude = divideRoundingHalfToEven(digits, 10n ** BigInt(-shift));
  }
  if (magnitude > MAX_SAFE) return { kind: "invalid", reason: `"${amount}" is too large` };
  const microUsd = Number(magnitude);
  return { kind: "ok", microUsd: sign === "-" && microUsd !== 0 ? -microUsd : microUsd };
}

/** n / d for non-negative n and positive d, rounded to the nearest integer, ties to even. */
export function divideRoundingHalfToEven(n: bigint, d: bigint): bigint {
  const quotient = n / d;
  const twiceRemainder = (n % d) * 2n;
  if (twiceRemainder > d) return quotient + 1n;
  if (twiceRemainder < d) return quotient;
  return quotient % 2n === 0n ? quotient : quotient + 1n;
}

/** micro-USD as a USD number for display only (never for arithmetic on money). */
export function microUsdToUsd(microUsd: MicroUsd): number {
  return microUsd / MICRO_USD_PER_USD;
}
