import type { Value } from "./insights/values";

/**
 * The Lambda platform REPORT line in Text format (FACTS §3) and the fields Logs Insights
 * discovers in it. Writing and reading live side by side so a line the simulator writes and
 * the fields it claims for that line cannot drift apart; malformed (cut) lines are read back
 * with `discoverReportFields`, exactly as Insights would read them.
 */

/**
 * Logs Insights reports @memorySize and @maxMemoryUsed in bytes, taking the line's "MB" as
 * 10^6 bytes (AWS's own sample queries divide by 1000/1000 to get MB back). The one place
 * that conversion lives.
 */
export const BYTES_PER_REPORTED_MB = 1_000_000;

/** MB as written in a REPORT line → the bytes Insights shows. */
export function reportedMbToBytes(mb: number): number {
  return mb * BYTES_PER_REPORTED_MB;
}

/** Everything a REPORT line says about one invocation. Durations in ms with 2 decimals. */
export interface ReportValues {
  requestId: string;
  durationMs: number;
  billedDurationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  /** Present only on a cold start (a new execution environment). */
  initDurationMs: number | undefined;
  /** `timeout`, or `error` with an error type (out of memory); absent for a normal end. */
  status: { status: "timeout" } | { status: "error"; errorType: string } | undefined;
  /** Present when the function has active tracing. */
  xray: { traceId: string; segmentId: string; sampled: boolean } | undefined;
}

const REPORT_PREFIX = "REPORT RequestId: ";
const TRACE_LABEL = "XRAY TraceId: ";
const SEGMENT_LABEL = "SegmentId: ";

/** The values of a REPORT line apart from its ids (the part that differs line to line). */
export type ReportBody = Pick<ReportValues, "durationMs" | "billedDurationMs" | "memorySizeMb" | "maxMemoryUsedMb" | "initDurationMs" | "status">;

/**
 * `REPORT RequestId: <id>\tDuration: 128.83 ms\tBilled Duration: 129 ms\tMemory Size: 128 MB\t
 * Max Memory Used: 74 MB\tInit Duration: 166.62 ms\t` (+ Status, + XRAY …): every platform
 * field ends with a tab, the XRAY block closes the line.
 */
export function formatReportLine(values: ReportValues): string {
  const line = reportLineHead(values.requestId) + reportLineBody(values);
  return values.xray === undefined ? line : line + reportLineXray(values.xray);
}

/** `REPORT RequestId: <id>\t`: the start of the line. */
export function reportLineHead(requestId: string): string {
  return `${REPORT_PREFIX}${requestId}\t`;
}

/** The platform fields after the request id, each ending with a tab. */
export function reportLineBody(values: ReportBody): string {
  let body = `Duration: ${formatHundredths(values.durationMs)} ms\tBilled Duration: ${values.billedDurationMs} ms\t` +
    `Memory Size: ${values.memorySizeMb} MB\tMax Memory Used: ${values.maxMemoryUsedMb} MB\t`;
  if (values.initDurationMs !== undefined) body += `Init Duration: ${formatHundredths(values.initDurationMs)} ms\t`;
  if (values.status?.status === "timeout") body += "Status: timeout\t";
  else if (values.status?.status === "error") body += `Status: error\tError Type: ${values.status.errorType}\t`;
  return body;
}

/** The XRAY block that closes the line of a traced function. */
export function reportLineXray(xray: NonNullable<ReportValues["xray"]>): string {
  return `${TRACE_LABEL}${xray.traceId}\t${SEGMENT_LABEL}${xray.segmentId}\tSampled: ${xray.sampled}`;
}

/** `128.83` for 128.83 ms: what toFixed(2) gives, several times faster (a hot path of every REPORT line). */
export function formatHundredths(ms: number): string {
  const hundredths = Math.round(ms * 100);
  if (!Number.isSafeInteger(hundredths) || hundredths < 0) return ms.toFixed(2);
  const whole = Math.floor(hundredths / 100);
  const fraction = hundredths - whole * 100;
  return `${whole}.${fraction < 10 ? "0" : ""}${fraction}`;
}

