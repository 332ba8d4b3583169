/**
 * Pure display formatting for the console. Components call these with view-model values;
 * nothing here computes a metric. Output is locale-independent (en-US, UTC) so the server
 * and the browser render the same text.
 */

/** What a missing value (no traffic, never collected) renders as. */
export const MISSING = "—";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

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
