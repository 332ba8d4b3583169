/**
 * Display text for the service map (the shared formatters live in _format/format.ts). Pure:
 * values from the view model in, strings out; nothing here computes a metric.
 */
import { formatCompactNumber, formatDateTimeUtc, formatDurationMs, MISSING } from "@/app/(console)/_format/format";
import type { ExemplarKind } from "@/lib/domain/service-map/exemplars";
import type { ChangeReason, Presence } from "@/lib/domain/service-map/graph-diff";
import type { MapNodeKind } from "@/lib/domain/service-map/map-graph";
import type { HealthCause, HealthClass } from "@/lib/domain/service-map/node-health";
import type { OutcomeShare } from "@/lib/queries/service-map-view";

const HOUR_MS = 3_600_000;

const KIND_LABELS: Record<MapNodeKind, string> = {
  client: "Client",
  "api-stage": "API Gateway stage",
  "lambda-service": "Lambda service",
  "lambda-function": "Lambda function",
  "dynamodb-table": "DynamoDB table",
  queue: "SQS queue",
  topic: "SNS topic",
  "event-bus": "EventBridge bus",
  "aws-service": "AWS service",
  database: "SQL database",
  remote: "Remote call",
  service: "Service",
};

/** "DynamoDB table", "Lambda function", …: what a node is. */
export function formatNodeKind(kind: MapNodeKind): string {
  return KIND_LABELS[kind];
}

const HEALTH_LABELS: Record<HealthClass, string> = { ok: "OK", warning: "Warning", critical: "Critical", idle: "Idle" };

/** "Critical", "OK", …. */
export function formatHealth(health: HealthClass): string {
  return HEALTH_LABELS[health];
}

const CAUSE_LABELS: Record<HealthCause | ChangeReason, string> = { faults: "faults", errors: "4xx errors", throttles: "throttles", latency: "p99 latency" };

/** "faults and throttles". */
export function formatCauses(causes: readonly (HealthCause | ChangeReason)[]): string {
  const words = causes.map((c) => CAUSE_LABELS[c]);
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

const OUTCOME_LABELS: Record<OutcomeShare["outcome"], string> = { ok: "OK", error: "4xx errors", throttle: "Throttles (429)", fault: "5xx faults" };

/** The error breakdown's row names. */
export function formatOutcome(outcome: OutcomeShare["outcome"]): string {
  return OUTCOME_LABELS[outcome];
}

const EXEMPLAR_LABELS: Record<ExemplarKind, string> = { slowest: "Slowest", faulted: "Faulted", "cold-start": "Cold start" };

/** "Slowest", "Faulted", "Cold start". */
export function formatExemplarKind(kind: ExemplarKind): string {
  return EXEMPLAR_LABELS[kind];
}

/** A request rate: 0 → "0/min", 0.04 → "<0.1/min", 12.34 → "12.3/min", 4567 → "4.57k/min". */
export function formatRatePerMinute(requestsPerMinute: number): string {
  if (!Number.isFinite(requestsPerMinute) || requestsPerMinute < 0) return MISSING;
  if (requestsPerMinute === 0) return "0/min";
  if (requestsPerMinute < 0.1) return "<0.1/min";
  return `${formatCompactNumber(requestsPerMinute)}/min`;
}

const MINUS = "−";

function signed(value: number, text: string): string {
  return value > 0 ? `+${text}` : value < 0 ? `${MINUS}${text}` : text;
}

/** A change of a ratio in percentage points: 0.0123 → "+1.2 pp", −0.004 → "−0.4 pp". Null → "—". */
export function formatRatioDelta(delta: number | null): string {
  if (delta === null || !Number.isFinite(delta)) return MISSING;
  const points = Math.abs(delta * 100);
  const text = points === 0 ? "0" : points < 0.01 ? "<0.01" : points < 1 ? String(Number(points.toFixed(2))) : String(Number(points.toFixed(1)));
  return `${signed(delta, text)} pp`;
}

/** A relative change: 0.25 → "+25%", −0.5 → "−50%", 3 → "+300%". Null → "—". */
export function formatChangeRatio(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return MISSING;
  const percent = Math.abs(ratio * 100);
  const text = percent < 10 && percent !== 0 ? `${Number(percent.toFixed(1))}%` : `${Math.round(percent)}%`;
  return signed(ratio, text);
}

/**
 * A change of a duration: 40 → "+40 ms", −1234 → "−1.23 s", and under 0.01 ms (interpolation
 * noise between two windows' histograms, far below their ±13 % grid) "0 ms". Null → "—".
 */
export function formatMsDelta(deltaMs: number | null): string {
  if (deltaMs === null || !Number.isFinite(deltaMs)) return MISSING;
  if (Math.abs(deltaMs) < 0.01) return "0 ms";
  return signed(deltaMs, formatDurationMs(Math.abs(deltaMs)));
}

const PRESENCE_LABELS: Record<Presence, string> = { both: "", new: "New", gone: "Gone" };

/** "New" (only in the current window), "Gone" (only in the baseline). */
export function formatPresence(presence: Presence): string {
  return PRESENCE_LABELS[presence];
}

/**
 * Hours (their starts) as UTC ranges, consecutive hours joined:
 * [10:00, 11:00, 14:00] → "2026-11-25 10:00–12:00 UTC, 2026-11-25 14:00–15:00 UTC".
 * More than `maxRanges` ranges end in "and N more".
 */
export function formatHourRanges(hourStarts: readonly number[], maxRanges = 3): string {
  const sorted = [...hourStarts].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const start of sorted) {
    const last = ranges.at(-1);
    if (last !== undefined && last[1] === start) last[1] = start + HOUR_MS;
    else ranges.push([start, start + HOUR_MS]);
  }
  const text = ranges.slice(0, maxRanges).map(([from, to]) => {
    const a = formatDateTimeUtc(from).replace(/ UTC$/, "");
    const b = formatDateTimeUtc(to).replace(/ UTC$/, "");
    return a.slice(0, 10) === b.slice(0, 10) ? `${a}–${b.slice(11)} UTC` : `${a} – ${b} UTC`;
  });
  const rest = ranges.length - maxRanges;
  return rest > 0 ? `${text.join(", ")} and ${rest} more` : text.join(", ");
}