/** The discovered fields of a REPORT line given its values (what `discoverReportFields` reads back from an intact line). */
export function reportFields(values: ReportValues): Record<string, Value> {
  const fields: Record<string, Value> = {
    "@type": "REPORT",
    "@requestId": values.requestId,
    "@duration": values.durationMs,
    "@billedDuration": values.billedDurationMs,
    "@memorySize": reportedMbToBytes(values.memorySizeMb),
    "@maxMemoryUsed": reportedMbToBytes(values.maxMemoryUsedMb),
  };
  if (values.initDurationMs !== undefined) fields["@initDuration"] = values.initDurationMs;
  if (values.xray !== undefined) {
    fields["@xrayTraceId"] = values.xray.traceId;
    fields["@xraySegmentId"] = values.xray.segmentId;
  }
  return fields;
}

/**
 * A REPORT line cut short after `cutRatio` (0..1) of what follows the request id: the id
 * survives (Insights still types the line), later fields are lost or left unparseable.
 */
export function cutReportLine(line: string, cutRatio: number): string {
  const keep = line.indexOf("\t", REPORT_PREFIX.length) + 1;
  if (keep <= 0) return line;
  return line.slice(0, keep + Math.floor(Math.min(0.999, Math.max(0, cutRatio)) * (line.length - keep)));
}

const FIELD_PATTERNS: readonly [string, RegExp, (text: string) => Value][] = [
  ["@duration", /(?:^|\t)Duration: (\d+\.\d+) ms\t/, Number],
  ["@billedDuration", /\tBilled Duration: (\d+) ms\t/, Number],
  ["@memorySize", /\tMemory Size: (\d+) MB\t/, (mb) => reportedMbToBytes(Number(mb))],
  ["@maxMemoryUsed", /\tMax Memory Used: (\d+) MB\t/, (mb) => reportedMbToBytes(Number(mb))],
  ["@initDuration", /\tInit Duration: (\d+\.\d+) ms\t/, Number],
  ["@xrayTraceId", /\tXRAY TraceId: (1-[0-9a-f]{8}-[0-9a-f]{24})\t/, String],
  ["@xraySegmentId", /\tSegmentId: ([0-9a-f]{16})\t/, String],
];

/**
 * What Logs Insights discovers in a REPORT line: @type and @requestId from the prefix, then
 * each `Name: value unit` field that is complete (a field cut in the middle is absent).
 * Undefined when the line is not a REPORT line.
 */
export function discoverReportFields(line: string): Record<string, Value> | undefined {
  const prefix = /^REPORT RequestId: ([0-9a-f-]{36})\t/.exec(line);
  if (prefix === null) return undefined;
  const fields: Record<string, Value> = { "@type": "REPORT", "@requestId": prefix[1] };
  for (const [name, pattern, convert] of FIELD_PATTERNS) {
    const match = pattern.exec(line);
    if (match?.[1] !== undefined) fields[name] = convert(match[1]);
  }
  return fields;
}

const ID_CHARS = "0123456789abcdef-";
/** Labels and units of the fields every intact REPORT line has, numbers left out. */
const EVERY_LINE_PARTS = [REPORT_PREFIX, "Duration: ", " ms", "Billed Duration: ", "Memory Size: ", " MB", "Max Memory Used: "];

/** Could `needle` occur in `label` followed by an id (of ID_CHARS)? Only the id itself can tell when true. */
function mayOccurInIdField(needle: string, label: string): boolean {
  for (const char of needle) if (!label.includes(char) && !ID_CHARS.includes(char)) return false;
  return true;
}

/**
 * A search string analysed against the layout of an intact REPORT line. Every field of the
 * line ends with a tab (the XRAY block's parts are tab-separated too) and numbers are written
 * with digits and a point only, so a needle with no tab, digit or point occurs in the line iff
 * it occurs in the label or unit of a field the line has, or in a field holding an id — and
 * only for those does the line need its ids.
 */
