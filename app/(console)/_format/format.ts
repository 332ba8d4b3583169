/**
 * Pure display formatting for the console. Components call these with view-model values;
 * nothing here computes a metric. Output is locale-independent (en-US, UTC) so the server
 * and the browser render the same text.
 */

/** What a missing value (no traffic, never collected) renders as. */
export const MISSING = "—";


const integerFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** Three significant digits without trailing zeros: 1.50 → "1.5", 123.4 → "123". */
function toSignificant3(value: number): string {
  return String(Number(value.toPrecision(3)));
}

/** A whole number with thousands separators: 1234567 → "1,234,567". */
export function formatInteger(value: number): string {
  return integerFormat.format(Math.round(value));
}

const COMPACT_UNITS = [
  { size: 1e12, suffix: "T" },
  { size: 1e9, suffix: "B" },
  { size: 1e6, suffix: "M" },
  { size: 1e3, suffix: "k" },
] as const;

/**
 * A count in at most three significant digits: 999 → "999", 1234 → "1.23k",
 * 1234567 → "1.23M". Rounding that reaches the next unit moves to it (999950 → "1M").
 */
export function formatCompactNumber(value: number): string {
  if (!Number.isFinite(value)) return MISSING;
  const sign = value < 0 ? "-" : "";
  const magnitude = Math.abs(value);
  if (Number(magnitude.toPrecision(3)) < 1000) {
    return sign + (magnitude >= 100 || Number.isInteger(magnitude) ? formatInteger(magnitude) : toSignificant3(magnitude));
  }
  // Smallest unit whose rounded value stays below 1000.
  const units = [...COMPACT_UNITS].reverse();
  for (const unit of units) {
    const scaled = Number((magnitude / unit.size).toPrecision(3));
    if (scaled < 1000) return `${sign}${scaled}${unit.suffix}`;
  }
  const largest = COMPACT_UNITS[0];
  return `${sign}${formatInteger(magnitude / largest.size)}${largest.suffix}`;
}

/**
 * A duration given in milliseconds: 0.42 → "0.42 ms", 123.4 → "123 ms", 1234 → "1.23 s",
 * 754000 → "12 min 34 s". Null (no data) → "—".
 */
