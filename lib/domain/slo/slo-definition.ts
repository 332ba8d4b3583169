import { z } from "zod";
import { AccountIdSchema, FunctionNameSchema, RegionSchema } from "@/lib/domain/shared/ids";

/**
 * A service level objective as Sightline stores and evaluates it (FACTS.md §1). OpenSLO v1
 * YAML (openslo.ts) maps onto this one shape, so import, export, the console editor and the
 * evaluator all speak it.
 *
 * - The target is one Lambda function, or every function whose `service` tag has a value
 *   (their events add up).
 * - The indicator says what a good event is:
 *   - `availability`: a request that neither failed nor was throttled. From CloudWatch
 *     (Invocations, Errors, Throttles per minute: good = Invocations − Errors, total =
 *     Invocations + Throttles) or from X-Ray (the function node's ok vs error/fault/throttle
 *     counts, hourly).
 *   - `latency` request-based: a request answered within `thresholdMs`, counted from X-Ray's
 *     response-time histograms (hourly).
 *   - `latency` period-based: a minute whose CloudWatch Duration percentile meets
 *     `thresholdMs` is one good event; every minute with traffic is an event.
 * - The window is rolling (7, 28 or 30 days) or calendar (the UTC month or quarter).
 */

export const SLO_ID_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
export const SloIdSchema = z.string().regex(SLO_ID_PATTERN, "must be 1-63 lower-case letters, digits or hyphens, starting and ending with a letter or digit");

export const ROLLING_WINDOW_DAYS = [7, 28, 30] as const;
export const CALENDAR_UNITS = ["month", "quarter"] as const;
export const LATENCY_PERCENTILES = ["p50", "p90", "p99"] as const;

export const SloTargetSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("function"), functionName: FunctionNameSchema }),
  z.object({ kind: z.literal("service"), service: z.string().min(1, "name the service tag value").max(128, "must be at most 128 characters") }),
]);
export type SloTarget = z.infer<typeof SloTargetSchema>;

const LatencyThresholdMs = z.number().positive("must be more than 0 ms").max(900_000, "must be at most 900,000 ms (Lambda's 15-minute limit)");

export const SloIndicatorSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("availability"), source: z.enum(["cloudwatch", "xray"], { error: "must be cloudwatch or xray" }) }),
  // Two latency methods under one kind: a union nested on `method`.
  z.discriminatedUnion("method", [
    z.object({ kind: z.literal("latency"), method: z.literal("request"), thresholdMs: LatencyThresholdMs }),
    z.object({ kind: z.literal("latency"), method: z.literal("period"), percentile: z.enum(LATENCY_PERCENTILES, { error: "must be p50, p90 or p99" }), thresholdMs: LatencyThresholdMs }),
  ], { error: "must be request (X-Ray requests within the threshold) or period (minutes whose percentile meets it)" }),
], { error: "must be availability or latency" });
export type SloIndicator =
  | { kind: "availability"; source: "cloudwatch" | "xray" }
  | { kind: "latency"; method: "request"; thresholdMs: number }
  | { kind: "latency"; method: "period"; percentile: (typeof LATENCY_PERCENTILES)[number]; thresholdMs: number };

export const SloWindowSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("rolling"),
    days: z.union(ROLLING_WINDOW_DAYS.map((d) => z.literal(d)) as [z.ZodLiteral<7>, z.ZodLiteral<28>, z.ZodLiteral<30>], {
      error: "must be 7, 28 or 30 days",
    }),
  }),
  z.object({ kind: z.literal("calendar"), unit: z.enum(CALENDAR_UNITS, { error: "must be month or quarter" }) }),
]);
export type SloWindow = { kind: "rolling"; days: (typeof ROLLING_WINDOW_DAYS)[number] } | { kind: "calendar"; unit: (typeof CALENDAR_UNITS)[number] };

/** The low-traffic guard: an alert condition needs at least this many events in its long window. */
export const DEFAULT_MIN_EVENTS = 100;

export const SloAlertingSchema = z.object({
  enabled: z.boolean().default(true),
  minEvents: z.number().int("must be a whole number").min(1, "must be at least 1").max(1_000_000_000).default(DEFAULT_MIN_EVENTS),
});
export type SloAlerting = z.infer<typeof SloAlertingSchema>;

/** What a person writes (console form, OpenSLO import); the store adds the audit fields. */
export const SloSpecSchema = z.object({
  id: SloIdSchema,
  name: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters"),
  description: z.string().max(2000, "must be at most 2,000 characters").default(""),
  /** The service it belongs to, for grouping and notifications (e.g. the `service` tag). */
  service: z.string().trim().min(1, "must not be empty").max(128, "must be at most 128 characters"),
  accountId: AccountIdSchema,
  region: RegionSchema,
  target: SloTargetSchema,
  indicator: SloIndicatorSchema,
  /** The objective as a ratio, e.g. 0.999 for 99.9 %. */
  objective: z
    .number()
    .gt(0, "must be more than 0 (a ratio, e.g. 0.999 for 99.9 %)")
    .lt(1, "must be less than 1 (a ratio, e.g. 0.999 for 99.9 %)"),
  window: SloWindowSchema,
  alerting: SloAlertingSchema.default({ enabled: true, minEvents: DEFAULT_MIN_EVENTS }),
  /** Free-form labels carried into notifications (e.g. team). */
  labels: z.record(z.string().regex(/^[A-Za-z0-9_.\-/]{1,63}$/, "label names are 1-63 letters, digits, _ . - or /"), z.string().max(256)).default({}),
});
export type SloSpec = z.infer<typeof SloSpecSchema>;

/** A stored SLO: the spec plus who changed it and when (optimistic concurrency by version). */
export interface SloDefinition extends SloSpec {
  version: number;
  createdAtMs: number;
  updatedAtMs: number;
  updatedBy: string;
}

/** The objective as the budget ratio: 1 − objective (0.001 for 99.9 %). */
export function errorBudgetOf(objective: number): number {
  return 1 - objective;
}

/** "99.9 %" for 0.999: as few decimals as the objective needs, up to four. */
export function formatObjectivePercent(objective: number): string {
  const percent = Math.round(objective * 100 * 10_000) / 10_000;
  return `${percent} %`;
}

/** "rolling 30 days", "calendar month". */
export function describeWindow(window: SloWindow): string {
  return window.kind === "rolling" ? `rolling ${window.days} days` : `calendar ${window.unit}`;
}

/** A short description of the indicator: "availability (CloudWatch)", "p99 ≤ 300 ms per minute". */
export function describeIndicator(indicator: SloIndicator): string {
  if (indicator.kind === "availability") return `availability (${indicator.source === "cloudwatch" ? "CloudWatch" : "X-Ray"})`;
  if (indicator.method === "request") return `requests ≤ ${indicator.thresholdMs} ms (X-Ray)`;
  return `minutes with ${indicator.percentile} ≤ ${indicator.thresholdMs} ms (CloudWatch)`;
}
