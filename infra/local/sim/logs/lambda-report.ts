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

/**
 * `REPORT RequestId: <id>\tDuration: 128.83 ms\tBilled Duration: 129 ms\tMemory Size: 128 MB\t
 * Max Memory Used: 74 MB\tInit Duration: 166.62 ms\t` (+ Status, + XRAY …): every platform
 * field ends with a tab, the XRAY block closes the line.
 */
export function formatReportLine(values: ReportValues): string {
  let line = `${REPORT_PREFIX}${values.requestId}\tDuration: ${formatHundredths(values.durationMs)} ms\t` +
    `Billed Duration: ${values.billedDurationMs} ms\tMemory Size: ${values.memorySizeMb} MB\t` +
    `Max Memory Used: ${values.maxMemoryUsedMb} MB\t`;
  if (values.initDurationMs !== undefined) line += `Init Duration: ${formatHundredths(values.initDurationMs)} ms\t`;
  if (values.status?.status === "timeout") line += "Status: timeout\t";
  else if (values.status?.status === "error") line += `Status: error\tError Type: ${values.status.errorType}\t`;
  if (values.xray !== undefined) {
    line += `XRAY TraceId: ${values.xray.traceId}\tSegmentId: ${values.xray.segmentId}\tSampled: ${values.xray.sampled}`;
  }
  return line;
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
