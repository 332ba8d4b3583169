/**
 * Display formatting the Collectors page needs beyond app/(console)/_format/format.ts: money
 * in small amounts (API bills are fractions of a cent per run), long elapsed times (a lag can
 * be days) and cadences. Pure and locale-independent (en-US, UTC), like format.ts.
 */
import { MISSING, formatDateTimeUtc } from "@/app/(console)/_format/format";

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
