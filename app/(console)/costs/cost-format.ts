/**
 * Display formatting of the Costs page. Money arrives as integer micro-USD (DESIGN.md §4.7)
 * and the amounts a person reconciles against the bill or an export (the window's total, each
 * bucket) are formatted with integer arithmetic only, so no binary float ever rounds a cent.
 * Unit costs (USD per invocation) are ratios, floats by contract, and are formatted as such.
 * Pure text from view-model values; nothing here computes a metric.
 */
import { MISSING, formatCompactNumber, formatUsd } from "@/app/(console)/_format/format";
import type { CostForecast } from "@/lib/domain/cost/cost-types";
import type { MicroUsd } from "@/lib/domain/cost/micro-usd";

const MICRO_PER_USD = 1_000_000;
const MICRO_PER_CENT = 10_000;
const DAY_MS = 86_400_000;

/** "1234567" → "1,234,567" on a string of digits (no float involved). */
function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * A µUSD amount as a safe integer: non-integers (never expected: the contract says integer)
 * are rounded to the nearest µUSD rather than shown with a spurious fraction; null when the
 * value is not a finite number in the safe-integer range.
 */
function toSafeMicro(microUsd: number): number | null {
  if (!Number.isFinite(microUsd)) return null;
  const rounded = Math.round(microUsd);
  return Number.isSafeInteger(rounded) ? rounded : null;
}

/**
 * µUSD as dollars and cents: 1_234_567_890 → "$1,234.57", 0 → "$0.00", -2_500_000 → "-$2.50";
 * an amount that rounds to zero cents has no sign (-4_000 → "$0.00", never "-$0.00").
 *
 * Rounding: to the nearest cent, ties away from zero (5,000 µUSD → "$0.01"), the rule
 * `Intl.NumberFormat` uses for the console's other dollar amounts. Integer arithmetic only:
 * every safe-integer amount (up to ±9 billion USD) formats exactly.
 */
export function formatMicroUsd(microUsd: MicroUsd): string {
  const micro = toSafeMicro(microUsd);
  if (micro === null) return MISSING;
  const magnitude = Math.abs(micro);
  // Math.trunc and % on safe integers are exact.
  let cents = Math.trunc(magnitude / MICRO_PER_CENT);
  if (magnitude % MICRO_PER_CENT >= MICRO_PER_CENT / 2) cents += 1;
  const dollars = Math.trunc(cents / 100);
  const rest = String(cents % 100).padStart(2, "0");
  const sign = micro < 0 && cents > 0 ? "-" : "";
  return `${sign}$${groupThousands(String(dollars))}.${rest}`;
}

/** µUSD to the last digit: 1_234_567_890 → "$1,234.567890", -5 → "-$0.000005" (for titles and exact cells). */
export function formatMicroUsdExact(microUsd: MicroUsd): string {
  const micro = toSafeMicro(microUsd);
  if (micro === null) return MISSING;
  const magnitude = Math.abs(micro);
  const dollars = Math.trunc(magnitude / MICRO_PER_USD);
  const fraction = String(magnitude % MICRO_PER_USD).padStart(6, "0");
  return `${micro < 0 ? "-" : ""}$${groupThousands(String(dollars))}.${fraction}`;
}

/**
 * An amount in a table cell: dollars and cents, except a non-zero amount below half a cent
 * reads "<$0.01" (or "-<$0.01") instead of a misleading "$0.00"; the exact amount goes in the
 * cell's title and `data-micro-usd`.
 */
export function formatMicroUsdCell(microUsd: MicroUsd): string {
  const micro = toSafeMicro(microUsd);
  if (micro === null) return MISSING;
  if (micro !== 0 && Math.abs(micro) < MICRO_PER_CENT / 2) return micro < 0 ? "-<$0.01" : "<$0.01";
  return formatMicroUsd(micro);
}

