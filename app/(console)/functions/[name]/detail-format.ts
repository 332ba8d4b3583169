/**
 * Display formatting the function detail page needs beyond app/(console)/_format/format.ts.
 * Pure text from view-model values; nothing here computes a metric.
 */
import { MISSING, formatCompactNumber, formatDateTimeUtc, formatInteger, formatRelativeTime } from "@/app/(console)/_format/format";
import type { ConfigSource } from "@/lib/queries/function-detail-view";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** A list price per unit at full precision, trailing zeros dropped: 0.0000166667 → "$0.0000166667", 2e-7 → "$0.0000002". */
export function formatUnitPriceUsd(usd: number): string {
  if (!Number.isFinite(usd)) return MISSING;
  return `$${usd.toFixed(10).replace(/0+$/, "").replace(/\.$/, "")}`;
}

/** GB-seconds: 50000 → "50,000 GB-s", 835627.37 → "835,627 GB-s", 0.42 → "0.42 GB-s". */
export function formatGbSeconds(gbSeconds: number): string {
  if (!Number.isFinite(gbSeconds)) return MISSING;
  return `${gbSeconds >= 100 ? formatInteger(gbSeconds) : formatCompactNumber(gbSeconds)} GB-s`;
}

/** A chart step as a rate unit: 60000 → "per minute", 300000 → "per 5 min", 3600000 → "per hour". */
export function formatStepLabel(stepMs: number): string {
  if (stepMs === MINUTE_MS) return "per minute";
  if (stepMs === HOUR_MS) return "per hour";
  if (stepMs === DAY_MS) return "per day";
  if (stepMs < HOUR_MS) return `per ${stepMs / MINUTE_MS} min`;
  return `per ${stepMs / HOUR_MS} h`;
}

/** A chart tick for a chart over `window`: "14:05" for a range up to a day, else "Nov 24" at midnight and "Nov 24 14:00" otherwise (UTC). */
export function formatChartTick(epochMs: number, window: { fromMs: number; toMs: number }): string {
  const iso = new Date(epochMs).toISOString();
  const time = iso.slice(11, 16);
  if (window.toMs - window.fromMs <= 26 * HOUR_MS) return time;
  const day = new Date(epochMs).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
  return time === "00:00" ? day : `${day} ${time}`;
}

/** Where a configuration value came from: "ListFunctions · revision 3f2a… · collected 3 min ago". */
export function formatConfigSource(source: ConfigSource, nowMs: number): string {
  const parts: string[] = [source.api];
  if (source.revisionId) parts.push(`revision ${source.revisionId.length > 12 ? `${source.revisionId.slice(0, 8)}…` : source.revisionId}`);
  parts.push(source.collectedAtMs === null ? "not collected yet" : `collected ${formatRelativeTime(source.collectedAtMs, nowMs)}`);
  return parts.join(" · ");
}

/** The exact instant behind a relative time, for a tooltip. */
export function formatSourceTitle(source: ConfigSource): string | undefined {
  return source.collectedAtMs === null ? undefined : `Read at ${formatDateTimeUtc(source.collectedAtMs)}${source.revisionId ? `, revision ${source.revisionId}` : ""}`;
}

/** A count of concurrent executions: 60 → "60", 1000 → "1,000". */
export function formatExecutions(executions: number | null): string {
  return executions === null ? MISSING : formatInteger(executions);
}

/** Whole hours between two instants as words: "24 h", "1 h". */
export function formatHours(hourCount: number): string {
  return `${formatInteger(hourCount)} h`;
}