export function formatDurationMs(durationMs: number | null): string {
  if (durationMs === null || !Number.isFinite(durationMs)) return MISSING;
  if (durationMs < 0) return MISSING;
  if (durationMs === 0) return "0 ms";
  if (Number(durationMs.toPrecision(3)) < 1000) return `${toSignificant3(durationMs)} ms`;
  const seconds = durationMs / 1000;
  if (Number(seconds.toPrecision(3)) < 60) return `${toSignificant3(seconds)} s`;
  const totalSeconds = Math.round(seconds);
  const minutes = Math.floor(totalSeconds / 60);
  const rest = totalSeconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/**
 * A ratio (0..1) as a percentage with precision where it matters: 0 → "0%",
 * 0.00004 → "<0.01%", 0.00123 → "0.12%", 0.0456 → "4.6%", 0.5 → "50%". Null → "—".
 */
export function formatPercent(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return MISSING;
  const percent = ratio * 100;
  if (percent === 0) return "0%";
  if (percent > 0 && percent < 0.01) return "<0.01%";
  if (percent < 1) return `${Number(percent.toFixed(2))}%`;
  if (percent < 10) return `${Number(percent.toFixed(1))}%`;
  return `${Math.round(percent)}%`;
}

/** Memory in megabytes: 1024 → "1,024 MB". */
export function formatMemoryMb(memoryMb: number): string {
  return `${formatInteger(memoryMb)} MB`;
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}

/**
 * How long ago `thenMs` was, seen from `nowMs`: "just now" (under 45 s or in the future,
 * i.e. clock skew), "1 min ago", "5 min ago", "3 h ago", "2 days ago".
 */
export function formatRelativeTime(thenMs: number, nowMs: number): string {
  const agoMs = nowMs - thenMs;
  if (agoMs < 45_000) return "just now";
  if (agoMs < HOUR_MS) return `${Math.max(1, Math.round(agoMs / MINUTE_MS))} min ago`;
  if (agoMs < DAY_MS) return `${Math.floor(agoMs / HOUR_MS)} h ago`;
  return `${plural(Math.floor(agoMs / DAY_MS), "day")} ago`;
}

/** An instant as "2025-11-26 22:57 UTC" (minute precision, always UTC). */
export function formatDateTimeUtc(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** The accessible name of an hourly-invocations sparkline: its span and its peak. */
export function formatSparklineLabel(points: readonly { invocationsPerHour: number }[]): string {
  if (points.length === 0) return "No hourly invocations in this range";
  const peak = Math.max(...points.map((p) => p.invocationsPerHour));
  return `Hourly invocations over ${plural(points.length, "hour")}, peak ${formatCompactNumber(peak)} per hour`;
}

const PRESET_LABELS: Record<string, string> = {
  "1h": "Last hour",
  "6h": "Last 6 hours",
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
  "14d": "Last 14 days",
};

/** The name of a time range: "Last 24 hours" for a preset, the UTC window for a custom one. */
export function formatRangeLabel(label: string, window: { fromMs: number; toMs: number }): string {
  return PRESET_LABELS[label] ?? `${formatDateTimeUtc(window.fromMs)} – ${formatDateTimeUtc(window.toMs)}`;
}

/** The short name of a preset on the range picker: "24h" → "24 h", "7d" → "7 d". */
export function formatPresetShort(preset: string): string {
  return preset.replace(/^(\d+)([a-z])$/, "$1 $2");
}

// Money in small amounts (API bills are fractions of a cent per run), long elapsed times
// (a lag can be days) and cadences.

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

const dollars = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Below this an amount shows as "<$0.000001" rather than in exponent notation. */
const SMALLEST_USD = 0.000001;

/**
 * US dollars at the precision the amount needs: 0 → "$0", 0.0000123 → "$0.000012",
 * 0.0456 → "$0.046", 1.5 → "$1.50", 1234.5 → "$1,234.50". Null → "—".
 */
export function formatUsd(usd: number | null): string {
  if (usd === null || !Number.isFinite(usd)) return MISSING;
  const sign = usd < 0 ? "-" : "";
  const magnitude = Math.abs(usd);
  if (magnitude === 0) return "$0";
  if (magnitude < SMALLEST_USD) return `${sign}<$${SMALLEST_USD.toFixed(6)}`;
  if (magnitude < 1) {
    // Two significant digits, at least cents: 0.0456 → 0.046, 0.5 → 0.50.
    const rounded = Number(magnitude.toPrecision(2));
    return `${sign}$${rounded.toFixed(Math.max(2, 1 - Math.floor(Math.log10(rounded))))}`;
  }
  return `${sign}$${dollars.format(magnitude)}`;
}

/**
 * An elapsed time in its two largest units: 45_000 → "45 s", 720_000 → "12 min",
 * 11_100_000 → "3 h 5 min", 187_200_000 → "2 d 4 h". Null → "—".
 */
export function formatElapsedMs(elapsedMs: number | null): string {
  if (elapsedMs === null || !Number.isFinite(elapsedMs) || elapsedMs < 0) return MISSING;
  if (elapsedMs < MINUTE_MS) return `${Math.round(elapsedMs / 1000)} s`;
  if (elapsedMs < HOUR_MS) return `${Math.floor(elapsedMs / MINUTE_MS)} min`;
  if (elapsedMs < DAY_MS) {
    const hours = Math.floor(elapsedMs / HOUR_MS);
    const minutes = Math.floor((elapsedMs % HOUR_MS) / MINUTE_MS);
    return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
  }
  const days = Math.floor(elapsedMs / DAY_MS);
  const hours = Math.floor((elapsedMs % DAY_MS) / HOUR_MS);
  return hours === 0 ? `${days} d` : `${days} d ${hours} h`;
}

/** A schedule: 1 → "every minute", 5 → "every 5 min", 360 → "every 6 h". */
export function formatCadence(everyMinutes: number): string {
  if (everyMinutes === 1) return "every minute";
  if (everyMinutes % 60 === 0) return `every ${everyMinutes / 60} h`;
  return `every ${everyMinutes} min`;
}

/**
 * A source window in UTC: "2026-11-26 12:00–12:05 UTC" within one day, else both ends in
 * full. Null (the run read no window) → "—".
 */
export function formatWindowUtc(window: { fromMs: number; toMs: number } | null): string {
  if (window === null) return MISSING;
  const from = formatDateTimeUtc(window.fromMs).replace(/ UTC$/, "");
  const to = formatDateTimeUtc(window.toMs).replace(/ UTC$/, "");
  return from.slice(0, 10) === to.slice(0, 10) ? `${from}–${to.slice(11)} UTC` : `${from} – ${to} UTC`;
}