/** A difference with its sign always shown: 1_230_000 → "+$1.23", -1_230_000 → "-$1.23", 0 → "$0.00". */
export function formatSignedMicroUsd(microUsd: MicroUsd): string {
  const text = formatMicroUsdCell(microUsd);
  return microUsd > 0 && text !== MISSING ? `+${text}` : text;
}

/** A chart axis tick in USD (display only): 0 → "$0", 0.5 → "$0.50", 1234 → "$1.23k". */
export function formatUsdTick(usd: number): string {
  if (!Number.isFinite(usd)) return MISSING;
  if (Math.abs(usd) < 1) return formatUsd(usd);
  const text = formatCompactNumber(Math.abs(usd));
  return `${usd < 0 ? "-" : ""}$${text}`;
}

/**
 * A unit cost in USD (a ratio, so a float) in three significant digits, never in exponent
 * notation: 2.08e-7 → "$0.000000208", 0.0000523 → "$0.0000523", 0.0123 → "$0.0123",
 * 1.5 → "$1.50", 1234.5 → "$1,234.50", 0 → "$0". Null (no invocations) → "—".
 */
export function formatUnitCostUsd(usd: number | null): string {
  if (usd === null || !Number.isFinite(usd)) return MISSING;
  if (usd === 0) return "$0";
  // From a dollar up, cents are the precision that matters (1234.5 → "$1,234.50", not "$1,230").
  if (Math.abs(usd) >= 1) return formatUsd(usd);
  const sign = usd < 0 ? "-" : "";
  const rounded = Number(Math.abs(usd).toPrecision(3));
  const decimals = Math.min(20, Math.max(2, 2 - Math.floor(Math.log10(rounded))));
  const text = rounded.toFixed(decimals);
  const [whole = "0", fraction = ""] = text.split(".");
  return `${sign}$${groupThousands(whole)}${fraction === "" ? "" : `.${fraction}`}`;
}

/** A unit cost per million units, the scale finance compares Lambda prices at: 2.08e-7 → "$0.21". */
export function formatPerMillionUsd(usd: number | null): string {
  if (usd === null || !Number.isFinite(usd)) return MISSING;
  return formatUsd(usd * 1_000_000);
}

/** A UTC day as "2026-11-03". */
export function formatCostDay(dayMs: number): string {
  return new Date(dayMs).toISOString().slice(0, 10);
}

/** A UTC day on a chart axis: "11-03". */
export function formatCostDayShort(dayMs: number): string {
  return new Date(dayMs).toISOString().slice(5, 10);
}

/** A whole-day window [from, to) in words with its last day inclusive: "2026-11-01 – 2026-11-14 (14 days)". */
export function formatCostWindow(window: { fromMs: number; toMs: number }): string {
  const days = Math.round((window.toMs - window.fromMs) / DAY_MS);
  const last = formatCostDay(window.toMs - DAY_MS);
  const first = formatCostDay(window.fromMs);
  return `${first === last ? first : `${first} – ${last}`} (${days} day${days === 1 ? "" : "s"})`;
}

/** A month of a forecast: "November 2026". */
export function formatCostMonth(monthStartMs: number): string {
  return new Date(monthStartMs).toLocaleDateString("en-US", { month: "long", year: "numeric", timeZone: "UTC" });
}

/** A forecast's expected month-end cost: "$1,234.00". */
export function formatForecastExpected(forecast: CostForecast): string {
  return formatMicroUsd(forecast.forecastMicroUsd.expected);
}

/** A forecast's range: "$1,100.00 – $1,350.00". */
export function formatForecastRange(forecast: CostForecast): string {
  return `${formatMicroUsd(forecast.forecastMicroUsd.lower)} – ${formatMicroUsd(forecast.forecastMicroUsd.upper)}`;
}

/** A grouping in words: "tag:team" → "team (tag)", "service" → "AWS service". */
export function formatGroupByLabel(groupBy: string): string {
  if (groupBy === "service") return "AWS service";
  if (groupBy.startsWith("tag:")) return `${groupBy.slice(4)} (tag)`;
  return groupBy;
}
