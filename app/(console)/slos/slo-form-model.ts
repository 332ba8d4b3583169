import {
  CALENDAR_UNITS,
  DEFAULT_MIN_EVENTS,
  LATENCY_PERCENTILES,
  ROLLING_WINDOW_DAYS,
  SLO_ID_PATTERN,
  describeWindow,
  type SloIndicator,
  type SloSpec,
  type SloWindow,
} from "@/lib/domain/slo/slo-definition";

/**
 * The SLO editor's model: what its inputs hold (strings, as typed), the spec they become for
 * POST / PUT /api/v1/slos, and the field each API error path belongs to. Pure; the form
 * component only renders and submits it. The server validates everything again and is the
 * authority; these checks only catch the obvious before a round trip.
 */

export type IndicatorChoice = "availability-cloudwatch" | "availability-xray" | "latency-request" | "latency-period";
export type LatencyPercentile = (typeof LATENCY_PERCENTILES)[number];

/** The indicator menu: value and words. */
export const INDICATOR_CHOICES: readonly { value: IndicatorChoice; label: string }[] = [
  { value: "availability-cloudwatch", label: "Availability — CloudWatch (Invocations, Errors, Throttles per minute)" },
  { value: "availability-xray", label: "Availability — X-Ray (traced requests, hourly)" },
  { value: "latency-request", label: "Latency, request-based — X-Ray requests within a threshold (hourly)" },
  { value: "latency-period", label: "Latency, period-based — CloudWatch minutes whose percentile meets a threshold" },
];

export const PERCENTILE_CHOICES: readonly LatencyPercentile[] = LATENCY_PERCENTILES;

/** The window menu: "rolling-30", "calendar-month"… with their words. */
export const WINDOW_CHOICES: readonly { value: string; label: string; window: SloWindow }[] = [
  ...ROLLING_WINDOW_DAYS.map((days) => ({ value: `rolling-${days}`, window: { kind: "rolling", days } as SloWindow })),
  ...CALENDAR_UNITS.map((unit) => ({ value: `calendar-${unit}`, window: { kind: "calendar", unit } as SloWindow })),
].map((choice) => ({ ...choice, label: describeWindow(choice.window) }));

/** What the editor's inputs hold. */
export interface SloFormValues {
  id: string;
  name: string;
  description: string;
  service: string;
  accountId: string;
  region: string;
  targetKind: "function" | "service";
  functionName: string;
  targetService: string;
  indicator: IndicatorChoice;
  percentile: LatencyPercentile;
  thresholdMs: string;
  /** The objective in percent as typed: "99.9". */
  objectivePercent: string;
  /** A WINDOW_CHOICES value. */
  window: string;
  alertingEnabled: boolean;
  minEvents: string;
  /** key=value, one a line. */
  labels: string;
}

/** The fields errors are shown beside, named by the spec path of what they hold. */
export const FORM_FIELDS = [
  "id",
  "name",
  "description",
  "service",
  "accountId",
  "region",
  "target",
  "target.functionName",
  "target.service",
  "indicator",
  "indicator.percentile",
  "indicator.thresholdMs",
  "objective",
  "window",
  "alerting.enabled",
  "alerting.minEvents",
  "labels",
] as const;
export type SloFormField = (typeof FORM_FIELDS)[number];

export interface FieldError {
  path: string;
  message: string;
}

/** A blank editor for a new SLO, in the given account and region when known. */
export function newSloFormValues(scope: { accountId: string; region: string } | null): SloFormValues {
  return {
    id: "",
    name: "",
    description: "",
    service: "",
    accountId: scope?.accountId ?? "",
    region: scope?.region ?? "",
    targetKind: "function",
    functionName: "",
    targetService: "",
    indicator: "availability-cloudwatch",
    percentile: "p99",
    thresholdMs: "",
    objectivePercent: "99.9",
    window: "rolling-30",
    alertingEnabled: true,
    minEvents: String(DEFAULT_MIN_EVENTS),
    labels: "",
  };
}

function indicatorChoiceOf(indicator: SloIndicator): IndicatorChoice {
  if (indicator.kind === "availability") return indicator.source === "xray" ? "availability-xray" : "availability-cloudwatch";
  return indicator.method === "request" ? "latency-request" : "latency-period";
}

/** The objective ratio as the percent a person types: 0.999 → "99.9" (up to eight decimals, no float noise). */
export function objectiveRatioToPercent(objective: number): string {
  return String(Number((objective * 100).toFixed(8)));
}

/** The typed percent as the ratio the spec holds: "99.9" → 0.999; null when it is not a number. */
export function objectivePercentToRatio(percent: string): number | null {
  const trimmed = percent.trim();
  if (trimmed === "") return null;
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return null;
  return Number((value / 100).toFixed(10));
}

/** An editor holding a stored SLO. */
export function sloFormValuesOf(spec: SloSpec): SloFormValues {
  const window = WINDOW_CHOICES.find((c) => JSON.stringify(c.window) === JSON.stringify(spec.window))?.value ?? "rolling-30";
  return {
    id: spec.id,
    name: spec.name,
    description: spec.description,
    service: spec.service,
    accountId: spec.accountId,
    region: spec.region,
    targetKind: spec.target.kind,
    functionName: spec.target.kind === "function" ? spec.target.functionName : "",
    targetService: spec.target.kind === "service" ? spec.target.service : "",
    indicator: indicatorChoiceOf(spec.indicator),
    percentile: spec.indicator.kind === "latency" && spec.indicator.method === "period" ? spec.indicator.percentile : "p99",
    thresholdMs: spec.indicator.kind === "latency" ? String(spec.indicator.thresholdMs) : "",
    objectivePercent: objectiveRatioToPercent(spec.objective),
    window,
    alertingEnabled: spec.alerting.enabled,
    minEvents: String(spec.alerting.minEvents),
    labels: Object.entries(spec.labels)
      .map(([key, value]) => `${key}=${value}`)
      .join("\n"),
  };
}