class ReportNeedle {
  /** The needle has a tab, digit or point: only the written line can answer. */
  readonly needsLine: boolean;
  /** Occurs in a field every intact line has. */
  readonly inEveryLine: boolean;
  readonly inInitField: boolean;
  readonly inTimeoutStatus: boolean;
  readonly inErrorStatus: boolean;
  readonly inSampledTrue: boolean;
  readonly inSampledFalse: boolean;
  /** May occur in the request id field, the trace id field, the segment id field (then the id decides). */
  readonly mayBeInRequestIdField: boolean;
  readonly mayBeInTraceIdField: boolean;
  readonly mayBeInSegmentIdField: boolean;
  private readonly errorTypes = new Map<string, boolean>();

  constructor(readonly needle: string) {
    this.needsLine = /[\t0-9.]/.test(needle);
    const within = (part: string) => part.includes(needle);
    this.inEveryLine = EVERY_LINE_PARTS.some(within);
    this.inInitField = within("Init Duration: ");
    this.inTimeoutStatus = within("Status: timeout");
    this.inErrorStatus = within("Status: error");
    this.inSampledTrue = within("Sampled: true");
    this.inSampledFalse = within("Sampled: false");
    this.mayBeInRequestIdField = mayOccurInIdField(needle, REPORT_PREFIX);
    this.mayBeInTraceIdField = mayOccurInIdField(needle, TRACE_LABEL);
    this.mayBeInSegmentIdField = mayOccurInIdField(needle, SEGMENT_LABEL);
  }

  /** Occurs in the `Error Type: <type>` field. */
  inErrorType(errorType: string): boolean {
    let found = this.errorTypes.get(errorType);
    if (found === undefined) {
      found = `Error Type: ${errorType}`.includes(this.needle);
      this.errorTypes.set(errorType, found);
    }
    return found;
  }
}

const NEEDLES = new Map<string, ReportNeedle>();
/** Distinct search strings kept analysed (a query has a few). */
const MAX_NEEDLES = 256;
let lastNeedle: ReportNeedle | undefined;

/** The analysis of `needle` (memoised: queries test the same few strings on every line). */
function reportNeedle(needle: string): ReportNeedle {
  if (lastNeedle?.needle === needle) return lastNeedle;
  let analysed = NEEDLES.get(needle);
  if (analysed === undefined) {
    if (NEEDLES.size >= MAX_NEEDLES) NEEDLES.clear();
    analysed = new ReportNeedle(needle);
    NEEDLES.set(needle, analysed);
  }
  lastNeedle = analysed;
  return analysed;
}

/** A REPORT line's ids, read only when a needle could occur in them (they are costly to make). */
export interface ReportIdSource {
  readonly requestId: string;
  readonly xray: ReportValues["xray"];
}

/**
 * Whether the intact REPORT line with these values contains `needle` — the answer
 * `formatReportLine(…).includes(needle)` gives — without writing the line, or undefined when
 * only the written line can tell (a needle with a tab, digit or point). `xraySampled` is the
 * XRAY block's Sampled flag, undefined for a function without active tracing.
 */
export function reportLineIncludes(
  needle: string,
  hasInitDuration: boolean,
  status: ReportValues["status"],
  xraySampled: boolean | undefined,
  ids: ReportIdSource,
): boolean | undefined {
  const analysed = reportNeedle(needle);
  if (analysed.needsLine) return undefined;
  if (analysed.inEveryLine) return true;
  if (hasInitDuration && analysed.inInitField) return true;
  if (status?.status === "timeout" && analysed.inTimeoutStatus) return true;
  if (status?.status === "error" && (analysed.inErrorStatus || analysed.inErrorType(status.errorType))) return true;
  if (analysed.mayBeInRequestIdField && `${REPORT_PREFIX}${ids.requestId}`.includes(needle)) return true;
  if (xraySampled === undefined) return false;
  if (xraySampled ? analysed.inSampledTrue : analysed.inSampledFalse) return true;
  if (!analysed.mayBeInTraceIdField && !analysed.mayBeInSegmentIdField) return false;
  const xray = ids.xray!;
  return `${TRACE_LABEL}${xray.traceId}`.includes(needle) || `${SEGMENT_LABEL}${xray.segmentId}`.includes(needle);
}