/** Reads "key=value" lines (blank lines ignored); the first bad line is an error naming it. */
export function parseLabelLines(text: string): { ok: true; labels: Record<string, string> } | { ok: false; message: string } {
  const labels: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === "") continue;
    const at = line.indexOf("=");
    if (at <= 0) return { ok: false, message: `line ${index + 1}: write key=value (e.g. team=payments)` };
    const key = line.slice(0, at).trim();
    if (Object.hasOwn(labels, key)) return { ok: false, message: `line ${index + 1}: "${key}" is given twice` };
    labels[key] = line.slice(at + 1).trim();
  }
  return { ok: true, labels };
}

/** A number as typed; null when blank or not a number. */
function parseNumber(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

function indicatorOf(values: SloFormValues, thresholdMs: number): SloIndicator {
  switch (values.indicator) {
    case "availability-cloudwatch":
      return { kind: "availability", source: "cloudwatch" };
    case "availability-xray":
      return { kind: "availability", source: "xray" };
    case "latency-request":
      return { kind: "latency", method: "request", thresholdMs };
    case "latency-period":
      return { kind: "latency", method: "period", percentile: values.percentile, thresholdMs };
  }
}

/** Whether the indicator takes a latency threshold (and, period-based, a percentile). */
export function isLatencyChoice(choice: IndicatorChoice): boolean {
  return choice === "latency-request" || choice === "latency-period";
}

/**
 * The spec to send (the API's JSON body, without `version`), or the obvious mistakes by
 * field path. `mode` "new" checks the id; an edit keeps the stored one.
 */
export function toSloSpecBody(values: SloFormValues, mode: "new" | "edit"): { ok: true; spec: SloSpec } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const id = values.id.trim();
  if (mode === "new" && !SLO_ID_PATTERN.test(id)) {
    errors.push({ path: "id", message: "must be 1-63 lower-case letters, digits or hyphens, starting and ending with a letter or digit" });
  }
  if (values.name.trim() === "") errors.push({ path: "name", message: "must not be empty" });
  if (values.service.trim() === "") errors.push({ path: "service", message: "must not be empty" });
  if (values.targetKind === "function" && values.functionName.trim() === "") errors.push({ path: "target.functionName", message: "name the function" });
  if (values.targetKind === "service" && values.targetService.trim() === "") errors.push({ path: "target.service", message: "name the service tag value" });

  const objective = objectivePercentToRatio(values.objectivePercent);
  if (objective === null || !(objective > 0 && objective < 1)) {
    errors.push({ path: "objective", message: "must be a percentage between 0 and 100 (exclusive), e.g. 99.9" });
  }
  const latency = isLatencyChoice(values.indicator);
  const thresholdMs = parseNumber(values.thresholdMs);
  if (latency && (thresholdMs === null || !(thresholdMs > 0))) errors.push({ path: "indicator.thresholdMs", message: "must be a number of milliseconds more than 0" });
  const minEvents = parseNumber(values.minEvents);
  if (minEvents === null || !Number.isInteger(minEvents) || minEvents < 1) errors.push({ path: "alerting.minEvents", message: "must be a whole number, at least 1" });
  const labels = parseLabelLines(values.labels);
  if (!labels.ok) errors.push({ path: "labels", message: labels.message });
  const window = WINDOW_CHOICES.find((c) => c.value === values.window)?.window;
  if (window === undefined) errors.push({ path: "window", message: "choose a window" });

  if (errors.length > 0 || objective === null || minEvents === null || !labels.ok || window === undefined) return { ok: false, errors };
  return {
    ok: true,
    spec: {
      id,
      name: values.name.trim(),
      description: values.description,
      service: values.service.trim(),
      accountId: values.accountId.trim(),
      region: values.region.trim(),
      target: values.targetKind === "function" ? { kind: "function", functionName: values.functionName.trim() } : { kind: "service", service: values.targetService.trim() },
      indicator: indicatorOf(values, thresholdMs ?? 0),
      objective,
      window,
      alerting: { enabled: values.alertingEnabled, minEvents },
      labels: labels.labels,
    },
  };
}

/**
 * The form field an error path belongs to: itself when the form has it, else the nearest
 * field holding it (`labels.team` → labels, `indicator.method` → indicator, `window.days` →
 * window); null for a path the form does not show (the message then goes above the form).
 */
export function formFieldOf(path: string): SloFormField | null {
  if ((FORM_FIELDS as readonly string[]).includes(path)) return path as SloFormField;
  for (const parent of ["labels", "indicator", "window", "target", "alerting"] as const) {
    if (path.startsWith(`${parent}.`) || path.startsWith(`${parent}[`)) return parent === "alerting" ? "alerting.minEvents" : parent;
  }
  return null;
}

/** Errors grouped by the field they are shown beside (first message per field), and those no field holds. */
export function groupFieldErrors(errors: readonly FieldError[]): { byField: Partial<Record<SloFormField, string>>; elsewhere: FieldError[] } {
  const byField: Partial<Record<SloFormField, string>> = {};
  const elsewhere: FieldError[] = [];
  for (const error of errors) {
    const field = formFieldOf(error.path);
    if (field === null) elsewhere.push(error);
    else byField[field] ??= error.message;
  }
  return { byField, elsewhere };
}
